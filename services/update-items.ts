/**
 * @module
 * Pending updates as MainWP's abilities describe them (abilities.md §2.4): Update items, Updated items and
 * error items; applying a site's pending items through the child (core first, then one call per kind,
 * with MainWP's hooks) and forgetting what was applied; the per-site core ignore option. Built on the same
 * lists, ignore rules and child calls as the `/updates` REST routes (`update-lists.ts`, `updates.ts`).
 *
 * @example
 * ```ts
 * const items = updateItemsOf(site, availableUpdates(site, sync, global), new Set(["plugins"]));
 * const outcome = await applyUpdateItems(ctx, site, items, true);
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { encodeWpJson } from "../rest/json.ts";
import { ChildError } from "../child/errors.ts";
import { childErrorMessage } from "./site-child.ts";
import {
  callCoreUpdate,
  callItemsUpdate,
  ignoreItems,
  refreshAfterUpdate,
  unignoreItems,
} from "./updates.ts";
import {
  asMap,
  IGNORED_CORE_OPTION,
  isCoreVersionIgnored,
  type ItemKind,
  type Json,
  newVersionOf,
  parseJsonText,
  type PendingUpdates,
  pendingUpdates,
  siteIgnoreList,
} from "./update-lists.ts";
import type { IgnoreKind, IgnoreList } from "../store/settings.ts";
import { type SiteRecord, type SiteSyncData, writeSiteSync } from "../store/sites.ts";
import { isPlainObject } from "../lib/objects.ts";

/** The four update types of the abilities' `types` inputs. */
export const UPDATE_TYPES = ["core", "plugins", "themes", "translations"] as const;
export type UpdateType = (typeof UPDATE_TYPES)[number];
/** The `type` of an Update item per update type. */
export const ITEM_TYPE: Record<UpdateType, string> = {
  core: "core",
  plugins: "plugin",
  themes: "theme",
  translations: "translation",
};

/** An Update item (abilities.md §2.4). */
export interface UpdateItem {
  site_id: number;
  site_url: string;
  site_name: string;
  type: string;
  slug: string;
  name: string;
  current_version: string;
  new_version: string;
}

/** An Updated item: an Update item with `old_version` in place of `current_version`. */
export type UpdatedItem = Omit<UpdateItem, "current_version"> & { old_version: string };

/** An error item of the update abilities (`site_name` only where MainWP sends it). */
export type UpdateErrorItem = {
  site_id: number;
  site_url: string;
  site_name?: string;
  type: string;
  slug: string;
  code: string;
  message: string;
};

/** An error item about one site (or one of its items). */
export function updateErrorItem(
  site: SiteRecord,
  type: string,
  slug: string,
  code: string,
  message: string,
  withName: boolean,
): UpdateErrorItem {
  return {
    site_id: site.id,
    site_url: site.url,
    ...(withName ? { site_name: site.name } : {}),
    type,
    slug,
    code,
    message,
  };
}

export const scalarText = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? String(value) : "";

// ---------------------------------------------------------------------------------------------------
// Pending updates as Update items

/** A site with its stored sync data. */
export interface SiteState {
  site: SiteRecord;
  sync: SiteSyncData | null;
}

/**
 * The site's pending updates under the abilities' ignore rules: the REST routes' rules (per-site flags,
 * per-site and global plugin/theme lists) plus the site's `ignored_wp_upgrades` option for core.
 *
 * @example
 * ```ts
 * availableUpdates(site, sync, await getGlobalIgnoredLists(ctx.kv)).plugins;
 * ```
 */
export function availableUpdates(
  site: SiteRecord,
  sync: SiteSyncData | null,
  global: Record<IgnoreKind, IgnoreList>,
): PendingUpdates {
  const pending = pendingUpdates(site, sync, global);
  if (pending.wp && isCoreVersionIgnored(sync, scalarText(pending.wp.new))) return { ...pending, wp: null };
  return pending;
}

