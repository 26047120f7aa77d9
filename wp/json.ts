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
  const text = JSON.stringify(value, null, pretty ? 4 : undefined) ?? "null";
  let out = text.includes("/") ? text.replaceAll("/", "\\/") : text;
  if (NON_ASCII.test(out)) {
    NON_ASCII.lastIndex = 0;
    out = out.replace(NON_ASCII, escapeChar);
  }
  return out;
}
