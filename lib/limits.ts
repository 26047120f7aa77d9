/**
 * @module
 * The size limits of every string that may reach Deno KV, in one place. KV refuses keys over 2 KiB and
 * values over 64 KiB (and commits over 800 KiB); request input is bounded here, before it gets that far,
 * so an oversized value is a `400`, never a KV error. Lengths count UTF-16 code units (what zod's `.max()`
 * and JavaScript count); key parts are checked in UTF-8 bytes, which is what KV counts.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * const input = z.object({ name: bounded.name(), note: bounded.text().optional() });
 * fitsKey("example.com"); // true
 * ```
 */
import { z } from "zod";
import { RestError } from "../rest/errors.ts";

/** Names, titles, logins, e-mail addresses, colours, slugs, search strings (WordPress columns are 255 wide). */
export const NAME_MAX = 255;
/** URLs (site addresses, links). */
export const URL_MAX = 2048;
/** A path identifier: an id, a domain, an e-mail address, a job id. Longer is simply "not found". */
export const IDENTIFIER_MAX = URL_MAX;
/** Free text: notes, descriptions, custom field values. */
export const TEXT_MAX = 16_384;
/** Any other string anywhere in a request's parameters (comma lists of ids, slugs, …). */
export const PARAM_MAX = 65_536;
/** Any object key anywhere in a request's parameters (field names become index keys). */
export const PARAM_KEY_MAX = 1_024;
/** How deeply a request's parameters may nest (PHP allows 64 levels; nothing here needs more than 8). */
export const PARAM_DEPTH_MAX = 32;
/** The UTF-8 bytes one string may take inside a KV key (the whole key may take 2 KiB). */
export const KEY_TEXT_BYTES = 1_500;

/**
 * The tightest limit for a top-level request parameter, by name (all else: {@link PARAM_MAX}). Path
 * identifiers are not listed: an over-long one is looked up, finds nothing (see {@link fitsKey}) and gets
 * the route's own not-found answer.
 */
export const PARAM_LIMITS: Readonly<Record<string, number>> = {
  // names and other short columns
  name: NAME_MAX,
  title: NAME_MAX,
  color: NAME_MAX,
  search: NAME_MAX,
  admin: NAME_MAX,
  login: NAME_MAX,
  field_name: NAME_MAX,
  client_email: NAME_MAX,
  client_phone: NAME_MAX,
  address_1: NAME_MAX,
  address_2: NAME_MAX,
  city: NAME_MAX,
  zip: NAME_MAX,
  state: NAME_MAX,
  country: NAME_MAX,
  http_user: NAME_MAX,
  http_pass: NAME_MAX,
  uniqueid: NAME_MAX,
  sslversion: NAME_MAX,
  protocol: NAME_MAX,
  order: NAME_MAX,
  orderby: NAME_MAX,
  context: NAME_MAX,
  type: NAME_MAX,
  status: NAME_MAX,
  // links
  url: URL_MAX,
  client_facebook: URL_MAX,
  client_twitter: URL_MAX,
  client_instagram: URL_MAX,
  client_linkedin: URL_MAX,
  // free text
  note: TEXT_MAX,
  description: TEXT_MAX,
  field_value: TEXT_MAX,
  field_desc: TEXT_MAX,
  monitoring_emails: TEXT_MAX,
};

const encoder = new TextEncoder();

/**
 * Whether a string fits in a KV key part ({@link KEY_TEXT_BYTES} UTF-8 bytes). Lookups by a longer
 * string find nothing; writes of one are refused.
 *
 * @example
 * ```ts
 * fitsKey("a".repeat(5000)); // false
 * ```
 */
export function fitsKey(text: string): boolean {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: short strings need no encoding.
  return text.length * 3 <= KEY_TEXT_BYTES || encoder.encode(text).length <= KEY_TEXT_BYTES;
}

/**
 * WordPress's `400 rest_invalid_param` for one over-long parameter.
 *
 * @example
 * ```ts
 * throw tooLong("name", 255);
 * ```
 */