/**
 * A site's pending updates as Update items, in MainWP's order (core, plugins, themes, translations).
 *
 * @example
 * ```ts
 * updateItemsOf(site, availableUpdates(site, sync, global), new Set(["plugins"]));
 * ```
 */
export function updateItemsOf(
  site: SiteRecord,
  pending: PendingUpdates,
  types: ReadonlySet<UpdateType>,
): UpdateItem[] {
  const base = { site_id: site.id, site_url: site.url, site_name: site.name };
  const items: UpdateItem[] = [];
  if (types.has("core") && pending.wp) {
    items.push({
      ...base,
      type: "core",
      slug: "wordpress",
      name: "WordPress",
      current_version: scalarText(pending.wp.current),
      new_version: scalarText(pending.wp.new),
    });
  }
  for (const kind of ["plugins", "themes"] as const) {
    if (!types.has(kind)) continue;
    for (const [slug, raw] of Object.entries(pending[kind])) {
      const entry = asMap(raw);
      items.push({
        ...base,
        type: ITEM_TYPE[kind],
        slug,
        name: scalarText(entry.Name) || slug,
        current_version: scalarText(entry.Version),
        new_version: newVersionOf(entry),
      });
    }
  }
  if (types.has("translations")) {
    for (const t of pending.translations) {
      const slug = scalarText(t.slug);
      items.push({
        ...base,
        type: "translation",
        slug,
        name: scalarText(t.name) || slug,
        current_version: scalarText(t.version),
        new_version: scalarText(t.new_version),
      });
    }
  }
  return items;
}

/** Counts per type (`summary` of list-updates and get-site-updates). */
export function updateSummary(items: readonly UpdateItem[]) {
  const count = (type: string) => items.filter((i) => i.type === type).length;
  return {
    core: count("core"),
    plugins: count("plugin"),
    themes: count("theme"),
    translations: count("translation"),
    total: items.length,
  };
}

// ---------------------------------------------------------------------------------------------------
// Running updates

/** What updating one site produced. */
export interface SiteOutcome {
  updated: UpdatedItem[];
  errors: UpdateErrorItem[];
}

/** MainWP's message for a core update the child did not report as successful. */
export function coreFailureMessage(reply: Json): string {
  if (typeof reply.error === "string" && reply.error !== "") return reply.error;
  if (reply.upgrade === "LOCALIZATION") return "No update found for the set locale.";
  if (reply.upgrade === "NORESPONSE") return "No response from the child site server.";
  return "Core update failed.";
}

export const exceptionMessage = (error: unknown) =>
  error instanceof ChildError
    ? childErrorMessage(error)
    : error instanceof Error
    ? error.message
    : String(error);

/** The outcome of a core update: the Updated item, or the error code and message. */
export type CoreOutcome =
  | { item: UpdatedItem; reply: Json }
  | { code: string; message: string; reply: Json | null };

/**
 * Updates WordPress core through the child with MainWP's hooks (`mainwp_before_wp_update`,
 * `mainwp_after_wp_update`, on success `mainwp_after_upgrade_wp_success`).
 */
export async function runCoreUpdate(
  ctx: AppContext,
  site: SiteRecord,
  item: UpdateItem,
): Promise<CoreOutcome> {
  await ctx.hooks.doAction("mainwp_before_wp_update", site);
  let reply: Json;
  try {
    reply = await callCoreUpdate(ctx, site);
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    return { code: "mainwp_update_exception", message: exceptionMessage(error), reply: null };
  }
  await ctx.hooks.doAction("mainwp_after_wp_update", reply, site);
  if (reply.upgrade !== "SUCCESS") {
    return { code: "mainwp_update_failed", message: coreFailureMessage(reply), reply };
  }
  await ctx.hooks.doAction("mainwp_after_upgrade_wp_success", site, reply);
  const { current_version, ...rest } = item;
  return {
    item: {
      ...rest,
      old_version: current_version,
      new_version: scalarText(reply.version) || item.new_version,
    },
    reply,
  };
}

