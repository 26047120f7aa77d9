/**
 * @module
 * Site lists as the batch and update abilities answer them (abilities.md §5): the core's
 * `resolveSiteList`, with each identifier that failed carried as its Abilities API error
 * (`identifier`, `code`, `message`, `status` — the shape the abilities put in their `errors`).
 *
 * @example
 * ```ts
 * const { allowed, denied } = await resolveSiteList(ctx, [1, "example.com"], input);
 * ```
 */
import type { HookDeps } from "../../core/deps.ts";
import * as core from "../../core/sites/resolve.ts";
import { abilityErrorOf } from "../errors.ts";

/** A batch identifier that did not resolve, or that the caller may not access. */
export interface DeniedSite {
  identifier: core.SiteIdentifier;
  code: string;
  message: string;
  status: number;
}

/** The outcome of resolving a list of site identifiers. */
export interface ResolvedSites {
  /** Accessible sites, in input order (not de-duplicated, as MainWP counts them). */
  allowed: core.SiteRecord[];
  /** Identifiers that failed, in input order. */
  denied: DeniedSite[];
}

/**
 * Resolves each identifier and checks access (an empty list: every listed site), the failures as
 * `mainwp_site_not_found` (404) / `mainwp_access_denied` (403) entries.
 *
 * @example
 * ```ts
 * (await resolveSiteList(ctx, ["nope.example"], {})).denied[0].code; // "mainwp_site_not_found"
 * ```
 */
export async function resolveSiteList(
  deps: HookDeps,
  identifiers: readonly core.SiteIdentifier[],
  input: unknown,
): Promise<ResolvedSites> {
  const { allowed, denied } = await core.resolveSiteList(deps, identifiers, input);
  return {
    allowed,
    denied: denied.map(({ identifier, error }) => {
      // NotFound and AccessDenied always map; the fallback only keeps the type total.
      const mapped = abilityErrorOf(error) ??
        { code: "mainwp_site_not_found", message: error.message, status: 404 };
      return { identifier, code: mapped.code, message: mapped.message, status: mapped.status };
    }),
  };
}
