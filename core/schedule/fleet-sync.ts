/**
 * @module
 * The scheduled fleet work: every `86400 / syncsPerDay` seconds (General settings; the filter
 * `fleetpress_auto_sync_interval_seconds` overrides) a sync job of every non-suspended site, then — when
 * the automation settings enable a kind — an update job of the automatic updates (`auto-updates.ts`). Both
 * are ordinary jobs of the job engine (visible in `/jobs`, resumable), one run at a time.
 *
 * The schedule is one KV record (`["schedule", "fleet_sync"]`): the next run's time, the run in progress
 * (its phase and job ids) and the last run. Every change is a commit that checks the record's versionstamp,
 * and a run's job is stored in the same commit that claims the run — so two processes never start the
 * same run, and a process that stops mid-run leaves a record another process (or its own restart) carries on.
 * A tick reads the record and moves it one step; ticks come from queue messages sent with a delay to the
 * next run (queue mode: through `jobs/queue-listener.ts`), a timer (poll mode; and the recovery timer in
 * queue mode), `Deno.cron` where it exists, and the end of a scheduled job (`fleetpress_job_finished`).
 *
 * @example
 * ```ts
 * const scheduler = new FleetScheduler(ctx, { mode: "queue" });
 * const stop = scheduler.start();
 * await stop();
 * ```
 */
import { everyMinute } from "../../lib/cron.ts";
import type { HookDeps } from "../deps.ts";
import type { JobEngine } from "../../jobs/engine.ts";
import { keys } from "../../store/keys.ts";
import { listSites } from "../../store/sites.ts";
import { getJob } from "../../jobs/store.ts";
import { onQueueMessage } from "../../jobs/queue-listener.ts";
import { type AutomationSettings, getAutomationSettings } from "../settings/automation.ts";
import { autoUpdateKinds, sitesForAutoUpdate } from "./auto-updates.ts";

/** One scheduled run: a sync job, then (maybe) an automatic-update job. */
export interface ScheduleRun {
  /** Runs are numbered from 1. */
  id: number;
  /** ms since epoch. */
  started: number;
  phase: "sync" | "update" | "done";
  sync_job: string | null;
  update_job: string | null;
  finished: number | null;
}

/** The stored schedule. */
export interface ScheduleState {
  /** When the next run is due (ms since epoch). */
  next_run: number;
  /** The interval the next run was planned with (ms). */
  interval_ms: number;
  /** The run in progress, if any. */
  run: ScheduleRun | null;
  last_run: ScheduleRun | null;
  /** The last run's id. */
  seq: number;
}

/** The queue message that wakes the scheduler. */
export interface ScheduleMessage {
  fleetpress_schedule: "fleet_sync";
}

/** How the scheduler runs. */
export interface FleetSchedulerOptions {
  mode: "queue" | "poll";
  /** Poll mode: how often to look at the schedule (default 5 s). */
  tickMs?: number;
  /** Queue mode: how often to look anyway, in case a message was lost with a process (default 30 s). */
  recoveryMs?: number;
  /** Where the automation settings come from (default `getAutomationSettings`; tests and embedders). */
  settings?: (deps: HookDeps) => Promise<AutomationSettings>;
}

const DAY_SECONDS = 86_400;
/** Shortest interval the filter may set. */
const MIN_INTERVAL_SECONDS = 1;
/** Longest interval (the longest KV queue delay). */
const MAX_INTERVAL_SECONDS = 30 * DAY_SECONDS;
/** Steps one tick takes at most (a run moves through at most three). */
const MAX_STEPS = 6;

const isScheduleMessage = (m: unknown): m is ScheduleMessage =>
  typeof m === "object" && m !== null && (m as ScheduleMessage).fleetpress_schedule === "fleet_sync";

/**
 * The state as stored (`null` before the first tick).
 *
 * @example
 * ```ts
 * (await scheduleState(kv))?.next_run;
 * ```
 */
export async function scheduleState(kv: Deno.Kv): Promise<ScheduleState | null> {
  return (await kv.get<ScheduleState>(keys.fleetSchedule())).value;
}

/** What the scheduler works with: the store, the hooks and the job engine its runs go through. */
export interface SchedulerDeps extends HookDeps {
  jobs: Pick<JobEngine, "queue">;
}

