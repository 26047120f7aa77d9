/**
 * @module
 * When an operation becomes a background job (abilities.md §3.1): when the resolved, accessible sites
 * number more than `mainwp_abilities_batch_threshold` (default 200). The one "queue above the
 * threshold, else run now" decision ({@link queueOrRun}), used by the batch abilities, the update runs
 * and the REST bulk routes that MainWP sends through them.
 *
 * @example
 * ```ts
 * const job = await queueAboveThreshold(ctx, { type: "sync", sites: ids });
 * if (job) return { queued: true, job_id: job.job_id, status_url: jobStatusUrl(ctx, job.job_id) };
 * ```
 */
import type { AppContext } from "../app-context.ts";
import { OperationFailed } from "../core/errors.ts";
import type { QueueRequest } from "./engine.ts";
import type { JobRecord } from "./store.ts";

/**
 * The threshold (`mainwp_abilities_batch_threshold`, default 200).
 *
 * @example
 * ```ts
 * await batchThreshold(ctx); // 200
 * ```
 */
export async function batchThreshold(ctx: AppContext): Promise<number> {
  const value = Number(await ctx.hooks.applyFilters("mainwp_abilities_batch_threshold", 200));
  return Number.isFinite(value) ? value : 200;
}

/**
 * The job's status URL (`PUBLIC_URL/wp-json/mainwp/v2/jobs/<id>`).
 *
 * @example
 * ```ts
 * jobStatusUrl(ctx, "sync_…"); // "https://dashboard.example/wp-json/mainwp/v2/jobs/sync_…"
 * ```
 */
export function jobStatusUrl(ctx: AppContext, jobId: string): string {
  return `${ctx.config.publicUrl}/wp-json/mainwp/v2/jobs/${jobId}`;
}

/**
 * Queues the request as a job when its sites exceed the threshold (strictly); `null` means run it now.
 * A job that cannot be stored is MainWP's 500 `mainwp_queue_failed`.
 *
 * @example
 * ```ts
 * await queueAboveThreshold(ctx, { type: "check", sites: [1, 2, 3] }); // null below the threshold
 * ```
 */
export async function queueAboveThreshold(ctx: AppContext, request: QueueRequest): Promise<JobRecord | null> {
  if (request.sites.length <= await batchThreshold(ctx)) return null;
  try {
    return await ctx.jobs.queue(request);
  } catch (error) {
    console.error("[fleetpress] could not queue a job:", error);
    const kind = request.type === "sync" ? "sync" : request.type === "update" ? "update" : "batch";
    throw new OperationFailed("job.queue", `Failed to store ${kind} job data. Please try again.`);
  }
}

/** What {@link queueOrRun} did: queued a job, or ran the work now. */
export type QueuedOrRan<T> = { queued: JobRecord } | { ran: T };

/**
 * Queues the request as a job above the threshold, else runs `now` and returns its result.
 *
 * @example
 * ```ts
 * const outcome = await queueOrRun(ctx, { type: "check", sites: ids }, () => checkAll(ids));
 * if ("queued" in outcome) console.log(outcome.queued.job_id);
 * ```
 */
export async function queueOrRun<T>(
  ctx: AppContext,
  request: QueueRequest,
  now: () => Promise<T>,
): Promise<QueuedOrRan<T>> {
  const job = await queueAboveThreshold(ctx, request);
  return job ? { queued: job } : { ran: await now() };
}
