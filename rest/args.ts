/**
 * @module
 * Request-argument schemas with WordPress REST semantics, built on zod. Query strings carry only strings,
 * so `integer`, `number` and `boolean` accept their string forms as WordPress does; failures become
 * `rest_invalid_param` / `rest_missing_callback_param` errors with WordPress's messages. A route declares
 * its arguments once as a `z.looseObject({...})` of these builders; that one schema validates, coerces
 * and feeds the discovery document.
 *
 * @example
 * ```ts
 * const args = z.looseObject({ id: wp.int(), active: wp.bool(), status: wp.oneOf(["a", "b"]).optional() });
 * const parsed = validateArgs(args, { id: "3", active: "true" }); // { id: 3, active: true }
 * ```
 */
import { z } from "zod";
import { RestError } from "./errors.ts";
import { checkParamBounds } from "../lib/limits.ts";
import { tooLong } from "./store-errors.ts";

/** `%s` in a message is replaced by the parameter name when an issue is reported. */
const typeMsg = (type: string) => `%s is not of type ${type}.`;

const INT_RE = /^-?\d+$/;
const NUM_RE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function toInt(v: unknown): unknown {
  return typeof v === "string" && INT_RE.test(v.trim()) ? Number(v.trim()) : v;
}

function toNum(v: unknown): unknown {
  return typeof v === "string" && NUM_RE.test(v.trim()) ? Number(v.trim()) : v;
}

/** WordPress's `rest_sanitize_boolean` inputs. */
function toBool(v: unknown): unknown {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === "string") {
    const s = v.toLowerCase();
    if (s === "true" || s === "1") return true;
    if (s === "false" || s === "0" || s === "") return false;
  }
  return v;
}

/** Bool-ish as MainWP reads flags: true iff `true`, `"yes"`, `"true"`, `"1"` or `1` (case-insensitive). */
export function isTruthyFlag(v: unknown): boolean {
  if (v === true || v === 1) return true;
  return typeof v === "string" && ["yes", "true", "1"].includes(v.toLowerCase());
}

/**
 * Parses a comma list or array of IDs into positive integers, dropping anything else (MainWP's parsing
 * of `include` / `exclude` / `selected_sites`).
 *
 * @example
 * ```ts
 * parseIdList("3, 5,x,-1"); // [3, 5]
 * ```
 */
export function parseIdList(v: unknown): number[] {
  const items = Array.isArray(v)
    ? v
    : typeof v === "string" || typeof v === "number"
    ? String(v).split(",")
    : [];
  const out: number[] = [];
  for (const item of items) {
    const n = typeof item === "number" ? item : Number(String(item).trim());
    if (Number.isInteger(n) && n > 0 && !out.includes(n)) out.push(n);
  }
  return out;
}

/**
 * Parses a comma list or array of strings (trimmed, empties dropped).
 *
 * @example
 * ```ts
 * parseList("a, b,,c"); // ["a", "b", "c"]
 * ```
 */
export function parseList(v: unknown): string[] {
  const items = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : v == null ? [] : [v];
  return items.map((s) => String(s).trim()).filter((s) => s !== "");
}

/** Builders for WordPress-typed arguments. */
export const wp = {
  /** `integer`: an integer or its decimal string. */
  int: () => z.preprocess(toInt, z.int({ error: typeMsg("integer") })),
  /** `number`: a number or its string. */
  num: () => z.preprocess(toNum, z.number({ error: typeMsg("number") })),
  /** `boolean`: true/false, "true"/"false", "1"/"0", 1/0, "". */
  bool: () => z.preprocess(toBool, z.boolean({ error: typeMsg("boolean") })),
  /** `string`: a string; numbers are accepted and stringified, as PHP form input would be. */
  str: () =>
    z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string({ error: typeMsg("string") })),
  /** `enum`: one of the values (strings). */
  oneOf: <const T extends readonly [string, ...string[]]>(values: T) =>
    z.enum(values, { error: `%s is not one of ${values.join(", ")}.` }),
  /** `integer` restricted to values (e.g. 0/1 flags). */
  intOneOf: (values: readonly number[]) =>
    z.preprocess(
      toInt,
      z.int({ error: typeMsg("integer") }).refine((n) => values.includes(n), {
        error: `%s is not one of ${values.join(", ")}.`,
      }),
    ),
  /** `string` or `array` (MainWP's comma lists). */
  strOrArray: () => z.union([z.string(), z.array(z.unknown())], { error: typeMsg("string,array") }),
  /** `array` of integers (`sites[]=3&sites[]=5` or a JSON array). */
  intArray: () =>
    z.array(z.preprocess(toInt, z.int({ error: "%s[] is not of type integer." })), {
      error: typeMsg("array"),
    }),
  /** `object`. */
  object: () => z.record(z.string(), z.unknown(), { error: typeMsg("object") }),
  /** Anything, unvalidated (MainWP reads many parameters without a schema). */
  any: () => z.unknown(),
} as const;

/**
 * An optional argument of any type (MainWP declares most arguments without a schema type).
 *
 * @example
 * ```ts
 * const tagWriteArgs = z.looseObject({ name: opt(), color: opt() });
 * ```
 */
