/**
 * @module
 * The fleet read model's typed selection over the fleet index (`fleet-index.ts`: every site's listing
 * row in listing order): include, exclude, search, status, paging, look-ups by id; and what needs more
 * than a row, read per site from the store (records of listed sites, one site's record and sync data).
 * Nothing here holds more than one site's sync data at a time.
 *
 * @example
 * ```ts
 * const snap = await fleetSnapshot(kv);
 * const page = pageOf(selectSites(snap, { include: [], exclude: [], search: "", status: [] }), 1, 20);
 * ```
 */
import { getSites, getSiteSync, type SiteRecord, type SiteSyncData } from "../../store/sites.ts";
import { hasEntries, readSiteState, type SiteState } from "../../store/site-rows.ts";
import { getTags } from "../../store/tags.ts";
import { compareEntries, type FleetSnapshot, fleetSnapshot, type SiteEntry } from "./fleet-index.ts";

export type { SiteRecord, SiteSyncData } from "../../store/sites.ts";
export type { SiteState } from "../../store/site-rows.ts";
export {
  compareEntries,
  fleetIndexStats,
  type FleetSnapshot,
  fleetSnapshot,
  type SiteEntry,
  type SiteRow,
  siteSortKey,
  type UpdateCounts,
} from "./fleet-index.ts";

/**
 * The listed (non-staging) site records in listing order: the order from the index, the records read
 * by id (sites deleted meanwhile left out) — what bulk operations need, without any sync data.
 *
 * @example
 * ```ts
 * (await listedSiteRecords(kv)).map((s) => s.id);
 * ```
 */
export async function listedSiteRecords(kv: Deno.Kv): Promise<SiteRecord[]> {
  const snap = await fleetSnapshot(kv);
  const records = await getSites(kv, snap.listed.map((e) => e.site.id));
  return records.filter((s) => !s.is_staging);
}

/**
 * `include` / `exclude` over listed records, as {@link selectSites} applies them (listing order kept).
 *
 * @example
 * ```ts
 * includeExclude(await listedSiteRecords(kv), [3, 5], []);
 * ```
 */
export function includeExclude(
  listed: readonly SiteRecord[],
  include: readonly number[],
  exclude: readonly number[],
): SiteRecord[] {
  const wanted = include.length > 0 ? new Set(include) : null;
  const ex = new Set(exclude);
  return listed.filter((s) => (!wanted || wanted.has(s.id)) && !ex.has(s.id));
}

/**
 * One site's record and sync data as of its row version (`entry.stamp` or newer), read from the store;
 * `null` when it was deleted meanwhile. For the few sites of one answer, one at a time.
 *
 * @example
 * ```ts
 * const state = await siteStateOf(kv, 3);
 * ```
 */
export function siteStateOf(kv: Deno.Kv, id: number): Promise<SiteState | null> {
  return readSiteState(kv, id);
}

// ---------------------------------------------------------------------------------------------------
// Selection

/** The status values MainWP accepts (all-invalid → 400). */
export const SITE_STATUSES = ["any", "connected", "disconnected", "suspended", "available_update"] as const;

/** A status the selection understands (the DB layer also knows `unsuspended`). */
export type SiteStatusFilter = (typeof SITE_STATUSES)[number] | "unsuspended";

/** Status values the filter understands. */
export const FILTER_STATUSES: ReadonlySet<string> = new Set<string>([...SITE_STATUSES, "unsuspended"]);

/**
 * Whether a value is a status the selection understands.
 *
 * @example
 * ```ts
 * isSiteStatusFilter("suspended"); // true
 * ```
 */
export function isSiteStatusFilter(value: string): value is SiteStatusFilter {
  return FILTER_STATUSES.has(value);
}

/** Which listed sites to select (rest-v2.md §2.1 common list filters), as typed values. */
export interface SiteSelection {
  /** Only these ids (empty: all). */
  include: readonly number[];
  exclude: readonly number[];
  /** Case-insensitive substring of id, name or URL (empty: no filter). */
  search: string;
  /** Status values to OR together; empty or containing `any` = no status filter. */
  status: readonly SiteStatusFilter[];
}

/**
 * Whether any core, plugin, theme, translation or premium update is pending (status `available_update`).
 *
 * @example
 * ```ts
 * hasAvailableUpdate({ plugin_upgrades: '{"akismet/akismet.php":{}}' }); // true
 * ```
 */
