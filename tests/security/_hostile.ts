/**
 * @module
 * Helpers of the hostile-input suite: route patterns from the discovery document filled with path
 * values, hostile payloads, and a dump of every KV entry with the fields reads may legitimately touch
 * taken out.
 *
 * @example
 * ```ts
 * const route = parseRoute("/mainwp/v2/tags/(?P<id>[\\d]+)/edit");
 * fillRoute(route, { id: "7" }); // "/mainwp/v2/tags/7/edit"
 * ```
 */
import { groupEnd } from "../../openapi/paths.ts";

/** A route pattern split into literal text and named groups. */
export type RoutePart = { text: string } | { name: string; regex: RegExp };

/**
 * Splits a WordPress route pattern (`(?P<name>…)` groups) into parts.
 *
 * @example
 * ```ts
 * parseRoute("/a/(?P<id>[\\d]+)").length; // 2
 * ```
 */
export function parseRoute(pattern: string): RoutePart[] {
  const parts: RoutePart[] = [];
  let rest = pattern;
  for (let open = rest.indexOf("(?P<"); open >= 0; open = rest.indexOf("(?P<")) {
    if (open > 0) parts.push({ text: rest.slice(0, open) });
    const end = groupEnd(rest, open) - 1; // the index of its closing `)`
    const nameEnd = rest.indexOf(">", open);
    const name = rest.slice(open + 4, nameEnd);
    const body = rest.slice(nameEnd + 1, end).replace(/\$$/, "");
    parts.push({ name, regex: new RegExp(`^(?:${body})$`) });
    rest = rest.slice(end + 1);
  }
  if (rest) parts.push({ text: rest.replace(/\$$/, "") });
  return parts;
}

/** Path values that name nothing stored; the first one a group's pattern accepts is used. */
const ABSENT = ["999999", "nonexistent.example", "sync_0123abcd-dead", "no-such-thing", "nope"];

/**
 * The route with each group filled: `values[name]` (URL-encoded) where given, else a value the group
 * accepts that names nothing stored.
 *
 * @example
 * ```ts
 * fillRoute(parseRoute("/t/(?P<id>[\\d]+)"), {}); // "/t/999999"
 * ```
 */
export function fillRoute(parts: RoutePart[], values: Record<string, string> = {}): string {
  return parts.map((part) => {
    if ("text" in part) return part.text;
    if (Object.hasOwn(values, part.name)) return encodeURIComponent(values[part.name]);
    return ABSENT.find((v) => part.regex.test(v)) ?? "999999";
  }).join("");
}

/** The group names of a route. */
export function groupNames(parts: RoutePart[]): string[] {
  return parts.flatMap((p) => ("name" in p ? [p.name] : []));
}

/** A 1 MiB string. */
export const MIB = "x".repeat(1 << 20);
/** Longer than any name, URL or key part, shorter than the generic parameter limit (multi-byte in UTF-8). */
export const OVER_LIMITS = "é".repeat(3000);
/** Path identifiers no route should choke on. */
export const BAD_IDENTIFIERS = ["a".repeat(5000), "../../etc/passwd", "a\u0000b", "\u202e😀"];
/** A JSON object whose member names are prototype keys. */
export const PROTO_MEMBERS =
  '"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}';
/** The same as PHP bracket parameters (under `prefix`, or top-level). */
export function protoQuery(prefix = ""): string {
  const name = (key: string) => (prefix ? `${prefix}[${key}]` : key);
  return [
    `${name("__proto__")}[polluted]=1`,
    `${name("constructor")}[prototype][polluted]=1`,
    `${name("prototype")}[polluted]=1`,
    `${name("toString")}=1`,
  ].join("&");
}
/** Nesting far past any limit, as a bracket query and as JSON (deep enough to blow a naive recursion). */
export const DEEP_QUERY = `deep${"[x]".repeat(20_000)}=1&list${"[]".repeat(20_000)}=1`;
export const DEEP_JSON = [
  `{"deep":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
  `{"deeper":${"[".repeat(200_000)}${"]".repeat(200_000)}}`,
];
/** Malformed JSON bodies. */
export const BAD_JSON = ['{"name": "x",', '{"a": 1}}\u0000'];
/** Values of the wrong type for any parameter. */
export const WRONG_TYPES: unknown[] = [{ a: { b: [1] } }, [[1], { x: null }]];
/** Bad pagination, as query strings. */
export const BAD_PAGING = [
  "page=-1&per_page=1e9",
  "page[]=1&per_page[]=2",
  "paged=-5&per_page=1e308&page=abc&paged[a]=1",
];

/** The fields reads may update (a key's `last_access`, an application password's `last_used`). */
const READ_TOUCHED: Record<string, string[]> = {
  api_keys: ["last_access"],
  app_passwords: ["last_used", "last_ip"],
  api_key_hash: ["last_access"],
};

function normalize(key: Deno.KvKey, value: unknown): unknown {
  const kind = key[0] === "idx" ? String(key[1]) : String(key[0]);
  const touched = READ_TOUCHED[kind];
  if (!touched || !value || typeof value !== "object") return value;
  const copy: Record<string, unknown> = { ...value };
  for (const field of touched) delete copy[field];
  return copy;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Deno.KvU64) return `u64:${value.value}`;
  if (value instanceof Uint8Array) return `bytes:${Array.from(value).join(",")}`;
  if (value instanceof Map) return { map: [...value] };
  if (value instanceof Set) return { set: [...value] };
  return value;
}

/**
 * Every KV entry as `key → value` text, the read-touched fields left out.
 *
 * @example
 * ```ts
 * const before = await dumpStore(kv);
 * ```
 */
export async function dumpStore(kv: Deno.Kv): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const entry of kv.list({ prefix: [] })) {
    out.set(JSON.stringify(entry.key, replacer), JSON.stringify(normalize(entry.key, entry.value), replacer));
  }
  return out;
}

/**
 * What changed between two dumps (added, removed or changed keys).
 *
 * @example
 * ```ts
 * storeChanges(before, await dumpStore(kv)); // []
 * ```
 */
export function storeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) changes.push(`added ${key}: ${value.slice(0, 200)}`);
    else if (before.get(key) !== value) changes.push(`changed ${key}: ${value.slice(0, 200)}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`removed ${key}`);
  return changes;
}
