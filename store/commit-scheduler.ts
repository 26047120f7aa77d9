/**
 * @module
 * Shares KV commits between writes that arrive together. Each write is prepared from its own consistent
 * read (its version checks and mutations); what arrives in one turn of the event loop is committed in
 * groups, one atomic operation per group, every write keeping its own checks. A group that meets a
 * conflict is redone write by write through `atomicRetry`, so no update is lost; a commit per group
 * instead of one per write is most of the store's cost when a whole fleet writes at once.
 *
 * @example
 * ```ts
 * const counters = new CommitScheduler<string, number>({
 *   identity: (name) => name,
 *   prepare: async (kv, name) => {
 *     const entry = await kv.get<number>(["count", name]);
 *     const next = (entry.value ?? 0) + 1;
 *     return { result: next, bytes: 64, apply: (op) => op.check(entry).set(["count", name], next) };
 *   },
 * });
 * await Promise.all([counters.submit(kv, "a"), counters.submit(kv, "b")]); // one commit
 * ```
 */
import { atomicRetry, isDatabaseLocked } from "./kv.ts";

/** One write's part of a commit, prepared from one consistent read. */
export interface PreparedWrite<R> {
  /** What the caller gets once the write is committed. */
  result: R;
  /** Adds the write's version checks and mutations to a commit. */
  apply(op: Deno.AtomicOperation): void;
  /** A payload estimate in bytes (for sizing shared commits). */
  bytes: number;
}

/** How a scheduler prepares, groups and finishes its writes. */
export interface CommitSchedulerOptions<T, R> {
  /** Reads what `item` needs and prepares its write; `null` when there is nothing to write (the caller gets `null`). */
  prepare(kv: Deno.Kv, item: T): Promise<PreparedWrite<R> | null>;
  /** What `item` writes: two writes with one identity never share a commit (both would check the same versions). */
  identity(item: T): unknown;
  /** Added once to every commit (e.g. a revision bump that never conflicts). */
  finish?(op: Deno.AtomicOperation): void;
  /** Writes per shared commit on a local KV file (default 40; mind the backend's check limit). */
  maxWrites?: number;
  /** Writes per shared commit on a remote handle, see {@link markRemoteKv} (default 4). */
  maxWritesRemote?: number;
  /** Payload per shared commit, below KV's 800 KiB (default 600,000). */
  maxBytes?: number;
}

/** A write waiting for the next shared commit. */
interface Queued<T, R> {
  item: T;
  resolve(result: R | null): void;
  reject(error: unknown): void;
}

/** KV handles whose commits may carry only 10 checks (KV Connect). */
const remoteHandles = new WeakSet<Deno.Kv>();

/**
 * Marks a KV handle as remote (KV Connect allows 10 checks per commit), so shared commits stay small.
 *
 * @example
 * ```ts
 * markRemoteKv(kv);
 * ```
 */
export function markRemoteKv(kv: Deno.Kv): void {
  remoteHandles.add(kv);
}

/**
 * Batches the writes of one kind; see the module doc. One instance per kind of write, shared by every
 * KV handle (each handle has its own queue).
 */
export class CommitScheduler<T, R> {
  readonly #options: CommitSchedulerOptions<T, R>;
  readonly #queues = new WeakMap<Deno.Kv, Queued<T, R>[]>();

  constructor(options: CommitSchedulerOptions<T, R>) {
    this.#options = options;
  }

  /**
   * Queues a write for the next shared commit; resolves with its result once committed (`null` when
   * `prepare` found nothing to write), or rejects with its own error.
   *
   * @example
   * ```ts
   * await counters.submit(kv, "a");
   * ```
   */
  submit(kv: Deno.Kv, item: T): Promise<R | null> {
    return new Promise((resolve, reject) => {
      let queue = this.#queues.get(kv);
      if (!queue) {
        const pending: Queued<T, R>[] = queue = [];
        this.#queues.set(kv, pending);
        // Collect what arrives in this turn of the event loop, then commit it.
        setTimeout(() => {
          this.#queues.delete(kv);
          this.#flush(kv, pending).catch((error) => {
            for (const waiting of pending) waiting.reject(error);
          });
        }, 0);
      }
      queue.push({ item, resolve, reject });
    });
  }

  /** One write on its own, retried on conflicts. */
  async #alone(kv: Deno.Kv, item: T): Promise<R | null> {
    return await atomicRetry(kv, async (op) => {
      const prepared = await this.#options.prepare(kv, item);
      if (!prepared) return null;
      prepared.apply(op);
      this.#options.finish?.(op);
      return prepared.result;
    });
  }

  #redoAlone(kv: Deno.Kv, queued: Queued<T, R>): void {
    this.#alone(kv, queued.item).then(queued.resolve, queued.reject);
  }

  /** Commits the queued writes: groups in one commit each; a group that conflicts is redone write by write. */
  async #flush(kv: Deno.Kv, queue: Queued<T, R>[]): Promise<void> {
    const { prepare, identity, finish } = this.#options;
    const maxWrites = remoteHandles.has(kv)
      ? this.#options.maxWritesRemote ?? 4
      : this.#options.maxWrites ?? 40;
    const maxBytes = this.#options.maxBytes ?? 600_000;
    const prepared = await Promise.all(
      queue.map((queued) => prepare(kv, queued.item).catch((error: unknown) => ({ failed: error }))),
    );
    let group: { queued: Queued<T, R>; write: PreparedWrite<R> }[] = [];
    let bytes = 0;
    const ids = new Set<unknown>();
    const commit = async (members: typeof group) => {
      if (members.length === 0) return;
      const op = kv.atomic();
      for (const { write } of members) write.apply(op);
      finish?.(op);
      let ok = false;
      try {
        ok = (await op.commit()).ok;
      } catch (error) {
        if (!isDatabaseLocked(error)) throw error;
      }
      if (ok) { for (const { queued, write } of members) queued.resolve(write.result); }
      else for (const { queued } of members) this.#redoAlone(kv, queued);
    };
    for (let i = 0; i < queue.length; i++) {
      const queued = queue[i];
      const write = prepared[i];
      if (write && "failed" in write) {
        queued.reject(write.failed);
        continue;
      }
      if (write === null) {
        queued.resolve(null);
        continue;
      }
      const id = identity(queued.item);
      // A second write of one identity starts the next group (its checks then fail and it is redone alone).
      if (group.length >= maxWrites || bytes + write.bytes > maxBytes || ids.has(id)) {
        await commit(group);
        group = [];
        bytes = 0;
        ids.clear();
      }
      group.push({ queued, write });
      bytes += write.bytes;
      ids.add(id);
    }
    await commit(group);
  }
}
