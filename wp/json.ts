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

import { ByteLru } from "../lib/lru.ts";

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

/** Objects with their `encodeWpJson` bytes (UTF-8, which is ASCII here), remembered by {@link rememberEncoding}. */
const encodings = new WeakMap<object, Uint8Array<ArrayBuffer>>();
/** Bodies whose encoding looks for remembered objects (others take the plain path). */
const withFragments = new WeakSet<object>();
/** Stands for a fragment while the rest is encoded; random, so no stored string can forge one. */
const TOKEN = `\u0001${crypto.randomUUID()}:`;
const TOKEN_TEXT = new RegExp(`"\\\\u0001${TOKEN.slice(1)}(\\d+)"`, "g");
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
/** Each remembered encoding's identity, for the answer memo below. */
const fragmentIds = new WeakMap<Uint8Array, number>();
let lastFragmentId = 0;
/**
 * Spliced answers by their skeleton and fragments: a page asked for again while its sites did not change
 * is answered with the same bytes instead of a new large buffer per request (V8 places those in old
 * space: at hundreds of pages a second they drove full GCs and the p99).
 */
const recentBodies = new ByteLru<string, Uint8Array<ArrayBuffer>>(16 * 1024 * 1024);

/**
 * Remembers that `text` is `encodeWpJson(value)` (kept as bytes), so answers marked by
 * {@link encodeWithFragmentsOf} splice it instead of encoding `value` again. `value` must never change
 * afterwards (it is frozen). Returns `value` and the bytes kept.
 *
 * @example
 * ```ts
 * const { value } = rememberEncoding({ id: "3" }, encodeWpJson({ id: "3" }));
 * ```
 */
export function rememberEncoding<T extends object>(value: T, text: string): { value: T; bytes: number } {
  const bytes = utf8.encode(text);
  encodings.set(value, bytes);
  fragmentIds.set(bytes, ++lastFragmentId);
  return { value: Object.freeze(value), bytes: bytes.length };
}

/**
 * Marks an answer body whose members may be remembered encodings (see {@link rememberEncoding}): its
 * compact encoding splices them. The bytes are those of the plain encoding.
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

/** The envelope's text with tokens, and the fragments they stand for. */
function tokenized(value: object): { text: string; fragments: Uint8Array<ArrayBuffer>[] } {
  const fragments: Uint8Array<ArrayBuffer>[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== "object" || v === null) return v;
    const known = encodings.get(v);
    if (known === undefined) return v;
    fragments.push(known);
    return TOKEN + (fragments.length - 1);
  }) ?? "null";
  return { text: escapeWp(text), fragments };
}

/**
 * The answer body as `encodeWpJson` would write it, as UTF-8 bytes when it splices remembered
 * encodings (no text of the whole answer is built, nor encoded again), else as the text.
 *
 * @example
 * ```ts
 * new Response(encodeWpJsonBody(body));
 * ```
 */
export function encodeWpJsonBody(value: unknown, pretty = false): string | Uint8Array<ArrayBuffer> {
  if (pretty || typeof value !== "object" || value === null || !withFragments.has(value)) {
    return encodeWpJson(value, pretty);
  }
  const { text, fragments } = tokenized(value);
  if (fragments.length === 0) return text;
  const memoKey = `${text}\u0000${fragments.map((f) => fragmentIds.get(f)).join(",")}`;
  const known = recentBodies.get(memoKey);
  if (known) return known;
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let at = 0;
  for (const m of text.matchAll(TOKEN_TEXT)) {
    parts.push(utf8.encode(text.slice(at, m.index)), fragments[Number(m[1])]);
    at = m.index + m[0].length;
  }
  parts.push(utf8.encode(text.slice(at)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  recentBodies.set(memoKey, out, out.length + memoKey.length * 2);
  return out;
}

function encodeWithFragments(value: object): string {
  const { text, fragments } = tokenized(value);
  return fragments.length === 0
    ? text
    : text.replace(TOKEN_TEXT, (_m, n: string) => fromUtf8.decode(fragments[Number(n)]));
}
