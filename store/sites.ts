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
import { allocateId, atomicRetry, bumpFleetRev, getManyChunked, listValues } from "./kv.ts";

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
  health_status: number;
  health_value: string;
  /** Last sync, unix seconds (0 = never). */
  dtsSync: number;
  /** Added, unix seconds. */
  added: number;
}

/** Fields a caller may give when creating a site; everything else gets MainWP's defaults. */
export type NewSite = Partial<Omit<SiteRecord, "id">> & { url: string };

/**
 * The lookup form of a site address: lower case, no scheme, no `www.`, no trailing `/`.
 *
 * @example
 * ```ts
 * normalizeDomain("https://www.Example.com/blog/"); // "example.com/blog"
 * ```
 */
export function normalizeDomain(urlOrDomain: string): string {
  return urlOrDomain.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "").replace(/^www\./, "")
    .replace(/\/+$/, "");
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
  return await atomicRetry(kv, async (op) => {
    const domainKey = keys.siteByDomain(normalizeDomain(normalizeSiteUrl(input.url)));
    const existing = await kv.get<number>(domainKey);
    if (existing.value !== null) return { found_id: existing.value };
    const id = await allocateId(kv, op, "sites");
    const site = defaultSite(id, input);
    op.check(existing).set(keys.site(id), site);
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
  const id = (await kv.get<number>(keys.siteByDomain(normalizeDomain(domain)))).value;
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
      const taken = await kv.get<number>(keys.siteByDomain(normalizeDomain(next.url)));
      if (taken.value !== null && taken.value !== id) return { conflict: taken.value };
      op.check(taken);
    }
    op.check(entry);
    deleteIndexes(op, entry.value);
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
    bumpFleetRev(op);
    return entry.value;
  });
}
