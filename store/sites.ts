/**
 * @module
 * Site records on Deno KV. A record carries its own `client_id` and `tag_ids`, so one version check on
 * the record covers its links; every write moves the secondary indexes (domain, client→sites,
 * tag↔sites) in the same atomic commit and bumps the fleet revision.
 *
 * @example
 * ```ts
 * const result = await createSite(kv, { url: "https://shop.example/", name: "Shop" });
 * if ("site" in result) console.log(result.site.id);
 * ```
 */
import { keys } from "./keys.ts";
import { allocateId, atomicRetry, bumpFleetRev, getManyChunked, isDatabaseLocked, listValues } from "./kv.ts";
import { dropLegacyIndex, indexedSiteId, siteIdentity } from "./site-identity.ts";
import { assertFitsKey, fitsKey } from "../lib/limits.ts";

/** A managed site, with MainWP's column names where a column exists. */
export interface SiteRecord {
  id: number;
  /** Owner (WordPress user id). */
  userid: number;
  name: string;
  /** Site URL with a trailing `/`. */
  url: string;
  /** Child-site administrator user name. */
  adminname: string;
  /** PEM public key, and the private key encrypted at rest (child connector). */
  pubkey: string;
  privkey: string;
  uniqueId: string;
  http_user: string;
  http_pass: string;
  client_id: number;
  tag_ids: number[];
  is_staging: number;
  note: string;
  ip: string;
  verify_certificate: number;
  force_use_ipv4: number;
  ssl_version: number;
  suspended: number;
  automatic_update: number;
  backup_before_upgrade: number;
  disable_health_check: number;
  health_threshold: number;
  is_ignoreCoreUpdates: number;
  is_ignorePluginUpdates: number;
  is_ignoreThemeUpdates: number;
  monitoring_notification_emails: string;
  sync_errors: string;
  /** Last HTTP status from a check (0 = never). */
  http_response_code: number;
  offline_check_result: number;
  /** Last uptime check, unix seconds (absent = never). */
  offline_checks_last?: number;
  health_status: number;
  health_value: string;
  /** Last sync, unix seconds (0 = never). */
  dtsSync: number;
  /** Per-site ignored updates, JSON maps `{slug: {Name, ignored_versions}}` (`""` = none). */
  ignored_plugins?: string;
  ignored_themes?: string;
  /** Added, unix seconds. */
  added: number;
}

/** Fields a caller may give when creating a site; everything else gets MainWP's defaults. */
export type NewSite = Partial<Omit<SiteRecord, "id">> & { url: string };

/**
 * The lookup form of a site address (see `site-identity.ts`): lower case, no scheme, no `www.`, no
 * default port, no trailing `/`, no query; literal IPs canonical.
 *
 * @example
 * ```ts
 * normalizeDomain("https://www.Example.com/blog/"); // "example.com/blog"
 * normalizeDomain("http://127.1:8080/site-1/?x=1"); // "127.0.0.1:8080/site-1"
 * ```
 */
export function normalizeDomain(urlOrDomain: string): string {
  return siteIdentity(urlOrDomain);
}

/**
 * A URL as MainWP stores it: with a scheme (`https://` assumed) and exactly one trailing `/`.
 *
 * @example
 * ```ts
 * normalizeSiteUrl("shop.example"); // "https://shop.example/"
 * ```
 */
export function normalizeSiteUrl(url: string): string {
  const trimmed = url.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  return withScheme.replace(/\/+$/, "") + "/";
}

/** A new record with MainWP's defaults. */
export function defaultSite(id: number, input: NewSite): SiteRecord {
  const url = normalizeSiteUrl(input.url);
  return {
    userid: 1,
    name: url.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, ""),
    adminname: "",
    pubkey: "",
    privkey: "",
    uniqueId: "",
    http_user: "",
    http_pass: "",
    client_id: 0,
    is_staging: 0,
    note: "",
    ip: "",
    verify_certificate: 1,
    force_use_ipv4: 0,
    ssl_version: 0,
    suspended: 0,
    automatic_update: 0,
    backup_before_upgrade: 2,
    disable_health_check: 0,
    health_threshold: 80,
    is_ignoreCoreUpdates: 0,
    is_ignorePluginUpdates: 0,
    is_ignoreThemeUpdates: 0,
    monitoring_notification_emails: "",
    sync_errors: "",
    http_response_code: 0,
    offline_check_result: 0,
    health_status: 0,
    health_value: "",
    dtsSync: 0,
    added: Math.floor(Date.now() / 1000),
    ...input,
    id,
    url,
    tag_ids: [...new Set(input.tag_ids ?? [])],
  };
}

