/**
 * @module
 * The one way a site id or domain becomes a site record, for every surface: a numeric value (PHP
 * `is_numeric`, read with `intval`) is an id, anything else a domain or URL matched ignoring scheme,
 * `www.`, case and a trailing `/`. The `mainwp_check_site_access` filter may then refuse the caller.
 *
 * @example
 * ```ts
 * const site = await resolveSite(ctx, "https://www.example.com"); // throws NotFound("site", "https://…")
 * ```
 */
import type { HookDeps, StoreDeps } from "../deps.ts";
import { AccessDenied, type DomainError, NotFound } from "../errors.ts";
import { findSiteByDomain, getSite, type SiteRecord } from "../../store/sites.ts";
import { listedSiteRecords } from "./fleet.ts";
import { PHP_NUMERIC } from "../../wp/php.ts";

/** How a caller names a site: by id (numeric) or by domain / URL. */
export type SiteRef = { by: "id"; id: number } | { by: "domain"; domain: string };

/** What a site is named by on the wire: an id, or a domain or URL. */
export type SiteIdentifier = string | number;

/**
 * Reads an id-or-domain: a numeric value is an id (PHP `intval`), anything else a domain.
 *
 * @example
 * ```ts
 * parseSiteRef("12"); // { by: "id", id: 12 }
 * parseSiteRef("shop.example.com"); // { by: "domain", domain: "shop.example.com" }
 * ```
 */
export function parseSiteRef(value: unknown): SiteRef {
  const text = typeof value === "string" || typeof value === "number" ? String(value) : "";
  if (PHP_NUMERIC.test(text)) return { by: "id", id: Math.trunc(Number(text)) };
  return { by: "domain", domain: text };
}

/**
 * The site a reference names. Throws `NotFound("site", id)` for an id and `NotFound("site", domain)`
 * (a string) for a domain, so that each surface can word the two as MainWP does.
 *
 * @example
 * ```ts
 * await findSite(ctx, { by: "domain", domain: "example.com" }); // https://www.example.com/
 * ```
 */
export async function findSite({ kv }: StoreDeps, ref: SiteRef): Promise<SiteRecord> {
  const site = ref.by === "id"
    ? (ref.id > 0 ? await getSite(kv, ref.id) : null)
    : (ref.domain ? await findSiteByDomain(kv, ref.domain) : null);
  if (!site) throw new NotFound("site", ref.by === "id" ? ref.id : ref.domain);
  return site;
}

/**
 * {@link findSite} of an id-or-domain as a caller sent it.
 *
 * @example
 * ```ts
 * (await resolveSite(ctx, 5)).id; // 5
 * ```
 */
export async function resolveSite(deps: StoreDeps, identifier: SiteIdentifier): Promise<SiteRecord> {
  return await findSite(deps, parseSiteRef(identifier));
}

/**
 * Throws `AccessDenied` unless `mainwp_check_site_access` (default true) lets the caller act on the site;
 * `input` is what the filter sees of the request.
 *
 * @example
 * ```ts
 * await checkSiteAccess(ctx, site, input);
 * ```
 */
export async function checkSiteAccess(deps: HookDeps, site: SiteRecord, input: unknown): Promise<void> {
  const allowed = await deps.hooks.applyFilters("mainwp_check_site_access", true, site.id, input);
  if (!allowed) throw new AccessDenied("site", site.id, "You do not have permission to access this site.");
}

/**
 * Resolves a site and checks the caller's access (throws `NotFound` / `AccessDenied`).
 *
 * @example
 * ```ts
 * const site = await requireAccessibleSite(ctx, input.site_id_or_domain, input);
 * ```
 */
export async function requireAccessibleSite(
  deps: HookDeps,
  identifier: SiteIdentifier,
  input: unknown,
): Promise<SiteRecord> {
  const site = await resolveSite(deps, identifier);
  await checkSiteAccess(deps, site, input);
  return site;
}

/** An identifier of a list that did not resolve, or whose site the caller may not access. */
export interface DeniedSite {
  identifier: SiteIdentifier;
  error: NotFound | AccessDenied;
}

/** The outcome of resolving a list of site identifiers. */
export interface ResolvedSites {
  /** Accessible sites, in input order (not de-duplicated, as MainWP counts them). */
  allowed: SiteRecord[];
  /** Identifiers that failed, in input order. */
  denied: DeniedSite[];
}

/**
 * MainWP's `check_batch_site_access`: resolves each identifier and checks access; failures keep the
 * identifier. An empty list means every listed (non-staging) site, in MainWP's URL order, each still
 * passed through the filter (refused ones are dropped silently).
 *
 * @example
 * ```ts
 * const { allowed, denied } = await resolveSiteList(ctx, [1, "example.com"], input);
 * ```
 */
export async function resolveSiteList(
  deps: HookDeps,
  identifiers: readonly SiteIdentifier[],
  input: unknown,
): Promise<ResolvedSites> {
  const allowed: SiteRecord[] = [];
  const denied: DeniedSite[] = [];
  if (identifiers.length === 0) {
    for (const site of await listedSiteRecords(deps.kv)) {
      if (await isAccessible(deps, site, input)) allowed.push(site);
    }
    return { allowed, denied };
  }
  for (const identifier of identifiers) {
    try {
      allowed.push(await requireAccessibleSite(deps, identifier, input));
    } catch (error) {
      if (!(error instanceof NotFound || error instanceof AccessDenied)) throw error;
      denied.push({ identifier, error });
    }
  }
  return { allowed, denied };
}

async function isAccessible(deps: HookDeps, site: SiteRecord, input: unknown): Promise<boolean> {
  try {
    await checkSiteAccess(deps, site, input);
    return true;
  } catch (error) {
    if (error instanceof AccessDenied) return false;
    throw error as DomainError;
  }
}

/** A site's stored record, as every site operation answers it. */
export type { SiteRecord };
