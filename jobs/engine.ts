/**
 * @module
 * The job engine: queues jobs and advances them chunk by chunk (abilities.md §3.3), exactly once per
 * chunk whatever Deno KV's at-least-once delivery does (platform.md §1.2).
 *
 * A job's work is split into chunks, scheduled along *lanes* (the worker count: chunks of one job that
 * may run at once). A lane run ({@link JobEngine.runLane}) is one short step:
 * 1. **claim** a chunk in one atomic commit that checks the job's and the chunk's versionstamps — the
 *    next never-claimed chunk, or a chunk whose claim lease ran out (its worker died);
 * 2. **work**: the job's operation on each site of the chunk (jobs/operations.ts); an update first records
 *    in the chunk that the site started (jobs/starts.ts), so a worker taking the chunk over syncs that site
 *    before updating it again;
 * 3. **record**: the chunk's results, the job's counters and the lane's next run, in one atomic commit
 *    that checks the chunk is still ours — a worker that lost its claim discards its results.
 * A lane run carries the lane's sequence number; a duplicated or late message has an old number and
 * does nothing. With queues (local KV) the next run is an `enqueue` with a delay, written in the same
 * commit; without (remote KV) the lane's due time in the record is the schedule and a loop claims due
 * lanes — the same claim and record code either way. A recovery pass re-sends lanes that are overdue.
 *
 * @example
 * ```ts
 * const engine = new JobEngine({ kv, hooks, runSite: (job, siteId) => runSiteOperation(ctx, job, siteId) }, {
 *   mode: "queue",
 *   leaseMs: 120_000,
 * });
 * const stop = engine.start();
 * await engine.queue({ type: "sync", sites: [1, 2, 3] });
 * ```
 */
import { everyMinute } from "../lib/cron.ts";
import { onQueueMessage } from "./queue-listener.ts";
import type { HookRegistry } from "../hooks/registry.ts";
import { keys } from "../store/keys.ts";
import { ChunkStarts, type SiteStarts } from "./starts.ts";
import {
  activeJobIds,
  type ChunkRecord,
  commitJobOp,
  createJob,
  getJobEntry,
  JOB_TIMEOUT_MS,
  type JobRecord,
  type JobType,
  listChunks,
  putChunk,
  putJob,
} from "./store.ts";
import { mapConcurrent } from "../lib/concurrency.ts";

/** A queue message that runs one lane step. */
export interface LaneMessage {
  fleetpress_job: string;
  lane: string;
  seq: number;
}

/** How the engine runs. */
export interface JobEngineOptions {
  /** `queue`: KV's queue (local KV); `poll`: a lease-claiming loop (any KV). */
  mode: "queue" | "poll";
  /** How long a chunk claim holds before another worker may take it over. */
  leaseMs: number;
  /** Lanes per job (default 1, as MainWP). */
  workers?: number;
  /** Poll-mode tick (default 250 ms). */
  tickMs?: number;
  /** Queue mode: re-send lanes overdue by this much (default 30 s), checked as often. */
  recoveryMs?: number;
}

/** A site's failure in a job; `null` when the site's operation succeeded. */
export type SiteOutcome = { code: string; message: string } | null;

/**
 * Runs a job's operation on one site. `starts` (update jobs) records the site's start against the
 * chunk's claim before the first child call.
 */
export type SiteRunner = (job: JobRecord, siteId: number, starts?: SiteStarts) => Promise<SiteOutcome>;

/** What the engine works with: the store, the hooks of its timing filters, and the operation it runs. */
export interface JobEngineDeps {
  kv: Deno.Kv;
  hooks: HookRegistry;
  /** The app binds jobs/operations.ts's `runSiteOperation` to itself here. */
  runSite: SiteRunner;
}

