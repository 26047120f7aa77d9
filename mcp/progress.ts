/**
 * @module
 * Follows a queued job for an MCP tool call whose client asked for progress (`_meta.progressToken`):
 * each change of the job's status (as the job engine writes it; KV `watch` wakes the loop) is reported,
 * until the job completes or fails, the call is cancelled, or the time limit passes — whichever is first.
 *
 * @example
 * ```ts
 * const final = await followJob(ctx.kv, "sync_…", (s) => sendProgress(s.processed, s.total), signal);
 * ```
 */
import { watchJob } from "../jobs/store.ts";
import { jobStatus, type JobStatusView } from "../jobs/status.ts";

/** The longest a tool call waits for its job (the job goes on; its status stays readable). */
export const FOLLOW_LIMIT_MS = 15 * 60 * 1000;

/** How long the loop sleeps when no write woke it (a watch may lag behind a write). */
const TICK_MS = 1_000;

/**
 * Reports the job's status on every change and returns the last one seen (`null` when the job is gone).
 *
 * @example
 * ```ts
 * await followJob(kv, id, async (status) => console.log(status.progress), AbortSignal.timeout(60_000));
 * ```
 */
export async function followJob(
  kv: Deno.Kv,
  jobId: string,
  report: (status: JobStatusView) => Promise<void>,
  signal: AbortSignal,
  limitMs = FOLLOW_LIMIT_MS,
): Promise<JobStatusView | null> {
  const reader = watchJob(kv, jobId).getReader();
  const until = Date.now() + limitMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const aborted = new Promise<void>((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
  // One read at a time: a tick that wins the race leaves the read pending for the next round.
  let pending: Promise<unknown> | undefined;
  let last = "";
  let status: JobStatusView | null = null;
  try {
    while (!signal.aborted && Date.now() < until) {
      status = await jobStatus(kv, jobId);
      if (!status) return null;
      const seen = `${status.status}:${status.processed}:${status.total}`;
      if (seen !== last) await report(status);
      last = seen;
      if (status.status === "completed" || status.status === "failed") return status;
      const tick = new Promise<void>((resolve) =>
        timer = setTimeout(resolve, Math.min(TICK_MS, until - Date.now()))
      );
      pending ??= reader.read().then(() => pending = undefined);
      await Promise.race([pending, tick, aborted]);
      clearTimeout(timer);
    }
    return status;
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}