/** Forgets what was updated from the stored lists (MainWP does this; the refresh then confirms it). */
export async function forgetUpdated(ctx: AppContext, siteId: number, updated: readonly UpdatedItem[]) {
  if (updated.length === 0) return;
  const gone = (type: string) => new Set(updated.filter((u) => u.type === type).map((u) => u.slug));
  await writeSiteSync(ctx.kv, siteId, (previous) => {
    const next: SiteSyncData = { ...previous };
    if (gone("core").size > 0) next.wp_upgrades = "";
    for (const [type, column] of [["plugin", "plugin_upgrades"], ["theme", "theme_upgrades"]] as const) {
      const slugs = gone(type);
      if (slugs.size === 0) continue;
      const map = { ...asMap(parseJsonText(previous?.[column])) };
      for (const slug of slugs) delete map[slug];
      next[column] = Object.keys(map).length > 0 ? encodeWpJson(map) : "";
    }
    const translations = gone("translation");
    if (translations.size > 0) {
      const list = parseJsonText(previous?.translation_upgrades);
      const kept = (Array.isArray(list) ? list : Object.values(asMap(list)))
        .filter((t) => !translations.has(scalarText(asMap(t).slug)));
      next.translation_upgrades = kept.length > 0 ? encodeWpJson(kept) : "";
    }
    return next;
  });
}

/**
 * Applies the given pending Update items of one site: core first, then one child call per kind
 * (plugins, themes, translations), each between `mainwp_before/after_plugin_theme_translation_update`.
 * Afterwards updated items are dropped from the stored lists and the lists are refreshed from the
 * child. `withName` puts `site_name` on site/core error items (update-all does, run-updates does not).
 */
export async function applyUpdateItems(
  ctx: AppContext,
  site: SiteRecord,
  items: readonly UpdateItem[],
  withName: boolean,
): Promise<SiteOutcome> {
  const out: SiteOutcome = { updated: [], errors: [] };
  let answered = false;
  let last: Json | null = null;
  const core = items.find((i) => i.type === "core");
  if (core) {
    const result = await runCoreUpdate(ctx, site, core);
    if ("item" in result) out.updated.push(result.item);
    else out.errors.push(updateErrorItem(site, "core", "wordpress", result.code, result.message, withName));
    if (result.reply) {
      answered = true;
      last = isPlainObject(result.reply.sync) ? result.reply : null;
    }
  }
  for (const kind of ["plugins", "themes", "translations"] as ItemKind[]) {
    const type = ITEM_TYPE[kind];
    const group = new Map<string, UpdateItem>();
    for (const item of items) if (item.type === type && !group.has(item.slug)) group.set(item.slug, item);
    if (group.size === 0) continue;
    const slugs = [...group.keys()];
    const csv = slugs.join(",");
    await ctx.hooks.doAction("mainwp_before_plugin_theme_translation_update", type, csv, site);
    let reply: Json | null = null;
    try {
      reply = await callItemsUpdate(ctx, site, kind, slugs);
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      await ctx.hooks.doAction("mainwp_after_plugin_theme_translation_update", null, type, csv, site);
      for (const slug of slugs) {
        out.errors.push(
          updateErrorItem(site, type, slug, "mainwp_update_exception", exceptionMessage(error), true),
        );
      }
      continue;
    }
    await ctx.hooks.doAction("mainwp_after_plugin_theme_translation_update", reply, type, csv, site);
    answered = true;
    last = isPlainObject(reply.sync) ? reply : null;
    const upgrades = asMap(reply.upgrades);
    const failures = asMap(reply.upgrades_error);
    const details = asMap(asMap(reply.other_data).updated_data);
    for (const [slug, item] of group) {
      if (upgrades[slug] && !(slug in failures)) {
        const { current_version, ...rest } = item;
        out.updated.push({
          ...rest,
          old_version: current_version,
          new_version: scalarText(asMap(details[slug]).version) || item.new_version,
        });
      } else {
        const message = slug in failures
          ? scalarText(failures[slug]) || "Update failed."
          : "The child site did not report this item as updated.";
        out.errors.push(updateErrorItem(site, type, slug, "mainwp_update_failed", message, true));
      }
    }
  }
  if (answered) {
    await forgetUpdated(ctx, site.id, out.updated);
    try {
      await refreshAfterUpdate(ctx, site.id, last);
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
    }
  }
  return out;
}

