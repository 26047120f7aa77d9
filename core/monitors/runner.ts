/**
 * @module
 * Runs the monitors' scheduled checks in the background, started and stopped beside the job engine.
 * Queue mode (local KV): each due time is a delayed KV queue message (`jobs/queue-listener.ts`), and a
 * recovery pass re-sends runs overdue by more than `recoveryMs` (their message was lost with a
 * process). Poll mode (remote KV, no queues): a tick claims what the due index shows due, and
 * `Deno.cron` wakes an instance every minute where it exists. Either way a check is claimed first
 * (`schedule.ts`), so several processes on one store never check one due time twice; in-process
 * checks are bounded by `concurrency`.
 *
 * @example
 * ```ts
 * const runner = new MonitorRunner(() => ctx, { mode: "queue" });
 * const stop = runner.start();
 * await stop();
 * ```
 */
import { everyMinute } from "../../lib/cron.ts";
import type { ChildDeps } from "../deps.ts";
import { onQueueMessage } from "../../jobs/queue-listener.ts";
import { getMonitorState, listDueMonitors } from "../../store/monitors.ts";
import { checkMonitor } from "./check.ts";
import { claimDueCheck, ensureMonitors, isMonitorMessage, type MonitorMessage } from "./schedule.ts";

/** How the runner works. */
export interface MonitorRunnerOptions {
  mode: "queue" | "poll";
  /** Checks running at once in this process (default 32). */
  concurrency?: number;
  /** Poll-mode tick (default 500 ms). */
  tickMs?: number;
  /** Queue mode: re-send runs overdue by this much (default 30 s), checked as often. */
  recoveryMs?: number;
}

/** Runs scheduled monitor checks. */
export class MonitorRunner {
  #deps: () => ChildDeps;
  #options: Required<MonitorRunnerOptions>;
  #running = new Set<Promise<void>>();
  #inFlight = new Set<number>();
  #waiting: (() => void)[] = [];
  #active = 0;
  #stopped = true;

  /** `deps` is read when work starts (the app context exists by then). */
  constructor(deps: () => ChildDeps, options: MonitorRunnerOptions) {
    this.#deps = deps;
    this.#options = { concurrency: 32, tickMs: 500, recoveryMs: 30_000, ...options };
  }

  async #slot(): Promise<() => void> {
    if (this.#active >= this.#options.concurrency) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#active++;
    return () => {
      this.#active--;
      this.#waiting.shift()?.();
    };
  }

  /**
   * Claims and runs one monitor's due check (`seq` from a queue message, `null` from a poller).
   *
   * @example
   * ```ts
   * await runner.runDue(3, null);
   * ```
   */
  async runDue(siteId: number, seq: number | null): Promise<void> {
    // A poller sees a due monitor on every tick until its claim commits: one run at a time here. Queue
    // messages need no such guard (the claim matches their sequence).
    if (seq === null) {
      if (this.#inFlight.has(siteId)) return;
      this.#inFlight.add(siteId);
    }
    const release = await this.#slot();
    try {
      if (this.#stopped) return;
      const deps = this.#deps();
      const claim = await claimDueCheck(deps, siteId, seq, Date.now());
      if (claim) await checkMonitor(deps, siteId, claim);
    } finally {
      release();
      if (seq === null) this.#inFlight.delete(siteId);
    }
  }

  #spawn(siteId: number, seq: number | null): void {
    const run = this.runDue(siteId, seq)
      .catch((error) => console.error(`[fleetpress] monitor ${siteId} check failed:`, error))
      .finally(() => this.#running.delete(run));
    this.#running.add(run);
  }

  /**
   * Poll mode: starts the checks due now. Queue mode: re-sends runs overdue by more than the recovery
   * delay. Reads at most 1,000 due entries per call.
   *
   * @example
   * ```ts
   * await runner.pump();
   * ```
   */
  async pump(): Promise<void> {
    if (this.#stopped) return;
    const deps = this.#deps();
    const poll = this.#options.mode === "poll";
    const until = Date.now() - (poll ? 0 : this.#options.recoveryMs);
    for (const { siteId } of await listDueMonitors(deps.kv, until, 1000)) {
      if (poll) this.#spawn(siteId, null);
      else {
        const state = await getMonitorState(deps.kv, siteId);
        if (state && state.due !== null) {
          await deps.kv.enqueue({ fleetpress_monitor: siteId, seq: state.seq } satisfies MonitorMessage);
        }
      }
    }
  }

  #cron(): void {
    everyMinute("fleetpress-monitors", () => this.pump());
  }

  /**
   * Starts: creates missing monitors, then listens (queue mode) or ticks (poll mode). Returns a
   * function that stops and waits for running checks.
   *
   * @example
   * ```ts
   * const stop = runner.start();
   * ```
   */
  start(): () => Promise<void> {
    this.#stopped = false;
    const deps = this.#deps();
    const log = (error: unknown) => console.error("[fleetpress] monitor schedule failed:", error);
    let unlisten: (() => void) | undefined;
    if (this.#options.mode === "queue") {
      unlisten = onQueueMessage(deps.kv, isMonitorMessage, async (message) => {
        if (!this.#stopped) await this.runDue(message.fleetpress_monitor, message.seq);
      });
    }
    const period = this.#options.mode === "queue" ? this.#options.recoveryMs : this.#options.tickMs;
    const timer = setInterval(() => this.pump().catch(log), period);
    const started = ensureMonitors(deps).then(() => this.pump()).catch(log);
    if (this.#options.mode === "poll") this.#cron();
    return async () => {
      this.#stopped = true;
      unlisten?.();
      clearInterval(timer);
      await started;
      await Promise.allSettled([...this.#running]);
    };
  }
}
