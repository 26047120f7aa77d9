/**
 * @module
 * Listing the WordPress users of many child sites at once: every selected site is asked concurrently
 * (within the connector's limits and the bulk deadline); a site that fails, answers an error or is late
 * is that site's error, never the whole answer's.
 *
 * @example
 * ```ts
 * const sites = await resolveUserTargets(ctx, { websites: ["1", "2"], groups: [], clients: [] });
 * for (const r of await listSiteUsers(ctx, sites, { roles: [], search: "" })) console.log(r.site.url);
 * ```
 */
import { ChildError } from "../../child/errors.ts";
import type { SiteRecord } from "../../store/sites.ts";
import { escHtml } from "../../wp/format.ts";
import type { ChildDeps } from "../deps.ts";
import { runOnSites } from "../sites/bulk.ts";
import { childErrorMessage } from "../sync/child.ts";
import { type ChildUser, searchChildUsers, type UserSearch } from "./child.ts";

/** One site's users, or why they could not be read. */
export type SiteUsers =
  | { site: SiteRecord; users: ChildUser[] }
  | { site: SiteRecord; error: string };

/**
 * The users of each site matching the search (the child's `search_users`), in the sites' order. A
 * child's own error is kept escaped, as MainWP keeps it; a connection failure or a site late for the
 * bulk deadline is described.
 *
 * @example
 * ```ts
 * const [first] = await listSiteUsers(ctx, sites, { roles: ["editor"], search: "fix" });
 * if ("users" in first) console.log(first.users.length);
 * ```
 */
export async function listSiteUsers(
  deps: ChildDeps,
  sites: readonly SiteRecord[],
  query: UserSearch,
): Promise<SiteUsers[]> {
  const results = await runOnSites<SiteUsers>(deps, sites, async (site) => {
    try {
      return { site, users: await searchChildUsers(deps, site, query) };
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      return { site, error: error.category === "child" ? escHtml(error.message) : childErrorMessage(error) };
    }
  }, (site, ms) => ({ site, error: `The site did not answer within ${ms / 1000} seconds.` }));
  return results.map((r) => r.result);
}