/** The immediate run over many sites: outcomes flattened in site order, with the summary. */
export function updateRunResult(errors: UpdateErrorItem[], outcomes: readonly SiteOutcome[]) {
  const updated = outcomes.flatMap((o) => o.updated);
  const all = [...errors, ...outcomes.flatMap((o) => o.errors)];
  return {
    updated,
    errors: all,
    summary: {
      total_updated: updated.length,
      total_errors: all.length,
      sites_updated: outcomes.filter((o) => o.updated.length > 0).length,
    },
  };
}

/** The allowed sites once each (a site named twice is updated once), in first-seen order. */
export function distinctSites(sites: readonly SiteRecord[]): SiteRecord[] {
  const seen = new Set<number>();
  return sites.filter((s) => !seen.has(s.id) && seen.add(s.id));
}

/** Writes the site's `ignored_wp_upgrades` option (`null` clears it). */
export async function setIgnoredCore(
  ctx: AppContext,
  siteId: number,
  versions: string[] | null,
): Promise<void> {
  await writeSiteSync(ctx.kv, siteId, (previous) => {
    const options = { ...previous?.options };
    if (versions === null) delete options[IGNORED_CORE_OPTION];
    else options[IGNORED_CORE_OPTION] = encodeWpJson({ ignored_versions: versions });
    return { ...previous, options };
  });
}

/** Clears the site's ignored core versions, between `mainwp_before/after_core_unignore`. */
export async function unignoreCore(ctx: AppContext, site: SiteRecord): Promise<void> {
  await ctx.hooks.doAction("mainwp_before_core_unignore", [], site);
  await setIgnoredCore(ctx, site.id, null);
  await ctx.hooks.doAction("mainwp_after_core_unignore", [], site);
}

/** Removes slugs from a site's ignore list, between `mainwp_before/after_{plugin|theme}_unignore`. */
export async function unignoreSiteItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: IgnoreKind,
  slugs: string[],
) {
  const noun = kind === "plugins" ? "plugin" : "theme";
  await ctx.hooks.doAction(`mainwp_before_${noun}_unignore`, site, slugs);
  const removed = await unignoreItems(ctx, site, kind, slugs);
  await ctx.hooks.doAction(`mainwp_after_${noun}_unignore`, site, slugs);
  return removed;
}

/** Adds slugs to a site's ignore list (REST's service, hooks included); returns how many were new. */
export async function ignoreSiteItems(ctx: AppContext, site: SiteRecord, kind: IgnoreKind, slugs: string[]) {
  if (slugs.length === 0) return 0;
  const result = await ignoreItems(ctx, site, kind, slugs);
  return Array.isArray(result.data) ? result.data.length : 0;
}

/** The site's ignored plugins or themes: its own entries first, then global ones it does not override. */
export function ignoredEntries(site: SiteRecord, kind: IgnoreKind, global: IgnoreList) {
  const own = siteIgnoreList(site, kind);
  const merged: [string, unknown][] = Object.entries(own);
  for (const [slug, entry] of Object.entries(global)) {
    if (!Object.hasOwn(own, slug)) merged.push([slug, entry]);
  }
  return merged.map(([slug, entry]) => {
    if (typeof entry === "string") return { slug, name: entry || slug, ignored_version: "all_versions" };
    const map = asMap(entry);
    const versions = Array.isArray(map.ignored_versions) ? map.ignored_versions.map(String) : [];
    return {
      slug,
      name: scalarText(map.Name) || slug,
      ignored_version: versions.length > 0 ? versions.join(", ") : "all_versions",
    };
  });
}
