/**
 * @module
 * Registers MainWP's 62 abilities in MainWP's own order (abilities.md §2.1 and §2.3: sites, updates,
 * clients, tags, batch). Each area module adds its definitions to a sink; this module registers them
 * sorted by {@link MAINWP_ABILITY_NAMES}, so a module may hold abilities from anywhere in the catalogue.
 *
 * @example
 * ```ts
 * for (const d of mainwpAbilityDefinitions()) registry.register(d);
 * ```
 */
import type { AbilityDefinition, SchemaSlot } from "../registry.ts";
import { registerSiteAbilities } from "./sites.ts";
import { registerClientAbilities } from "./clients.ts";
import { registerTagAbilities } from "./tags.ts";
import { registerSiteReadAbilities } from "./site-reads.ts";
import { registerSiteMutationAbilities } from "./site-mutations.ts";
import { registerSiteBatchAbilities } from "./site-batch.ts";
import { registerUpdateAbilities } from "./updates.ts";
import { registerBatchAbilities } from "./batch.ts";

/**
 * Where an area module puts its ability definitions; generic, so each definition's execute and
 * permission functions are typed by its own input schema.
 */
export interface AbilitySink {
  register<In extends SchemaSlot, Out extends SchemaSlot>(definition: AbilityDefinition<In, Out>): unknown;
}

/** MainWP's catalogue, in registration order (abilities.md §2.3). */
export const MAINWP_ABILITY_NAMES: readonly string[] = [
  "list-sites-v1",
  "get-site-v1",
  "sync-sites-v1",
  "get-site-plugins-v1",
  "get-site-themes-v1",
  "add-site-v1",
  "update-site-v1",
  "delete-site-v1",
  "reconnect-site-v1",
  "disconnect-site-v1",
  "suspend-site-v1",
  "unsuspend-site-v1",
  "check-site-v1",
  "activate-site-plugins-v1",
  "deactivate-site-plugins-v1",
  "delete-site-plugins-v1",
  "get-abandoned-plugins-v1",
  "activate-site-theme-v1",
  "delete-site-themes-v1",
  "get-abandoned-themes-v1",
  "get-site-security-v1",
  "get-site-changes-v1",
  "get-site-client-v1",
  "get-site-costs-v1",
  "count-sites-v1",
  "get-sites-basic-v1",
  "reconnect-sites-v1",
  "disconnect-sites-v1",
  "check-sites-v1",
  "suspend-sites-v1",
  "list-updates-v1",
  "run-updates-v1",
  "list-ignored-updates-v1",
  "set-ignored-updates-v1",
  "get-site-updates-v1",
  "update-site-core-v1",
  "update-site-plugins-v1",
  "update-site-themes-v1",
  "update-site-translations-v1",
  "ignore-site-core-v1",
  "ignore-site-plugins-v1",
  "ignore-site-themes-v1",
  "update-all-v1",
  "list-clients-v1",
  "count-clients-v1",
  "get-client-v1",
  "add-client-v1",
  "update-client-v1",
  "delete-client-v1",
  "get-client-sites-v1",
  "count-client-sites-v1",
  "get-client-costs-v1",
  "suspend-client-v1",
  "unsuspend-client-v1",
  "list-tags-v1",
  "get-tag-v1",
  "add-tag-v1",
  "update-tag-v1",
  "delete-tag-v1",
  "get-tag-sites-v1",
  "get-tag-clients-v1",
  "get-batch-job-status-v1",
].map((name) => `mainwp/${name}`);

const AREA_MODULES: ((sink: AbilitySink) => void)[] = [
  registerSiteAbilities,
  registerSiteReadAbilities,
  registerSiteMutationAbilities,
  registerSiteBatchAbilities,
  registerUpdateAbilities,
  registerClientAbilities,
  registerTagAbilities,
  registerBatchAbilities,
];

/**
 * Every MainWP ability definition, in catalogue order (abilities not in the catalogue come last).
 *
 * @example
 * ```ts
 * mainwpAbilityDefinitions()[0].name; // "mainwp/list-sites-v1"
 * ```
 */
export function mainwpAbilityDefinitions(): AbilityDefinition[] {
  const definitions: AbilityDefinition[] = [];
  for (const area of AREA_MODULES) area({ register: (d) => definitions.push(d) });
  const rank = (name: string) => {
    const i = MAINWP_ABILITY_NAMES.indexOf(name);
    return i < 0 ? MAINWP_ABILITY_NAMES.length : i;
  };
  return definitions.sort((a, b) => rank(a.name) - rank(b.name));
}
