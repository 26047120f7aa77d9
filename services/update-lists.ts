/**
 * @module
 * Moved to `core/updates/pending.ts`; kept only for the JSON helpers other areas still import from here.
 *
 * @example
 * ```ts
 * import { parseJsonText } from "./update-lists.ts";
 * parseJsonText('{"a":1}'); // { a: 1 }
 * ```
 */
export { asMap, parseJsonText } from "../core/updates/pending.ts";