function setIndexes(op: Deno.AtomicOperation, site: SiteRecord): void {
  op.set(keys.siteByDomain(normalizeDomain(site.url)), site.id);
  if (site.client_id > 0) op.set(keys.clientSite(site.client_id, site.id), true);
  for (const tagId of site.tag_ids) {
    op.set(keys.siteTag(site.id, tagId), true).set(keys.tagSite(tagId, site.id), true);
  }
}

function deleteIndexes(op: Deno.AtomicOperation, site: SiteRecord): void {
  op.delete(keys.siteByDomain(normalizeDomain(site.url)));
  if (site.client_id > 0) op.delete(keys.clientSite(site.client_id, site.id));
  for (const tagId of site.tag_ids) {
    op.delete(keys.siteTag(site.id, tagId)).delete(keys.tagSite(tagId, site.id));
  }
}

/**
 * Creates a site with a new id; refuses an address that is already managed (`found_id`).
 *
 * @example
 * ```ts
 * await createSite(kv, { url: "https://a.example", client_id: 2, tag_ids: [4] });
 * ```
 */
export async function createSite(
  kv: Deno.Kv,
  input: NewSite,
): Promise<{ site: SiteRecord } | { found_id: number }> {
  const domain = normalizeDomain(normalizeSiteUrl(input.url));
  assertFitsKey(domain, "url");
  return await atomicRetry(kv, async (op) => {
    const existing = await indexedSiteId(kv, normalizeSiteUrl(input.url));
    if (existing.id !== null) return { found_id: existing.id };
    const id = await allocateId(kv, op, "sites");
    const site = defaultSite(id, input);
    op.check(existing.entry).set(keys.site(id), site);
    setIndexes(op, site);
    bumpFleetRev(op);
    return { site };
  });
}

/** One site, or `null`. */
export async function getSite(kv: Deno.Kv, id: number): Promise<SiteRecord | null> {
  return (await kv.get<SiteRecord>(keys.site(id))).value;
}

/** Sites by id, in the given order, skipping missing ones. */
export async function getSites(kv: Deno.Kv, ids: number[]): Promise<SiteRecord[]> {
  const entries = await getManyChunked<SiteRecord>(kv, ids.map(keys.site));
  return entries.flatMap((e) => (e.value ? [e.value] : []));
}

/** Every site, in id order. */
export async function listSites(kv: Deno.Kv): Promise<SiteRecord[]> {
  return await listValues<SiteRecord>(kv, keys.sites());
}

/**
 * Finds a site by domain or URL, ignoring scheme, `www.` and a trailing `/`.
 *
 * @example
 * ```ts
 * await findSiteByDomain(kv, "example.com"); // matches https://www.example.com/
 * ```
 */
export async function findSiteByDomain(kv: Deno.Kv, domain: string): Promise<SiteRecord | null> {
  // Longer than any key a site could have been stored under: no such site.
  if (!fitsKey(normalizeDomain(domain))) return null;
  const { id } = await indexedSiteId(kv, domain);
  return id === null ? null : await getSite(kv, id);
}

/**
 * Applies `change` to a site atomically, moving its indexes when the URL, client or tags change.
 * Returns the new record, `null` if the site does not exist, or `{ conflict }` when the new URL
 * belongs to another site. `change` may return `null` to leave the site as it is.
 *
 * @example
 * ```ts
 * await updateSite(kv, 3, (s) => ({ ...s, suspended: 1 }));
 * ```
 */
