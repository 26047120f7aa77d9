/**
 * @module
 * Site records on Deno KV. A record carries its own `client_id` and `tag_ids`, so one version check on
 * the record covers its links; every write moves the secondary indexes (`site-indexes.ts`: domain,
 * client→sites, tag↔sites) in the same atomic commit and bumps the fleet revision. A site's stored sync
 * data lives in `site-sync-data.ts` (re-exported here, so callers have one module for sites).
 *
 * @example
 * ```ts
 * const result = await createSite(kv, { url: "https://shop.example/", name: "Shop" });
 * if ("site" in result) console.log(result.site.id);
 * ```
 */
import { keys } from "./keys.ts";
import { allocateId, atomicRetry, bumpFleetRev, getManyChunked, listValues } from "./kv.ts";
import { indexedSiteId, siteIdentity } from "./site-identity.ts";
import { claimSiteDomain, moveSiteIndexes, removeSiteIndexes, setSiteIndexes } from "./site-indexes.ts";
import { readSyncChunkEntries } from "./site-sync-data.ts";
import { deleteSiteRow, keptUpdates, NO_UPDATES, rowKey, setSiteRow, type SiteRow } from "./site-rows.ts";
import { assertFitsKey, fitsKey } from "../lib/limits.ts";

export {
  getSiteSync,
  joinSiteSync,
  type SiteSyncChunk,
  type SiteSyncData,
  splitSiteSync,
  SYNC_CHUNK_CHARS,
  SYNC_JSON_COLUMNS,
  writeSiteSync,
} from "./site-sync-data.ts";
export { markRemoteKv } from "./commit-scheduler.ts";

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
    setSiteIndexes(op, site);
    setSiteRow(op, site, NO_UPDATES);
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
    const [entry, row] = await kv.getMany<[SiteRecord, SiteRow]>([keys.site(id), rowKey(id)]);
    if (!entry.value) return null;
    const changed = change(entry.value);
    if (!changed) return entry.value;
    const next: SiteRecord = {
      ...changed,
      id,
      url: normalizeSiteUrl(changed.url),
      tag_ids: [...new Set(changed.tag_ids)],
    };
    const claimed = await claimSiteDomain(kv, op, entry.value, next);
    if ("conflict" in claimed) return claimed;
    op.check(entry).set(keys.site(id), next);
    await moveSiteIndexes(kv, op, entry.value, next);
    setSiteRow(op, next, await keptUpdates(kv, op, row, id));
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
    await removeSiteIndexes(kv, op, entry.value);
    deleteSiteRow(op, id);
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
    const [entry, row] = await kv.getMany<[SiteRecord, SiteRow]>([keys.site(id), rowKey(id)]);
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
    const claimed = await claimSiteDomain(kv, op, entry.value, next);
    if ("conflict" in claimed) return claimed;
    op.check(entry);
    const updates = await keptUpdates(kv, op, row, id);
    const checks = 1 + claimed.checks + (row.value ? 0 : 1);
    if (checks + read.length <= MAX_CHECKS) { for (const g of read) op.check(g); }
    op.set(keys.site(id), next);
    await moveSiteIndexes(kv, op, entry.value, next);
    setSiteRow(op, next, updates);
    bumpFleetRev(op);
    return { site: next, previous: entry.value };
  });
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
