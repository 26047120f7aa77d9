/**
 * @module
 * A least-recently-used map bounded by a byte budget: each value is stored with its size, and the least
 * recently used values are dropped until the total fits. A value larger than the whole budget is not kept.
 *
 * @example
 * ```ts
 * const lru = new ByteLru<number, string>(1024);
 * lru.set(1, "a", 600);
 * lru.set(2, "b", 600); // drops 1
 * lru.get(1); // undefined
 * ```
 */

/** See the module doc. */
export class ByteLru<K, V> {
  readonly #entries = new Map<K, { value: V; bytes: number }>();
  #bytes = 0;
  readonly budget: number;

  constructor(budget: number) {
    this.budget = budget;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Values held now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The value of `key`, now the most recently used; `undefined` when not held.
   *
   * @example
   * ```ts
   * lru.get(1);
   * ```
   */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * Stores `value` (replacing the one held for `key`) and drops the least recently used values that no
   * longer fit.
   *
   * @example
   * ```ts
   * lru.set(1, "a", 600);
   * ```
   */
  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.budget) return;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.budget) break;
      this.#entries.delete(k);
      this.#bytes -= e.bytes;
    }
  }

  /**
   * Drops the value of `key`.
   *
   * @example
   * ```ts
   * lru.delete(1);
   * ```
   */
  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
