/**
 * @module
 * JSON as WordPress's `wp_json_encode` writes it: `/` escaped as `\/` and non-ASCII characters as
 * `\uXXXX`, so clients that compare bytes see what MainWP sends. `_pretty` indents by four spaces.
 *
 * @example
 * ```ts
 * encodeWpJson({ url: "https://a.example/" }); // '{"url":"https:\\/\\/a.example\\/"}'
 * ```
 */

const NON_ASCII = /[\u007f-\uffff]/g;

function escapeChar(ch: string): string {
  return "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");
}

/**
 * Serialises a value the way WordPress does. Slashes only occur inside JSON strings, so escaping them
 * in the output is exact.
 *
 * @example
 * ```ts
 * encodeWpJson({ name: "Café" }); // '{"name":"Caf\\u00e9"}'
 * ```
 */
export function encodeWpJson(value: unknown, pretty = false): string {
  if (!pretty && typeof value === "object" && value !== null && withFragments.has(value)) {
    return encodeWithFragments(value);
  }
  const text = JSON.stringify(value, null, pretty ? 4 : undefined) ?? "null";
  return escapeWp(text);
}

function escapeWp(text: string): string {
  let out = text.includes("/") ? text.replaceAll("/", "\\/") : text;
  if (NON_ASCII.test(out)) {
    NON_ASCII.lastIndex = 0;
    out = out.replace(NON_ASCII, escapeChar);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Pre-encoded fragments: a value encoded once (e.g. a site's view) is spliced into answers as text.

/** Objects with their `encodeWpJson` text, remembered by {@link rememberEncoding}. */
const encodings = new WeakMap<object, string>();
/** Bodies whose encoding looks for remembered objects (others take the plain path). */
const withFragments = new WeakSet<object>();
/** Stands for a fragment while the rest is encoded; random, so no stored string can forge one. */
const TOKEN = `\u0001${crypto.randomUUID()}:`;
const TOKEN_TEXT = new RegExp(`"\\\\u0001${TOKEN.slice(1)}(\\d+)"`, "g");

/**
 * Remembers that `text` is `encodeWpJson(value)`, so answers marked by {@link encodeWithFragmentsOf}
 * splice the text instead of encoding `value` again. `value` must never change afterwards (it is frozen).
 *
 * @example
 * ```ts
 * const view = rememberEncoding({ id: "3" }, encodeWpJson({ id: "3" }));
 * ```
 */
export function rememberEncoding<T extends object>(value: T, text: string): T {
  encodings.set(value, text);
  return Object.freeze(value);
}

/**
 * Marks an answer body whose members may be remembered encodings (see {@link rememberEncoding}): its
 * compact encoding splices their texts. The bytes are those of the plain encoding.
 *
 * @example
 * ```ts
 * encodeWpJson(encodeWithFragmentsOf({ success: 1, data: [view] }));
 * ```
 */
export function encodeWithFragmentsOf<T extends object>(body: T): T {
  withFragments.add(body);
  return body;
}

function encodeWithFragments(value: object): string {
  const fragments: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== "object" || v === null) return v;
    const known = encodings.get(v);
    if (known === undefined) return v;
    fragments.push(known);
    return TOKEN + (fragments.length - 1);
  }) ?? "null";
  const escaped = escapeWp(text);
  return fragments.length === 0
    ? escaped
    : escaped.replace(TOKEN_TEXT, (_m, n: string) => fragments[Number(n)]);
}
