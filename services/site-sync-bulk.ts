/**
 * @module
 * Sync of one site and of many (`POST /sites/{id}/sync`, `POST /sites/sync`), moved verbatim out of
 * `site-actions.ts` for the sync concept (core/sync). Bulk answers wait at most the bulk deadline
 * (`lib/bulk-deadline.ts`); above `mainwp_abilities_batch_threshold` sites a sync job is queued.
 *
 * @example
 * ```ts
 * await syncManySites(ctx, [3, 5]);
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { deadlineMessage, mapUntilDeadline } from "../lib/bulk-deadline.ts";
import { getSite, type SiteRecord } from "../store/sites.ts";
import { syncSite } from "./sync.ts";
import { siteViewOf } from "./site-view.ts";
import { orderedMap } from "./tags.ts";
import { queueAboveThreshold } from "../jobs/queue.ts";
import { BULK_CONCURRENCY } from "../core/sites/bulk.ts";

/** A bulk answer: results keyed by site id in site order (`[]` when none). */
export interface BulkAnswer<T> {
  total: number;
  data: Record<string, T> | [];
}

/** Results keyed by site id in the sites' order (PHP keeps insertion order; a plain object would sort). */
function keyed<T>(sites: readonly { id: number }[], results: readonly (T | null)[]): BulkAnswer<T> {
  const entries: [string, T][] = [];
  sites.forEach((site, i) => {
    const r = results[i];
    if (r !== null && r !== undefined) entries.push([String(site.id), r]);
  });
  return { total: entries.length, data: orderedMap(entries) };
}

async function recordsOf(ctx: AppContext, sites: readonly (SiteRecord | number)[]): Promise<SiteRecord[]> {
  const out: SiteRecord[] = [];
  for (const s of sites) {
    const site = typeof s === "number" ? await getSite(ctx.kv, s) : s;
    if (site) out.push(site);
  }
  return out;
}

/** How bulk answers present each site (MainWP's `view` context; `_fields` per site). */
export interface BulkViewOptions {
  /** `_fields` projection of each site object (id always kept). */
  fields?: string[] | null;
  /** Request parameters for `mainwp_rest_prepare_site`. */
  params?: Record<string, unknown>;
}

/**
 * `POST /sites/{id}/sync`: `{"success":1,"data":<site view>}` or `{"success":0,"data":[]}` (the error
 * is stored on the site).
 *
 * @example
 * ```ts
 * await syncOneSite(ctx, site);
 * ```
 */
export async function syncOneSite(
  ctx: AppContext,
  site: SiteRecord,
  options: BulkViewOptions = {},
): Promise<{ success: 1; data: Record<string, unknown> } | { success: 0; data: [] }> {
  const outcome = await syncSite(ctx, site);
  if (!outcome?.ok) return { success: 0, data: [] };
  return { success: 1, data: await siteViewOf(ctx, outcome.site, options) };
}

/**
 * `POST /sites/sync`: syncs the sites concurrently;
 * `{"total":N,"data":{"<id>":{"result":"success"|"failed", …site view}}}` in the given order. A failed
 * site's view shows its stored data and the new `sync_errors`.
 *
 * @example
 * ```ts
 * await syncManySites(ctx, await bulkSites(ctx, {}));
 * ```
 */
export async function syncManySites(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
  options: BulkViewOptions = {},
): Promise<BulkAnswer<Record<string, unknown>>> {
  const records = await recordsOf(ctx, sites);
  const { results } = await mapUntilDeadline(ctx, records, BULK_CONCURRENCY, async (site) => {
    const outcome = await syncSite(ctx, site);
    if (!outcome) return null;
    const view = await siteViewOf(
      ctx,
      outcome.site,
      outcome.ok ? { ...options, sync: outcome.sync } : options,
    );
    return { result: outcome.ok ? "success" : "failed", ...view };
  }, async (site, ms) => {
    const view = await siteViewOf(ctx, (await getSite(ctx.kv, site.id)) ?? site, options);
    return { result: "failed", ...view, error: deadlineMessage(ms) };
  });
  return keyed(records, results);
}

/**
 * `POST /sites/sync`: {@link syncManySites}, or above `mainwp_abilities_batch_threshold` sites a sync job →
 * `{"success":1,"message":"Sync queued for background processing.","job_id":"sync_…","total":N}`.
 *
 * @example
 * ```ts
 * await syncOrQueueSites(ctx, await bulkSites(ctx, {}));
 * ```
 */
export async function syncOrQueueSites(
  ctx: AppContext,
  sites: readonly SiteRecord[],
  options: BulkViewOptions = {},
): Promise<BulkAnswer<Record<string, unknown>> | Record<string, unknown>> {
  const job = await queueAboveThreshold(ctx, { type: "sync", sites: sites.map((s) => s.id) });
  if (!job) return await syncManySites(ctx, sites, options);
  return {
    success: 1,
    message: "Sync queued for background processing.",
    job_id: job.job_id,
    total: sites.length,
  };
}
