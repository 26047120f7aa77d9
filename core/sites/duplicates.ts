/**
 * @module
 * Whether a site URL names a child the Dashboard already manages, under any spelling. Two URLs are the
 * same site when their identities match (`store/site-identity.ts`: scheme, `www.`, case, default port,
 * trailing `/`, query and IP spelling ignored), or when they point at the same port and path, at least
 * one of the two hosts is a literal IP or a `localhost` name (which reach a server's default host, not a
 * name-based virtual host), and their resolved addresses overlap: `http://localhost:8080/site-1/`,
 * `http://127.0.0.1:8080/site-1/` and `http://127.1:8080/site-1/` are one site. Two different names on
 * one address stay two sites (shared hosting).
 *
 * @example
 * ```ts
 * const existing = await findSameSite(ctx, "http://127.0.0.1:8080/site-1/");
 * if (existing) throw new Conflict("site", existing.id, ALREADY_CONNECTED_ERROR);
 * ```
 */
import { classifyAddress } from "../../child/address-guard.ts";
import type { ChildDeps } from "../deps.ts";
import { siteIdentity, siteLocation } from "../../store/site-identity.ts";
import { findSiteByDomain, listSites, type SiteRecord } from "../../store/sites.ts";

/** Lookups of existing sites' host names run this many at a time. */
const RESOLVE_BATCH = 8;

function hostOf(url: string): string {
  try {
    return new URL(url.trim()).hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  } catch {
    return "";
  }
}

/** A host that reaches a server by address rather than by virtual-host name. */
function isAddressHost(host: string): boolean {
  return classifyAddress(host) !== null || host === "localhost" || host.endsWith(".localhost");
}

/** The checked addresses of a URL's host, `[]` when it is refused, unresolvable or not resolved. */
async function addressesOf(ctx: Pick<ChildDeps, "kv" | "child">, url: string): Promise<string[]> {
  try {
    return (await ctx.child.siteAddresses(url)) ?? [];
  } catch {
    return [];
  }
}

/**
 * The managed site `url` names, or `null`: first by identity (the domain index), then by resolved
 * address as the module notes say. Sites are compared in id order, so the oldest match is answered.
 *
 * @example
 * ```ts
 * (await findSameSite(ctx, "http://127.1:8080/site-1/"))?.id; // the id of http://localhost:8080/site-1/
 * ```
 */
export async function findSameSite(
  ctx: Pick<ChildDeps, "kv" | "child">,
  url: string,
): Promise<SiteRecord | null> {
  const byIdentity = await findSiteByDomain(ctx.kv, url);
  if (byIdentity) return byIdentity;
  const location = siteLocation(url);
  const host = hostOf(url);
  if (location === null || host === "") return null;
  const newIsAddress = isAddressHost(host);
  const sites = await listSites(ctx.kv);
  // A record the index misses (still under a legacy key another spelling held) is found here.
  const identity = siteIdentity(url);
  const same = sites.find((site) => siteIdentity(site.url) === identity);
  if (same) return same;
  const candidates = sites.filter((site) => {
    const other = hostOf(site.url);
    return other !== "" && other !== host && siteLocation(site.url) === location &&
      (newIsAddress || isAddressHost(other));
  });
  if (candidates.length === 0) return null;
  const mine = new Set(await addressesOf(ctx, url));
  if (mine.size === 0) return null;
  for (let start = 0; start < candidates.length; start += RESOLVE_BATCH) {
    const batch = candidates.slice(start, start + RESOLVE_BATCH);
    const resolved = await Promise.all(batch.map((site) => addressesOf(ctx, site.url)));
    const index = resolved.findIndex((addresses) => addresses.some((address) => mine.has(address)));
    if (index >= 0) return batch[index];
  }
  return null;
}
