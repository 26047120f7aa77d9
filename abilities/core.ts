/**
 * @module
 * The built-in categories (WordPress core's `site` and `user`, then MainWP's five) and WordPress core's
 * two REST-visible abilities, `core/get-site-info` and `core/get-environment-info` (abilities.md §1.10).
 *
 * @example
 * ```ts
 * registerBuiltInCategories(ctx.abilities);
 * ```
 */
import { z } from "zod";
import { restError } from "../rest/errors.ts";
import { userCan } from "../core/users.ts";
import { type AbilityCall, type AbilityDefinition, type AbilityRegistry, defineAbility } from "./registry.ts";

/** Categories in WordPress's and MainWP's registration order. */
export const BUILT_IN_CATEGORIES = [
  {
    slug: "site",
    label: "Site",
    description: "Abilities that retrieve or modify site information and settings.",
  },
  {
    slug: "user",
    label: "User",
    description: "Abilities that retrieve or modify user information and settings.",
  },
  {
    slug: "mainwp-sites",
    label: "MainWP Sites",
    description: "Abilities for managing MainWP child sites including listing, syncing, and monitoring.",
  },
  {
    slug: "mainwp-updates",
    label: "MainWP Updates",
    description:
      "Abilities for managing updates across MainWP child sites including core, plugins, and themes.",
  },
  {
    slug: "mainwp-clients",
    label: "MainWP Clients",
    description:
      "Abilities for managing MainWP clients including creation, updates, and client-site relationships.",
  },
  {
    slug: "mainwp-tags",
    label: "MainWP Tags",
    description: "Abilities for managing MainWP tags for organizing sites and clients.",
  },
  {
    slug: "mainwp-batch",
    label: "MainWP Batch Operations",
    description:
      "Abilities for monitoring queued batch operations including sync, update, and site management tasks.",
  },
] as const;

/** WordPress core's permission for these abilities: `manage_options`. */
function canManageOptions({ req }: AbilityCall) {
  const user = req?.auth.user;
  return user && userCan(user.role, "manage_options")
    ? true as const
    : restError("rest_ability_cannot_execute", "Sorry, you are not allowed to execute this ability.", 403);
}

const SITE_INFO_FIELDS = [
  "name",
  "description",
  "url",
  "wpurl",
  "admin_email",
  "charset",
  "language",
  "version",
] as const;

/**
 * Registers the built-in categories (WordPress core's and MainWP's).
 *
 * @example
 * ```ts
 * registerBuiltInCategories(registry);
 * ```
 */
export function registerBuiltInCategories(registry: AbilityRegistry): void {
  for (const category of BUILT_IN_CATEGORIES) registry.registerCategory(category);
}

/**
 * WordPress core's two abilities, as definitions to register.
 *
 * @example
 * ```ts
 * coreAbilityDefinitions().map((d) => d.name); // ["core/get-site-info", "core/get-environment-info"]
 * ```
 */
export function coreAbilityDefinitions(): AbilityDefinition[] {
  const definitions: AbilityDefinition[] = [];
  const registry = { register: (d: AbilityDefinition) => definitions.push(d) };
  registry.register(defineAbility({
    name: "core/get-site-info",
    label: "Get Site Information",
    description:
      "Returns basic information about this dashboard: name, description, URLs, charset, language and version.",
    category: "site",
    input: z.object({
      fields: z.array(z.enum(SITE_INFO_FIELDS)).optional().describe(
        'Fields to return, e.g. ["name", "url"]; absent or empty returns them all.',
      ),
    }).strict().default({}),
    output: z.object(Object.fromEntries(SITE_INFO_FIELDS.map((f) => [f, z.string().optional()]))),
    annotations: { readonly: true, destructive: false, idempotent: true },
    permission: canManageOptions,
    execute: ({ ctx, input }) => {
      const url = ctx.config.publicUrl;
      const all: Record<string, string> = {
        name: "Fleetpress",
        description: "MainWP-compatible dashboard API",
        url,
        wpurl: url,
        admin_email: "",
        charset: "UTF-8",
        language: "en-US",
        version: "7.0.4",
      };
      const wanted = input.fields;
      return wanted?.length ? Object.fromEntries(wanted.map((f) => [f, all[f]])) : all;
    },
  }));
  registry.register({
    name: "core/get-environment-info",
    label: "Get Environment Information",
    description: "Returns the runtime environment of this dashboard.",
    category: "site",
    output: z.object({
      environment: z.string(),
      php_version: z.string(),
      db_server_info: z.string(),
      wp_version: z.string(),
    }),
    annotations: { readonly: true, destructive: false, idempotent: true },
    permission: canManageOptions,
    execute: () => ({
      environment: "production",
      php_version: `Deno ${Deno.version.deno}`,
      db_server_info: "Deno KV",
      wp_version: "7.0.4",
    }),
  });
  return definitions;
}
