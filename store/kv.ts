/**
 * @module
 * Atomic read-modify-write on Deno KV. {@link atomicRetry} runs a step that reads what it needs, adds
 * version checks for everything it read and the mutations it wants, and commits; on a conflict it runs
 * the step again on fresh data, so concurrent requests never lose an update. {@link allocateId} hands
 * out record ids without making concurrent creates conflict on one counter.
 *
 * @example
 * ```ts
 * const id = await atomicRetry(kv, async (op) => {
 *   const id = await allocateId(kv, op, "tags");
 *   op.set(keys.tag(id), { id, name: "VIP" });
 *   return id;
 * });
 * ```
 */
import { FLEET_REV, keys } from "./keys.ts";

/** Most conflicts resolve in a few rounds; past this many, the write is reported as failed. */
const MAX_ATTEMPTS = 64;

/**
 * Whether an error is SQLite's "database is locked" (two processes writing one KV file at once).
 *
 * @example
 * ```ts
 * isDatabaseLocked(new TypeError("database is locked")); // true
 * ```
 */
export function isDatabaseLocked(error: unknown): boolean {
  return error instanceof Error && /database is locked/i.test(error.message);
}

/**
 * Thrown by {@link atomicRetry} when a write kept conflicting with concurrent writes and gave up (nothing
 * was written). A store error, no HTTP: each surface answers it (REST: `409 fleetpress_write_conflict`).
 *
 * @example
 * ```ts
 * new WriteConflict() instanceof Error; // true
 * ```
 */
export class WriteConflict extends Error {
  override name = "WriteConflict";
  constructor() {
    super("The record is busy; please try again.");
  }
}

/** Thrown by a step to abort without committing; `atomicRetry` rethrows it unchanged. */
export class AbortCommit extends Error {}

/**
 * Runs `step` against a fresh `AtomicOperation` until its commit succeeds. `step` returns the result,
 * or `undefined` after adding nothing to skip the commit. A thrown error aborts (nothing is written);
 * after too many conflicts it throws {@link WriteConflict}.
 *
 * @example
 * ```ts
 * await atomicRetry(kv, async (op) => {
 *   const entry = await kv.get<number>(["counter"]);
 *   op.check(entry).set(["counter"], (entry.value ?? 0) + 1);
 * });
 * ```
 */
export async function atomicRetry<T>(
  kv: Deno.Kv,
  step: (op: Deno.AtomicOperation) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const op = kv.atomic();
    let result: T;
    let committed = false;
    try {
      result = await step(op);
      committed = (await op.commit()).ok;
    } catch (error) {
      releaseIds(op);
      // Another process holding the SQLite write lock: a transient conflict, tried again.
      if (!isDatabaseLocked(error)) throw error;
    }
    if (committed) return result!;
    releaseIds(op);
    // Back off a little, with jitter, so racing writers spread out.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
  }
  throw new WriteConflict();
}

/** A caller of {@link allocateId} waiting for its id. */
interface IdWaiter {
  resolve: (id: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Per KV handle and kind: ids reserved but handed back by a create that did not commit (`spare`,
 * ascending), callers waiting for a reservation, and whether a reservation commit is running.
 */
interface IdPool {
  spare: number[];
  waiting: IdWaiter[];
  reserving: boolean;
}

const idPools = new WeakMap<Deno.Kv, Map<string, IdPool>>();
/** Ids handed to an operation, returned to their pool when it does not commit. */
const lentIds = new WeakMap<Deno.AtomicOperation, { pool: IdPool; id: number }[]>();

/**
 * Reserves the next `count` ids of `kind` in one commit of its own (versus other processes only: this
 * process sends one reservation at a time); returns the first.
 */
async function reserveIds(kv: Deno.Kv, kind: string, count: number): Promise<number> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<number>(keys.seq(kind));
    const last = entry.value ?? 0;
    op.check(entry).set(keys.seq(kind), last + count);
    return last + 1;
  });
}

