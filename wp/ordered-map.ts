/**
 * @module
 * PHP-ordered JSON maps: objects whose integer-like keys keep insertion order when serialised.
 *
 * @example
 * ```ts
 * import { orderedMap } from "./ordered-map.ts";
 * JSON.stringify(orderedMap([["7", 1], ["3", 2]])); // '{"7":1,"3":2}'
 * ```
 */

/**
 * An object whose keys serialise in the given order even when they look like integers (a plain object
 * would sort them): PHP keeps insertion order in maps such as `{"7":…,"3":…}`. Empty → `[]`, as PHP
 * encodes an empty array.
 *
 * @example
 * ```ts
 * JSON.stringify(orderedMap([["7", 1], ["3", 2]])); // '{"7":1,"3":2}'
 * ```
 */
export function orderedMap<T>(entries: readonly (readonly [string, T])[]): Record<string, T> | [] {
  if (entries.length === 0) return [];
  const target: Record<string, T> = {};
  const order: string[] = [];
  for (const [key, value] of entries) {
    if (!Object.hasOwn(target, key)) order.push(key);
    target[key] = value;
  }
  return new Proxy(target, { ownKeys: () => [...order] });
}
