/**
 * @module
 * Listing rows: one small record per site with what listings filter, sort and count on (no keys, no sync
 * data), under `["site_rows", bucket, id]`. Every write of a site record or its sync data sets the row in
 * the same atomic commit and touches its bucket's mark `["fleet_marks", bucket]` (tag writes touch
 * `["fleet_marks", "tags"]`), so a reader that kept the versionstamp of its last refresh lists the marks,
 * and reads again only the buckets whose mark is newer: what changed since, never the whole fleet.
 *
 * @example
 * ```ts
 * const op = kv.atomic();
 * setSiteRow(op, site, updateCountsOf(sync));
 * await op.commit();
 * ```
 */
import { keys } from "./keys.ts";
import { atomicRetry } from "./kv.ts";
import { mapConcurrent } from "../lib/concurrency.ts";
import type { SiteRecord } from "./sites.ts";
import { getSiteSync, readSyncChunkEntries, type SiteSyncData } from "./site-sync-data.ts";

/** Buckets of the change marks: a refresh reads the rows of the buckets that changed. */
export const ROW_BUCKETS = 256;

/** Pending updates by kind, as counted from the stored sync data. */
export interface UpdateCounts {
  wp: number;
  plugins: number;
  themes: number;
  translations: number;
  premium: number;
  /** Any kind holds an entry (status `available_update`; counts alone miss non-list JSON). */
  any: boolean;
}

/** The record columns a listing needs. */
export type SiteRowColumns = Pick<
  SiteRecord,
  | "id"
  | "name"
  | "url"
  | "client_id"
  | "tag_ids"
  | "is_staging"
  | "suspended"
  | "sync_errors"
  | "offline_check_result"
>;

/** One site's listing row. */
export interface SiteRow extends SiteRowColumns {
  updates: UpdateCounts;
}

/** No sync data: nothing pending. */
export const NO_UPDATES: UpdateCounts = {
  wp: 0,
  plugins: 0,
  themes: 0,
  translations: 0,
  premium: 0,
  any: false,
};

/** Whether a stored JSON column holds at least one entry (`""`, `"[]"`, `"{}"`, `"null"` are empty). */
export function hasEntries(json: string | undefined): boolean {
  if (!json) return false;
  const t = json.trim();
  return t !== "" && t !== "[]" && t !== "{}" && t !== "null" && t !== '""';
}

/**
 * Entries of a stored JSON column (list length or object keys; 0 when empty or not JSON).
 *
 * @example
 * ```ts
 * countEntries('{"a":{},"b":{}}'); // 2
 * ```
 */
export function countEntries(json: string | undefined): number {
  if (!hasEntries(json)) return 0;
  try {
    const v = JSON.parse(json!);
    return Array.isArray(v) ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0;
  } catch {
    return 0;
  }
}

/**
 * The update counts of stored sync data.
 *
 * @example
 * ```ts
 * updateCountsOf({ plugin_upgrades: '{"a/a.php":{}}' }).plugins; // 1
 * ```
 */
export function updateCountsOf(sync: SiteSyncData | null): UpdateCounts {
  if (!sync) return NO_UPDATES;
  return {
    wp: countEntries(sync.wp_upgrades),
    plugins: countEntries(sync.plugin_upgrades),
    themes: countEntries(sync.theme_upgrades),
    translations: countEntries(sync.translation_upgrades),
    premium: countEntries(sync.premium_upgrades),
    any: hasEntries(sync.wp_upgrades) || hasEntries(sync.plugin_upgrades) ||
      hasEntries(sync.theme_upgrades) || hasEntries(sync.translation_upgrades) ||
      hasEntries(sync.premium_upgrades),
  };
}

/**
 * A site's row from its record and update counts.
 *
 * @example
 * ```ts
 * siteRowOf(site, NO_UPDATES).url;
 * ```
 */
