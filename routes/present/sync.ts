/**
 * @module
 * MainWP's wire shapes of syncs (rest-v2.md §2.1 routes 4 and 12): one site as `{"success":1,"data":<site
 * view>}` / `{"success":0,"data":[]}`, many as `{"total":N,"data":{"<id>":{"result":"success"|"failed",
 * …site view}}}` in the given order (unknown included ids as `{"result":"failed"}`), or the queued job's
 * `{"success":1,"message","job_id","total"}`.
 *
 * @example
 * ```ts
 * return await presentSyncOne(ctx, site, { fields: null, params: req.params });
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { deadlineMessage } from "../../lib/bulk-deadline.ts";
import { type BulkSyncEntry, syncOrQueueSites, syncSite } from "../../core/sync/sync.ts";
import type { SiteRecord } from "../../core/sites/resolve.ts";
import { siteViewOf, type SiteViewOptions } from "./site-view.ts";
import { orderedMap } from "../../wp/ordered-map.ts";

/** How each synced site is shown: `_fields` and the request parameters for `mainwp_rest_prepare_site`. */
export type SyncViewOptions = Pick<SiteViewOptions, "fields" | "params">;

/**
 * Syncs one site and answers MainWP's way: the fresh site view, or `success` 0 (the error is stored on
 * the site).
 *
 * @example
 * ```ts
 * await presentSyncOne(ctx, site, {});
 * ```
 */
export async function presentSyncOne(
  ctx: AppContext,
  site: SiteRecord,
  options: SyncViewOptions,
): Promise<{ success: 1; data: Record<string, unknown> } | { success: 0; data: [] }> {
  const outcome = await syncSite(ctx, site);
  if (!outcome?.ok) return { success: 0, data: [] };
  return { success: 1, data: await siteViewOf(ctx, outcome.site, options) };
}

/** One site's entry of a bulk sync answer: its view with `result` first (and the deadline's `error`). */
async function bulkEntryView(
  ctx: AppContext,
  entry: BulkSyncEntry,
  options: SyncViewOptions,
): Promise<Record<string, unknown>> {
  if ("timedOut" in entry) {
    const view = await siteViewOf(ctx, entry.site, options);
    return { result: "failed", ...view, error: deadlineMessage(entry.afterMs) };
  }
  const view = await siteViewOf(ctx, entry.site, entry.ok ? { ...options, sync: entry.sync } : options);
  return { result: entry.ok ? "success" : "failed", ...view };
}

/**
 * Syncs the sites (or queues a sync job above the batch threshold) and answers MainWP's bulk shape;
 * `unknown` are included ids that are no listed site, answered as failed after the others.
 *
 * @example
 * ```ts
 * await presentSyncMany(ctx, sites, [999999], {}); // { total, data: { …, "999999": { result: "failed" } } }
 * ```
 */
export async function presentSyncMany(
  ctx: AppContext,
  sites: readonly SiteRecord[],
  unknown: readonly number[],
  options: SyncViewOptions,
): Promise<Record<string, unknown>> {
  const run = await syncOrQueueSites(ctx, sites, (entry) => bulkEntryView(ctx, entry, options));
  if (run.queued) {
    return {
      success: 1,
      message: "Sync queued for background processing.",
      job_id: run.jobId,
      total: run.total,
    };
  }
  const entries: [string, unknown][] = run.results.map(({ site, result }) => [String(site.id), result]);
  for (const id of unknown) entries.push([String(id), { result: "failed" }]);
  return { total: entries.length, data: orderedMap(entries) };
}
