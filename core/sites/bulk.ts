/**
 * @module
 * Operations on many sites at once: which sites a bulk call acts on, running one operation over them
 * concurrently until the bulk deadline (`lib/bulk-deadline.ts`: sites still running then are answered
 * as late and finish in the background), and the queue-or-run decision (above
 * `mainwp_abilities_batch_threshold` sites, a background job).
 *
 * @example
 * ```ts
 * const sites = await selectBulkSites(ctx, { include: [3, 5], exclude: null });
 * const results = await reconnectSites(ctx, sites); // [{ site, ok }]
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { mapUntilDeadline } from "../../lib/bulk-deadline.ts";
import { getSite, type SiteRecord } from "../../store/sites.ts";
import { includeExclude, listedSiteRecords } from "./fleet.ts";
import { queueAboveThreshold } from "../../jobs/queue.ts";
import type { JobRecord, JobType } from "../../jobs/store.ts";
import type { HookDeps, StoreDeps } from "../deps.ts";
import { ChildUnavailable } from "../errors.ts";
import { type CheckOutcome, checkSite, disconnectSite, reconnectSite } from "./connection.ts";

/**
 * Sites of one bulk call in progress at once. Above the connector's own limits on purpose: the
 * connector queues the child requests, so local work (signing, storing) overlaps with other sites' waits.
 */
export const BULK_CONCURRENCY = 128;

/** Which sites a bulk call names: `null` for no restriction; ids that are 0 match nothing. */
export interface BulkSelection {
  include: readonly number[] | null;
  exclude: readonly number[] | null;
}

/**
 * The listed (non-staging) sites a bulk call acts on, in MainWP's URL order: all of them minus
 * `exclude` when `include` is `null`, else only the included ids (none when no id is positive).
 *
 * @example
 * ```ts
 * (await selectBulkSites(ctx, { include: [3], exclude: null })).map((s) => s.id); // [3]
 * ```
 */
export async function selectBulkSites({ kv }: StoreDeps, selection: BulkSelection): Promise<SiteRecord[]> {
  const listed = await listedSiteRecords(kv);
  const { include, exclude } = selection;
  // An include of only zeros keeps nothing (includeExclude reads an empty list as "all").
  if (include !== null && !include.some((id) => id > 0)) return [];
  return includeExclude(listed, include ?? [], exclude ?? []);
}

/**
 * {@link selectBulkSites} plus the positive included ids that are no listed site (and not excluded).
 *
 * @example
 * ```ts
 * (await selectBulkSitesReportingUnknown(ctx, { include: [3, 999], exclude: null })).unknown; // [999]
 * ```
 */
export async function selectBulkSitesReportingUnknown(
  deps: StoreDeps,
  selection: BulkSelection,
): Promise<{ sites: SiteRecord[]; unknown: number[] }> {
  const sites = await selectBulkSites(deps, selection);
  const found = new Set(sites.map((s) => s.id));
  const excluded = new Set(selection.exclude ?? []);
  const unknown = (selection.include ?? []).filter((id) => id > 0 && !found.has(id) && !excluded.has(id));
  return { sites, unknown };
}

/**
 * The records of sites given as records or ids (ids of missing sites are dropped).
 *
 * @example
 * ```ts
 * (await siteRecordsOf(ctx, [3, site])).length; // 2
 * ```
 */
export async function siteRecordsOf(
  { kv }: StoreDeps,
  sites: readonly (SiteRecord | number)[],
): Promise<SiteRecord[]> {
  const out: SiteRecord[] = [];
  for (const s of sites) {
    const site = typeof s === "number" ? await getSite(kv, s) : s;
    if (site) out.push(site);
  }
  return out;
}

/** One site's result of a bulk run. */
export interface SiteResult<R> {
  site: SiteRecord;
  result: R;
}

