/**
 * @module
 * The schedule as operators see it: the interval, the next run, the run in progress and the last one,
 * with times in ISO 8601 and the runs' job ids (read them at `/mainwp/v2/jobs/{id}`).
 *
 * @example
 * ```ts
 * const status = await scheduleStatus(ctx);
 * status.next_run; // "2026-12-07T06:00:00.000Z"
 * ```
 */
import type { StoreDeps } from "../deps.ts";
import { type FleetScheduler, type ScheduleRun, scheduleState } from "./fleet-sync.ts";

/** A run as shown. */
export interface ScheduleRunView {
  id: number;
  phase: ScheduleRun["phase"];
  started: string;
  finished: string | null;
  sync_job: string | null;
  update_job: string | null;
}

/** The schedule as shown. */
export interface ScheduleStatus {
  /** Seconds between runs now (settings and filter). */
  interval_seconds: number;
  /** When the next run is due; `null` until the scheduler first ran. */
  next_run: string | null;
  current_run: ScheduleRunView | null;
  last_run: ScheduleRunView | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

function runView(run: ScheduleRun | null): ScheduleRunView | null {
  if (!run) return null;
  return {
    id: run.id,
    phase: run.phase,
    started: iso(run.started),
    finished: run.finished === null ? null : iso(run.finished),
    sync_job: run.sync_job,
    update_job: run.update_job,
  };
}

/**
 * The stored schedule with the current interval.
 *
 * @example
 * ```ts
 * (await scheduleStatus(ctx)).interval_seconds; // 86400
 * ```
 */
export async function scheduleStatus(
  deps: StoreDeps & { schedule: Pick<FleetScheduler, "intervalMs"> },
): Promise<ScheduleStatus> {
  const [state, interval] = await Promise.all([scheduleState(deps.kv), deps.schedule.intervalMs()]);
  return {
    interval_seconds: interval / 1000,
    next_run: state ? iso(state.next_run) : null,
    current_run: runView(state?.run ?? null),
    last_run: runView(state?.last_run ?? null),
  };
}
