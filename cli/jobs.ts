/**
 * @module
 * `deno task cli job …`: list recent background jobs, or show one with a progress bar; `--follow`
 * redraws the bar on every change (KV `watch`) until the job completes or fails.
 *
 * @example
 * ```ts
 * await runJobCommand(kv, "show", ["sync_…"], { follow: true }, io);
 * ```
 */
import type { CliIO } from "./main.ts";
import { listJobs } from "../jobs/store.ts";
import { jobStatus, type JobStatusView, statusView } from "../jobs/status.ts";
import { keys } from "../store/keys.ts";

const BAR_WIDTH = 30;

/**
 * One line for a job: a bar, the percentage, counts and status.
 *
 * @example
 * ```ts
 * progressLine(status); // "sync_… [#########---------------------]  30%  150/500  ok 148  failed 2  processing"
 * ```
 */
export function progressLine(s: JobStatusView): string {
  const filled = Math.round(s.progress / 100 * BAR_WIDTH);
  const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
  return `${s.job_id} ${bar} ${
    String(s.progress).padStart(3)
  }%  ${s.processed}/${s.total}  ok ${s.succeeded}  failed ${s.failed}  ${s.status}`;
}

const ended = (s: JobStatusView) => s.status === "completed" || s.status === "failed";

/**
 * Runs a `job` sub-command; returns the exit code (`show` of a failed job exits 1).
 *
 * @example
 * ```ts
 * await runJobCommand(kv, "list", [], {}, io);
 * ```
 */
export async function runJobCommand(
  kv: Deno.Kv,
  command: string | undefined,
  args: string[],
  options: { follow?: boolean },
  io: CliIO,
): Promise<number> {
  if (command === "list") {
    const jobs = await listJobs(kv, 50);
    if (jobs.length === 0) io.out("No jobs in the last 24 hours.");
    for (const job of jobs) io.out(progressLine(statusView(job, [])));
    return 0;
  }
  if (command !== "show" || !args[0]) {
    io.err("Usage: job show ID [--follow] | job list");
    return 2;
  }
  const id = args[0];
  let status = await jobStatus(kv, id);
  if (!status) {
    io.err(`Job ${id} not found (jobs are kept for 24 hours after their last change).`);
    return 1;
  }
  if (options.follow && !ended(status)) {
    const watcher = kv.watch([keys.job(id)]).getReader();
    try {
      let last = "";
      while (status && !ended(status)) {
        const line = progressLine(status);
        if (line !== last) (io.draw ?? io.out)(line);
        last = line;
        await watcher.read();
        status = await jobStatus(kv, id);
      }
    } finally {
      await watcher.cancel().catch(() => {});
    }
    if (!status) {
      io.err(`Job ${id} expired.`);
      return 1;
    }
  }
  io.out(progressLine(status));
  for (const error of status.errors.slice(0, 20)) {
    io.out(`  site ${error.site_id}: ${error.code}: ${error.message}`);
  }
  if (status.errors.length > 20) io.out(`  … and ${status.errors.length - 20} more errors`);
  return status.status === "failed" ? 1 : 0;
}