/** What to queue. */
export interface QueueRequest {
  type: JobType;
  sites: readonly number[];
  types?: string[];
  specificItems?: string[];
  /** The scheduler's jobs (core/schedule/). */
  scheduled?: "sync" | "auto_update";
  /** Automatic updates: the delay in days an item must have been available. */
  autoDelayDays?: number;
  /** Timing of this job instead of the `mainwp_abilities_cron_*` filters (the Tools jobs use MainWP's own). */
  timing?: { startDelayMs: number; chunkSize: number; rescheduleMs: number };
}

/** Adds writes to the commit that stores a new job (the scheduler's claim of its run). */
export type AlongsideJob = (op: Deno.AtomicOperation, job: JobRecord) => void;

const MAX_ATTEMPTS = 25;
const TIMEOUT_ERROR = { site_id: 0, code: "timeout", message: "Job timed out after 4 hours." };

/** Whether a value is a {@link LaneMessage}. */
function isLaneMessage(value: unknown): value is LaneMessage {
  const m = value as LaneMessage;
  return !!m && typeof m === "object" && typeof m.fleetpress_job === "string" && typeof m.lane === "string" &&
    typeof m.seq === "number";
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Queues and advances background jobs. */
export class JobEngine {
  /** What the engine was built with; another engine on the same app (a second worker) may share them. */
  readonly deps: JobEngineDeps;
  #options: Required<JobEngineOptions>;
  #inFlight = new Set<string>();
  #running = new Set<Promise<void>>();

  constructor(deps: JobEngineDeps, options: JobEngineOptions) {
    this.deps = deps;
    this.#options = { workers: 1, tickMs: 250, recoveryMs: 30_000, ...options };
  }

  /** The mode in use. */
  get mode(): "queue" | "poll" {
    return this.#options.mode;
  }

  /**
   * Stores a queued job; its first chunk runs after `mainwp_abilities_cron_initial_delay` seconds
   * (default 60), chunks hold `mainwp_abilities_cron_chunk_size` sites (default 20) and follow each other
   * `mainwp_abilities_cron_reschedule_delay` seconds apart (default 30).
   *
   * @example
   * ```ts
   * const job = await engine.queue({ type: "check", sites: [1, 2] });
   * ```
   *
   * `alongside` adds writes (and checks) to the commit that stores the job: when that commit fails its
   * check, no job exists and this throws.
   */
  async queue(request: QueueRequest, alongside?: AlongsideJob): Promise<JobRecord> {
    const hooks = this.deps.hooks;
    const delay = async (
      name: "mainwp_abilities_cron_initial_delay" | "mainwp_abilities_cron_reschedule_delay",
      fallback: number,
    ) => {
      const value = Number(await hooks.applyFilters(name, fallback));
      return Number.isFinite(value) && value > 0 ? value * 1000 : 0;
    };
    const chunkSize = Math.max(
      1,
      Math.trunc(
        request.timing?.chunkSize ?? Number(await hooks.applyFilters("mainwp_abilities_cron_chunk_size", 20)),
      ) || 1,
    );
    const job = await createJob(this.deps.kv, {
      type: request.type,
      sites: request.sites,
      chunkSize,
      startDelayMs: request.timing?.startDelayMs ?? await delay("mainwp_abilities_cron_initial_delay", 60),
      rescheduleMs: request.timing?.rescheduleMs ?? await delay("mainwp_abilities_cron_reschedule_delay", 30),
      lanes: this.#options.workers,
      types: request.types,
      specificItems: request.specificItems,
      scheduled: request.scheduled,
      autoDelayDays: request.autoDelayDays,
    }, (op, record, lane) => {
      if (lane === "0") alongside?.(op, record);
      this.#send(op, record, lane, record.lanes[lane].due - Date.now());
    });
    if (this.#options.mode === "poll") this.#kick();
    return job;
  }

  /** Adds a lane's run to `op` as a queue message (queue mode only; poll mode reads `due`). */
  #send(op: Deno.AtomicOperation, job: JobRecord, lane: string, delayMs: number): void {
    if (this.#options.mode !== "queue") {
      op.sum(keys.jobsRev(), 1n); // wakes pollers watching it (other processes included)
      return;
    }
    const message: LaneMessage = { fleetpress_job: job.job_id, lane, seq: job.lanes[lane].seq };
    op.enqueue(message, { delay: Math.max(0, Math.round(delayMs)) });
  }

  /** Moves a lane to its next run `delayMs` from now, inside `op`. */
  #reschedule(op: Deno.AtomicOperation, job: JobRecord, lane: string, delayMs: number): void {
    job.lanes[lane] = { seq: job.lanes[lane].seq + 1, due: Date.now() + delayMs };
    this.#send(op, job, lane, delayMs);
  }

  /**
   * One lane step: claim a chunk, do its work, record the results and schedule the lane's next run.
   * Safe to call for a duplicated or stale message (it then does nothing).
   *
   * @example
   * ```ts
   * await engine.runLane("sync_…", "0", 0);
   * ```
   */
  async runLane(jobId: string, lane: string, seq: number): Promise<void> {
    const claim = await this.#claim(jobId, lane, seq);
    if (!claim) return;
    // Updates must not simply repeat after a crash: their starts are recorded against the claim.
    const starts = claim.job.job_type === "update" ? new ChunkStarts(this.deps.kv, jobId, claim) : undefined;
    const results = await mapConcurrent(
      claim.chunk.sites,
      Math.max(1, claim.chunk.sites.length),
      (siteId) => this.deps.runSite(claim.job, siteId, starts),
    );
    await this.#record(jobId, lane, seq, claim, results);
  }

  /** Step 1: claims a chunk (or completes the job, or waits for other lanes' claims). */
  async #claim(jobId: string, lane: string, seq: number) {
    const kv = this.deps.kv;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const jobEntry = await getJobEntry(kv, jobId);
      const job = jobEntry.value;
      if (!job) {
        await kv.delete(keys.activeJob(jobId));
        return null;
      }
      if (job.status === "completed" || job.status === "failed") return null;
      if (job.lanes[lane]?.seq !== seq) return null;
      const now = Date.now();
      const op = kv.atomic().check(jobEntry);
      if (job.started !== null && now > job.started * 1000 + JOB_TIMEOUT_MS) {
        Object.assign(job, { status: "failed", completed: seconds(now), job_timed_out: true });
        job.job_errors = [...job.job_errors, TIMEOUT_ERROR];
        putJob(op, job, now).delete(keys.activeJob(jobId));
        if ((await commitJobOp(op)).ok) return await this.#finished(job);
        continue;
      }
      if (job.status === "queued") Object.assign(job, { status: "processing", started: seconds(now) });
      let chunkEntry: Deno.KvEntryMaybe<ChunkRecord>;
      let n: number;
      if (job.next_chunk < job.chunk_count) {
        n = job.next_chunk++;
        chunkEntry = await kv.get<ChunkRecord>(keys.jobChunk(jobId, n));
      } else {
        const chunks = await listChunks(kv, jobId);
        const running = chunks.filter((c) => c.value.state === "running");
        const lost = running.find((c) => c.value.lease_until <= now);
        if (!lost) {
          const ending = chunks.every((c) => c.value.state === "done");
          if (ending) {
            this.#complete(job, now);
            putJob(op, job, now).delete(keys.activeJob(jobId));
          } else {
            // Other lanes hold the rest: look again when the first of their claims runs out.
            const wake = Math.min(...running.map((c) => c.value.lease_until));
            this.#reschedule(op, job, lane, Math.max(0, wake - now) + 50);
            putJob(op, job, now);
          }
          if ((await commitJobOp(op)).ok) return ending ? await this.#finished(job) : null;
          continue;
        }
        n = Number(lost.key[2]);
        chunkEntry = lost;
      }
      const chunk = chunkEntry.value;
      if (!chunk) {
        // A chunk that vanished (it expired with a stalled job): nothing left to do for it.
        job.chunks_done++;
        putJob(op, job, now);
        await commitJobOp(op);
        continue;
      }
      chunk.state = "running";
      chunk.lease_until = now + this.#options.leaseMs;
      chunk.claims++;
      op.check(chunkEntry);
      putJob(op, job, now);
      putChunk(op, jobId, n, chunk, now);
      const result = await commitJobOp(op);
      if (result.ok) return { job, n, chunk, versionstamp: result.versionstamp };
    }
    return null;
  }

  /** Ends a job whose chunks are all done: `completed`, or `failed` when every site failed. */
  #complete(job: JobRecord, now: number): void {
    const status = job.total > 0 && job.succeeded === 0 ? "failed" : "completed";
    Object.assign(job, { status, completed: seconds(now), progress: 100 });
  }

  /** Step 3: records a chunk's results with the job's progress, unless the claim was lost. */
  async #record(
    jobId: string,
    lane: string,
    seq: number,
    claim: { n: number; chunk: ChunkRecord; versionstamp: string },
    results: SiteOutcome[],
  ): Promise<void> {
    const kv = this.deps.kv;
    const succeeded: number[] = [];
    const errors: { site_id: number; code: string; message: string }[] = [];
    claim.chunk.sites.forEach((siteId, i) => {
      const failure = results[i];
      if (failure) errors.push({ site_id: siteId, ...failure });
      else succeeded.push(siteId);
    });
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const chunkEntry = await kv.get<ChunkRecord>(keys.jobChunk(jobId, claim.n));
      if (chunkEntry.versionstamp !== claim.versionstamp) return; // taken over: the new holder records it
      const jobEntry = await getJobEntry(kv, jobId);
      const job = jobEntry.value;
      if (!job) return;
      const now = Date.now();
      const wasLive = job.status === "queued" || job.status === "processing";
      const op = kv.atomic().check(chunkEntry).check(jobEntry);
      putChunk(op, jobId, claim.n, { ...claim.chunk, state: "done", lease_until: 0, succeeded, errors }, now);
      job.processed += claim.chunk.sites.length;
      job.succeeded += succeeded.length;
      job.failed += errors.length;
      job.chunks_done++;
      job.progress = job.total > 0 ? Math.round(job.processed / job.total * 100) : 0;
      if (job.status === "processing" && job.chunks_done >= job.chunk_count) {
        this.#complete(job, now);
        op.delete(keys.activeJob(jobId));
      } else if (job.status === "processing" && job.lanes[lane]?.seq === seq) {
        this.#reschedule(op, job, lane, job.reschedule_ms);
      }
      putJob(op, job, now);
      if ((await commitJobOp(op)).ok) {
        if (wasLive && (job.status === "completed" || job.status === "failed")) await this.#finished(job);
        return;
      }
    }
  }

  /** Tells `fleetpress_job_finished` that a job ended (once: only the commit that ended it calls this). */
  async #finished(job: JobRecord): Promise<null> {
    if (job.status !== "completed" && job.status !== "failed") return null;
    try {
      await this.deps.hooks.doAction("fleetpress_job_finished", {
        job_id: job.job_id,
        job_type: job.job_type,
        status: job.status,
        total: job.total,
        succeeded: job.succeeded,
        failed: job.failed,
        scheduled: job.scheduled !== undefined,
      });
    } catch (error) {
      console.error(`[fleetpress] fleetpress_job_finished for ${job.job_id} failed:`, error);
    }
    return null;
  }

  /**
   * Runs (poll mode) or re-sends (queue mode) the lanes that are due: in poll mode those due now, in
   * queue mode those overdue by more than the recovery delay (their message was lost with a process).
   *
   * @example
   * ```ts
   * await engine.pump();
   * ```
   */
  async pump(): Promise<void> {
    const kv = this.deps.kv;
    const now = Date.now();
    const grace = this.#options.mode === "poll" ? 0 : this.#options.recoveryMs;
    for (const id of await activeJobIds(kv)) {
      const entry = await getJobEntry(kv, id);
      if (!entry.value) {
        await kv.delete(keys.activeJob(id));
        continue;
      }
      for (const [lane, state] of Object.entries(entry.value.lanes)) {
        if (state.due + grace > now) continue;
        if (this.#options.mode === "queue") {
          await kv.enqueue({ fleetpress_job: id, lane, seq: state.seq } satisfies LaneMessage);
        } else this.#spawn(id, lane, state.seq);
      }
    }
  }

  /** Starts a lane step unless this process already runs it. */
  #spawn(jobId: string, lane: string, seq: number): void {
    const key = `${jobId}/${lane}/${seq}`;
    if (this.#inFlight.has(key)) return;
    this.#inFlight.add(key);
    const run = this.runLane(jobId, lane, seq)
      .catch((error) => console.error(`[fleetpress] job ${jobId} lane ${lane} failed:`, error))
      .finally(() => {
        this.#inFlight.delete(key);
        this.#running.delete(run);
        if (this.#options.mode === "poll") this.#kick();
      });
    this.#running.add(run);
  }

  #kickTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;

  /** Poll mode: pump soon. */
  #kick(): void {
    if (this.#stopped || this.#kickTimer !== undefined) return;
    this.#kickTimer = setTimeout(() => {
      this.#kickTimer = undefined;
      this.pump().catch((error) => console.error("[fleetpress] job pump failed:", error));
    }, 0);
  }

  /** Poll mode: pumps whenever the jobs revision changes (a job queued or a lane rescheduled). */
  #watch(kv: Deno.Kv): void {
    const stream = kv.watch([keys.jobsRev()]);
    this.#watcher = stream.getReader();
    (async () => {
      while (!this.#stopped) {
        const { done } = await this.#watcher!.read();
        if (done) return;
        this.#kick();
      }
    })().catch(() => {});
  }

  #watcher: ReadableStreamDefaultReader<unknown> | undefined;
  #unlisten: (() => void) | undefined;

  /**
   * Poll mode on Deno Deploy, where instances sleep when idle: `Deno.cron` wakes one every minute to pump.
   * (`Deno.cron` exists on Deploy and with `--unstable-cron`; elsewhere the tick and the watch suffice.)
   */
  #cron(): void {
    everyMinute("fleetpress-jobs", () => this.pump());
  }

  /**
   * Starts working: queue mode listens to the KV queue and re-sends overdue lanes every recovery
   * period; poll mode pumps every tick and whenever a job is queued. Returns a function that stops
   * and waits for running steps.
   *
   * @example
   * ```ts
   * const stop = engine.start();
   * await stop();
   * ```
   */
  start(): () => Promise<void> {
    this.#stopped = false;
    const kv = this.deps.kv;
    if (this.#options.mode === "queue") {
      this.#unlisten = onQueueMessage(kv, isLaneMessage, async (message) => {
        if (this.#stopped) return;
        const key = `${message.fleetpress_job}/${message.lane}/${message.seq}`;
        if (this.#inFlight.has(key)) return; // the same step is running here already
        this.#inFlight.add(key);
        try {
          await this.runLane(message.fleetpress_job, message.lane, message.seq);
        } finally {
          this.#inFlight.delete(key);
        }
      });
    }
    const period = this.#options.mode === "queue" ? this.#options.recoveryMs : this.#options.tickMs;
    const timer = setInterval(() => {
      this.pump().catch((error) => console.error("[fleetpress] job pump failed:", error));
    }, period);
    if (this.#options.mode === "queue") {
      // At start: lanes left overdue by a process that stopped.
      this.pump().catch((error) => console.error("[fleetpress] job pump failed:", error));
    } else {
      this.#kick();
      this.#watch(kv);
      this.#cron();
    }
    return async () => {
      this.#stopped = true;
      this.#unlisten?.();
      clearInterval(timer);
      clearTimeout(this.#kickTimer);
      this.#kickTimer = undefined;
      await this.#watcher?.cancel().catch(() => {});
      await Promise.allSettled([...this.#running]);
    };
  }
}
