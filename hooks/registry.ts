/**
 * @module
 * A WordPress-style hook registry: filters transform a value, actions notify. Callbacks run in ascending
 * priority order (default 10); callbacks of equal priority run in the order they were added. Extra
 * arguments are passed through to every callback; callbacks may be sync or async.
 *
 * The registry is typed by a hook map (hooks/types.ts): for a name in the map, `applyFilters` /
 * `doAction` arguments are checked and `addFilter` / `addAction` callbacks get typed parameters. Any other
 * name (a plugin's own hook) takes any arguments; a known name cannot take that untyped path.
 *
 * @example
 * ```ts
 * const hooks = new HookRegistry();
 * hooks.addFilter("mainwp_rest_batch_items_limit", (limit, ctx) => ctx === "sites" ? limit * 2 : limit);
 * await hooks.applyFilters("mainwp_rest_batch_items_limit", 100, "sites"); // 200
 * ```
 */
import type { FleetpressHooks } from "./types.ts";

/** A callback of a hook outside the map (a plugin's own), or one where only its identity counts. */
// deno-lint-ignore no-explicit-any
export type HookCallback = (...args: any[]) => unknown;

/** A hook map: filter and action names to function types (see hooks/types.ts). */
export interface HookMap {
  filters: object;
  actions: object;
}

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

/** The filter names of a map. */
export type FilterName<M extends HookMap> = keyof M["filters"] & string;
/** The action names of a map. */
export type ActionName<M extends HookMap> = keyof M["actions"] & string;
/** Every name of a map: these cannot be used untyped. */
export type HookName<M extends HookMap> = FilterName<M> | ActionName<M>;

type FilterFunction<M extends HookMap, N extends FilterName<M>> = Extract<M["filters"][N], AnyFunction>;
/** The value a filter starts from. */
export type FilterValue<M extends HookMap, N extends FilterName<M>> = Parameters<FilterFunction<M, N>>[0];
/** A filter's arguments after the value. */
export type FilterArgs<M extends HookMap, N extends FilterName<M>> = Parameters<FilterFunction<M, N>> extends
  [unknown, ...infer Rest] ? Rest : never;
/** What a filter's callbacks return. */
export type FilterReturn<M extends HookMap, N extends FilterName<M>> = ReturnType<FilterFunction<M, N>>;
/** A filter's callback: the value and the arguments; returns the new value (or a promise of it). */
export type FilterCallback<M extends HookMap, N extends FilterName<M>> = (
  ...args: Parameters<FilterFunction<M, N>>
) => FilterReturn<M, N> | Promise<FilterReturn<M, N>>;
/** An action's arguments. */
export type ActionArgs<M extends HookMap, N extends ActionName<M>> = Parameters<
  Extract<M["actions"][N], AnyFunction>
>;
/** An action's callback; what it returns is ignored. */
export type ActionCallback<M extends HookMap, N extends ActionName<M>> = (
  ...args: ActionArgs<M, N>
) => unknown;

type Widen<V> = V extends boolean ? boolean : V extends number ? number : V extends string ? string : V;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * What `applyFilters` resolves with: the type of the value passed in (widened from a literal) when the
 * callbacks return the value's type, else what they return.
 */
export type FilterResult<M extends HookMap, N extends FilterName<M>, V> =
  Same<FilterValue<M, N>, FilterReturn<M, N>> extends true ? Widen<V> : FilterReturn<M, N>;
/** A name outside the map (`never` for a known one, so that it cannot skip its types). */
type Unknown<M extends HookMap, N extends string> = N extends HookName<M> ? never : N;

interface Entry {
  callback: HookCallback;
  priority: number;
}

/** Default priority, as in WordPress. */
export const DEFAULT_PRIORITY = 10;

/** Holds filters and actions; one instance per application. */
export class HookRegistry<M extends HookMap = FleetpressHooks> {
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
  addFilter<N extends FilterName<M>>(name: N, callback: FilterCallback<M, N>, priority?: number): void;
  /** Registers a callback of a plugin's own filter. */
  addFilter<N extends string>(name: Unknown<M, N>, callback: HookCallback, priority?: number): void;
  addFilter(name: string, callback: HookCallback, priority = DEFAULT_PRIORITY): void {
    this.#add(name, callback, priority);
  }

  #add(name: string, callback: HookCallback, priority: number): void {
    if (!Number.isFinite(priority)) throw new TypeError(`priority must be a finite number, got ${priority}`);
    const entries = this.#hooks.get(name) ?? [];
    // Insert after every entry of lower or equal priority: equal priorities keep insertion order.
    let at = entries.length;
    while (at > 0 && entries[at - 1].priority > priority) at--;
    entries.splice(at, 0, { callback, priority });
    this.#hooks.set(name, entries);
  }

  /**
   * Removes a callback; with a priority, only the registration at that priority. Returns whether one
   * was removed.
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
  applyFilters<N extends FilterName<M>, V extends FilterValue<M, N>>(
    name: N,
    value: V,
    ...args: FilterArgs<M, N>
  ): Promise<FilterResult<M, N, V>>;
  /**
   * Applies a plugin's own filter (or a name only known at run time); with an explicit value type, the
   * caller vouches for what the callbacks return.
   */
  applyFilters<T, N extends string = string>(name: Unknown<M, N>, value: T, ...args: unknown[]): Promise<T>;
  async applyFilters(name: string, value: unknown, ...args: unknown[]): Promise<unknown> {
    const entries = this.#hooks.get(name);
    if (!entries) return value;
    let current: unknown = value;
    for (const { callback } of [...entries]) current = await callback(current, ...args);
    return current;
  }

  /**
   * Registers an action callback.
   *
   * @example
   * ```ts
   * hooks.addAction("mainwp_site_suspended", (site, suspended) => console.log(site.id, suspended));
   * ```
   */
  addAction<N extends ActionName<M>>(name: N, callback: ActionCallback<M, N>, priority?: number): void;
  /** Registers a callback of a plugin's own action. */
  addAction<N extends string>(name: Unknown<M, N>, callback: HookCallback, priority?: number): void;
  addAction(name: string, callback: HookCallback, priority = DEFAULT_PRIORITY): void {
    this.#add(name, callback, priority);
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
  doAction<N extends ActionName<M>>(name: N, ...args: ActionArgs<M, N>): Promise<void>;
  /** Fires a plugin's own action (or a name only known at run time). */
  doAction<N extends string>(name: Unknown<M, N>, ...args: unknown[]): Promise<void>;
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
