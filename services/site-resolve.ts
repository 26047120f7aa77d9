/**
 * @module
 * Site resolution for abilities (abilities.md §5): a numeric identifier is a site id; anything else is a
 * URL or domain, matched without scheme and `www.`. The `mainwp_check_site_access` filter may refuse a
 * resolved site.
 *
 * @example
 * ```ts
 * const site = await resolveSite(ctx, "https://www.example.com");
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { type RestError, restError } from "../rest/errors.ts";
import { findSiteByDomain, getSite, type SiteRecord, type SiteSyncData } from "../store/sites.ts";
import { listedSiteRecords } from "./site-list.ts";
import { compareVersions, MIN_CHILD_VERSION } from "../child/version.ts";
import { PHP_NUMERIC } from "../wp/php.ts";

/**
 * Resolves an id, domain or URL to a site, or returns MainWP's `mainwp_site_not_found` error (404).
 *
 * @example
 * ```ts
 * await resolveSite(ctx, 5); // SiteRecord | RestError
 * ```
 */
export async function resolveSite(ctx: AppContext, identifier: unknown): Promise<SiteRecord | RestError> {
  if (typeof identifier === "number" || (typeof identifier === "string" && PHP_NUMERIC.test(identifier))) {
    const id = Math.trunc(Number(identifier));
    return (await getSite(ctx.kv, id)) ??
      restError("mainwp_site_not_found", `No site found with ID ${id}.`, 404);
  }
  const text = String(identifier ?? "");
  return (await findSiteByDomain(ctx.kv, text)) ??
    restError("mainwp_site_not_found", `No site found matching "${text}".`, 404);
}

/**
 * Whether the caller may act on the site (`mainwp_check_site_access`, default true); else MainWP's 403.
 *
 * @example
 * ```ts
 * const denied = await checkSiteAccess(ctx, site, input);
 * ```
 */
export async function checkSiteAccess(
  ctx: AppContext,
  site: SiteRecord,
  input: unknown,
): Promise<true | RestError> {
  const allowed = await ctx.hooks.applyFilters("mainwp_check_site_access", true, site.id, input);
  return allowed
    ? true
    : restError("mainwp_access_denied", "You do not have permission to access this site.", 403);
}

/** A batch identifier that did not resolve, or that the caller may not access (abilities.md §5). */
export interface DeniedSite {
  identifier: unknown;
  code: string;
  message: string;
  status: number;
}

/** The outcome of resolving a list of site identifiers. */
export interface ResolvedSites {
  /** Accessible sites, in input order (not de-duplicated, as MainWP counts them). */
  allowed: SiteRecord[];
  /** Identifiers that failed, in input order. */
  denied: DeniedSite[];
}

/**
 * Every listed (non-staging) site, in MainWP's URL order: what an empty `site_ids_or_domains` means.
 *
 * @example
 * ```ts
 * (await allListedSites(ctx)).map((s) => s.id);
 * ```
 */
export async function allListedSites(ctx: AppContext): Promise<SiteRecord[]> {
  return await listedSiteRecords(ctx.kv);
}

/**
 * MainWP's `check_batch_site_access`: resolves each identifier (id, domain, URL) and applies the
 * `mainwp_check_site_access` filter; failures keep the raw identifier. An empty list means every
 * listed site (each still passed through the filter; refused ones are dropped silently).
 *
 * @example
 * ```ts
 * const { allowed, denied } = await resolveSiteList(ctx, [1, "example.com"], input);
 * ```
 */
export async function resolveSiteList(
  ctx: AppContext,
  identifiers: readonly unknown[],
  input: unknown,
): Promise<ResolvedSites> {
  const allowed: SiteRecord[] = [];
  const denied: DeniedSite[] = [];
  if (identifiers.length === 0) {
    for (const site of await allListedSites(ctx)) {
      if ((await checkSiteAccess(ctx, site, input)) === true) allowed.push(site);
    }
    return { allowed, denied };
  }
  for (const identifier of identifiers) {
    let site = await resolveSite(ctx, identifier);
    if ("id" in site) {
      const access = await checkSiteAccess(ctx, site, input);
      if (access !== true) site = access;
    }
    if ("id" in site) allowed.push(site);
    else denied.push({ identifier, code: site.code, message: site.message, status: site.status });
  }
  return { allowed, denied };
}

/**
 * The error for a site whose last uptime check failed (`offline_check_result == -1`), else `null`.
 *
 * @example
 * ```ts
 * siteOfflineError(site)?.code; // "mainwp_site_offline"
 * ```
 */
export function siteOfflineError(site: SiteRecord): RestError | null {
  return site.offline_check_result === -1
    ? restError("mainwp_site_offline", "Site is known to be offline.", 400)
    : null;
}

/**
 * The error for a site whose child plugin (last synced version) is older than `min` (PHP
 * `version_compare`; never synced counts as outdated), else `null`. Update abilities use `"4.0"`.
 *
 * @example
 * ```ts
 * childOutdatedError(site, await getSiteSync(ctx.kv, site.id))?.code; // "mainwp_child_outdated"
 * ```
 */
export function childOutdatedError(
  site: SiteRecord,
  sync: SiteSyncData | null,
  min: string = MIN_CHILD_VERSION,
): RestError | null {
  return compareVersions(String(sync?.version ?? ""), min) < 0
    ? restError("mainwp_child_outdated", `Child plugin version ${min} or higher required.`, 400, {
      site_id: site.id,
    })
    : null;
}

/**
 * Resolves a site and checks access, throwing MainWP's 404 / 403 error: how abilities that find their
 * site inside execute (manage and base flavours) do it.
 *
 * @example
 * ```ts
 * const site = await requireAccessibleSite(ctx, input.site_id_or_domain, input);
 * ```
 */
export async function requireAccessibleSite(
  ctx: AppContext,
  identifier: unknown,
  input: unknown,
): Promise<SiteRecord> {
  const site = await resolveSite(ctx, identifier);
  if (!("id" in site)) throw site;
  const access = await checkSiteAccess(ctx, site, input);
  if (access !== true) throw access;
  return site;
}
