/**
 * @module
 * WordPress's JSON-schema subset for ability input and output (`rest_validate_value_from_schema`,
 * abilities.md §1.6): lenient type tests, the first error only, in WordPress's words; input keys are
 * looked up as own properties only (`constructor` is an unknown property, not `Object`). Plus the
 * per-schema coercion of query-string input (WordPress 7.1), so `input[confirm]=false` is `false`.
 *
 * @example
 * ```ts
 * validateWpSchema({ per_page: 500 }, schema); // "input[per_page] must be between 1 (inclusive) and 100 (inclusive)"
 * ```
 */
import { isPhpNumeric } from "../wp/php.ts";
import { isPlainObject } from "../lib/objects.ts";

type Schema = Record<string, unknown>;

/** WordPress's `rest_is_boolean`. */
function isBooleanLike(v: unknown): boolean {
  if (typeof v === "boolean" || v === 0 || v === 1) return true;
  return typeof v === "string" && ["true", "false", "1", "0"].includes(v.toLowerCase());
}

function toBoolean(v: unknown): boolean {
  return v === true || v === 1 || (typeof v === "string" && ["true", "1"].includes(v.toLowerCase()));
}

/** A scalar as WordPress turns it into a list (`"a,b"` → `["a","b"]`). */
function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isPlainObject(v)) return Object.values(v);
  if (v === "" || v === null || v === undefined) return [];
  return String(v).split(/[\s,]+/).filter((s) => s !== "");
}

const TYPE_TESTS: Record<string, (v: unknown) => boolean> = {
  integer: (v) => isPhpNumeric(v) && Number.isInteger(Number(v)),
  number: isPhpNumeric,
  boolean: isBooleanLike,
  string: (v) => typeof v === "string",
  array: (v) =>
    Array.isArray(v) || (v !== null && typeof v !== "object") ||
    isPlainObject(v) && Object.keys(v).every((k, i) => k === String(i)),
  object: (v) => isPlainObject(v) || Array.isArray(v) || v === "",
  null: (v) => v === null,
};

function typesOf(schema: Schema): string[] {
  const t = schema.type;
  return Array.isArray(t) ? t.map(String) : typeof t === "string" ? [t] : [];
}

/** The type WordPress validates a value as: the first listed type whose test passes (`""` prefers string). */
function pickType(value: unknown, types: string[]): string | null {
  if (value === "" && types.includes("string")) return "string";
  return types.find((t) => TYPE_TESTS[t]?.(value)) ?? null;
}

/**
 * Joins a list as WordPress's `wp_sprintf('%l')`: `a, b, and c`; `a and b`.
 *
 * @example
 * ```ts
 * wpListJoin(["a", "b", "c"]); // "a, b, and c"
 * ```
 */
export function wpListJoin(items: string[]): string {
  if (items.length <= 1) return items.join("");
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(", ")}, and ${items.at(-1)}`;
}

function coerceTo(type: string, value: unknown): unknown {
  switch (type) {
    case "integer":
    case "number":
      return Number(value);
    case "boolean":
      return toBoolean(value);
    case "array":
      return toList(value);
    case "object":
      return value === ""
        ? {}
        : Array.isArray(value)
        ? Object.fromEntries(value.map((v, i) => [String(i), v]))
        : value;
    default:
      return value;
  }
}

function boundsMessage(param: string, schema: Schema): string | null {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const exMin = schema.exclusiveMinimum === true;
  const exMax = schema.exclusiveMaximum === true;
  if (min !== undefined && max !== undefined) {
    return `${param} must be between ${min} (${exMin ? "exclusive" : "inclusive"}) and ${max} (${
      exMax ? "exclusive" : "inclusive"
    })`;
  }
  if (min !== undefined) return `${param} must be greater than${exMin ? "" : " or equal to"} ${min}`;
  if (max !== undefined) return `${param} must be less than${exMax ? "" : " or equal to"} ${max}`;
  return null;
}

function checkNumber(n: number, param: string, schema: Schema): string | null {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const tooLow = min !== undefined && (schema.exclusiveMinimum === true ? n <= min : n < min);
  const tooHigh = max !== undefined && (schema.exclusiveMaximum === true ? n >= max : n > max);
  if (tooLow || tooHigh) return boundsMessage(param, schema);
  if (typeof schema.multipleOf === "number" && n % schema.multipleOf !== 0) {
    return `${param} must be a multiple of ${schema.multipleOf}.`;
  }
  return null;
}

/** IPv4 dotted quad or an IPv6 address. */
function isIpAddress(s: string): boolean {
  const v4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
  if (v4.test(s)) return true;
  try {
    return s.includes(":") && new URL(`http://[${s}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

