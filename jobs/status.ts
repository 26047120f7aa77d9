/**
 * @module
 * A job's status as `mainwp/get-batch-job-status-v1` answers it (abilities.md §3.5), also served by
 * `GET /wp-json/mainwp/v2/jobs/{id}`: counts, per-site errors gathered from the chunks, `Z` timestamps,
 * and the timeout fields.
 *
 * @example
 * ```ts
 * const status = await jobStatus(kv, "sync_…"); // null when unknown or expired
 * ```
 */
import { NotFound } from "../core/errors.ts";
import { getJob, type JobError, type JobRecord, listChunks } from "./store.ts";

/** The status body (abilities.md §3.5). */
export interface JobStatusView {
  job_id: string;
  type: string;
  status: string;
  progress: number;
  processed: number;
  total: number;
  succeeded: number;
  failed: number;
  started_at: string | null;
  completed_at: string | null;
  errors: JobError[];
  job_timed_out: boolean;
  job_error_code?: string;
  job_error_message?: string;
}

/** `YYYY-MM-DDTHH:MM:SSZ` for unix seconds, or `null`. */
function zulu(unixSeconds: number | null): string | null {
  return unixSeconds ? new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") : null;
}

/**
 * The status view of a job record and its chunks' errors (pass `[]` for a summary without the per-site
 * errors: the counts stay right).
 *
 * @example
 * ```ts
 * statusView(job, []).status; // "queued"
 * ```
 */
export function statusView(job: JobRecord, chunkErrors: readonly JobError[]): JobStatusView {
  const errors = [...chunkErrors, ...job.job_errors];
  const view: JobStatusView = {
    job_id: job.job_id,
    type: job.job_type,
    status: job.status,
    progress: Math.min(100, Math.max(0, job.progress)),
    processed: Math.max(0, job.processed),
    total: Math.max(0, job.total),
    succeeded: job.succeeded,
    // The record counts the per-site errors (the chunks hold them) plus the job's own (the timeout).
    failed: job.failed + job.job_errors.length,
    started_at: zulu(job.started),
    completed_at: zulu(job.completed),
    errors,
    job_timed_out: job.job_timed_out === true,
  };
  if (view.job_timed_out) {
    view.job_error_code = "timeout";
    view.job_error_message = "Job timed out after 4 hours. Partial results may be available.";
  }
  return view;
}

/**
 * A job's status, or `null` when it is unknown or expired.
 *
 * @example
 * ```ts
 * (await jobStatus(kv, id))?.progress;
 * ```
 */
export async function jobStatus(kv: Deno.Kv, id: string): Promise<JobStatusView | null> {
  const job = await getJob(kv, id);
  if (!job) return null;
  // Per-site errors live in the chunks; a job without any needs no chunk read (cheap polling).
  const errors = job.failed > 0 ? (await listChunks(kv, id)).flatMap((c) => c.value.errors ?? []) : [];
  return statusView(job, errors);
}

/** What a job id that names no job (or an expired one) answers, on every surface. */
export const JOB_NOT_FOUND = "Batch job not found. Job may have expired (jobs are kept for 24 hours).";

/**
 * A job's status, or `NotFound("job")` when there is none (or it expired).
 *
 * @example
 * ```ts
 * const status = await requireJobStatus(kv, "sync_abc");
 * ```
 */
export async function requireJobStatus(kv: Deno.Kv, id: string): Promise<JobStatusView> {
  const status = await jobStatus(kv, id);
  if (!status) throw new NotFound("job", id, JOB_NOT_FOUND);
  return status;
}
