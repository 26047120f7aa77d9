/**
 * @module
 * Start marks of a claimed chunk: before a site's first child call that must not simply be repeated (an
 * update), the worker records in the chunk record that the site started, in a commit that checks the
 * chunk is still its claim. A worker that took the chunk over from a dead one sees the marks and syncs a
 * marked site before calling anything again (jobs/operations.ts). Marks asked for while a commit runs
 * share the next commit, so the sites of a chunk do not conflict with one another.
 *
 * @example
 * ```ts
 * const starts = new ChunkStarts(kv, jobId, claim);
 * if (starts.startedBefore(7)) console.log("site 7 was being updated by a worker that died");
 * if (await starts.start(7)) console.log("recorded; the claim still holds");
 * ```
 */
import { keys } from "../store/keys.ts";
import { isDatabaseLocked } from "../store/kv.ts";
import { type ChunkRecord, putChunk } from "./store.ts";

/** What a job's site operation may ask of its claim. */
export interface SiteStarts {
  /** Whether an earlier claim of the chunk recorded that the site started (its calls may have run). */
  startedBefore(siteId: number): boolean;
  /** Records that the site starts now; `false` when the chunk is no longer this worker's (do not call). */
  start(siteId: number): Promise<boolean>;
}

/** A claim as the engine holds it: the chunk's value and versionstamp move with every mark. */
export interface ChunkClaim {
  n: number;
  chunk: ChunkRecord;
  versionstamp: string;
}

/** Commits tried while another process holds the SQLite write lock. */
const LOCKED_ATTEMPTS = 20;

/** The start marks of one claimed chunk. */
export class ChunkStarts implements SiteStarts {
  #kv: Deno.Kv;
  #jobId: string;
  #claim: ChunkClaim;
  #before: Set<number>;
  #waiting: { siteId: number; resolve: (ok: boolean) => void }[] = [];
  #writing = false;
  #lost = false;

  /** Marks for the chunk `claim` holds (the claim's `chunk` and `versionstamp` are updated in place). */
  constructor(kv: Deno.Kv, jobId: string, claim: ChunkClaim) {
    this.#kv = kv;
    this.#jobId = jobId;
    this.#claim = claim;
    this.#before = new Set(claim.chunk.started ?? []);
  }

  startedBefore(siteId: number): boolean {
    return this.#before.has(siteId);
  }

  start(siteId: number): Promise<boolean> {
    if (this.#lost) return Promise.resolve(false);
    const { promise, resolve } = Promise.withResolvers<boolean>();
    this.#waiting.push({ siteId, resolve });
    if (!this.#writing) void this.#write();
    return promise;
  }

  /** Writes the waiting marks, one commit per round, until none wait. */
  async #write(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0);
        let ok = false;
        try {
          ok = !this.#lost && await this.#commit(batch.map((w) => w.siteId));
        } catch (error) {
          console.error(`[fleetpress] job ${this.#jobId}: a start mark could not be written:`, error);
        }
        // Without the mark, the site is not called: a later takeover could not tell it had been.
        if (!ok) this.#lost = true;
        for (const waiter of batch) waiter.resolve(ok);
      }
    } finally {
      this.#writing = false;
    }
  }

  /** Adds `siteIds` to the chunk's marks if the chunk is still the claimed version. */
  async #commit(siteIds: number[]): Promise<boolean> {
    const claim = this.#claim;
    const chunk: ChunkRecord = {
      ...claim.chunk,
      started: [...new Set([...(claim.chunk.started ?? []), ...siteIds])],
    };
    for (let attempt = 0; attempt < LOCKED_ATTEMPTS; attempt++) {
      const op = this.#kv.atomic().check({
        key: keys.jobChunk(this.#jobId, claim.n),
        versionstamp: claim.versionstamp,
      });
      putChunk(op, this.#jobId, claim.n, chunk);
      try {
        const result = await op.commit();
        if (!result.ok) return false; // the chunk changed: another worker took it over
        claim.chunk = chunk;
        claim.versionstamp = result.versionstamp;
        return true;
      } catch (error) {
        if (!isDatabaseLocked(error)) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 20));
      }
    }
    return false;
  }
}