/**
 * Runs `task` on every site ({@link BULK_CONCURRENCY} at once) until the bulk deadline; a site not done
 * by then is answered by `late` (with the deadline in ms) and finishes in the background.
 *
 * @example
 * ```ts
 * await runOnSites(ctx, sites, async (site) => (await checkSite(ctx, site)).online, () => false);
 * ```
 */
export async function runOnSites<R>(
  deps: HookDeps,
  sites: readonly SiteRecord[],
  task: (site: SiteRecord) => Promise<R>,
  late: (site: SiteRecord, ms: number) => R | Promise<R>,
): Promise<SiteResult<R>[]> {
  const { results } = await mapUntilDeadline(deps, sites, BULK_CONCURRENCY, task, late);
  return sites.map((site, i) => ({ site, result: results[i] }));
}

/** How one site of a bulk check ended: checked (whatever it answered), failed to check, or late. */
export type BulkCheck =
  | { status: "checked"; outcome: CheckOutcome }
  | { status: "failed"; site: SiteRecord }
  | { status: "late"; site: SiteRecord; ms: number };

/**
 * Checks the sites concurrently; `present` turns each site's ending into the caller's entry right after
 * it (so a bulk call never waits for the whole fleet to build its answers). A late site is read back.
 *
 * @example
 * ```ts
 * await checkSites(ctx, sites, async (c) => c.status);
 * ```
 */
export async function checkSites<R>(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
  present: (check: BulkCheck) => Promise<R>,
): Promise<SiteResult<R>[]> {
  return await runOnSites(ctx, await siteRecordsOf(ctx, sites), async (site) => {
    try {
      return await present({ status: "checked", outcome: await checkSite(ctx, site) });
    } catch (error) {
      if (!(error instanceof ChildUnavailable)) throw error;
      return await present({ status: "failed", site });
    }
  }, async (site, ms) => present({ status: "late", site: (await getSite(ctx.kv, site.id)) ?? site, ms }));
}

/**
 * Reconnects the disconnected sites (those with a sync error) among `sites`, concurrently; connected
 * sites are left alone and not listed (MainWP's loop stops at the first connected site instead: a bug).
 * `ok` is false for a failed or late site.
 *
 * @example
 * ```ts
 * (await reconnectSites(ctx, sites)).filter((r) => r.result).length;
 * ```
 */
export async function reconnectSites(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
): Promise<SiteResult<boolean>[]> {
  const records = (await siteRecordsOf(ctx, sites)).filter((s) => s.sync_errors !== "");
  return await runOnSites(ctx, records, async (site) => (await reconnectSite(ctx, site)).ok, () => false);
}

/**
 * Sends `disconnect` to every site concurrently; a site's result is true when its child answered with
 * a `result` (false when it could not be reached, answered only an error, or was late).
 *
 * @example
 * ```ts
 * await disconnectSites(ctx, [3]);
 * ```
 */
export async function disconnectSites(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
): Promise<SiteResult<boolean>[]> {
  return await runOnSites(ctx, await siteRecordsOf(ctx, sites), async (site) => {
    try {
      return (await disconnectSite(ctx, site)).answered;
    } catch (error) {
      if (error instanceof ChildUnavailable) return false;
      throw error;
    }
  }, () => false);
}

/**
 * Queues `type` over the sites as a background job when they number more than
 * `mainwp_abilities_batch_threshold`, else runs `now`.
 *
 * @example
 * ```ts
 * const answer = await queueOrRun(ctx, "check", sites, () => checkSites(ctx, sites, present));
 * if ("job" in answer) console.log(answer.job.job_id);
 * ```
 */
export async function queueOrRun<T>(
  ctx: AppContext,
  type: JobType,
  sites: readonly SiteRecord[],
  now: () => Promise<T>,
): Promise<{ job: JobRecord } | { ran: T }> {
  const job = await queueAboveThreshold(ctx, { type, sites: sites.map((s) => s.id) });
  return job ? { job } : { ran: await now() };
}