/** Reserves ids for everyone waiting, one commit per round, until nobody waits. */
async function servePool(kv: Deno.Kv, kind: string, pool: IdPool): Promise<void> {
  pool.reserving = true;
  try {
    while (pool.waiting.length > 0) {
      // Everyone who asked while the previous commit ran shares this one: a block of exactly that size.
      const batch = pool.waiting.splice(0);
      try {
        const first = await reserveIds(kv, kind, batch.length);
        batch.forEach((waiter, i) => waiter.resolve(first + i));
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
  } finally {
    pool.reserving = false;
  }
}

/** Gives the ids lent to `op` back to their pools (the operation did not commit). */
function releaseIds(op: Deno.AtomicOperation): void {
  for (const { pool, id } of lentIds.get(op) ?? []) {
    pool.spare.push(id);
    pool.spare.sort((a, b) => a - b);
  }
  lentIds.delete(op);
}

/**
 * The next id of `kind` for a create in `op`: unique across every process on the KV file, and increasing
 * in the order this process asks. Ids are reserved by commits of their own (`["seq", kind]` holds the last
 * reserved id); callers asking at the same time share one reservation, so concurrent creates never
 * conflict on the counter — their commits carry only their own checks. When `atomicRetry` sees `op` fail,
 * its id goes back to this process's pool and is handed out again first; ids reserved by a process that
 * stops before using them stay unused (gaps, as MySQL's auto-increment leaves).
 *
 * @example
 * ```ts
 * const id = await allocateId(kv, op, "sites");
 * ```
 */
export async function allocateId(kv: Deno.Kv, op: Deno.AtomicOperation, kind: string): Promise<number> {
  let pools = idPools.get(kv);
  if (!pools) idPools.set(kv, pools = new Map());
  let pool = pools.get(kind);
  if (!pool) pools.set(kind, pool = { spare: [], waiting: [], reserving: false });
  let id = pool.spare.shift();
  if (id === undefined) {
    const { promise, resolve, reject } = Promise.withResolvers<number>();
    pool.waiting.push({ resolve, reject });
    if (!pool.reserving) void servePool(kv, kind, pool);
    id = await promise;
  }
  const lent = lentIds.get(op) ?? [];
  lent.push({ pool, id });
  lentIds.set(op, lent);
  return id;
}

/**
 * Adds the fleet revision bump to `op` (a `sum`, which never conflicts).
 *
 * @example
 * ```ts
 * bumpFleetRev(op);
 * ```
 */
export function bumpFleetRev(op: Deno.AtomicOperation): Deno.AtomicOperation {
  return op.sum(FLEET_REV, 1n);
}

/**
 * Reads many keys (any number; `getMany` takes 10 per call), in order.
 *
 * @example
 * ```ts
 * const entries = await getManyChunked<SiteRecord>(kv, ids.map(keys.site));
 * ```
 */
export async function getManyChunked<T>(kv: Deno.Kv, list: Deno.KvKey[]): Promise<Deno.KvEntryMaybe<T>[]> {
  const chunks: Promise<Deno.KvEntryMaybe<T>[]>[] = [];
  for (let i = 0; i < list.length; i += 10) chunks.push(kv.getMany<T[]>(list.slice(i, i + 10)));
  return (await Promise.all(chunks)).flat();
}

/**
 * Lists the last key part (an id) of every entry under an index prefix.
 *
 * @example
 * ```ts
 * const siteIds = await listIds(kv, keys.tagSites(4));
 * ```
 */
export async function listIds(kv: Deno.Kv, prefix: Deno.KvKey): Promise<number[]> {
  const ids: number[] = [];
  for await (const entry of kv.list({ prefix }, { batchSize: 500 })) ids.push(entry.key.at(-1) as number);
  return ids;
}

/**
 * All values under a prefix, in key order.
 *
 * @example
 * ```ts
 * const tags = await listValues<TagRecord>(kv, keys.tags());
 * ```
 */
export async function listValues<T>(kv: Deno.Kv, prefix: Deno.KvKey): Promise<T[]> {
  const out: T[] = [];
  for await (const entry of kv.list<T>({ prefix }, { batchSize: 500 })) out.push(entry.value);
  return out;
}
