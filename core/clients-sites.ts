/**
 * @module
 * Which sites belong to a client: their ids, records and count, and (re)assignment. The link is the
 * site record's `client_id`; each site is written through `updateSite` (one atomic commit per site,
 * moving the client→sites index with the record), and a site is only taken away from a client if it
 * still belongs to it, so concurrent assignments never leave the index and the records disagreeing.
 *
 * @example
 * ```ts
 * await assignClientSites(ctx, 2, [3, 7]);
 * await clientSiteIdList(ctx, 2); // [3, 7]
 * ```
 */
import type { StoreDeps } from "./deps.ts";
import { clientSiteIds, getClient } from "../store/clients.ts";
import { getSites, type SiteRecord, updateSite } from "../store/sites.ts";
import { mapConcurrent } from "../lib/concurrency.ts";

/** Site writes in flight at once while (un)assigning. */
const ASSIGN_CONCURRENCY = 8;

/**
 * Ids of a client's sites (staging sites included, as MainWP's `selected_sites`), ascending.
 *
 * @example
 * ```ts
 * await clientSiteIdList(ctx, 2); // [3, 7]
 * ```
 */
export async function clientSiteIdList({ kv }: StoreDeps, clientId: number): Promise<number[]> {
  return await clientSiteIds(kv, clientId);
}

/**
 * The records of a client's (non-staging) sites, ascending by id.
 *
 * @example
 * ```ts
 * (await clientSites(ctx, 2)).map((s) => s.url);
 * ```
 */
export async function clientSites({ kv }: StoreDeps, clientId: number): Promise<SiteRecord[]> {
  const sites = await getSites(kv, await clientSiteIds(kv, clientId));
  return sites.filter((s) => !s.is_staging && s.client_id === clientId);
}

/**
 * How many (non-staging) sites a client has.
 *
 * @example
 * ```ts
 * await countClientSites(ctx, 2); // 3
 * ```
 */
export async function countClientSites(deps: StoreDeps, clientId: number): Promise<number> {
  return (await clientSites(deps, clientId)).length;
}

/**
 * Unassigns every site of a client (client 0), e.g. after the client was removed.
 *
 * @example
 * ```ts
 * await unassignAllSites(ctx, 2);
 * ```
 */
export async function unassignAllSites({ kv }: StoreDeps, clientId: number): Promise<void> {
  const ids = await clientSiteIds(kv, clientId);
  await mapConcurrent(
    ids,
    ASSIGN_CONCURRENCY,
    (siteId) => updateSite(kv, siteId, (s) => (s.client_id === clientId ? { ...s, client_id: 0 } : null)),
  );
}

/**
 * Makes `siteIds` the client's sites: its other sites are unassigned (client 0), the listed ones are
 * moved to it (unknown ids are ignored). With an empty list every site is unassigned. If the client is
 * deleted meanwhile, the sites it just got are unassigned again.
 *
 * @example
 * ```ts
 * await assignClientSites(ctx, 2, [3, 7]);
 * ```
 */
export async function assignClientSites(deps: StoreDeps, clientId: number, siteIds: number[]): Promise<void> {
  const { kv } = deps;
  const wanted = [...new Set(siteIds.filter((id) => Number.isInteger(id) && id > 0))];
  const current = await clientSiteIds(kv, clientId);
  const jobs = [
    ...current.filter((id) => !wanted.includes(id)).map((siteId) => () =>
      updateSite(kv, siteId, (s) => (s.client_id === clientId ? { ...s, client_id: 0 } : null))
    ),
    ...wanted.map((siteId) => () =>
      updateSite(kv, siteId, (s) => (s.client_id === clientId ? null : { ...s, client_id: clientId }))
    ),
  ];
  await mapConcurrent(jobs, ASSIGN_CONCURRENCY, (job) => job());
  if (wanted.length > 0 && !(await getClient(kv, clientId))) await unassignAllSites(deps, clientId);
}
