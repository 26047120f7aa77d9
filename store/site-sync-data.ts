/**
 * @module
 * A site's stored sync data (what the child reports on sync: site_info, plugins, themes, upgrades…). It
 * can be far larger than one KV value (64 KiB), so it is kept as JSON split into chunks under
 * `["site_sync", siteId, n]`; every chunk of one write carries the same `stamp`, so a reader can tell a
 * complete set from a torn one. Writes go with their site record's change in one commit, and writes that
 * arrive together share commits (`commit-scheduler.ts`).
 *
 * @example
 * ```ts
 * await writeSiteSync(kv, 3, { dbsize: 10 }, (s) => ({ ...s, dtsSync: 1700000000 }));
 * (await getSiteSync(kv, 3))?.dbsize; // 10
 * ```
 */
import { keys } from "./keys.ts";
import { bumpFleetRev } from "./kv.ts";
import { CommitScheduler, type PreparedWrite } from "./commit-scheduler.ts";
import type { SiteRecord } from "./sites.ts";
import { setSiteRow, updateCountsOf } from "./site-rows.ts";

/** What a sync stores about a site beyond its record (MainWP's wp_sync columns and site options). */
export interface SiteSyncData {
  /** MainWP's `site_info` option: `wpversion`, `phpversion`, `child_version`, `mysql_version`, `memory_limit`, `ip`… */
  site_info?: Record<string, unknown>;
  /** Child plugin version. */
  version?: string;
  /** Database size in bytes. */
  dbsize?: number;
  totalsize?: number;
  /** Last post, unix seconds. */
  last_post_gmt?: number;
  /** JSON-encoded strings, exactly as MainWP stores these columns (`""` = none). */
  plugins?: string;
  themes?: string;
  recent_posts?: string;
  recent_pages?: string;
  recent_comments?: string;
  categories?: string;
  wp_upgrades?: string;
  plugin_upgrades?: string;
  premium_upgrades?: string;
  theme_upgrades?: string;
  translation_upgrades?: string;
  ignored_plugins?: string;
  ignored_themes?: string;
  /** Other site options (e.g. `plugins_outdate_info`), raw strings by name. */
  options?: Record<string, string>;
}

/** The sync-data columns MainWP stores as JSON-encoded strings. */
export const SYNC_JSON_COLUMNS = [
  "plugins",
  "themes",
  "recent_posts",
  "recent_pages",
  "recent_comments",
  "categories",
  "wp_upgrades",
  "plugin_upgrades",
  "premium_upgrades",
  "theme_upgrades",
  "translation_upgrades",
] as const;

/** One stored piece of a site's sync data. */
export interface SiteSyncChunk {
  /** Identifies one write; all chunks of a complete set share it. */
  stamp: string;
  /** How many chunks the write has. */
  count: number;
  part: string;
}

/** Characters per chunk: 30,000 UTF-16 units stay below 64 KiB even when stored two bytes each. */
export const SYNC_CHUNK_CHARS = 30_000;

/**
 * Splits sync data into chunks.
 *
 * @example
 * ```ts
 * splitSiteSync({ dbsize: 10 }, "s1"); // [{ stamp: "s1", count: 1, part: '{"dbsize":10}' }]
 * ```
 */
export function splitSiteSync(data: SiteSyncData, stamp: string = crypto.randomUUID()): SiteSyncChunk[] {
  const json = JSON.stringify(data);
  const count = Math.max(1, Math.ceil(json.length / SYNC_CHUNK_CHARS));
  const chunks: SiteSyncChunk[] = [];
  for (let i = 0; i < count; i++) {
    chunks.push({ stamp, count, part: json.slice(i * SYNC_CHUNK_CHARS, (i + 1) * SYNC_CHUNK_CHARS) });
  }
  return chunks;
}

/**
 * Joins chunks (in order) back into sync data; `undefined` when the set is torn or incomplete.
 *
 * @example
 * ```ts
 * joinSiteSync(splitSiteSync({ dbsize: 10 })); // { dbsize: 10 }
 * ```
 */
export function joinSiteSync(chunks: readonly (SiteSyncChunk | null)[]): SiteSyncData | undefined {
  const first = chunks[0];
  if (!first || chunks.length !== first.count) return undefined;
  if (chunks.some((c) => !c || c.stamp !== first.stamp || c.count !== first.count)) return undefined;
  try {
    return JSON.parse(chunks.map((c) => c!.part).join("")) as SiteSyncData;
  } catch {
    return undefined;
  }
}

