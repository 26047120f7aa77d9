/**
 * @module
 * Bounded concurrency: run a task over many items with at most N in flight, results in input order.
 *
 * @example
 * ```ts
 * import { mapConcurrent } from "./concurrency.ts";
 * const lengths = await mapConcurrent(["a", "bb"], 2, (s) => Promise.resolve(s.length)); // [1, 2]
 * ```
 */

/**
 * Runs `task` over `items` with at most `limit` in flight (at least one); results in input order. A
 * rejected task rejects the whole call once the workers stop.
 *
 * @example
 * ```ts
 * await mapConcurrent([1, 2, 3], 2, (n) => Promise.resolve(n * 2)); // [2, 4, 6]
 * ```
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}