export function siteRowOf(site: SiteRecord, updates: UpdateCounts): SiteRow {
  return {
    id: site.id,
    name: site.name,
    url: site.url,
    client_id: site.client_id,
    tag_ids: site.tag_ids,
    is_staging: site.is_staging,
    suspended: site.suspended,
    sync_errors: site.sync_errors,
    offline_check_result: site.offline_check_result,
    updates,
  };
}

/** The bucket of a site. */
export const rowBucket = (id: number): number => id % ROW_BUCKETS;
/** Key of a site's row. */
export const rowKey = (id: number): Deno.KvKey => ["site_rows", rowBucket(id), id];
/** Prefix of every row. */
export const ROWS_PREFIX: Deno.KvKey = ["site_rows"];
/** Prefix of the change marks. */
export const MARKS_PREFIX: Deno.KvKey = ["fleet_marks"];
/** Mark of the tags (names shown in views). */
export const TAGS_MARK: Deno.KvKey = ["fleet_marks", "tags"];
/** Set once every site has a row (`ensureSiteRows`). */
const ROWS_BUILT: Deno.KvKey = ["meta", "site_rows_v1"];

/** Marks already added to an operation (one mutation per key and commit). */
const marked = new WeakMap<Deno.AtomicOperation, Set<number | string>>();

function mark(op: Deno.AtomicOperation, which: number | "tags"): void {
  let set = marked.get(op);
  if (!set) marked.set(op, set = new Set());
  if (set.has(which)) return;
  set.add(which);
  op.set(which === "tags" ? TAGS_MARK : [...MARKS_PREFIX, which], true);
}

/**
 * Adds a site's row (and its bucket's mark) to `op`.
 *
 * @example
 * ```ts
 * setSiteRow(op, next, previousRow?.updates ?? NO_UPDATES);
 * ```
 */
export function setSiteRow(op: Deno.AtomicOperation, site: SiteRecord, updates: UpdateCounts): void {
  op.set(rowKey(site.id), siteRowOf(site, updates));
  mark(op, rowBucket(site.id));
}

/**
 * Adds the removal of a site's row (and its bucket's mark) to `op`.
 *
 * @example
 * ```ts
 * deleteSiteRow(op, 3);
 * ```
 */
export function deleteSiteRow(op: Deno.AtomicOperation, id: number): void {
  op.delete(rowKey(id));
  mark(op, rowBucket(id));
}

/**
 * Adds the tags mark to `op` (a tag was created, renamed or deleted).
 *
 * @example
 * ```ts
 * markTagsChanged(op);
 * ```
 */
export function markTagsChanged(op: Deno.AtomicOperation): void {
  mark(op, "tags");
}

/**
 * The update counts a record-only write keeps: those of the row read with the record (`getMany`, one
 * consistent read), or, for a site without a row yet, computed from its stored sync data — then the
 * row's absence is checked in `op`, so a sync writing it meanwhile makes the write retry.
 *
 * @example
 * ```ts
 * const updates = await keptUpdates(kv, op, rowEntry);
 * ```
 */
export async function keptUpdates(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  row: Deno.KvEntryMaybe<SiteRow>,
  id: number,
): Promise<UpdateCounts> {
  if (row.value) return row.value.updates;
  op.check(row);
  return updateCountsOf(await getSiteSync(kv, id));
}

/** A row with the versionstamp of the commit that wrote it. */
export interface StampedRow {
  row: SiteRow;
  stamp: string;
}

async function listRows(kv: Deno.Kv, prefix: Deno.KvKey): Promise<StampedRow[]> {
  const out: StampedRow[] = [];
  for await (const e of kv.list<SiteRow>({ prefix }, { batchSize: 1000 })) {
    out.push({ row: e.value, stamp: e.versionstamp });
  }
  return out;
}

/**
 * Every row (a full reload: rows only, never sync data).
 *
 * @example
 * ```ts
 * (await listSiteRows(kv)).length;
 * ```
 */