/** The stored chunks of a site's sync data, in order, from one consistent read. */
export async function readSyncChunkEntries(kv: Deno.Kv, id: number): Promise<Deno.KvEntry<SiteSyncChunk>[]> {
  const out: Deno.KvEntry<SiteSyncChunk>[] = [];
  // One batch (≤ 1,000 entries) is one consistent snapshot read.
  const iter = kv.list<SiteSyncChunk>({ prefix: keys.siteSync(id) }, { batchSize: 1000 });
  for await (const entry of iter) out.push(entry);
  return out;
}

/**
 * A site's stored sync data, or `null` when it was never synced.
 *
 * @example
 * ```ts
 * const sync = await getSiteSync(kv, 3);
 * ```
 */
export async function getSiteSync(kv: Deno.Kv, id: number): Promise<SiteSyncData | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const entries = await readSyncChunkEntries(kv, id);
    if (entries.length === 0) return null;
    const data = joinSiteSync(entries.map((e) => e.value));
    if (data) return data;
  }
  return null;
}

type SyncDataInput = SiteSyncData | ((previous: SiteSyncData | null) => SiteSyncData);

/** One sync-data write: the site, its data (or a merge) and the change to its record. */
interface SyncWrite {
  id: number;
  data: SyncDataInput;
  change: (site: SiteRecord) => SiteRecord;
}

/** Reads the site and its chunks and prepares the write; `null` when the site does not exist. */
async function prepareSyncWrite(kv: Deno.Kv, write: SyncWrite): Promise<PreparedWrite<SiteRecord> | null> {
  const { id, data, change } = write;
  const [site, existing] = await Promise.all([
    kv.get<SiteRecord>(keys.site(id)),
    readSyncChunkEntries(kv, id),
  ]);
  if (!site.value) return null;
  // A merge sees the data as stored in this attempt; the chunk-0 check below makes a racing write retry it.
  const previous = typeof data === "function" ? joinSiteSync(existing.map((e) => e.value)) ?? null : null;
  const stored = typeof data === "function" ? data(previous) : data;
  const chunks = splitSiteSync(stored);
  const updates = updateCountsOf(stored);
  // Data equal to what is stored is not written again (the usual case for a sync): only the record changes.
  const unchanged = existing.length === chunks.length &&
    chunks.every((c, n) => c.part === existing[n].value.part);
  // Only record columns change here: URL, client and tags (and so the indexes) stay as they are.
  const next = {
    ...change(site.value),
    id,
    url: site.value.url,
    client_id: site.value.client_id,
    tag_ids: site.value.tag_ids,
  };
  return {
    result: next,
    // Two checks per write: the scheduler's 40 writes per commit stay within the local backend's 100.
    bytes: 2 * (unchanged ? 0 : chunks.reduce((n, c) => n + c.part.length + 64, 0)) + 4096,
    apply(op) {
      op.check(site).check({
        key: keys.siteSyncChunk(id, 0),
        versionstamp: existing[0]?.versionstamp ?? null,
      });
      if (!unchanged) {
        for (const entry of existing) {
          if ((entry.key[2] as number) >= chunks.length) op.delete(entry.key);
        }
        chunks.forEach((chunk, n) => op.set(keys.siteSyncChunk(id, n), chunk));
      }
      op.set(keys.site(id), next);
      setSiteRow(op, next, updates);
    },
  };
}

/** Sync writes of one turn: 40 sites per commit (4 over KV Connect's 10 checks), below 600 KB each. */
const syncWrites = new CommitScheduler<SyncWrite, SiteRecord>({
  prepare: prepareSyncWrite,
  identity: (write) => write.id,
  finish: bumpFleetRev,
  maxWrites: 40,
  maxWritesRemote: 4,
  maxBytes: 600_000,
});

/**
 * Stores a site's sync data — given, or computed from the stored data by a function — and, in the same
 * commit, applies `change` to its record (e.g. the sync time and cleared errors), so data and record
 * always agree. Returns the new record, or `null` when the site does not exist.
 *
 * Writes that arrive together (a bulk sync) share commits: each site's versions are still checked, and
 * a shared commit that meets a conflict is redone site by site, so no update is lost. One commit per
 * 40 sites instead of one per site is most of the store's cost in a 1,000-site sync.
 *
 * @example
 * ```ts
 * await writeSiteSync(kv, 3, data, (s) => ({ ...s, dtsSync: now, sync_errors: "" }));
 * ```
 */
export function writeSiteSync(
  kv: Deno.Kv,
  id: number,
  data: SyncDataInput,
  change: (site: SiteRecord) => SiteRecord = (site) => site,
): Promise<SiteRecord | null> {
  return syncWrites.submit(kv, { id, data, change });
}
