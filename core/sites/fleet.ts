/**
 * @module
 * The fleet read model: an in-process snapshot of every site record with its sync data, the tags and
 * the tag→sites map, with the listing order (normalised URL) worked out once; typed selection (include,
 * exclude, search, status), paging and look-ups by id over it.
 *
 * Freshness: each read takes the fleet revision key `["rev","fleet"]` (ONE KV read); every
 * site/tag/client write bumps it in its own commit, so a versionstamp equal to the snapshot's means
 * nothing changed, in this process or any other. Otherwise the snapshot is rebuilt (concurrent readers
 * share one rebuild) and labelled with the versionstamp read *before* rebuilding, so a write landing
 * during the rebuild triggers another one on the next read. Filtering, sorting and paging then run in
 * memory.
 *
 * @example
 * ```ts
 * const snap = await fleetSnapshot(kv);
 * const page = pageOf(selectSites(snap, { include: [], exclude: [], search: "", status: [] }), 1, 20);
 * ```
 */
import { FLEET_REV } from "../../store/keys.ts";
import {
  getSiteSync,
  listSiteEntries,
  listStampedSiteSyncs,
  normalizeDomain,
  type SiteRecord,
  type SiteSyncData,
  type StampedSiteSync,
} from "../../store/sites.ts";
import { getTags, listTags, type TagRecord } from "../../store/tags.ts";

export type { SiteRecord, SiteSyncData } from "../../store/sites.ts";

/**
 * One site in the snapshot. Entries are immutable and replaced whenever the site's record, sync data or
 * tag names change, so a presenter may memoise what it derives from one keyed by the entry object.
 */
export interface SiteEntry {
  site: SiteRecord;
  sync: SiteSyncData | null;
  /** Listing order key: URL without scheme and `www.`, lower case. */
  sortKey: string;
  /** Lower-cased name and URL for `search`. */
  name: string;
  url: string;
  hasUpdate: boolean;
  /** What the entry was built from, so a rebuild can reuse it when none of it changed. */
  source: { versionstamp: string; syncStamp: string | null; tagNames: string };
}

/** The fleet as one request sees it. */
export interface FleetSnapshot {
  /** Versionstamp of the fleet revision this snapshot is at least as new as (`null`: never written). */
  stamp: string | null;
  byId: ReadonlyMap<number, SiteEntry>;
  /** Non-staging sites in listing order. */
  listed: readonly SiteEntry[];
  /** Site id → position in `listed`. */
  rank: ReadonlyMap<number, number>;
  /** Normalised domain → site id. */
  byDomain: ReadonlyMap<string, number>;
  tags: ReadonlyMap<number, TagRecord>;
  /** Tag id → name. */
  tagNames: ReadonlyMap<number, string>;
  /** Tags ordered by name (case-insensitive), then id. */
  tagsByName: readonly TagRecord[];
  /** Tag id → ids of the sites carrying it (all sites, staging included), ascending. */
  tagSites: ReadonlyMap<number, readonly number[]>;
  /** Parsed sync data by site id, with write stamps (reused by the next rebuild). */
  syncs: ReadonlyMap<number, StampedSiteSync>;
}

interface CacheState {
  snap?: FleetSnapshot;
  pending?: { stamp: string | null; promise: Promise<FleetSnapshot> };
}

const caches = new WeakMap<Deno.Kv, CacheState>();

/**
 * The listing order key of a URL: lower case, scheme and a leading `www.` removed (trailing `/` kept).
 *
 * @example
 * ```ts
 * siteSortKey("https://www.Example.com/"); // "example.com/"
 * ```
 */
export function siteSortKey(url: string): string {
  return url.toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "").replace(/^www\./, "");
}

