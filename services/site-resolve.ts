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
import { findSiteByDomain, getSite, type SiteRecord } from "../store/sites.ts";

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * Resolves an id, domain or URL to a site, or returns MainWP's `mainwp_site_not_found` error (404).
 *
 * @example
 * ```ts
 * await resolveSite(ctx, 5); // SiteRecord | RestError
 * ```
 */
export async function resolveSite(ctx: AppContext, identifier: unknown): Promise<SiteRecord | RestError> {
  if (typeof identifier === "number" || (typeof identifier === "string" && NUMERIC.test(identifier))) {
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
