/**
 * @module
 * The size limits of every string that may reach Deno KV, in one place. KV refuses keys over 2 KiB and
 * values over 64 KiB (and commits over 800 KiB); request input is bounded here, before it gets that far,
 * so an oversized value is a `400`, never a KV error: REST parameters by {@link checkParamBounds}, ability
 * input by the `maxLength` {@link withStringLimits} adds to its schema, key parts by {@link fitsKey} in the
 * store. Lengths count UTF-16 code units (ability schemas: characters); key parts count UTF-8 bytes, as KV does.
 *
 * @example
 * ```ts
 * fitsKey("example.com"); // true
 * checkParamBounds({ name: "x".repeat(300) }); // { param: "name", max: 255, nested: false }
 * ```
 */
/** Names, titles, logins, e-mail addresses, colours, slugs, search strings (WordPress columns are 255 wide). */
export const NAME_MAX = 255;
/** URLs (site addresses, links). */
export const URL_MAX = 2048;
/** A path identifier: an id, a domain, an e-mail address, a job id. Longer is simply "not found". */
export const IDENTIFIER_MAX = URL_MAX;
/** Free text: notes, descriptions, custom field values. */
export const TEXT_MAX = 16_384;
/** The body of a post or page (it goes to the child site, never to KV). */
export const CONTENT_MAX = 1_048_576;
/** Any other string anywhere in a request's parameters (comma lists of ids, slugs, …). */
export const PARAM_MAX = 65_536;
/** Any object key anywhere in a request's parameters (field names become index keys). */
export const PARAM_KEY_MAX = 1_024;
/** How deeply a request's parameters may nest (PHP allows 64 levels; nothing here needs more than 8). */
export const PARAM_DEPTH_MAX = 32;
/** The UTF-8 bytes one string may take inside a KV key (the whole key may take 2 KiB). */
export const KEY_TEXT_BYTES = 1_500;

/**
 * The limit of a field, by name: a REST parameter or a member of one at any depth (a batch item's `name`,
 * a custom field's `field_value`), or an ability input property (and the items of a list property). Every other string gets {@link PARAM_MAX} over REST and
 * {@link TEXT_MAX} in ability input. REST path identifiers (`id_domain`, `id_email`…) are not listed: an
 * over-long one is looked up, finds nothing (see {@link fitsKey}) and gets the route's own not-found answer.
 */
export const FIELD_LIMITS: Readonly<Record<string, number>> = {
  // names and other short columns
  name: NAME_MAX,
  title: NAME_MAX,
  color: NAME_MAX,
  search: NAME_MAX,
  admin: NAME_MAX,
  admin_username: NAME_MAX,
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
  slugs: NAME_MAX,
  // a cost's short columns
  product_slug: NAME_MAX,
  product_type: NAME_MAX,
  payment_type: NAME_MAX,
  payment_method: NAME_MAX,
  license_type: NAME_MAX,
  renewal_type: NAME_MAX,
  cost_tracker_status: NAME_MAX,
  product_color: NAME_MAX,
  price: NAME_MAX,
  last_renewal: NAME_MAX,
  next_renewal: NAME_MAX,
  // a child site's WordPress user (`/users` routes)
  username: NAME_MAX,
  email: NAME_MAX,
  first_name: NAME_MAX,
  last_name: NAME_MAX,
  nickname: NAME_MAX,
  display_name: NAME_MAX,
  password: NAME_MAX,
  // links
  url: URL_MAX,
  user_url: URL_MAX,
  client_facebook: URL_MAX,
  client_twitter: URL_MAX,
  client_instagram: URL_MAX,
  client_linkedin: URL_MAX,
  // identifiers given in ability input
  site_id_or_domain: IDENTIFIER_MAX,
  site_ids_or_domains: IDENTIFIER_MAX,
  client_id_or_email: IDENTIFIER_MAX,
  // free text
  note: TEXT_MAX,
  notes: TEXT_MAX,
  description: TEXT_MAX,
  field_value: TEXT_MAX,
  field_desc: TEXT_MAX,
  monitoring_emails: TEXT_MAX,
  // posts and pages (sent to child sites): WordPress's 255-wide columns, text, and the body
  post_title: NAME_MAX,
  post_name: NAME_MAX,
  post_password: NAME_MAX,
  post_type: NAME_MAX,
  post_status: NAME_MAX,
  comment_status: NAME_MAX,
  ping_status: NAME_MAX,
  post_date: NAME_MAX,
  post_date_gmt: NAME_MAX,
  post_excerpt: TEXT_MAX,
  post_tags: TEXT_MAX,
  post_category: TEXT_MAX,
  post_featured_image: URL_MAX,
  post_content: CONTENT_MAX,
};

/** Largest users CSV file `POST /users/import` accepts, in bytes (more: `413`, before any child call). */
export const CSV_MAX_BYTES = 1_048_576;

/** Most data rows of one users CSV import (each row is a create on its sites, run one row at a time). */
export const CSV_MAX_ROWS = 500;