/** Runs the fleet's scheduled sync and automatic updates. */
export class FleetScheduler {
  readonly #ctx: SchedulerDeps;
  readonly #options: Required<FleetSchedulerOptions>;
  #ticking: Promise<void> | null = null;
  #again = false;
  #stopped = true;

  constructor(ctx: SchedulerDeps, options: FleetSchedulerOptions) {
    this.#ctx = ctx;
    this.#options = { tickMs: 5_000, recoveryMs: 30_000, settings: getAutomationSettings, ...options };
  }

  /**
   * The interval between runs in ms: `86400 / syncsPerDay` seconds, or the filter's value (1 s – 30 days).
   *
   * @example
   * ```ts
   * await scheduler.intervalMs(); // 86_400_000
   * ```
   */
  async intervalMs(): Promise<number> {
    const { syncsPerDay } = await this.#options.settings(this.#ctx);
    const perDay = Number.isFinite(syncsPerDay) && syncsPerDay >= 1 ? syncsPerDay : 1;
    const fallback = DAY_SECONDS / perDay;
    const value = Number(
      await this.#ctx.hooks.applyFilters("fleetpress_auto_sync_interval_seconds", fallback),
    );
    const seconds = Number.isFinite(value) && value > 0 ? value : fallback;
    return Math.round(Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, seconds)) * 1000);
  }

  /**
   * Moves the schedule on as far as it can now: starts a due run, or moves the current one to its next
   * phase when its job has ended. Safe to call any time, from any process, any number of times.
   *
   * @example
   * ```ts
   * await scheduler.tick();
   * ```
   */
  tick(): Promise<void> {
    if (this.#ticking) {
      this.#again = true;
      return this.#ticking;
    }
    this.#ticking = (async () => {
      try {
        do {
          this.#again = false;
          await this.#steps();
        } while (this.#again && !this.#stopped);
      } finally {
        this.#ticking = null;
      }
    })();
    return this.#ticking;
  }

  async #steps(): Promise<void> {
    const kv = this.#ctx.kv;
    for (let step = 0; step < MAX_STEPS; step++) {
      const entry = await kv.get<ScheduleState>(keys.fleetSchedule());
      const now = Date.now();
      const interval = await this.intervalMs();
      const state = entry.value;
      if (!state) {
        const first: ScheduleState = {
          next_run: now + interval,
          interval_ms: interval,
          run: null,
          last_run: null,
          seq: 0,
        };
        await this.#commit(entry, first, now);
        continue;
      }
      if (state.run) {
        if (await this.#advance(entry, state, state.run)) continue;
        return;
      }
      if (state.next_run > now + interval) {
        // The interval was shortened: the next run comes no later than one new interval from now.
        await this.#commit(entry, { ...state, next_run: now + interval, interval_ms: interval }, now);
        continue;
      }
      if (state.next_run > now) return;
      await this.#startRun(entry, state, now, interval);
    }
  }

  /** Writes the state if the record is unchanged, with the wake-up message for its next run. */
  async #commit(entry: Deno.KvEntryMaybe<ScheduleState>, next: ScheduleState, now: number): Promise<boolean> {
    const op = this.#ctx.kv.atomic().check(entry).set(keys.fleetSchedule(), next);
    this.#wake(op, next, now);
    try {
      return (await op.commit()).ok;
    } catch (error) {
      console.error("[fleetpress] could not write the schedule:", error);
      return false;
    }
  }

  /** Queue mode: a message for when the next run is due (duplicates are harmless: a tick is idempotent). */
  #wake(op: Deno.AtomicOperation, next: ScheduleState, now: number): void {
    if (this.#options.mode !== "queue" || next.run) return;
    const delay = Math.min(MAX_INTERVAL_SECONDS * 1000, Math.max(0, next.next_run - now));
    op.enqueue({ fleetpress_schedule: "fleet_sync" } satisfies ScheduleMessage, { delay });
  }

  /** Claims a due run: its sync job is stored in the same commit as the claim. */
  async #startRun(
    entry: Deno.KvEntryMaybe<ScheduleState>,
    state: ScheduleState,
    now: number,
    interval: number,
  ): Promise<void> {
    const planned = state.next_run + interval;
    const run: ScheduleRun = {
      id: state.seq + 1,
      started: now,
      phase: "sync",
      sync_job: null,
      update_job: null,
      finished: null,
    };
    // Runs missed while no process was up are not made up for: the next one is an interval from now.
    const next: ScheduleState = {
      next_run: planned > now ? planned : now + interval,
      interval_ms: interval,
      run,
      last_run: state.last_run,
      seq: run.id,
    };
    const sites = (await listSites(this.#ctx.kv)).filter((s) => !s.suspended).map((s) => s.id);
    if (sites.length === 0) {
      await this.#commit(
        entry,
        { ...next, run: null, last_run: { ...run, phase: "done", finished: now } },
        now,
      );
      return;
    }
    try {
      await this.#ctx.jobs.queue({ type: "sync", sites, scheduled: "sync" }, (op, job) => {
        run.sync_job = job.job_id;
        op.check(entry).set(keys.fleetSchedule(), next);
      });
    } catch {
      // The claim's check failed (another process started the run) or the job could not be stored:
      // the next step reads the record again.
    }
  }

  /** Moves a run on when its current job has ended; `true` when the record changed. */
  async #advance(
    entry: Deno.KvEntryMaybe<ScheduleState>,
    state: ScheduleState,
    run: ScheduleRun,
  ): Promise<boolean> {
    const kv = this.#ctx.kv;
    const current = run.phase === "sync" ? run.sync_job : run.update_job;
    const job = current ? await getJob(kv, current) : null;
    if (job && (job.status === "queued" || job.status === "processing")) return false;
    const now = Date.now();
    const finish = () =>
      this.#commit(entry, { ...state, run: null, last_run: { ...run, phase: "done", finished: now } }, now);
    if (run.phase !== "sync") return await finish();
    const settings = await this.#options.settings(this.#ctx);
    const kinds = autoUpdateKinds(settings);
    const delayDays = Number.isFinite(settings.autoUpdateDelayDays)
      ? Math.max(0, settings.autoUpdateDelayDays)
      : 0;
    const sites = await sitesForAutoUpdate(this.#ctx, kinds, delayDays);
    if (sites.length === 0) return await finish();
    const updating: ScheduleRun = { ...run, phase: "update" };
    try {
      await this.#ctx.jobs.queue(
        { type: "update", sites, types: kinds, scheduled: "auto_update", autoDelayDays: delayDays },
        (op, queued) => {
          updating.update_job = queued.job_id;
          op.check(entry).set(keys.fleetSchedule(), { ...state, run: updating });
        },
      );
    } catch {
      // Another process moved the run on first (or the job could not be stored): read again.
    }
    return true;
  }

  /** Ticks, logging a failure (timers and messages have nobody to report to). */
  #safeTick = (): Promise<void> =>
    this.tick().catch((error) => console.error("[fleetpress] scheduled fleet work failed:", error));

  /**
   * Starts ticking: at once, then on queue messages and the recovery timer (queue mode) or the poll timer
   * and `Deno.cron` (poll mode), and whenever a scheduled job ends. Returns a function that stops and
   * waits for a running tick.
   *
   * @example
   * ```ts
   * const stop = scheduler.start();
   * ```
   */
  start(): () => Promise<void> {
    this.#stopped = false;
    const kv = this.#ctx.kv;
    const unlisten = this.#options.mode === "queue"
      ? onQueueMessage(kv, isScheduleMessage, async () => {
        if (!this.#stopped) await this.#safeTick();
      })
      : undefined;
    const onJobEnd = (job: { scheduled: boolean }) => {
      if (job.scheduled && !this.#stopped) void this.#safeTick();
    };
    this.#ctx.hooks.addAction("fleetpress_job_finished", onJobEnd);
    const period = this.#options.mode === "queue" ? this.#options.recoveryMs : this.#options.tickMs;
    const timer = setInterval(() => void this.#safeTick(), period);
    if (this.#options.mode === "poll") this.#cron();
    void this.#safeTick();
    return async () => {
      this.#stopped = true;
      unlisten?.();
      clearInterval(timer);
      this.#ctx.hooks.removeAction("fleetpress_job_finished", onJobEnd);
      await this.#ticking?.catch(() => {});
    };
  }

  /** Poll mode on Deno Deploy, where idle instances sleep: `Deno.cron` wakes one every minute. */
  #cron(): void {
    everyMinute("fleetpress-schedule", () => this.#safeTick());
  }
}