function checkString(s: string, param: string, schema: Schema): string | null {
  const chars = [...s].length;
  if (typeof schema.minLength === "number" && chars < schema.minLength) {
    return `${param} must be at least ${schema.minLength} character${
      schema.minLength === 1 ? "" : "s"
    } long.`;
  }
  if (typeof schema.maxLength === "number" && chars > schema.maxLength) {
    return `${param} must be at most ${schema.maxLength} character${schema.maxLength === 1 ? "" : "s"} long.`;
  }
  if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(s)) {
    return `${param} does not match pattern ${schema.pattern}.`;
  }
  switch (schema.format) {
    case "email":
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? null : "Invalid email address.";
    case "date-time":
      return Number.isNaN(Date.parse(s)) ? "Invalid date." : null;
    case "hex-color":
      return /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(s) ? null : "Invalid hex color.";
    case "ip":
      return isIpAddress(s) ? null : `${param} is not a valid IP address.`;
    case "uuid":
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)
        ? null
        : `${param} is not a valid UUID.`;
  }
  return null;
}

function checkArray(list: unknown[], param: string, schema: Schema): string | null {
  if (isPlainObject(schema.items)) {
    for (let i = 0; i < list.length; i++) {
      const error = validateWpSchema(list[i], schema.items, `${param}[${i}]`);
      if (error) return error;
    }
  }
  const n = (k: string) => schema[k] as number;
  if (typeof schema.minItems === "number" && list.length < n("minItems")) {
    return `${param} must contain at least ${n("minItems")} item${n("minItems") === 1 ? "" : "s"}.`;
  }
  if (typeof schema.maxItems === "number" && list.length > n("maxItems")) {
    return `${param} must contain at most ${n("maxItems")} item${n("maxItems") === 1 ? "" : "s"}.`;
  }
  if (schema.uniqueItems === true && new Set(list.map((v) => JSON.stringify(v))).size !== list.length) {
    return `${param} has duplicate items.`;
  }
  return null;
}

function checkObject(obj: Record<string, unknown>, param: string, schema: Schema): string | null {
  const properties = isPlainObject(schema.properties) ? schema.properties as Record<string, Schema> : {};
  const required = Array.isArray(schema.required)
    ? schema.required.map(String)
    : Object.entries(properties).filter(([, p]) => p.required === true).map(([k]) => k);
  for (const name of required) {
    if (!Object.hasOwn(obj, name)) {
      return `${name} is a required property of ${param}.`;
    }
  }
  for (const [key, value] of Object.entries(obj)) {
    if (Object.hasOwn(properties, key)) {
      const error = validateWpSchema(value, properties[key], `${param}[${key}]`);
      if (error) return error;
      continue;
    }
    const patterns = isPlainObject(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
    const pattern = patterns.find(([re]) => new RegExp(re, "u").test(key));
    if (pattern) {
      const error = validateWpSchema(value, pattern[1] as Schema, `${param}[${key}]`);
      if (error) return error;
    } else if (schema.additionalProperties === false) {
      return `${key} is not a valid property of Object.`;
    } else if (isPlainObject(schema.additionalProperties)) {
      const error = validateWpSchema(value, schema.additionalProperties, `${param}[${key}]`);
      if (error) return error;
    }
  }
  const count = Object.keys(obj).length;
  if (typeof schema.minProperties === "number" && count < schema.minProperties) {
    return `${param} must contain at least ${schema.minProperties} properties.`;
  }
  if (typeof schema.maxProperties === "number" && count > schema.maxProperties) {
    return `${param} must contain at most ${schema.maxProperties} properties.`;
  }
  return null;
}

function checkAlternatives(value: unknown, param: string, schema: Schema): string | null {
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const errors = branches.map((b) => validateWpSchema(value, b as Schema, param));
    const passing = errors.filter((e) => e === null).length;
    if (keyword === "oneOf" && passing > 1) return `${param} matches more than one of the expected formats.`;
    if (passing === 0) return errors.find((e) => e !== null) ?? `${param} is invalid.`;
  }
  return null;
}

