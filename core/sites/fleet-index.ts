/**
 * @module
 * The fleet index: every site's listing row (`store/site-rows.ts`: id, name, URL, status columns, client,
 * tags, update counts — never keys, never sync data) in listing order, and the tags, kept per process
 * and per KV handle and brought up to date by what changed.
 *
 * Freshness: each read takes the fleet revision key `["rev","fleet"]` (ONE KV read). When its versionstamp
 * is the index's, nothing changed in any process. Otherwise one refresh runs (concurrent readers await
 * the same one): it lists the change marks (one small read of 257 entries) and reads again only the
 * rows of the buckets whose mark is newer than the index (a few dozen rows), and the tags when theirs
 * is. Only a cold start — or a refresh finding more than a quarter of the buckets changed — lists every
 * row (≈ 300 bytes each). Sites' sync data is never read here.
 *
 * @example
 * ```ts
 * const snap = await fleetSnapshot(kv);
 * snap.listed.length;
 * ```
 */
import { FLEET_REV } from "../../store/keys.ts";
import {
  listBucketRows,
  listFleetMarks,
  listSiteRows,
  ROW_BUCKETS,
  rowBucket,
  type SiteRow,
  type StampedRow,
} from "../../store/site-rows.ts";
import { listTags, type TagRecord } from "../../store/tags.ts";

export type { SiteRow, UpdateCounts } from "../../store/site-rows.ts";

/** One site in the index. Immutable: replaced whenever its row changes (a new `stamp`). */
export interface SiteEntry {
  /** The listing row (record columns under their record names, plus `updates`). */
  site: SiteRow;
  /** Listing order key: URL without scheme and `www.`, lower case. */
  sortKey: string;
  /** Lower-cased name and URL for `search`. */
  name: string;
  url: string;
  /** Any update pending (status `available_update`). */
  hasUpdate: boolean;
  /** Versionstamp of the row: changes with every write of the site's record or sync data. */
  stamp: string;
}

/** The fleet as one request sees it. */
export interface FleetSnapshot {
  /** Versionstamp of the fleet revision this snapshot is at least as new as (`null`: never written). */
  stamp: string | null;
  /** Every site (staging included) by id. Shared by the snapshots of one index: entries may be newer. */
  byId: ReadonlyMap<number, SiteEntry>;
  /** Non-staging sites in listing order (this snapshot's own array). */
  listed: readonly SiteEntry[];
  tags: ReadonlyMap<number, TagRecord>;
  /** Tag id → name. */
  tagNames: ReadonlyMap<number, string>;
  /** Tags ordered by name (case-insensitive), then id. */
  tagsByName: readonly TagRecord[];
}

interface IndexState {
  snap?: FleetSnapshot;
  /** The live map behind every snapshot's `byId`. */
  byId: Map<number, SiteEntry>;
  refreshing?: Promise<void>;
  /** Full reloads so far (tests and the benchmark read it). */
  fullLoads: number;
  /** Incremental refreshes so far. */
  refreshes: number;
}

const states = new WeakMap<Deno.Kv, IndexState>();

function stateOf(kv: Deno.Kv): IndexState {
  let state = states.get(kv);
  if (!state) states.set(kv, state = { byId: new Map(), fullLoads: 0, refreshes: 0 });
  return state;
}

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

/**
 * Listing order: sort key, then id.
 *
 * @example
 * ```ts
 * entries.sort(compareEntries);
 * ```
 */
export function compareEntries(a: SiteEntry, b: SiteEntry): number {
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.site.id - b.site.id;
}

function entryOf({ row, stamp }: StampedRow): SiteEntry {
  return {
    site: row,
    sortKey: siteSortKey(String(row.url ?? "")),
    name: String(row.name ?? "").toLowerCase(),
    url: String(row.url ?? "").toLowerCase(),
    hasUpdate: row.updates.any,
    stamp,
  };
}

/** `a` is older than `b` (`null` = before any write). */
function older(a: string | null, b: string | null): boolean {
  return b !== null && (a === null || a < b);
}

function tagViews(tags: TagRecord[]): Pick<FleetSnapshot, "tags" | "tagNames" | "tagsByName"> {
  const byId = new Map<number, TagRecord>();
  const names = new Map<number, string>();
  for (const tag of tags) {
    byId.set(tag.id, tag);
    names.set(tag.id, tag.name);
  }
  const tagsByName = [...tags].sort((a, b) => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.id - b.id;
  });
  return { tags: byId, tagNames: names, tagsByName };
}