export const opt = (): z.ZodOptional<ReturnType<typeof wp.any>> => wp.any().optional();

/**
 * A list route's arguments: the common list parameters (`page`, `paged`, `per_page`, `search`,
 * `include`, `exclude`, `context`) plus `extra`, all optional and untyped unless `extra` says otherwise
 * — MainWP declares no schema for its list parameters, so nothing is rejected by type.
 *
 * @example
 * ```ts
 * const tagListArgs = listArgs();
 * const costListArgs = listArgs({ type: wp.any().optional() });
 * ```
 */
export function listArgs<E extends Record<string, z.ZodType>>(extra: E = {} as E) {
  return z.looseObject({
    page: opt(),
    paged: opt(),
    per_page: opt(),
    search: opt(),
    include: opt(),
    exclude: opt(),
    context: opt(),
    ...extra,
  });
}

const ISSUE_CODES: Record<string, string> = {
  invalid_type: "rest_invalid_type",
  invalid_union: "rest_invalid_type",
  invalid_value: "rest_not_in_enum",
  invalid_format: "rest_invalid_pattern",
  too_small: "rest_out_of_bounds",
  too_big: "rest_out_of_bounds",
};

function isRequired(schema: z.ZodType): boolean {
  return !schema.safeParse(undefined).success;
}

const requiredCache = new WeakMap<z.ZodObject, string[]>();

/** Names of the arguments a schema requires (cached per schema). */
export function requiredArgs(schema: z.ZodObject): string[] {
  let names = requiredCache.get(schema);
  if (!names) {
    names = Object.entries(schema.shape).filter(([, s]) => isRequired(s as z.ZodType)).map(([k]) => k);
    requiredCache.set(schema, names);
  }
  return names;
}

/** The `wpCode` a custom zod issue carries in its params, if any. */
function ownErrorCode(params: unknown): string | null {
  const code = params && typeof params === "object" ? (params as { wpCode?: unknown }).wpCode : undefined;
  return typeof code === "string" ? code : null;
}

/**
 * Validates and coerces merged request parameters. Throws `rest_missing_callback_param` when required
 * arguments are absent, else `rest_invalid_param` listing every invalid one.
 *
 * @example
 * ```ts
 * validateArgs(z.looseObject({ client_id: wp.int().optional() }), { client_id: "x" });
 * // throws: Invalid parameter(s): client_id
 * ```
 */
export function validateArgs<S extends z.ZodObject>(schema: S, params: Record<string, unknown>): z.output<S> {
  const missing = requiredArgs(schema).filter((name) =>
    !Object.hasOwn(params, name) || params[name] === undefined
  );
  if (missing.length > 0) {
    throw new RestError("rest_missing_callback_param", `Missing parameter(s): ${missing.join(", ")}`, {
      status: 400,
      params: missing,
    });
  }
  assertParamBounds(params);
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const messages: Record<string, string> = {};
  const details: Record<string, unknown> = {};
  for (const issue of result.error.issues) {
    const param = String(issue.path[0] ?? "");
    if (Object.hasOwn(messages, param)) continue;
    // A custom check that names its own WordPress error code (a MainWP validate_callback's WP_Error)
    // reports its message as is, with that code.
    const own = issue.code === "custom" ? ownErrorCode(issue.params) : null;
    const message = issue.message.includes("%s")
      ? issue.message.replaceAll("%s", param)
      : own
      ? issue.message
      : `${param} is invalid: ${issue.message}`;
    messages[param] = message;
    details[param] = own
      ? { code: own, message, data: null }
      : { code: ISSUE_CODES[issue.code] ?? "rest_invalid_param", message, data: { param } };
  }
  throw new RestError("rest_invalid_param", `Invalid parameter(s): ${Object.keys(messages).join(", ")}`, {
    status: 400,
    params: messages,
    details,
  });
}

/**
 * Refuses request parameters with an over-long string or key anywhere in them (the limits of
 * `lib/limits.ts`), as WordPress's `400 rest_invalid_param`, so nothing oversized reaches KV. Returns the
 * parameters unchanged.
 *
 * @example
 * ```ts
 * assertParamBounds({ name: "x".repeat(300) }); // throws: Invalid parameter(s): name
 * ```
 */
export function assertParamBounds<T extends Record<string, unknown>>(params: T): T {
  const violation = checkParamBounds(params);
  if (violation) throw tooLong(violation.param, violation.max, violation.nested);
  return params;
}

/**
 * The JSON Schema of each argument, for discovery documents (WordPress lists `args` per endpoint).
 *
 * @example
 * ```ts
 * describeArgs(z.looseObject({ page: wp.int().optional() })); // { page: { type: "integer", required: false } }
 * ```
 */
export function describeArgs(schema: z.ZodObject): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const required = requiredArgs(schema);
  for (const [name, s] of Object.entries(schema.shape)) {
    let json: Record<string, unknown> = {};
    try {
      json = z.toJSONSchema(s as z.ZodType, { io: "input", unrepresentable: "any" }) as Record<
        string,
        unknown
      >;
      delete json.$schema;
    } catch {
      json = {};
    }
    out[name] = { ...json, required: required.includes(name) };
  }
  return out;
}
