/**
 * @module
 * Background job records in Deno KV (abilities.md §3.2). A job is one record with MainWP's fields and
 * counters, plus its sites split into chunks, each its own key with a claim lease and the chunk's
 * results — so a 10,000-site job never meets the 64 KiB value limit and a chunk's results are written
 * together with the job's progress in one atomic commit. Every record carries `expires_at` (24 h after
 * its last write), checked on read because KV deletes expired keys lazily; `expireIn` only collects them.
 *
 * @example
 * ```ts
 * const job = await createJob(kv, { type: "sync", sites: [1, 2, 3], chunkSize: 20, startDelayMs: 0 });
 * ```
 */
import { keys } from "../store/keys.ts";
import { isDatabaseLocked } from "../store/kv.ts";
import { fitsKey } from "../lib/limits.ts";

/**
 * The job types and their id prefixes (abilities.md §3.1), then the Tools screen's jobs (the settings
 * controller's `destroy-sessions`, `renew-connections`, `disconnect-all-sites`).
 */
export const JOB_TYPES = [
  "sync",
  "update",
  "reconnect",
  "disconnect",
  "check",
  "suspend",
  "destroy_sessions",
  "renew",
  "disconnect_all",
] as const;
/** A job type. */
export type JobType = typeof JOB_TYPES[number];
/** MainWP's job statuses. */
export type JobStatus = "queued" | "processing" | "completed" | "failed";

/** Records live this long after their last write (MainWP's transient TTL). */
export const JOB_TTL_MS = 24 * 3600 * 1000;
/** A started job running longer than this fails with the timeout error. */
export const JOB_TIMEOUT_MS = 4 * 3600 * 1000;

/** A per-site failure (the timeout pseudo-error has site 0). */
export interface JobError {
  site_id: number;
  code: string;
  message: string;
}

/** A lane: one chain of chunk runs. Several lanes make several chunks of a job run at once. */
export interface JobLane {
  /** Bumped each time the lane is rescheduled; a message with an older number is a duplicate. */
  seq: number;
  /** When the lane should run next (ms since epoch). */
  due: number;
}

/** A job record (MainWP's fields first; counters instead of the per-site lists, which live in chunks). */
export interface JobRecord {
  job_id: string;
  job_type: JobType;
  status: JobStatus;
  /** Unix seconds. */
  created: number;
  started: number | null;
  completed: number | null;
  progress: number;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  /** Update jobs: `core`, `plugins`, `themes`, `translations`. */
  types?: string[];
  /** Update jobs: only these slugs. */
  specific_items?: string[];
  /** Set on the scheduler's jobs (core/schedule/): a scheduled sync, or the automatic updates after it. */
  scheduled?: "sync" | "auto_update";
  /** Automatic updates: only items first seen at least this many days ago (`autoUpdateDelayDays`). */
  auto_delay_days?: number;
  job_timed_out?: boolean;
  /** Errors that belong to no chunk (the timeout). */
  job_errors: JobError[];
  chunk_size: number;
  chunk_count: number;
  /** Chunks handed out so far (chunks below this index have been claimed at least once). */
  next_chunk: number;
  chunks_done: number;
  lanes: Record<string, JobLane>;
  /** Delay between a lane's chunks, in ms. */
  reschedule_ms: number;
  /** ms since epoch; the record is gone after this. */
  expires_at: number;
}

/** One chunk of a job's sites. */
export interface ChunkRecord {
  sites: number[];
  state: "pending" | "running" | "done";
  /** While running: until when the claim holds (ms since epoch). */
  lease_until: number;
  /** How many times the chunk was claimed (more than 1 = taken over after a lost worker). */
  claims: number;
  /** Update jobs: sites whose update calls started under some claim (written before the first call). */
  started?: number[];
  succeeded: number[];
  errors: JobError[];
  expires_at: number;
}