export async function updateSite(
  kv: Deno.Kv,
  id: number,
  change: (site: SiteRecord) => SiteRecord | null,
): Promise<SiteRecord | null | { conflict: number }> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<SiteRecord>(keys.site(id));
    if (!entry.value) return null;
    const changed = change(entry.value);
    if (!changed) return entry.value;
    const next: SiteRecord = {
      ...changed,
      id,
      url: normalizeSiteUrl(changed.url),
      tag_ids: [...new Set(changed.tag_ids)],
    };
    if (normalizeDomain(next.url) !== normalizeDomain(entry.value.url)) {
      assertFitsKey(normalizeDomain(next.url), "url");
      const taken = await indexedSiteId(kv, next.url);
      if (taken.id !== null && taken.id !== id) return { conflict: taken.id };
      op.check(taken.entry);
    }
    op.check(entry);
    deleteIndexes(op, entry.value);
    await dropLegacyIndex(kv, op, entry.value);
    op.set(keys.site(id), next);
    setIndexes(op, next);
    bumpFleetRev(op);
    return next;
  });
}

/**
 * Deletes a site and its indexes in one commit; returns the deleted record or `null`.
 *
 * @example
 * ```ts
 * await deleteSite(kv, 3);
 * ```
 */
export async function deleteSite(kv: Deno.Kv, id: number): Promise<SiteRecord | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<SiteRecord>(keys.site(id));
    if (!entry.value) return null;
    op.check(entry).delete(keys.site(id));
    deleteIndexes(op, entry.value);
    await dropLegacyIndex(kv, op, entry.value);
    // The site's stored sync data goes with it (chunk 0 is checked: a racing sync write retries us).
    const chunks = await readSyncChunkEntries(kv, id);
    op.check({ key: keys.siteSyncChunk(id, 0), versionstamp: chunks[0]?.versionstamp ?? null });
    for (const chunk of chunks) op.delete(chunk.key);
    bumpFleetRev(op);
    return entry.value;
  });
}

/** At most this many keys are version-checked in one commit (KV Connect allows 10). */
const MAX_CHECKS = 10;

/**
 * Like {@link updateSite}, but also reads `guards` (e.g. the tags and client a change links to) in the
 * same attempt and passes them to `change`; while the commit stays within the check limit they are
 * version-checked too, so a record deleted meanwhile makes the update retry and see it gone.
 * `change` returns the new record, `null` to leave the site as it is, or `{ refuse }` to abort with a
 * reason (nothing is written).
 *
 * @example
 * ```ts
 * await updateSiteGuarded(kv, 3, [keys.tag(4)], (s, [tag]) => tag.value ? { ...s, tag_ids: [4] } : null);
 * ```
 */
export async function updateSiteGuarded<R extends string>(
  kv: Deno.Kv,
  id: number,
  guards: Deno.KvKey[],
  change: (site: SiteRecord, guards: Deno.KvEntryMaybe<unknown>[]) => SiteRecord | null | { refuse: R },
): Promise<
  | { site: SiteRecord; previous: SiteRecord }
  | { refused: R; previous: SiteRecord }
  | { conflict: number }
  | null
> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<SiteRecord>(keys.site(id));
    if (!entry.value) return null;
    const read = guards.length > 0 ? await getManyChunked<unknown>(kv, guards) : [];
    const changed = change(entry.value, read);
    if (changed && "refuse" in changed) return { refused: changed.refuse, previous: entry.value };
    if (!changed) return { site: entry.value, previous: entry.value };
    const next: SiteRecord = {
      ...changed,
      id,
      url: normalizeSiteUrl(changed.url),
      tag_ids: [...new Set(changed.tag_ids)],
    };
    let checks = 1;
    if (normalizeDomain(next.url) !== normalizeDomain(entry.value.url)) {
      assertFitsKey(normalizeDomain(next.url), "url");
      const taken = await indexedSiteId(kv, next.url);
      if (taken.id !== null && taken.id !== id) return { conflict: taken.id };
      op.check(taken.entry);
      checks++;
    }
    op.check(entry);
    if (checks + read.length <= MAX_CHECKS) { for (const g of read) op.check(g); }
    deleteIndexes(op, entry.value);
    await dropLegacyIndex(kv, op, entry.value);
    op.set(keys.site(id), next);
    setIndexes(op, next);
    bumpFleetRev(op);
    return { site: next, previous: entry.value };
  });
}

// ---------------------------------------------------------------------------------------------------
// Stored sync data (what the child reports on sync: site_info, plugins, themes, upgrades…). It can be
// far larger than one KV value (64 KiB), so it is kept as JSON split into chunks under
// `["site_sync", siteId, n]`; every chunk of one write carries the same `stamp`, so a reader can tell a
// complete set from a torn one.

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

