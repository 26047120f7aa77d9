/**
 * @module
 * A two-level concurrency limiter: at most `globalLimit` requests in flight overall and `hostLimit` per
 * host (MainWP's `mainwp_maximumRequests` = 4 and `mainwp_maximumIPRequests` = 1; 0 = no limit).
 * Limits are passed at each {@link ConcurrencyLimiter.acquire}, so they can come from filters. Waiters
 * are served in arrival order among those that fit (a request for an idle host does not wait behind
 * requests for a busy one); a waiter whose signal aborts leaves the queue.
 *
 * @example
 * ```ts
 * const limiter = new ConcurrencyLimiter();
 * const release = await limiter.acquire("child.example:443", 4, 1);
 * try { await doRequest(); } finally { release(); }
 * ```
 */

interface Waiter {
  host: string;
  globalLimit: number;
  hostLimit: number;
  grant: () => void;
}

/** Counts requests in flight and queues the ones that do not fit. */
export class ConcurrencyLimiter {
  #active = 0;
  #perHost = new Map<string, number>();
  #queue: Waiter[] = [];

  /** Requests in flight now. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Waits for a slot for `host` and resolves with the function that frees it (call it exactly once).
   *
   * @example
   * ```ts
   * const release = await limiter.acquire(url.host, 2, 1, AbortSignal.timeout(5000));
   * ```
   */
  acquire(host: string, globalLimit: number, hostLimit: number, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#queue.splice(this.#queue.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        host,
        globalLimit: normalizeLimit(globalLimit),
        hostLimit: normalizeLimit(hostLimit),
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.#take(host));
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
      this.#drain();
    });
  }

  #fits(host: string, globalLimit: number, hostLimit: number): boolean {
    return this.#active < globalLimit && (this.#perHost.get(host) ?? 0) < hostLimit;
  }

  #take(host: string): () => void {
    this.#active++;
    this.#perHost.set(host, (this.#perHost.get(host) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      const left = (this.#perHost.get(host) ?? 1) - 1;
      if (left === 0) this.#perHost.delete(host);
      else this.#perHost.set(host, left);
      this.#drain();
    };
  }

  /** Grants queued waiters that now fit, in queue order (one pass over the queue). */
  #drain(): void {
    for (let i = 0; i < this.#queue.length;) {
      const waiter = this.#queue[i];
      if (this.#fits(waiter.host, waiter.globalLimit, waiter.hostLimit)) {
        this.#queue.splice(i, 1);
        waiter.grant();
      } else {
        i++;
      }
    }
  }
}

/** As in MainWP, 0 (or less) means "no limit"; fractions round down, but never below 1. */
function normalizeLimit(limit: number): number {
  if (typeof limit !== "number" || Number.isNaN(limit)) return 1;
  return limit <= 0 || limit === Infinity ? Infinity : Math.max(1, Math.floor(limit));
}
