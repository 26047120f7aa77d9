/**
 * @module
 * WordPress route patterns as OpenAPI paths: each named group `(?P<id>[\d]+)` becomes `{id}` (its regular
 * expression kept as the parameter's `pattern`), any other group a numbered parameter, so that a route's
 * path is a plain OpenAPI path template.
 *
 * @example
 * ```ts
 * openApiPath("/mainwp/v2/tags/(?P<id>[\\d]+)/edit");
 * // { path: "/wp-json/mainwp/v2/tags/{id}/edit", params: [{ name: "id", pattern: "^[\\d]+$" }] }
 * ```
 */

/** One path parameter: its name and the regular expression (ECMAScript syntax) it must match. */
export interface PathParam {
  name: string;
  pattern: string;
}

/**
 * The index just after the group that opens at `start` in a WordPress route pattern (balanced, skipping
 * escapes and character classes); the pattern's length when it never closes.
 *
 * @example
 * ```ts
 * groupEnd("/t/(?P<id>[\\d]+)/x", 3); // 16
 * ```
 */
export function groupEnd(pattern: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      continue;
    }
    if (ch === "[") inClass = true;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
  }
  return pattern.length;
}

/**
 * The OpenAPI path (under `/wp-json`) and path parameters of a WordPress route pattern.
 *
 * @example
 * ```ts
 * openApiPath("/").path; // "/wp-json/"
 * ```
 */
export function openApiPath(pattern: string): { path: string; params: PathParam[] } {
  const params: PathParam[] = [];
  let path = "";
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "\\") {
      path += pattern[i + 1] ?? "";
      i += 2;
      continue;
    }
    if (ch !== "(") {
      path += ch;
      i++;
      continue;
    }
    const end = groupEnd(pattern, i);
    const group = pattern.slice(i, end);
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(group);
    const name = named?.[1] ?? `param${params.length + 1}`;
    const body = named ? group.slice(named[0].length, -1) : group;
    // Trailing `$` anchors inside a group are WordPress's own; the parameter pattern is anchored anyway.
    params.push({ name, pattern: `^(?:${body.replaceAll("(?P<", "(?<")})$` });
    path += `{${name}}`;
    i = end;
  }
  return { path: `/wp-json${path === "/" ? "/" : path}`, params };
}
