/**
 * @module
 * The checks a site must pass before an operation calls its child: not known to be offline (its last
 * uptime check failed) and a MainWP Child at least as new as the operation needs (PHP
 * `version_compare` on the version the last sync stored; a site never synced counts as outdated).
 *
 * @example
 * ```ts
 * const refused = siteRefusal(site, await siteSyncData(ctx, site.id), "4.0");
 * if (refused) throw refused;
 * ```
 */
import { compareVersions, MIN_CHILD_VERSION } from "../../child/version.ts";
import { ChildOutdated, SiteOffline } from "../errors.ts";
import type { SiteRecord } from "./resolve.ts";
import type { SiteSyncData } from "../sync/sync.ts";

/**
 * `SiteOffline` for a site whose last uptime check failed (`offline_check_result == -1`), else `null`.
 *
 * @example
 * ```ts
 * offlineRefusal(site)?.siteId;
 * ```
 */
export function offlineRefusal(site: SiteRecord): SiteOffline | null {
  return site.offline_check_result === -1 ? new SiteOffline(site.id) : null;
}

/**
 * `ChildOutdated` when the site's child (as last synced) is older than `min`, else `null`. Update
 * operations use `"4.0"`, the rest MainWP's minimum (`4.0.0`).
 *
 * @example
 * ```ts
 * outdatedRefusal(site, sync, "4.0")?.minVersion; // "4.0"
 * ```
 */
export function outdatedRefusal(
  site: SiteRecord,
  sync: SiteSyncData | null,
  min: string = MIN_CHILD_VERSION,
): ChildOutdated | null {
  return compareVersions(String(sync?.version ?? ""), min) < 0
    ? new ChildOutdated(site.id, min, `Child plugin version ${min} or higher required.`)
    : null;
}

/**
 * The first check the site fails — offline, then outdated child — or `null` when it may be called.
 *
 * @example
 * ```ts
 * siteRefusal(site, sync)?.name; // "SiteOffline" | "ChildOutdated"
 * ```
 */
export function siteRefusal(
  site: SiteRecord,
  sync: SiteSyncData | null,
  min: string = MIN_CHILD_VERSION,
): SiteOffline | ChildOutdated | null {
  return offlineRefusal(site) ?? outdatedRefusal(site, sync, min);
}