/** What a new job needs. */
export interface NewJob {
  type: JobType;
  sites: readonly number[];
  chunkSize: number;
  /** First run after this many ms. */
  startDelayMs: number;
  rescheduleMs?: number;
  lanes?: number;
  types?: string[];
  specificItems?: string[];
  scheduled?: "sync" | "auto_update";
  autoDelayDays?: number;
}

/**
 * A new job id: `<type>_<uuid v4>`.
 *
 * @example
 * ```ts
 * newJobId("sync"); // "sync_0f9c…"
 * ```
 */
export function newJobId(type: JobType): string {
  return `${type}_${crypto.randomUUID()}`;
}

/** Whether a stored value is still alive. */
function alive<T extends { expires_at: number }>(value: T | null, now = Date.now()): value is T {
  return value !== null && value.expires_at > now;
}

/**
 * Reads a job (`null` when missing or expired, whatever KV still holds).
 *
 * @example
 * ```ts
 * (await getJob(kv, "sync_…"))?.status;
 * ```
 */
export async function getJob(kv: Deno.Kv, id: string): Promise<JobRecord | null> {
  if (!fitsKey(id)) return null; // longer than any job id: no such job
  const entry = await kv.get<JobRecord>(keys.job(id));
  return alive(entry.value) ? entry.value : null;
}

/**
 * Reads a job with its versionstamp, for an atomic update (`null` value when missing or expired).
 *
 * @example
 * ```ts
 * const entry = await getJobEntry(kv, id);
 * ```
 */
export async function getJobEntry(kv: Deno.Kv, id: string): Promise<Deno.KvEntryMaybe<JobRecord>> {
  const entry = await kv.get<JobRecord>(keys.job(id));
  return alive(entry.value) ? entry : { ...entry, value: null } as Deno.KvEntryMaybe<JobRecord>;
}

/**
 * A stream that yields each time the job's record is written (KV `watch`), for live status readers;
 * cancel its reader when done.
 *
 * @example
 * ```ts
 * const reader = watchJob(kv, "sync_…").getReader();
 * await reader.read(); // the current record, then one per write
 * ```
 */
export function watchJob(kv: Deno.Kv, id: string): ReadableStream<unknown> {
  return kv.watch([keys.job(id)]);
}

/**
 * Every chunk of a job, in order.
 *
 * @example
 * ```ts
 * const chunks = await listChunks(kv, id);
 * ```
 */
export async function listChunks(kv: Deno.Kv, id: string): Promise<Deno.KvEntry<ChunkRecord>[]> {
  const out: Deno.KvEntry<ChunkRecord>[] = [];
  for await (const entry of kv.list<ChunkRecord>({ prefix: keys.jobChunks(id) }, { batchSize: 500 })) {
    out.push(entry);
  }
  return out;
}

/** Adds a job record write (with its TTL) to `op`. */
export function putJob(op: Deno.AtomicOperation, job: JobRecord, now = Date.now()): Deno.AtomicOperation {
  job.expires_at = now + JOB_TTL_MS;
  return op.set(keys.job(job.job_id), job, { expireIn: JOB_TTL_MS });
}

/** Adds a chunk write (with its TTL) to `op`. */
export function putChunk(
  op: Deno.AtomicOperation,
  id: string,
  n: number,
  chunk: ChunkRecord,
  now = Date.now(),
): Deno.AtomicOperation {
  chunk.expires_at = now + JOB_TTL_MS;
  return op.set(keys.jobChunk(id, n), chunk, { expireIn: JOB_TTL_MS });
}

/**
 * Commits `op`; another process holding the KV file's write lock counts as a failed check (after a short,
 * jittered wait), so the caller's loop reads again and retries instead of losing a claim's results.
 *
 * @example
 * ```ts
 * if ((await commitJobOp(op)).ok) return;
 * ```
 */
export async function commitJobOp(
  op: Deno.AtomicOperation,
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  try {
    return await op.commit();
  } catch (error) {
    if (!isDatabaseLocked(error)) throw error;
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    return { ok: false };
  }
}