/**
 * Validates `value` against a JSON Schema the way WordPress does; returns the first error message, or
 * `null` when the value is valid.
 *
 * @example
 * ```ts
 * validateWpSchema({ page: "x" }, { type: "object", properties: { page: { type: "integer" } } }); // "input[page] is not of type integer."
 * ```
 */
export function validateWpSchema(value: unknown, schema: Schema, param = "input"): string | null {
  const alternatives = checkAlternatives(value, param, schema);
  if (alternatives) return alternatives;
  const types = typesOf(schema);
  if (types.length === 0) return null;
  const type = pickType(value, types);
  if (type === null) return `${param} is not of type ${types.join(",")}.`;
  const coerced = coerceTo(type, value);
  if (Array.isArray(schema.enum)) {
    const options = schema.enum;
    if (!options.some((o) => o === coerced || (typeof o !== "object" && String(o) === String(coerced)))) {
      const shown = options.map((o) => (typeof o === "string" ? o : JSON.stringify(o)));
      return shown.length === 1
        ? `${param} is not ${shown[0]}.`
        : `${param} is not one of ${wpListJoin(shown)}.`;
    }
  }
  switch (type) {
    case "integer":
    case "number":
      return checkNumber(coerced as number, param, schema);
    case "string":
      return checkString(coerced as string, param, schema);
    case "array":
      return checkArray(coerced as unknown[], param, schema);
    case "object":
      return checkObject(coerced as Record<string, unknown>, param, schema);
  }
  return null;
}

/**
 * Converts query-string input (every leaf a string) to the types its schema declares, recursively;
 * what cannot be converted is left for validation to report.
 *
 * @example
 * ```ts
 * coerceWpSchema({ confirm: "false" }, { type: "object", properties: { confirm: { type: "boolean" } } }); // { confirm: false }
 * ```
 */
export function coerceWpSchema(value: unknown, schema: Schema): unknown {
  const branches = [schema.anyOf, schema.oneOf].find(Array.isArray) as Schema[] | undefined;
  if (branches) {
    const branch = branches.find((b) => pickType(value, typesOf(b)) !== null);
    return branch ? coerceWpSchema(value, branch) : value;
  }
  const types = typesOf(schema);
  const type = pickType(value, types);
  if (type === null) return value;
  if (type === "integer" || type === "number" || type === "boolean") return coerceTo(type, value);
  if (type === "array") {
    const items = isPlainObject(schema.items) ? schema.items : null;
    const list = toList(value);
    return items ? list.map((v) => coerceWpSchema(v, items)) : list;
  }
  if (type === "object" && isPlainObject(value)) {
    const properties = isPlainObject(schema.properties) ? schema.properties as Record<string, Schema> : {};
    return Object.fromEntries(
      Object.entries(value).map((
        [k, v],
      ) => [k, Object.hasOwn(properties, k) ? coerceWpSchema(v, properties[k]) : v]),
    );
  }
  return value;
}

/**
 * Reads a value that passed validation as an array: WordPress's validator accepts a scalar (and a
 * JSON object, PHP's array) where an array is expected, so a scalar becomes a one-item list, an object
 * its values, and an empty value the empty list.
 *
 * @example
 * ```ts
 * listInput(5); // [5]
 * listInput({ a: 1 }); // [1]
 * ```
 */
export function listInput(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") return Object.values(value);
  return value === undefined || value === null || value === "" ? [] : [value];
}