async function readSyncChunkEntries(kv: Deno.Kv, id: number): Promise<Deno.KvEntry<SiteSyncChunk>[]> {
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

/** A site's stored sync data with the stamp of the write that stored it. */
export interface StampedSiteSync {
  data: SiteSyncData;
  stamp: string;
}

/**
 * Every site's stored sync data with its write stamp, by site id (sites never synced are absent).
 * Data whose stamp matches `previous` is reused without parsing it again.
 *
 * @example
 * ```ts
 * const first = await listStampedSiteSyncs(kv);
 * const again = await listStampedSiteSyncs(kv, first); // unchanged sites are not re-parsed
 * ```
 */
export async function listStampedSiteSyncs(
  kv: Deno.Kv,
  previous?: ReadonlyMap<number, StampedSiteSync>,
): Promise<Map<number, StampedSiteSync>> {
  const grouped = new Map<number, SiteSyncChunk[]>();
  for await (const entry of kv.list<SiteSyncChunk>({ prefix: keys.siteSyncs() }, { batchSize: 500 })) {
    const siteId = entry.key[1] as number;
    const list = grouped.get(siteId);
    if (list) list.push(entry.value);
    else grouped.set(siteId, [entry.value]);
  }
  const out = new Map<number, StampedSiteSync>();
  for (const [siteId, chunks] of grouped) {
    const known = previous?.get(siteId);
    const complete = chunks.length === chunks[0].count && chunks.every((c) => c.stamp === chunks[0].stamp);
    if (known && complete && known.stamp === chunks[0].stamp) {
      out.set(siteId, known);
      continue;
    }
    const data = joinSiteSync(chunks);
    if (data) {
      out.set(siteId, { data, stamp: chunks[0].stamp });
      continue;
    }
    // A write that landed between two list batches tears a set; read that site again on its own.
    for (let attempt = 0; attempt < 5; attempt++) {
      const entries = await readSyncChunkEntries(kv, siteId);
      if (entries.length === 0) break;
      const again = joinSiteSync(entries.map((e) => e.value));
      if (again) {
        out.set(siteId, { data: again, stamp: entries[0].value.stamp });
        break;
      }
    }
  }
  return out;
}

/**
 * Every site's stored sync data, by site id (sites never synced are absent).
 *
 * @example
 * ```ts
 * const all = await listSiteSyncs(kv);
 * all.get(3)?.dbsize;
 * ```
 */
export async function listSiteSyncs(kv: Deno.Kv): Promise<Map<number, SiteSyncData>> {
  const stamped = await listStampedSiteSyncs(kv);
  return new Map([...stamped].map(([id, s]) => [id, s.data]));
}

/**
 * Every site with the versionstamp of its record, in id order (lets caches tell changed sites apart).
 *
 * @example
 * ```ts
 * for (const { site, versionstamp } of await listSiteEntries(kv)) console.log(site.id, versionstamp);
 * ```
 */
export async function listSiteEntries(kv: Deno.Kv): Promise<{ site: SiteRecord; versionstamp: string }[]> {
  const out: { site: SiteRecord; versionstamp: string }[] = [];
  for await (const entry of kv.list<SiteRecord>({ prefix: keys.sites() }, { batchSize: 500 })) {
    out.push({ site: entry.value, versionstamp: entry.versionstamp });
  }
  return out;
}

/** How a sync-data write changes the store, prepared from one consistent read. */
interface PreparedSyncWrite {
  /** The new record. */
  next: SiteRecord;
  /** Adds the checks and mutations to a commit. */
  apply(op: Deno.AtomicOperation): void;
  /** Checks it needs, and a payload estimate in bytes (for sizing shared commits). */
  checks: number;
  bytes: number;
}

type SyncDataInput = SiteSyncData | ((previous: SiteSyncData | null) => SiteSyncData);

/** Reads the site and its chunks and prepares the write; `null` when the site does not exist. */
async function prepareSyncWrite(
  kv: Deno.Kv,
  id: number,
  data: SyncDataInput,
  change: (site: SiteRecord) => SiteRecord,
): Promise<PreparedSyncWrite | null> {
  const [site, existing] = await Promise.all([
    kv.get<SiteRecord>(keys.site(id)),
    readSyncChunkEntries(kv, id),
  ]);
  if (!site.value) return null;
  // A merge sees the data as stored in this attempt; the chunk-0 check below makes a racing write retry it.
  const previous = typeof data === "function" ? joinSiteSync(existing.map((e) => e.value)) ?? null : null;
  const chunks = splitSiteSync(typeof data === "function" ? data(previous) : data);
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
    next,
    checks: 2,
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
    },
  };
}

