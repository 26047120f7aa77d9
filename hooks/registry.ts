/**
 * @module
 * A WordPress-style hook registry: filters transform a value, actions notify. Callbacks run in ascending
 * priority order (default 10); callbacks of equal priority run in the order they were added. Extra
 * arguments are passed through to every callback; callbacks may be sync or async.
 *
 * @example
 * ```ts
 * const hooks = new HookRegistry();
 * hooks.addFilter("mainwp_rest_batch_items_limit", (limit: number) => limit * 2);
 * await hooks.applyFilters("mainwp_rest_batch_items_limit", 100, "sites"); // 200
 * ```
 */

// deno-lint-ignore no-explicit-any
export type HookCallback = (...args: any[]) => unknown;

interface Entry {
  callback: HookCallback;
  priority: number;
}

/** Default priority, as in WordPress. */
export const DEFAULT_PRIORITY = 10;

/** Holds filters and actions; one instance per application. */
export class HookRegistry {
  #hooks = new Map<string, Entry[]>();
  #actionCounts = new Map<string, number>();

  /**
   * Registers a filter callback.
   *
   * @example
   * ```ts
   * hooks.addFilter("mainwp_abilities_batch_threshold", () => 5, 20);
   * ```
   */
  addFilter(name: string, callback: HookCallback, priority = DEFAULT_PRIORITY): void {
    if (!Number.isFinite(priority)) throw new TypeError(`priority must be a finite number, got ${priority}`);
    const entries = this.#hooks.get(name) ?? [];
    // Insert after every entry of lower or equal priority: equal priorities keep insertion order.
    let at = entries.length;
    while (at > 0 && entries[at - 1].priority > priority) at--;
    entries.splice(at, 0, { callback, priority });
    this.#hooks.set(name, entries);
  }

  /**
   * Removes a callback; with a priority, only the registration at that priority. Returns whether one was removed.
   *
   * @example
   * ```ts
   * hooks.removeFilter("mainwp_rest_batch_items_limit", doubleLimit);
   * ```
   */
  removeFilter(name: string, callback: HookCallback, priority?: number): boolean {
    const entries = this.#hooks.get(name);
    if (!entries) return false;
    const index = entries.findIndex((e) =>
      e.callback === callback && (priority === undefined || e.priority === priority)
    );
    if (index < 0) return false;
    entries.splice(index, 1);
    if (entries.length === 0) this.#hooks.delete(name);
    return true;
  }

  /**
   * Without a callback: whether anything is hooked. With one: its priority, or `false` (as WordPress).
   *
   * @example
   * ```ts
   * hooks.hasFilter("mainwp_rest_prepare_site"); // false
   * ```
   */
  hasFilter(name: string, callback?: HookCallback): boolean | number {
    const entries = this.#hooks.get(name);
    if (!callback) return entries !== undefined && entries.length > 0;
    const found = entries?.find((e) => e.callback === callback);
    return found ? found.priority : false;
  }

  /**
   * Runs `value` through every callback of the filter, in priority order, and resolves with the result.
   *
   * @example
   * ```ts
   * const limit = await hooks.applyFilters("mainwp_rest_batch_items_limit", 100, "batch");
   * ```
   */
  async applyFilters<T>(name: string, value: T, ...args: unknown[]): Promise<T> {
    const entries = this.#hooks.get(name);
    if (!entries) return value;
    let current: unknown = value;
    for (const { callback } of [...entries]) current = await callback(current, ...args);
    return current as T;
  }

  /**
   * Registers an action callback.
   *
   * @example
   * ```ts
   * hooks.addAction("mainwp_site_suspended", (site, suspended) => console.log(site.id, suspended));
   * ```
   */
  addAction(name: string, callback: HookCallback, priority = DEFAULT_PRIORITY): void {
    this.addFilter(name, callback, priority);
  }

  /** Removes an action callback. */
  removeAction(name: string, callback: HookCallback, priority?: number): boolean {
    return this.removeFilter(name, callback, priority);
  }

  /** Whether anything is hooked to the action (or the callback's priority). */
  hasAction(name: string, callback?: HookCallback): boolean | number {
    return this.hasFilter(name, callback);
  }

  /**
   * Calls every callback of the action in priority order, awaiting each; return values are ignored.
   *
   * @example
   * ```ts
   * await hooks.doAction("mainwp_added_new_group", tagId, tagName);
   * ```
   */
  async doAction(name: string, ...args: unknown[]): Promise<void> {
    this.#actionCounts.set(name, (this.#actionCounts.get(name) ?? 0) + 1);
    const entries = this.#hooks.get(name);
    if (!entries) return;
    for (const { callback } of [...entries]) await callback(...args);
  }

  /** How many times the action has fired. */
  didAction(name: string): number {
    return this.#actionCounts.get(name) ?? 0;
  }
}