/** Position of `entry` (by sort key and id) in a sorted list: where it is, or where it would go. */
function positionOf(list: readonly SiteEntry[], entry: SiteEntry): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareEntries(list[mid], entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function fullLoad(kv: Deno.Kv, state: IndexState, stamp: string | null): Promise<void> {
  const [rows, tags] = await Promise.all([listSiteRows(kv), listTags(kv)]);
  const byId = new Map<number, SiteEntry>();
  const listed: SiteEntry[] = [];
  for (const stamped of rows) {
    const old = state.byId.get(stamped.row.id);
    const entry = old && old.stamp === stamped.stamp ? old : entryOf(stamped);
    byId.set(entry.site.id, entry);
    if (!entry.site.is_staging) listed.push(entry);
  }
  listed.sort(compareEntries);
  state.byId = byId;
  state.fullLoads++;
  state.snap = { stamp, byId, listed, ...tagViews(tags) };
}

/** Applies the rows of changed buckets to the live map and a copy of the listing. */
function applyBuckets(
  state: IndexState,
  previous: FleetSnapshot,
  buckets: readonly number[],
  rows: readonly StampedRow[][],
): SiteEntry[] {
  let listed: SiteEntry[] | null = null;
  const edit = () => listed ??= [...previous.listed];
  const remove = (entry: SiteEntry) => {
    if (entry.site.is_staging) return;
    const list = edit();
    const at = positionOf(list, entry);
    if (list[at] === entry) list.splice(at, 1);
  };
  const seen = new Set<number>();
  for (const list of rows) {
    for (const stamped of list) {
      const id = stamped.row.id;
      seen.add(id);
      const old = state.byId.get(id);
      if (old && old.stamp === stamped.stamp) continue;
      const entry = entryOf(stamped);
      state.byId.set(id, entry);
      if (old && !old.site.is_staging && !entry.site.is_staging && old.sortKey === entry.sortKey) {
        const list = edit();
        const at = positionOf(list, old);
        if (list[at] === old) {
          list[at] = entry;
          continue;
        }
      }
      if (old) remove(old);
      if (!entry.site.is_staging) {
        const list = edit();
        list.splice(positionOf(list, entry), 0, entry);
      }
    }
  }
  // Sites of the changed buckets that no longer have a row were deleted (one pass for all buckets).
  const changed = new Set(buckets);
  for (const [id, old] of state.byId) {
    if (!changed.has(rowBucket(id)) || seen.has(id)) continue;
    state.byId.delete(id);
    remove(old);
  }
  return listed ?? previous.listed as SiteEntry[];
}

async function refresh(kv: Deno.Kv, state: IndexState): Promise<void> {
  const { versionstamp: stamp } = await kv.get(FLEET_REV);
  const previous = state.snap;
  if (previous && !older(previous.stamp, stamp)) return;
  if (!previous || previous.stamp === null) return await fullLoad(kv, state, stamp);
  const marks = await listFleetMarks(kv);
  const buckets: number[] = [];
  let tagsChanged = false;
  for (const [which, markStamp] of marks) {
    if (markStamp <= previous.stamp) continue;
    if (which === "tags") tagsChanged = true;
    else buckets.push(which);
  }
  // Fallen far behind (or a fleet-wide change): reading every row is then the cheaper way.
  if (buckets.length > ROW_BUCKETS / 4) return await fullLoad(kv, state, stamp);
  const [rows, tags] = await Promise.all([
    Promise.all(buckets.map((b) => listBucketRows(kv, b))),
    tagsChanged ? listTags(kv) : null,
  ]);
  const listed = applyBuckets(state, previous, buckets, rows);
  state.refreshes++;
  state.snap = {
    stamp,
    byId: state.byId,
    listed,
    ...(tags
      ? tagViews(tags)
      : { tags: previous.tags, tagNames: previous.tagNames, tagsByName: previous.tagsByName }),
  };
}

/**
 * The current fleet snapshot: one KV read of the fleet revision; a refresh of what changed when it moved
 * (one at a time per process; concurrent readers share it). The same object while nothing changes.
 *
 * @example
 * ```ts
 * const snap = await fleetSnapshot(ctx.kv);
 * snap.listed.length;
 * ```
 */
export async function fleetSnapshot(kv: Deno.Kv): Promise<FleetSnapshot> {
  const state = stateOf(kv);
  const { versionstamp } = await kv.get(FLEET_REV);
  // A refresh that was already running may have read the revision before ours: then one more.
  for (let round = 0; round < 3; round++) {
    if (state.snap && !older(state.snap.stamp, versionstamp)) return state.snap;
    state.refreshing ??= refresh(kv, state).finally(() => state.refreshing = undefined);
    await state.refreshing;
  }
  return state.snap!;
}

/**
 * How the index of a KV handle was maintained so far: full reloads (cold start, fallen behind) and
 * incremental refreshes.
 *
 * @example
 * ```ts
 * fleetIndexStats(kv).fullLoads; // 1
 * ```
 */
export function fleetIndexStats(kv: Deno.Kv): { fullLoads: number; refreshes: number; sites: number } {
  const state = stateOf(kv);
  return { fullLoads: state.fullLoads, refreshes: state.refreshes, sites: state.byId.size };
}
