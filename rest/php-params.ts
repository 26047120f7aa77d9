/**
 * @module
 * PHP-style parameter decoding: `a[]=1&a[]=2`, `a[0]=1`, `a[b][c]=1` become nested arrays and objects,
 * as PHP fills `$_GET`/`$_POST` before WordPress sees a request. Names are own data properties only: a
 * `__proto__` segment drops the pair, and `constructor` / `prototype` are ordinary keys; so does nesting
 * deeper than `PARAM_DEPTH_MAX`.
 *
 * @example
 * ```ts
 * parsePhpParams(new URLSearchParams("ids[]=1&ids[]=2&input[a][b]=x"));
 * // { ids: ["1", "2"], input: { a: { b: "x" } } }
 * ```
 */

import { PARAM_DEPTH_MAX } from "../lib/limits.ts";

/** A decoded parameter value. */
export type PhpValue = string | PhpValue[] | { [key: string]: PhpValue };

/** Splits `a[b][]` into `["a", "b", ""]`; a name without brackets is one segment. */
export function splitPhpName(name: string): string[] {
  const open = name.indexOf("[");
  if (open <= 0) return [name];
  const parts = [name.slice(0, open)];
  const re = /\[([^\]]*)\]/gy;
  re.lastIndex = open;
  let m: RegExpExecArray | null;
  while ((m = re.exec(name)) !== null) parts.push(m[1]);
  // PHP keeps trailing garbage after the last bracket out of the key; so do we.
  return parts;
}

function assign(container: Record<string, PhpValue> | PhpValue[], parts: string[], value: string): void {
  let node: Record<string, PhpValue> | PhpValue[] = container;
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    let key: string | number = parts[i];
    if (key === "" && Array.isArray(node)) key = node.length;
    else if (key === "") key = String(nextIndex(node as Record<string, PhpValue>));
    const slots = node as Record<string | number, PhpValue>;
    if (last) {
      slots[key] = value;
      return;
    }
    // Own properties only: `a[constructor][prototype][x]` must not walk into Object.prototype.
    const existing = Object.hasOwn(slots, key) ? slots[key] : undefined;
    if (existing === undefined || typeof existing === "string") {
      const child: Record<string, PhpValue> | PhpValue[] = parts[i + 1] === "" ? [] : {};
      slots[key] = child;
      node = child;
    } else {
      node = existing as Record<string, PhpValue> | PhpValue[];
    }
  }
}

function nextIndex(obj: Record<string, PhpValue>): number {
  let max = -1;
  for (const k of Object.keys(obj)) if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}

/** Turns objects whose keys are exactly 0..n-1 into arrays, recursively (PHP lists). */
function listify(value: PhpValue): PhpValue {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(listify);
  const keys = Object.keys(value);
  const out: Record<string, PhpValue> = {};
  for (const k of keys) out[k] = listify(value[k]);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => out[k]);
  return out;
}

/**
 * Decodes URL-encoded pairs into PHP-style nested values. Later plain keys overwrite earlier ones.
 *
 * @example
 * ```ts
 * parsePhpParams(new URLSearchParams("input[ids][0]=1&input[ids][1]=2")).input; // { ids: ["1", "2"] }
 * ```
 */
export function parsePhpParams(
  params: URLSearchParams | Iterable<[string, string]>,
): Record<string, PhpValue> {
  const root: Record<string, PhpValue> = {};
  for (const [name, value] of params) {
    if (name === "") continue;
    const parts = splitPhpName(name);
    // `__proto__` is no key a PHP application could mean; as a JavaScript key it is the prototype.
    if (parts.includes("__proto__")) continue;
    // Too deep a name is dropped, as PHP drops one past `max_input_nesting_level`.
    if (parts.length > PARAM_DEPTH_MAX) continue;
    if (parts.length === 1) {
      root[name] = value;
      continue;
    }
    assign(root, parts, value);
  }
  for (const k of Object.keys(root)) root[k] = listify(root[k]);
  return root;
}
