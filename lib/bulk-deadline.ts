/**
 * @module
 * The deadline of bulk REST answers (`POST /sites/sync`, `/sites/check`, `/sites/reconnect`,
 * `/sites/disconnect`, `/updates/update`): the answer goes out when every site is done or when the
 * deadline passes (filter `fleetpress_bulk_deadline`, seconds, default {@link BULK_DEADLINE_SECONDS}),
 * whichever comes first. Sites still running then are answered as timed out in their own entry and go
 * on in the background — nothing is cancelled halfway (a reconnect cut between the child's answer and
 * storing the new key would break the site) — so their results are recorded as usual.
 *
 * @example
 * ```ts
 * const { results } = await mapUntilDeadline(ctx, sites, 128, (s) => syncSite(ctx, s), () => null);
 * ```
 */

/** What the bulk deadline needs: the filters (`fleetpress_bulk_deadline`). The app context fits. */
export interface DeadlineDeps {
  hooks: { applyFilters<T>(name: string, value: T, ...args: unknown[]): Promise<T> };
}

/** Default seconds a bulk answer waits for its sites: under the 60 s of common proxies and clients. */
export const BULK_DEADLINE_SECONDS = 50;

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Work of bulk answers that went on after their deadline, per application (keyed by its hooks). */
const background = new WeakMap<object, Set<Promise<void>>>();

/**
 * The deadline in ms from the filter `fleetpress_bulk_deadline` (seconds, fractions allowed), or
 * `Infinity` when it is off (0 or less).
 *
 * @example
 * ```ts
 * await bulkDeadlineMs(ctx); // 50000
 * ```
 */
export async function bulkDeadlineMs(ctx: DeadlineDeps): Promise<number> {
  const seconds = Number(await ctx.hooks.applyFilters("fleetpress_bulk_deadline", BULK_DEADLINE_SECONDS));
  if (!Number.isFinite(seconds)) return Number.isNaN(seconds) ? BULK_DEADLINE_SECONDS * 1000 : Infinity;
  // Past setTimeout's range (about 24.8 days) a timer would fire at once: that is "no deadline" too.
  return seconds > 0 && seconds * 1000 <= MAX_TIMER_MS ? seconds * 1000 : Infinity;
}

/**
 * The text of a site entry answered at the deadline.
 *
 * @example
 * ```ts
 * deadlineMessage(50_000); // "The site did not finish within 50 seconds; …"
 * ```
 */
export function deadlineMessage(ms: number): string {
  return `The site did not finish within ${ms / 1000} seconds; it goes on in the background and its ` +
    "result is stored when it ends.";
}

/** What {@link mapUntilDeadline} returns. */
export interface DeadlineRun<R> {
  /** One entry per item, in item order: its result, or `late(item)` when it was not done in time. */
  results: R[];
  /** Indexes of the items answered by `late`. */
  late: number[];
  /** Resolves when every item is done (at once unless some were late); never rejects. */
  settled: Promise<void>;
}

/**
 * Runs `task` over `items` (at most `limit` at once, results in item order) until the bulk deadline;
 * items not done by then are answered by `late` and finish in the background. A task that throws before
 * the deadline fails the call as before; after it, the error is logged.
 *
 * @example
 * ```ts
 * const { results, late } = await mapUntilDeadline(ctx, sites, 128, run, (site) => timedOut(site));
 * ```
 */
export async function mapUntilDeadline<T, R>(
  ctx: DeadlineDeps,
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  late: (item: T, ms: number) => R | Promise<R>,
): Promise<DeadlineRun<R>> {
  const ms = await bulkDeadlineMs(ctx);
  const results = new Array<R>(items.length);
  const done = new Array<boolean>(items.length).fill(false);
  // Workers take the next item when free, so a hung item holds one worker only, never a queue behind it.
  let next = 0;
  const all = Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
      done[index] = true;
    }
  }));
  const now = { results, late: [], settled: Promise.resolve() };
  if (ms === Infinity) {
    await all;
    return now;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"expired">((resolve) => (timer = setTimeout(resolve, ms, "expired")));
  try {
    if (await Promise.race([all.then(() => "done" as const), expired]) === "done") return now;
  } finally {
    clearTimeout(timer);
  }
  const settled = trackBackground(ctx, all);
  const lateIndexes = done.flatMap((ok, i) => (ok ? [] : [i]));
  const answer = results.slice();
  for (const i of lateIndexes) answer[i] = await late(items[i], ms);
  return { results: answer, late: lateIndexes, settled };
}

/**
 * Keeps `work` that outlives its answer in view of {@link bulkWorkSettled}; its failure is logged.
 * Returns a promise that settles with it and never rejects.
 *
 * @example
 * ```ts
 * trackBackground(ctx, run.settled.then(() => releaseLease(ctx.kv, key, lease)));
 * ```
 */
export function trackBackground(ctx: DeadlineDeps, work: Promise<unknown>): Promise<void> {
  let set = background.get(ctx.hooks);
  if (!set) background.set(ctx.hooks, set = new Set());
  const tracked: Promise<void> = work.then(
    () => {},
    (error) => console.error("[fleetpress] bulk work after its answer's deadline failed:", error),
  ).finally(() => set.delete(tracked));
  set.add(tracked);
  return tracked;
}

/**
 * Resolves when the bulk work that outlived its answers' deadline has ended (for shutdown and tests).
 *
 * @example
 * ```ts
 * await bulkWorkSettled(ctx);
 * ```
 */
export async function bulkWorkSettled(ctx: DeadlineDeps): Promise<void> {
  const set = background.get(ctx.hooks);
  while (set && set.size > 0) await Promise.all([...set]);
}
