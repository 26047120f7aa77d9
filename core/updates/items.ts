/**
 * @module
 * Pending updates as Update items (abilities.md §2.4): the items of a site or of many, their counts per
 * type, a site's rolled-back versions, the updates sites ignore, and the error items of update runs.
 *
 * @example
 * ```ts
 * const items = await pendingItemsOf(ctx, sites, new Set(UPDATE_TYPES));
 * updateSummary(items).total;
 * ```
 */
import type { StoreDeps } from "../deps.ts";
import { getGlobalIgnoredLists, type IgnoreKind, type IgnoreList } from "../../store/settings.ts";
import { getSiteSync, type SiteRecord } from "../../store/sites.ts";
import { mapConcurrent } from "../../lib/concurrency.ts";
import { fleetSnapshot } from "../sites/fleet.ts";
import {
  asMap,
  availableUpdates,
  ignoredCoreVersions,
  type Json,
  newVersionOf,
  type PendingUpdates,
  rollbackItems,
  scalarText,
  siteIgnoreList,
  storedUpdates,
} from "./pending.ts";
import { mergedIgnoreList } from "./lists.ts";

/** The four update types of the abilities' `types` inputs, in MainWP's order. */
export const UPDATE_TYPES = ["core", "plugins", "themes", "translations"] as const;
/** One of {@link UPDATE_TYPES}. */
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

/** An error item of an update run (`site_name` only where MainWP sends it). */
export type UpdateErrorItem = {
  site_id: number;
  site_url: string;
  site_name?: string;
  type: string;
  slug: string;
  code: string;
  message: string;
};

/**
 * An error item about one site (or one of its items).
 *
 * @example
 * ```ts
 * updateErrorItem(site, "site", "", "mainwp_site_offline", "Site is known to be offline.", true);
 * ```
 */
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

// ---------------------------------------------------------------------------------------------------
// Update items

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

/** Counts of Update items per type. */
export interface UpdateSummary {
  core: number;
  plugins: number;
  themes: number;
  translations: number;
  total: number;
}

/**
 * Counts per type.
 *
 * @example
 * ```ts
 * updateSummary([]).total; // 0
 * ```
 */
export function updateSummary(items: readonly UpdateItem[]): UpdateSummary {
  const count = (type: string) => items.filter((i) => i.type === type).length;
  return {
    core: count("core"),
    plugins: count("plugin"),
    themes: count("theme"),
    translations: count("translation"),
    total: items.length,
  };
}

/**
 * The pending Update items of the given sites (the abilities' ignore rules), site by site.
 *
 * @example
 * ```ts
 * await pendingItemsOf(ctx, sites, new Set(UPDATE_TYPES));
 * ```
 */
export async function pendingItemsOf(
  { kv }: StoreDeps,
  sites: readonly SiteRecord[],
  types: ReadonlySet<UpdateType>,
): Promise<UpdateItem[]> {
  const [global, snap] = await Promise.all([getGlobalIgnoredLists(kv), fleetSnapshot(kv)]);
  // One site's sync data at a time per worker, dropped once its items are taken; a site whose listing
  // row shows no update has no item, so its sync data is not read at all.
  const items = await mapConcurrent(sites, 8, async (site) => {
    if (snap.byId.get(site.id)?.hasUpdate === false) return [];
    return updateItemsOf(site, availableUpdates(site, await getSiteSync(kv, site.id), global), types);
  });
  return items.flat();
}

/** One site's pending Update items and its rolled-back versions (`{slug, …entry}` per kind). */
export interface SiteUpdateItems {
  items: UpdateItem[];
  rollback: Record<IgnoreKind, Json[]>;
}

/**
 * One site's pending Update items with the versions that were rolled back after a failed update.
 *
 * @example
 * ```ts
 * (await siteUpdateItems(ctx, site, new Set(["plugins"]))).rollback.plugins;
 * ```
 */
export async function siteUpdateItems(
  { kv }: StoreDeps,
  site: SiteRecord,
  types: ReadonlySet<UpdateType>,
): Promise<SiteUpdateItems> {
  const [sync, global] = await Promise.all([getSiteSync(kv, site.id), getGlobalIgnoredLists(kv)]);
  const stored = storedUpdates(sync);
  const rollback = (kind: IgnoreKind) =>
    Object.entries(rollbackItems(stored, kind)).map(([slug, entry]) => ({ slug, ...asMap(entry) }));
  return {
    items: updateItemsOf(site, availableUpdates(site, sync, global), types),
    rollback: { plugins: rollback("plugins"), themes: rollback("themes") },
  };
}

/** One ignored update of a site. */
export interface IgnoredItem {
  site_id: number;
  site_url: string;
  site_name: string;
  type: string;
  slug: string;
  name: string;
  /** The ignored versions, comma-separated (`all_versions` = every one). */
  ignored_version: string;
}

/** The site's ignored plugins or themes: its own entries first, then global ones it does not override. */
function ignoredEntries(site: SiteRecord, kind: IgnoreKind, global: IgnoreList) {
  return Object.entries(mergedIgnoreList(siteIgnoreList(site, kind), global)).map(([slug, entry]) => {
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

/**
 * The updates the given sites ignore: core versions (the `ignored_wp_upgrades` option) and plugins/themes
 * from each site's own and the global ignore lists, for the selected types (`core`, `plugins`, `themes`).
 *
 * @example
 * ```ts
 * await ignoredItemsOf(ctx, sites, (t) => t !== "core");
 * ```
 */
export async function ignoredItemsOf(
  { kv }: StoreDeps,
  sites: readonly SiteRecord[],
  wants: (type: "core" | IgnoreKind) => boolean,
): Promise<IgnoredItem[]> {
  const global = await getGlobalIgnoredLists(kv);
  const ignored: IgnoredItem[] = [];
  for (const site of sites) {
    const base = { site_id: site.id, site_url: site.url, site_name: site.name };
    if (wants("core")) {
      const versions = ignoredCoreVersions(await getSiteSync(kv, site.id));
      if (versions.length > 0) {
        ignored.push({
          ...base,
          type: "core",
          slug: "wordpress",
          name: "WordPress",
          ignored_version: versions.join(", "),
        });
      }
    }
    for (const kind of ["plugins", "themes"] as const) {
      if (!wants(kind)) continue;
      for (const entry of ignoredEntries(site, kind, global[kind])) {
        ignored.push({ ...base, type: ITEM_TYPE[kind], ...entry });
      }
    }
  }
  return ignored;
}
