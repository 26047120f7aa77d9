/**
 * @module
 * The Tools screen's background jobs over every site: destroy sessions, renew connections (the child
 * forgets the Dashboard's key, then the site is registered again with a fresh key pair) and disconnect
 * all sites (the child forgets the Dashboard). They run on the job engine, started at once in chunks of
 * five sites three seconds apart (MainWP's batch size and spacing); their progress reads back as
 * {@link ToolJobProgress}. The per-site step is in `jobs/operations.ts` ({@link runToolStep}).
 *
 * @example
 * ```ts
 * const job = await startToolJob(ctx, "renew");
 * const progress = await toolJobProgress(ctx, "renew", job.job_id);
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import type { StoreDeps } from "../deps.ts";
import { NotFound, OperationFailed } from "../errors.ts";
import { keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import type { SiteRecord } from "../../store/sites.ts";
import { jobStatus } from "../../jobs/status.ts";
import type { JobRecord, JobStatus } from "../../jobs/store.ts";
import { disconnectSite, reconnectSite } from "../sites/connection.ts";
import { ChildUnavailable } from "../errors.ts";

/** The Tools jobs, by their job type. */
export type ToolJobKind = "destroy_sessions" | "renew" | "disconnect_all";

/** MainWP's batch: five sites a run, three seconds apart, the first at once. */
export const TOOL_JOB_TIMING = Object.freeze({ startDelayMs: 0, chunkSize: 5, rescheduleMs: 3_000 });

/** Errors a progress report lists at most (MainWP shows the first ten). */
export const TOOL_JOB_ERRORS_SHOWN = 10;

/**
 * Starts a Tools job over every site of the Dashboard. `OperationFailed("tools.no_sites")` when there
 * is none (MainWP's "No website found.").
 *
 * @example
 * ```ts
 * (await startToolJob(ctx, "disconnect_all")).job_id; // "disconnect_all_…"
 * ```
 */
export async function startToolJob(ctx: AppContext, kind: ToolJobKind): Promise<JobRecord> {
  const sites = await allSiteIds(ctx);
  if (sites.length === 0) throw new OperationFailed("tools.no_sites", "No website found.");
  try {
    return await ctx.jobs.queue({ type: kind, sites, timing: TOOL_JOB_TIMING });
  } catch (error) {
    console.error("[fleetpress] could not queue a tools job:", error);
    throw new OperationFailed("job.queue", "Failed to store batch job data. Please try again.");
  }
}

async function allSiteIds({ kv }: StoreDeps): Promise<number[]> {
  return await listIds(kv, keys.sites());
}

/** A Tools job's progress. */
export interface ToolJobProgress {
  /** `pending` (not started), `processing` or `completed` (whatever failed). */
  status: "pending" | "processing" | "completed";
  total: number;
  processed: number;
  failed: number;
  /** 0–100, two decimals. */
  progress: number;
  /** The first {@link TOOL_JOB_ERRORS_SHOWN} failures. */
  errors: { site_id: number; error: string }[];
  /** Unix seconds, `null` until the job ends. */
  completedAt: number | null;
}

const STATUS: Record<JobStatus, ToolJobProgress["status"]> = {
  queued: "pending",
  processing: "processing",
  completed: "completed",
  failed: "completed",
};

/**
 * The progress of Tools job `id` of `kind`; {@link NotFound} (`job`) when there is no such job (or it
 * expired, 24 h after its last change).
 *
 * @example
 * ```ts
 * (await toolJobProgress(ctx, "destroy_sessions", id)).status; // "completed"
 * ```
 */
export async function toolJobProgress(
  { kv }: StoreDeps,
  kind: ToolJobKind,
  id: string,
): Promise<ToolJobProgress> {
  const view = id.startsWith(`${kind}_`) && id.length <= 200 ? await jobStatus(kv, id) : null;
  if (!view || view.type !== kind) throw new NotFound("job", id);
  return {
    status: STATUS[view.status as JobStatus] ?? "pending",
    total: view.total,
    processed: view.processed,
    failed: view.failed,
    progress: view.total > 0 ? Math.round((view.processed / view.total) * 10_000) / 100 : 0,
    errors: view.errors.slice(0, TOOL_JOB_ERRORS_SHOWN).map((e) => ({
      site_id: e.site_id,
      error: e.message,
    })),
    completedAt: view.completed_at ? Math.floor(Date.parse(view.completed_at) / 1000) : null,
  };
}

/** A site's failure in a Tools job (`null`: done). */
type StepOutcome = { code: string; message: string } | null;

/**
 * One site's step of a Tools job. Destroy sessions has nothing to end per site (Fleetpress keeps no
 * WordPress login sessions; MainWP's step only checks the site is editable). Renew: a site with a sync
 * error is reconnected first, then the child is told to disconnect and the site registered again.
 * Disconnect all: the child is told to disconnect.
 *
 * @example
 * ```ts
 * await runToolStep(ctx, "renew", site); // null when renewed
 * ```
 */
export async function runToolStep(
  ctx: AppContext,
  kind: ToolJobKind,
  site: SiteRecord,
): Promise<StepOutcome> {
  if (kind === "destroy_sessions") return null;
  let current = site;
  if (kind === "renew" && site.sync_errors) {
    const first = await reconnectSite(ctx, site);
    if (first.ok) current = first.site;
  }
  let answer;
  try {
    answer = await disconnectSite(ctx, current);
  } catch (error) {
    if (!(error instanceof ChildUnavailable)) throw error;
    return { code: `${kind}_failed`, message: error.message };
  }
  if (!answer.success) {
    const fallback = kind === "renew" ? "Try to disconnect site failed" : "Unknown error";
    return { code: `${kind}_failed`, message: answer.error || fallback };
  }
  if (kind === "disconnect_all") return null;
  const renewed = await reconnectSite(ctx, current);
  return renewed.ok
    ? null
    : { code: "renew_failed", message: renewed.error || "Try to reconnect site failed" };
}