export function listSiteRows(kv: Deno.Kv): Promise<StampedRow[]> {
  return listRows(kv, ROWS_PREFIX);
}

/**
 * The rows of one bucket.
 *
 * @example
 * ```ts
 * await listBucketRows(kv, 3);
 * ```
 */
export function listBucketRows(kv: Deno.Kv, bucket: number): Promise<StampedRow[]> {
  return listRows(kv, [...ROWS_PREFIX, bucket]);
}

/** The change marks: bucket (or `"tags"`) → versionstamp of its last change. */
export async function listFleetMarks(kv: Deno.Kv): Promise<Map<number | "tags", string>> {
  const out = new Map<number | "tags", string>();
  // ROW_BUCKETS + 1 entries: one batch, one consistent read.
  for await (const e of kv.list({ prefix: MARKS_PREFIX }, { batchSize: ROW_BUCKETS + 10 })) {
    const which = e.key[1];
    if (typeof which === "number") out.set(which, e.versionstamp);
    else if (which === "tags") out.set("tags", e.versionstamp);
  }
  return out;
}

/**
 * Writes the row of every site that has none (a store written before rows existed), a few sites at a
 * time (each one's sync data read on its own), each checked against its record and sync data; then
 * records that it is done, so later starts skip it.
 *
 * @example
 * ```ts
 * await ensureSiteRows(kv); // at startup
 * ```
 */
export async function ensureSiteRows(kv: Deno.Kv): Promise<number> {
  if ((await kv.get(ROWS_BUILT)).value) return 0;
  // Site ids from the domain index (small entries, not the records), minus those that have a row.
  const ids = new Set<number>();
  for await (const e of kv.list<number>({ prefix: keys.siteByDomain("").slice(0, 2) }, { batchSize: 1000 })) {
    if (typeof e.value === "number") ids.add(e.value);
  }
  for await (const e of kv.list({ prefix: ROWS_PREFIX }, { batchSize: 1000 })) ids.delete(e.key[2] as number);
  // A few sites at a time: each reads one site's sync data, never more.
  const done = await mapConcurrent([...ids], 8, (id): Promise<number> =>
    atomicRetry(kv, async (op) => {
      const [site, row] = await kv.getMany<[SiteRecord, SiteRow]>([keys.site(id), rowKey(id)]);
      if (!site.value || row.value) return 0;
      const chunks = await readSyncChunkEntries(kv, id);
      const sync = await getSiteSync(kv, id);
      op.check(site, row, { key: keys.siteSyncChunk(id, 0), versionstamp: chunks[0]?.versionstamp ?? null });
      setSiteRow(op, site.value, updateCountsOf(sync));
      return 1;
    }));
  const written = done.reduce((n, d) => n + d, 0);
  await kv.set(ROWS_BUILT, true);
  return written;
}

/** A site's record and sync data as of one row version. */
export interface SiteState {
  site: SiteRecord;
  sync: SiteSyncData | null;
  /** Versionstamp of the site's row when both were read (`null`: the site has no row yet). */
  stamp: string | null;
}

/**
 * One site's record and sync data, read so that they belong to the row version `stamp` (the row is read
 * again after the sync data; a write in between makes it read again, a few times at most). `null` when
 * the site does not exist.
 *
 * @example
 * ```ts
 * const state = await readSiteState(kv, 3);
 * ```
 */
export async function readSiteState(kv: Deno.Kv, id: number): Promise<SiteState | null> {
  let state: SiteState | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const [site, row] = await kv.getMany<[SiteRecord, SiteRow]>([keys.site(id), rowKey(id)]);
    if (!site.value) return null;
    const sync = await getSiteSync(kv, id);
    state = { site: site.value, sync, stamp: row.versionstamp };
    const again = await kv.get(rowKey(id));
    if (again.versionstamp === row.versionstamp) return state;
  }
  return state;
}
