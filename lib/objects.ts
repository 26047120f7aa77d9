/**
 * @module
 * Plain-object tests for values of unknown shape (decoded JSON, child replies, request input).
 *
 * @example
 * ```ts
 * import { isPlainObject } from "./objects.ts";
 * [isPlainObject({}), isPlainObject([]), isPlainObject(null)]; // [true, false, false]
 * ```
 */

/**
 * Whether a value is a non-null, non-array object (a JSON object).
 *
 * @example
 * ```ts
 * isPlainObject({ a: 1 }); // true
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