export function hasAvailableUpdate(sync: SiteSyncData | null): boolean {
  if (!sync) return false;
  return hasEntries(sync.wp_upgrades) || hasEntries(sync.plugin_upgrades) ||
    hasEntries(sync.theme_upgrades) || hasEntries(sync.translation_upgrades) ||
    hasEntries(sync.premium_upgrades);
}

function matchesStatus(entry: SiteEntry, statuses: readonly SiteStatusFilter[]): boolean {
  for (const s of statuses) {
    switch (s) {
      case "connected":
        if (!entry.site.sync_errors) return true;
        break;
      case "disconnected":
        if (entry.site.sync_errors) return true;
        break;
      case "suspended":
        if (entry.site.suspended) return true;
        break;
      case "unsuspended":
        if (!entry.site.suspended) return true;
        break;
      case "available_update":
        if (entry.hasUpdate) return true;
        break;
    }
  }
  return false;
}

/**
 * The listed sites matching a selection (include, exclude, search, status), in listing order, not yet
 * paged.
 *
 * @example
 * ```ts
 * selectSites(snap, { include: [], exclude: [], search: "", status: ["suspended"] });
 * ```
 */
export function selectSites(snap: FleetSnapshot, q: SiteSelection): readonly SiteEntry[] {
  let list: readonly SiteEntry[] = snap.listed;
  if (q.include.length > 0) list = entriesByIds(snap, q.include, true);
  if (q.exclude.length > 0) {
    const ex = new Set(q.exclude);
    list = list.filter((e) => !ex.has(e.site.id));
  }
  if (q.search) {
    const s = q.search.toLowerCase();
    list = list.filter((e) => String(e.site.id).includes(s) || e.name.includes(s) || e.url.includes(s));
  }
  if (q.status.length > 0 && !q.status.includes("any")) {
    list = list.filter((e) => matchesStatus(e, q.status));
  }
  return list;
}

/**
 * One page of a list (1-based); every item when either is `null` (legacy: no paging).
 *
 * @example
 * ```ts
 * pageOf([1, 2, 3], 2, 2); // [3]
 * ```
 */
export function pageOf<T>(list: readonly T[], page: number | null, perPage: number | null): readonly T[] {
  if (page === null || perPage === null) return list;
  const start = (page - 1) * perPage;
  return list.slice(start, start + perPage);
}

/**
 * How many listed sites match a selection.
 *
 * @example
 * ```ts
 * countSelected(snap, { include: [], exclude: [], search: "", status: ["suspended"] }); // 2
 * ```
 */
export function countSelected(snap: FleetSnapshot, q: SiteSelection): number {
  return selectSites(snap, q).length;
}

/**
 * Listed (non-staging) snapshot entries for site ids, in listing order; unknown ids are skipped.
 *
 * @example
 * ```ts
 * entriesByIds(snap, [7, 3]);
 * ```
 */
export function entriesByIds(
  snap: FleetSnapshot,
  ids: Iterable<number>,
  keepDuplicates = false,
): SiteEntry[] {
  const out: SiteEntry[] = [];
  for (const id of keepDuplicates ? ids : new Set(ids)) {
    const entry = snap.byId.get(id);
    if (entry && !entry.site.is_staging) out.push(entry);
  }
  return out.sort(compareEntries);
}

/**
 * What one site's view needs beyond its record, read straight from the store: its tag names and its
 * sync data (`sync` when the caller already has it, e.g. just written). For answers right after a
 * write, where rebuilding the whole fleet snapshot would be wasted.
 *
 * @example
 * ```ts
 * const { tagNames, sync } = await siteDetails(kv, site);
 * ```
 */
export async function siteDetails(
  kv: Deno.Kv,
  site: SiteRecord,
  sync?: SiteSyncData | null,
): Promise<{ tagNames: Map<number, string>; sync: SiteSyncData | null }> {
  const [tags, data] = await Promise.all([
    site.tag_ids.length ? getTags(kv, site.tag_ids) : [],
    sync !== undefined ? sync : getSiteSync(kv, site.id),
  ]);
  return { tagNames: new Map(tags.map((t) => [t.id, t.name])), sync: data };
}