/** One site's write on its own, retried on conflicts. */
async function writeSiteSyncAlone(
  kv: Deno.Kv,
  id: number,
  data: SyncDataInput,
  change: (site: SiteRecord) => SiteRecord,
): Promise<SiteRecord | null> {
  return await atomicRetry(kv, async (op) => {
    const prepared = await prepareSyncWrite(kv, id, data, change);
    if (!prepared) return null;
    prepared.apply(op);
    bumpFleetRev(op);
    return prepared.next;
  });
}

/** A write waiting for the next shared commit. */
interface QueuedSyncWrite {
  id: number;
  data: SyncDataInput;
  change: (site: SiteRecord) => SiteRecord;
  resolve(site: SiteRecord | null): void;
  reject(error: unknown): void;
}

/** Sites per shared commit: two checks each, within the local backend's 100 (KV Connect: see below). */
const SHARED_COMMIT_SITES = 40;
/** Payload per shared commit, below KV's 800 KiB. */
const SHARED_COMMIT_BYTES = 600_000;
/** KV handles whose commits may carry only 10 checks (KV Connect). */
const remoteHandles = new WeakSet<Deno.Kv>();
const queues = new WeakMap<Deno.Kv, QueuedSyncWrite[]>();

/**
 * Marks a KV handle as remote (KV Connect allows 10 checks per commit), so shared sync commits stay small.
 *
 * @example
 * ```ts
 * markRemoteKv(kv);
 * ```
 */
export function markRemoteKv(kv: Deno.Kv): void {
  remoteHandles.add(kv);
}

/** Commits the queued writes: groups of sites in one commit each; a group that conflicts is redone site by site. */
async function flushSyncWrites(kv: Deno.Kv, items: QueuedSyncWrite[]): Promise<void> {
  const maxSites = remoteHandles.has(kv) ? 4 : SHARED_COMMIT_SITES;
  const prepared = await Promise.all(
    items.map((item) =>
      prepareSyncWrite(kv, item.id, item.data, item.change).catch((error) => error as Error)
    ),
  );
  let group: { item: QueuedSyncWrite; write: PreparedSyncWrite }[] = [];
  let bytes = 0;
  const ids = new Set<number>();
  const commit = async (members: typeof group) => {
    if (members.length === 0) return;
    const op = kv.atomic();
    for (const { write } of members) write.apply(op);
    bumpFleetRev(op);
    let ok = false;
    try {
      ok = (await op.commit()).ok;
    } catch (error) {
      if (!isDatabaseLocked(error)) throw error;
    }
    if (ok) { for (const { item, write } of members) item.resolve(write.next); }
    else {
      for (const { item } of members) {
        writeSiteSyncAlone(kv, item.id, item.data, item.change).then(item.resolve, item.reject);
      }
    }
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const write = prepared[i];
    if (write instanceof Error) {
      item.reject(write);
      continue;
    }
    if (write === null) {
      item.resolve(null);
      continue;
    }
    // The same site twice cannot share a commit (both would check the same versions).
    if (group.length >= maxSites || bytes + write.bytes > SHARED_COMMIT_BYTES || ids.has(item.id)) {
      await commit(group);
      group = [];
      bytes = 0;
      ids.clear();
    }
    if (ids.has(item.id)) {
      writeSiteSyncAlone(kv, item.id, item.data, item.change).then(item.resolve, item.reject);
      continue;
    }
    group.push({ item, write });
    bytes += write.bytes;
    ids.add(item.id);
  }
  await commit(group);
}

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
  return new Promise((resolve, reject) => {
    let queue = queues.get(kv);
    if (!queue) {
      queue = [];
      queues.set(kv, queue);
      // Collect what arrives in this turn of the event loop, then commit it.
      setTimeout(() => {
        queues.delete(kv);
        flushSyncWrites(kv, queue!).catch((error) => {
          for (const item of queue!) item.reject(error);
        });
      }, 0);
    }
    queue.push({ id, data, change, resolve, reject });
  });
}
