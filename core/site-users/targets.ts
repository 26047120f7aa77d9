/**
 * @module
 * Which child sites a users operation acts on: sites named by id, by tag name (MainWP's "groups") or by
 * client id, as MainWP's users controller selects them — every name must exist, and of the selected sites
 * only the connected, unsuspended ones take part. The WordPress roles these operations know are here too.
 *
 * @example
 * ```ts
 * const sites = await resolveUserTargets(ctx, { websites: ["3"], groups: ["VIP"], clients: [] });
 * ```
 */
import { getSites, type SiteRecord } from "../../store/sites.ts";
import { findTagByName } from "../../store/tags.ts";
import { getClients } from "../../store/clients.ts";
import { escHtml } from "../../wp/format.ts";
import type { StoreDeps } from "../deps.ts";
import { InvalidInput, OperationFailed } from "../errors.ts";
import { selectBulkSites } from "../sites/bulk.ts";

/** The roles MainWP's users controller accepts, in its order. */
export const SITE_USER_ROLES = ["administrator", "subscriber", "editor", "author", "contributor"] as const;

/** One of {@link SITE_USER_ROLES}. */
export type SiteUserRole = (typeof SITE_USER_ROLES)[number];

/** Whether a text is one of {@link SITE_USER_ROLES}. */
export function isSiteUserRole(value: string): value is SiteUserRole {
  return (SITE_USER_ROLES as readonly string[]).includes(value);
}

/** The sites a request names (each list may be empty); a site matching any of them is selected. */
export interface UserTargets {
  /** Site ids as given (each must be an existing site). */
  websites: readonly string[];
  /** Tag names (each must exist). */
  groups: readonly string[];
  /** Client ids as given (each must exist). */
  clients: readonly string[];
}

/** Whether a site takes part in users operations: connected (no sync error) and not suspended. */
export function isReachableSite(site: SiteRecord): boolean {
  return site.sync_errors === "" && site.suspended !== 1;
}

const positiveId = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : 0);

/** The ids `texts` name (read in one batch), and the first text naming no record. */
async function existingIds(
  texts: readonly string[],
  found: (ids: number[]) => Promise<number[]>,
): Promise<{ ids: Set<number>; missing: string | undefined }> {
  const wanted = texts.map(positiveId);
  const ids = new Set(await found([...new Set(wanted.filter((id) => id > 0))]));
  return { ids, missing: texts.find((_, i) => !ids.has(wanted[i])) };
}

/**
 * Checks that every named site, tag and client exists (else {@link InvalidInput} on `websites`, `groups`
 * or `clients` with MainWP's message), then returns the selected connected, unsuspended sites in the
 * fleet's URL order; none → {@link OperationFailed} `site_users.no_website` ("No website found.").
 *
 * @example
 * ```ts
 * await resolveUserTargets(ctx, { websites: [], groups: [], clients: ["2"] }); // the client's sites
 * ```
 */
export async function resolveUserTargets(deps: StoreDeps, targets: UserTargets): Promise<SiteRecord[]> {
  const sites = await existingIds(
    targets.websites,
    async (ids) => (await getSites(deps.kv, ids)).map((s) => s.id),
  );
  if (sites.missing !== undefined) {
    throw new InvalidInput("websites", `Invalid site ID: ${escHtml(sites.missing)}.`, "site_user");
  }
  const tagIds = new Set<number>();
  for (const name of targets.groups) {
    // Tag names are stored HTML-escaped; MainWP compares the text as sent, so try both forms.
    const tag = (await findTagByName(deps.kv, name)) ?? (await findTagByName(deps.kv, escHtml(name)));
    if (!tag) throw new InvalidInput("groups", `Invalid Group: ${escHtml(name)}.`, "site_user");
    tagIds.add(tag.id);
  }
  const clients = await existingIds(
    targets.clients,
    async (ids) => (await getClients(deps.kv, ids)).map((c) => c.client_id),
  );
  if (clients.missing !== undefined) {
    throw new InvalidInput("clients", `Invalid client ID: ${escHtml(clients.missing)}.`, "site_user");
  }
  const listed = await selectBulkSites(deps, { include: null, exclude: null });
  const selected = listed.filter((site) =>
    isReachableSite(site) &&
    (sites.ids.has(site.id) || clients.ids.has(site.client_id) || site.tag_ids.some((t) => tagIds.has(t)))
  );
  if (selected.length === 0) throw new OperationFailed("site_users.no_website", "No website found.");
  return selected;
}