export function tooLong(param: string, max: number): RestError {
  const message = `${param} must be at most ${max} characters long.`;
  return new RestError("rest_invalid_param", `Invalid parameter(s): ${param}`, {
    status: 400,
    params: { [param]: message },
    details: { [param]: { code: "rest_too_long", message, data: { param } } },
  });
}

/**
 * Refuses a string that cannot be a KV key part (a `400`, thrown before anything is written).
 *
 * @example
 * ```ts
 * assertFitsKey("https://example.com/", "url");
 * ```
 */
export function assertFitsKey(text: string, param: string): void {
  if (!fitsKey(text)) throw tooLong(param, Math.floor(KEY_TEXT_BYTES / 3));
}

/**
 * Whether an error is Deno KV refusing a key, value or commit for its size. Input is bounded before it
 * reaches KV, so this is the last line of defence; atomic commits fail whole, so nothing is half-written.
 *
 * @example
 * ```ts
 * isKvSizeError(new TypeError("Value too large (max 65536 bytes)")); // true
 * ```
 */
export function isKvSizeError(error: unknown): boolean {
  return error instanceof TypeError && /too large|too many (checks|mutations|keys)/i.test(error.message);
}

/**
 * The `400` a KV size error becomes.
 *
 * @example
 * ```ts
 * kvSizeError(); // RestError rest_invalid_param, status 400
 * ```
 */
export function kvSizeError(): RestError {
  return new RestError("rest_invalid_param", "The request is too large to store.", { status: 400 });
}

/**
 * Bounded zod strings for input schemas (abilities), one builder per kind of value.
 *
 * @example
 * ```ts
 * bounded.url(); // z.string().max(2048)
 * ```
 */
export const bounded = {
  /** A name, login, e-mail address, slug or other short column. */
  name: () => z.string().max(NAME_MAX),
  /** A URL. */
  url: () => z.string().max(URL_MAX),
  /** A site id-or-domain, client id-or-email, and similar identifiers given as text. */
  identifier: () => z.string().max(IDENTIFIER_MAX),
  /** Notes, descriptions, custom field values. */
  text: () => z.string().max(TEXT_MAX),
  /** A search string. */
  search: () => z.string().max(NAME_MAX),
} as const;

/** Where {@link checkParamBounds} found an over-long string. */
export interface BoundViolation {
  /** The top-level parameter it is in. */
  param: string;
  max: number;
}

/**
 * Walks request parameters (any depth, own properties only) and returns the first string or object key
 * over its limit: the parameter's own limit ({@link PARAM_LIMITS}) for a top-level string, else
 * {@link PARAM_MAX} for strings and {@link PARAM_KEY_MAX} for keys; nesting past
 * {@link PARAM_DEPTH_MAX} counts as too long too. `null` when everything fits.
 *
 * @example
 * ```ts
 * checkParamBounds({ name: "x".repeat(300) }); // { param: "name", max: 255 }
 * ```
 */
export function checkParamBounds(params: Record<string, unknown>): BoundViolation | null {
  for (const param of Object.keys(params)) {
    if (param.length > PARAM_KEY_MAX) return { param: param.slice(0, 64), max: PARAM_KEY_MAX };
    const value = params[param];
    const own = Object.hasOwn(PARAM_LIMITS, param) ? PARAM_LIMITS[param] : PARAM_MAX;
    if (typeof value === "string") {
      if (value.length > own) return { param, max: own };
      continue;
    }
    const max = deepMax(value, 0);
    if (max !== null) return { param, max };
  }
  return null;
}

/** The limit a nested value breaks, or `null`. */
function deepMax(value: unknown, depth: number): number | null {
  if (typeof value === "string") return value.length > PARAM_MAX ? PARAM_MAX : null;
  if (!value || typeof value !== "object") return null;
  if (depth >= PARAM_DEPTH_MAX) return PARAM_DEPTH_MAX;
  if (Array.isArray(value)) {
    for (const item of value) {
      const max = deepMax(item, depth + 1);
      if (max !== null) return max;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (key.length > PARAM_KEY_MAX) return PARAM_KEY_MAX;
    const max = deepMax((value as Record<string, unknown>)[key], depth + 1);
    if (max !== null) return max;
  }
  return null;
}