/** The limit of a field by name, or `fallback`. */
function fieldLimit(name: string, fallback: number): number {
  return Object.hasOwn(FIELD_LIMITS, name) ? FIELD_LIMITS[name] : fallback;
}

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
 * A string too long to be a KV key part, refused before anything is written. Plain data, no HTTP: each
 * surface answers it as an over-long parameter (REST: `400 rest_invalid_param`).
 *
 * @example
 * ```ts
 * new KeyTooLong("url", 500).param; // "url"
 * ```
 */
export class KeyTooLong extends Error {
  override name = "KeyTooLong";
  constructor(readonly param: string, readonly max: number) {
    super(`${param} must be at most ${max} characters long.`);
  }
}

/**
 * Refuses a string that cannot be a KV key part: throws {@link KeyTooLong} before anything is written.
 *
 * @example
 * ```ts
 * assertFitsKey("https://example.com/", "url");
 * ```
 */
export function assertFitsKey(text: string, param: string): void {
  if (!fitsKey(text)) throw new KeyTooLong(param, Math.floor(KEY_TEXT_BYTES / 3));
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
 * Adds a `maxLength` to every string of an ability's input JSON Schema that has none: the property's
 * {@link FIELD_LIMITS} entry (list items take their list's), else {@link TEXT_MAX}. The input schemas
 * are written once in zod; this puts the limits of this module into what WordPress's validator checks
 * and what agents read in discovery. Returns a new schema.
 *
 * @example
 * ```ts
 * withStringLimits({ type: "object", properties: { name: { type: "string" } } });
 * // { type: "object", properties: { name: { type: "string", maxLength: 255 } } }
 * ```
 */
export function withStringLimits(schema: Record<string, unknown>, limit = TEXT_MAX): Record<string, unknown> {
  const out: Record<string, unknown> = { ...schema };
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes("string") && typeof schema.maxLength !== "number") out.maxLength = limit;
  if (isSchema(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, sub]) => [
        name,
        isSchema(sub) ? withStringLimits(sub, fieldLimit(name, TEXT_MAX)) : sub,
      ]),
    );
  }
  if (isSchema(schema.items)) out.items = withStringLimits(schema.items, limit);
  if (isSchema(schema.additionalProperties)) {
    out.additionalProperties = withStringLimits(schema.additionalProperties, TEXT_MAX);
  }
  for (const keyword of ["anyOf", "oneOf", "allOf"]) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) {
      out[keyword] = branches.map((b) => (isSchema(b) ? withStringLimits(b, limit) : b));
    }
  }
  return out;
}

function isSchema(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where {@link checkParamBounds} found an over-long string. */
export interface BoundViolation {
  /** The top-level parameter it is in. */
  param: string;
  max: number;
  /** Inside the parameter (an item, a member or a key), not the parameter's own string. */
  nested: boolean;
}

/** The parameter that carries an ability's input, which its input schema bounds (see {@link withStringLimits}). */
const ABILITY_INPUT = "input";

/**
 * Walks request parameters (any depth, own properties only) and returns the first string or object key
 * over its limit: a string takes its field's limit ({@link FIELD_LIMITS}, by its own name or its list's;
 * inside an ability's `input` only at the top, the input schema does the rest), else {@link PARAM_MAX};
 * keys take {@link PARAM_KEY_MAX}; nesting past {@link PARAM_DEPTH_MAX} counts as too long too. `null`
 * when everything fits.
 *
 * @example
 * ```ts
 * checkParamBounds({ name: "x".repeat(300) }); // { param: "name", max: 255, nested: false }
 * ```
 */
export function checkParamBounds(params: Record<string, unknown>): BoundViolation | null {
  for (const param of Object.keys(params)) {
    if (param.length > PARAM_KEY_MAX) return { param: param.slice(0, 64), max: PARAM_KEY_MAX, nested: false };
    const value = params[param];
    const limit = fieldLimit(param, PARAM_MAX);
    if (typeof value === "string") {
      if (value.length > limit) return { param, max: limit, nested: false };
      continue;
    }
    const max = deepMax(value, 0, limit, param !== ABILITY_INPUT);
    if (max !== null) return { param, max, nested: true };
  }
  return null;
}

/** The limit a nested value breaks, or `null`; `named`: members take their field's limit. */
function deepMax(value: unknown, depth: number, limit: number, named: boolean): number | null {
  if (typeof value === "string") return value.length > limit ? limit : null;
  if (!value || typeof value !== "object") return null;
  if (depth >= PARAM_DEPTH_MAX) return PARAM_DEPTH_MAX;
  if (Array.isArray(value)) {
    for (const item of value) {
      const max = deepMax(item, depth + 1, limit, named);
      if (max !== null) return max;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (key.length > PARAM_KEY_MAX) return PARAM_KEY_MAX;
    const member = named ? fieldLimit(key, PARAM_MAX) : PARAM_MAX;
    const max = deepMax((value as Record<string, unknown>)[key], depth + 1, member, named);
    if (max !== null) return max;
  }
  return null;
}