/** Chunks written per commit (KV allows 1,000 mutations and 800 KiB per commit). */
const CHUNKS_PER_COMMIT = 200;

/**
 * Stores a new queued job: its chunks first (in commits of {@link CHUNKS_PER_COMMIT}), then the record
 * and the active index together — the job exists from that last commit on. `schedule` adds the first
 * run of each lane to that commit (the queue message, when queues are used).
 *
 * @example
 * ```ts
 * await createJob(kv, { type: "check", sites, chunkSize: 20, startDelayMs: 60_000 });
 * ```
 */
export async function createJob(
  kv: Deno.Kv,
  spec: NewJob,
  schedule: (op: Deno.AtomicOperation, job: JobRecord, lane: string) => void = () => {},
): Promise<JobRecord> {
  const id = newJobId(spec.type);
  const now = Date.now();
  const size = Math.max(1, Math.trunc(spec.chunkSize));
  const chunkCount = Math.ceil(spec.sites.length / size);
  for (let first = 0; first < chunkCount; first += CHUNKS_PER_COMMIT) {
    const op = kv.atomic();
    for (let n = first; n < Math.min(chunkCount, first + CHUNKS_PER_COMMIT); n++) {
      putChunk(op, id, n, {
        sites: spec.sites.slice(n * size, (n + 1) * size),
        state: "pending",
        lease_until: 0,
        claims: 0,
        succeeded: [],
        errors: [],
        expires_at: 0,
      }, now);
    }
    await op.commit();
  }
  const lanes: Record<string, JobLane> = {};
  for (let i = 0; i < Math.max(1, spec.lanes ?? 1); i++) {
    lanes[String(i)] = { seq: 0, due: now + spec.startDelayMs };
  }
  const job: JobRecord = {
    job_id: id,
    job_type: spec.type,
    status: "queued",
    created: Math.floor(now / 1000),
    started: null,
    completed: null,
    progress: 0,
    total: spec.sites.length,
    processed: 0,
    succeeded: 0,
    failed: 0,
    ...(spec.type === "update" ? { types: spec.types ?? [], specific_items: spec.specificItems ?? [] } : {}),
    ...(spec.scheduled ? { scheduled: spec.scheduled } : {}),
    ...(spec.autoDelayDays !== undefined ? { auto_delay_days: spec.autoDelayDays } : {}),
    job_errors: [],
    chunk_size: size,
    chunk_count: chunkCount,
    next_chunk: 0,
    chunks_done: 0,
    lanes,
    reschedule_ms: spec.rescheduleMs ?? 30_000,
    expires_at: 0,
  };
  const op = kv.atomic().check({ key: keys.job(id), versionstamp: null });
  putJob(op, job, now);
  op.set(keys.activeJob(id), true, { expireIn: JOB_TTL_MS });
  for (const lane of Object.keys(lanes)) schedule(op, job, lane);
  const result = await op.commit();
  if (!result.ok) throw new Error(`job ${id} could not be stored`);
  return job;
}

/**
 * Ids of the jobs still queued or processing.
 *
 * @example
 * ```ts
 * for (const id of await activeJobIds(kv)) console.log(id);
 * ```
 */
export async function activeJobIds(kv: Deno.Kv): Promise<string[]> {
  const ids: string[] = [];
  for await (const entry of kv.list({ prefix: keys.activeJobs() })) ids.push(String(entry.key[2]));
  return ids;
}

/**
 * The live jobs, newest first (at most `limit`).
 *
 * @example
 * ```ts
 * (await listJobs(kv, 20)).map((j) => j.job_id);
 * ```
 */
export async function listJobs(kv: Deno.Kv, limit = 50): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  const now = Date.now();
  for await (const entry of kv.list<JobRecord>({ prefix: keys.jobs() })) {
    if (alive(entry.value, now)) jobs.push(entry.value);
  }
  return jobs.sort((a, b) => b.created - a.created || a.job_id.localeCompare(b.job_id)).slice(0, limit);
}