function compareStamps(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/**
 * Builds a snapshot from the store. With the `previous` snapshot, sites whose record, sync data and
 * tag names did not change keep their entry (the same object), and unchanged sync data is not parsed
 * again.
 *
 * @example
 * ```ts
 * const snap = await buildFleetSnapshot(kv, null);
 * ```
 */
export async function buildFleetSnapshot(
  kv: Deno.Kv,
  stamp: string | null,
  previous?: FleetSnapshot,
): Promise<FleetSnapshot> {
  const [sites, tags, syncs] = await Promise.all([
    listSiteEntries(kv),
    listTags(kv),
    listStampedSiteSyncs(kv, previous?.syncs),
  ]);
  const tagMap = new Map<number, TagRecord>();
  const tagNames = new Map<number, string>();
  for (const tag of tags) {
    tagMap.set(tag.id, tag);
    tagNames.set(tag.id, tag.name);
  }
  const byId = new Map<number, SiteEntry>();
  const byDomain = new Map<string, number>();
  const tagSites = new Map<number, number[]>();
  const listed: SiteEntry[] = [];
  for (const { site, versionstamp } of sites) {
    const stamped = syncs.get(site.id);
    const source = {
      versionstamp,
      syncStamp: stamped?.stamp ?? null,
      tagNames: site.tag_ids.map((id) => tagNames.get(id) ?? "\u0000").join("\u0000"),
    };
    const old = previous?.byId.get(site.id);
    const entry: SiteEntry = old && old.source.versionstamp === source.versionstamp &&
        old.source.syncStamp === source.syncStamp && old.source.tagNames === source.tagNames
      ? old
      : siteEntry(site, stamped?.data ?? null, source);
    byId.set(site.id, entry);
    byDomain.set(normalizeDomain(site.url), site.id);
    for (const tagId of new Set(site.tag_ids)) {
      if (!tagMap.has(tagId)) continue;
      const list = tagSites.get(tagId);
      if (list) list.push(site.id);
      else tagSites.set(tagId, [site.id]);
    }
    if (!site.is_staging) listed.push(entry);
  }
  listed.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.site.id - b.site.id));
  const rank = new Map<number, number>();
  listed.forEach((e, i) => rank.set(e.site.id, i));
  const tagsByName = [...tags].sort((a, b) => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.id - b.id;
  });
  return { stamp, byId, listed, rank, byDomain, tags: tagMap, tagNames, tagsByName, tagSites, syncs };
}

function siteEntry(site: SiteRecord, sync: SiteSyncData | null, source: SiteEntry["source"]): SiteEntry {
  return {
    site,
    sync,
    sortKey: siteSortKey(site.url),
    name: String(site.name ?? "").toLowerCase(),
    url: String(site.url ?? "").toLowerCase(),
    hasUpdate: hasAvailableUpdate(sync),
    source,
  };
}

/**
 * The current fleet snapshot: one KV read of the fleet revision; a rebuild only when it changed.
 *
 * @example
 * ```ts
 * const snap = await fleetSnapshot(ctx.kv);
 * snap.listed.length;
 * ```
 */
export async function fleetSnapshot(kv: Deno.Kv): Promise<FleetSnapshot> {
  let state = caches.get(kv);
  if (!state) {
    state = {};
    caches.set(kv, state);
  }
  const { versionstamp: stamp } = await kv.get(FLEET_REV);
  if (state.snap && state.snap.stamp === stamp) return state.snap;
  if (state.pending && state.pending.stamp === stamp) return await state.pending.promise;
  const promise = buildFleetSnapshot(kv, stamp, state.snap);
  const pending = { stamp, promise };
  state.pending = pending;
  try {
    const snap = await promise;
    if (!state.snap || compareStamps(snap.stamp, state.snap.stamp) >= 0) state.snap = snap;
    return snap;
  } finally {
    if (state.pending === pending) state.pending = undefined;
  }
}

/**
 * The listed (non-staging) site records in listing order, without the sync data: from the cached
 * snapshot when it is current, else from the records alone — what bulk operations need, without
 * parsing every site's sync data first.
 *
 * @example
 * ```ts
 * (await listedSiteRecords(kv)).map((s) => s.id);
 * ```
 */
export async function listedSiteRecords(kv: Deno.Kv): Promise<SiteRecord[]> {
  const state = caches.get(kv);
  if (state?.snap) {
    const { versionstamp } = await kv.get(FLEET_REV);
    if (state.snap.stamp === versionstamp) return state.snap.listed.map((e) => e.site);
  }
  const sites = (await listSiteEntries(kv)).map((e) => e.site).filter((s) => !s.is_staging);
  const keyed = sites.map((site) => ({ site, key: siteSortKey(site.url) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.site.id - b.site.id));
  return keyed.map((k) => k.site);
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

/** Whether a stored JSON column holds at least one entry (`""`, `"[]"`, `"{}"`, `"null"` are empty). */
function hasEntries(json: string | undefined): boolean {
  if (!json) return false;
  const t = json.trim();
  return t !== "" && t !== "[]" && t !== "{}" && t !== "null" && t !== '""';
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
  if (q.include.length > 0) {
    list = q.include.flatMap((id) => (snap.rank.has(id) ? [snap.byId.get(id)!] : []));
    list = [...list].sort((a, b) => snap.rank.get(a.site.id)! - snap.rank.get(b.site.id)!);
  }
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
export function entriesByIds(snap: FleetSnapshot, ids: Iterable<number>): SiteEntry[] {
  const out: SiteEntry[] = [];
  for (const id of new Set(ids)) if (snap.rank.has(id)) out.push(snap.byId.get(id)!);
  return out.sort((a, b) => snap.rank.get(a.site.id)! - snap.rank.get(b.site.id)!);
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
