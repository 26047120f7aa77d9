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

export { encodeWithFragmentsOf, encodeWpJson, encodeWpJsonBody, rememberEncoding } from "../wp/json.ts";

/** Drops `__proto__` members: as a JavaScript key it names the prototype, never data. */
function dropProtoKeys(key: string, value: unknown): unknown {
  return key === "__proto__" ? undefined : value;
}

/**
 * Parses request JSON into plain data: every member is an own property and no `__proto__` member
 * survives, so input cannot reach a prototype when it is copied or walked. Throws `SyntaxError` as
 * `JSON.parse` does.
 *
 * @example
 * ```ts
 * parseRequestJson('{"a":1,"__proto__":{"x":1}}'); // { a: 1 }
 * ```
 */
export function parseRequestJson(text: string): unknown {
  return JSON.parse(text, dropProtoKeys);
}

/** Whether a parsed JSON value is an object (not an array, not `null`). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
