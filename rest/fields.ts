/**
 * @module
 * WordPress's `_fields` response filter: keep only the named top-level fields, with dot paths for nested
 * ones (`data.id`). MainWP's `/sites*` routes apply it to each site object instead (see
 * `projectFields`).
 *
 * @example
 * ```ts
 * filterFields({ a: 1, b: { c: 2, d: 3 } }, ["b.c"]); // { b: { c: 2 } }
 * ```
 */
import { parseList } from "./args.ts";

/** Parses `_fields` (`a,b` or `_fields[]=a`) into a list, or `null` when absent. */
export function parseFieldsParam(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  const list = parseList(value);
  return list.length > 0 ? list : null;
}

function pick(value: unknown, paths: string[][]): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(src)) {
    const matching = paths.filter((p) => p[0] === key);
    if (matching.length === 0) continue;
    if (matching.some((p) => p.length === 1)) out[key] = src[key];
    else out[key] = pick(src[key], matching.map((p) => p.slice(1)));
  }
  return out;
}

/**
 * Keeps only the requested fields of a response body (WordPress core behaviour).
 *
 * @example
 * ```ts
 * filterFields({ success: 1, data: { id: "3", name: "x" } }, ["data.id"]); // { data: { id: "3" } }
 * ```
 */
export function filterFields(body: unknown, fields: string[]): unknown {
  const paths = fields.map((f) => f.split("."));
  if (Array.isArray(body)) return body.map((item) => pick(item, paths));
  return pick(body, paths);
}

/**
 * Keeps the requested keys of one record plus `id` (MainWP's per-site `_fields`), in record order.
 *
 * @example
 * ```ts
 * projectFields({ id: "1", name: "a", url: "u" }, ["url"]); // { id: "1", url: "u" }
 * ```
 */
export function projectFields<T extends Record<string, unknown>>(
  item: T,
  fields: string[] | null,
): Partial<T> {
  if (!fields) return item;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(item)) if (key === "id" || fields.includes(key)) out[key] = item[key];
  return out as Partial<T>;
}
