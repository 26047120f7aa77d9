/**
 * @module
 * PHP's value semantics as WordPress code relies on them: `empty()`, `intval()`, `absint()` and numeric
 * strings. One implementation of each, used wherever request values are read the PHP way.
 *
 * @example
 * ```ts
 * import { isPhpEmpty, phpIntval } from "./php.ts";
 * [isPhpEmpty("0"), phpIntval(" 12abc")]; // [true, 12]
 * ```
 */

/**
 * PHP's `empty()` on a request value: `""`, `"0"`, `0`, `null`, `false` and empty arrays or maps (a JSON
 * object arrives in PHP as an array).
 *
 * @example
 * ```ts
 * [isPhpEmpty("0"), isPhpEmpty("a"), isPhpEmpty([]), isPhpEmpty({})]; // [true, false, true, true]
 * ```
 */
export function isPhpEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === "" || value === "0") return true;
  if (typeof value === "number") return value === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/**
 * PHP's `intval()` of a request value: the leading digits of a string, a number truncated, `true` = 1;
 * anything else 0.
 *
 * @example
 * ```ts
 * [phpIntval(" 12abc"), phpIntval(-3.7), phpIntval("x")]; // [12, -3, 0]
 * ```
 */
export function phpIntval(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    const m = /^\s*([+-]?\d+)/.exec(value);
    return m ? Number(m[1]) : 0;
  }
  return 0;
}

/**
 * WordPress's `absint()`: the absolute value of `intval()`.
 *
 * @example
 * ```ts
 * absint("-999999"); // 999999
 * ```
 */
export function absint(value: unknown): number {
  return Math.abs(phpIntval(value));
}

/** PHP's `is_numeric()` for strings: optional sign, digits with an optional fraction and exponent. */
export const PHP_NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * PHP's `is_numeric()`: finite numbers and numeric strings (leading and trailing white space allowed).
 *
 * @example
 * ```ts
 * [isPhpNumeric("1e3"), isPhpNumeric(" 5"), isPhpNumeric("0x1A")]; // [true, true, false]
 * ```
 */
export function isPhpNumeric(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && PHP_NUMERIC.test(value);
}
