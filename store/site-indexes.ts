/**
 * @module
 * The secondary indexes of site records (see `keys.ts`): domain → site, client → sites, site ↔ tags.
 * They carry no data of their own; every record write moves them in the same atomic commit, so an index
 * never points at a record that says otherwise.
 *
 * @example
 * ```ts
 * const op = kv.atomic();
 * moveSiteIndexes(op, previous, next);
 * ```
 */
import { keys } from "./keys.ts";
import { dropLegacyIndex, indexedSiteId, siteIdentity } from "./site-identity.ts";
import { assertFitsKey } from "../lib/limits.ts";
import type { SiteRecord } from "./sites.ts";

/**
 * Adds a site's index entries to `op`.
 *
 * @example
 * ```ts
 * setSiteIndexes(kv.atomic(), site);
 * ```
 */
export function setSiteIndexes(op: Deno.AtomicOperation, site: SiteRecord): void {
  op.set(keys.siteByDomain(siteIdentity(site.url)), site.id);
  if (site.client_id > 0) op.set(keys.clientSite(site.client_id, site.id), true);
  for (const tagId of site.tag_ids) {
    op.set(keys.siteTag(site.id, tagId), true).set(keys.tagSite(tagId, site.id), true);
  }
}

/**
 * Adds the removal of a site's index entries to `op`.
 *
 * @example
 * ```ts
 * deleteSiteIndexes(kv.atomic(), site);
 * ```
 */
export function deleteSiteIndexes(op: Deno.AtomicOperation, site: SiteRecord): void {
  op.delete(keys.siteByDomain(siteIdentity(site.url)));
  if (site.client_id > 0) op.delete(keys.clientSite(site.client_id, site.id));
  for (const tagId of site.tag_ids) {
    op.delete(keys.siteTag(site.id, tagId)).delete(keys.tagSite(tagId, site.id));
  }
}

/**
 * Adds the removal of every index entry of a site to `op`, its legacy domain key included.
 *
 * @example
 * ```ts
 * await removeSiteIndexes(kv, op, site);
 * ```
 */
export async function removeSiteIndexes(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  site: SiteRecord,
): Promise<void> {
  deleteSiteIndexes(op, site);
  await dropLegacyIndex(kv, op, site);
}

/**
 * Moves a site's index entries from `previous` to `next` in `op` (the legacy domain key included).
 *
 * @example
 * ```ts
 * await moveSiteIndexes(kv, op, previous, next);
 * ```
 */
export async function moveSiteIndexes(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  previous: SiteRecord,
  next: SiteRecord,
): Promise<void> {
  await removeSiteIndexes(kv, op, previous);
  setSiteIndexes(op, next);
}

/**
 * When a write changes a site's address: refuses one too long for a key, and one another site has
 * (`{ conflict }`); otherwise checks the free domain key in `op`, so a racing claim makes the write retry.
 * Returns how many checks it added.
 *
 * @example
 * ```ts
 * const claimed = await claimSiteDomain(kv, op, previous, next);
 * if ("conflict" in claimed) return claimed;
 * ```
 */
export async function claimSiteDomain(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  previous: SiteRecord,
  next: SiteRecord,
): Promise<{ checks: number } | { conflict: number }> {
  const domain = siteIdentity(next.url);
  if (domain === siteIdentity(previous.url)) return { checks: 0 };
  assertFitsKey(domain, "url");
  const taken = await indexedSiteId(kv, next.url);
  if (taken.id !== null && taken.id !== next.id) return { conflict: taken.id };
  op.check(taken.entry);
  return { checks: 1 };
}
