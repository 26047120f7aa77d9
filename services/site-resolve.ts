/**
 * @module
 * The abilities' older forms of site resolution (abilities.md §5), answering a `RestError` instead of
 * throwing: thin adapters over the one resolver in `core/sites/resolve.ts`, kept for the update
 * abilities and item routes, plus the offline / outdated-child gates.
 *
 * @example
 * ```ts
 * const site = await resolveSite(ctx, "https://www.example.com");
 * ```
 */
import type { AppContext } from "../app-context.ts";
import { type RestError, restError } from "../rest/errors.ts";
import type { SiteRecord, SiteSyncData } from "../store/sites.ts";
import { listedSiteRecords } from "../core/sites/fleet.ts";
import { compareVersions, MIN_CHILD_VERSION } from "../child/version.ts";
import * as core from "../core/sites/resolve.ts";
import { abilityErrorOf } from "../abilities/errors.ts";

async function orError<T>(work: Promise<T>): Promise<T | RestError> {
  try {
    return await work;
  } catch (error) {
    const mapped = abilityErrorOf(error);
    if (mapped) return mapped;
    throw error;
  }
}

/** An identifier as abilities receive it (anything else reads as the empty domain). */
const identifierOf = (v: unknown): core.SiteIdentifier =>
  typeof v === "number" || typeof v === "string" ? v : String(v ?? "");

/**
 * Resolves an id, domain or URL to a site, or returns MainWP's `mainwp_site_not_found` error (404).
 *
 * @example
 * ```ts
 * await resolveSite(ctx, 5); // SiteRecord | RestError
 * ```
 */
export async function resolveSite(ctx: AppContext, identifier: unknown): Promise<SiteRecord | RestError> {
  return await orError(core.resolveSite(ctx, identifierOf(identifier)));
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
  return await orError(core.checkSiteAccess(ctx, site, input).then(() => true as const));
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
 * `core/sites/resolve.ts`'s `resolveSiteList` with each failure as its Abilities API error.
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
  const { allowed, denied } = await core.resolveSiteList(ctx, identifiers.map(identifierOf), input);
  return {
    allowed,
    denied: denied.map(({ identifier, error }) => {
      const mapped = abilityErrorOf(error) ?? restError("mainwp_site_not_found", error.message, 404);
      return { identifier, code: mapped.code, message: mapped.message, status: mapped.status };
    }),
  };
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
 * Resolves a site and checks access, throwing the domain error (`NotFound` / `AccessDenied`).
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
  return await core.requireAccessibleSite(ctx, identifierOf(identifier), input);
}
