/**
 * @module
 * PHP-style form encoding (`http_build_query`): nested arrays and objects become `a[b]=c` / `a[0]=c`,
 * `true`/`false` become `1`/`0`, `null` and `undefined` are left out. Plus PHP's `rawurlencode`, which the
 * Dashboard applies once more to the admin password of `register` (child-protocol.md §B2).
 *
 * @example
 * ```ts
 * encodePhpForm({ function: "stats", syncdata: { plugins: 1 } }); // "function=stats&syncdata%5Bplugins%5D=1"
 * ```
 */

/** A value PHP form encoding can carry. */
export type FormValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly FormValue[]
  | { readonly [key: string]: FormValue };

/** Form fields by name. */
export type FormFields = Record<string, FormValue>;

function appendField(out: URLSearchParams, name: string, value: FormValue): void {
  if (value === null || value === undefined) return;
  if (typeof value === "boolean") return out.append(name, value ? "1" : "0");
  if (typeof value !== "object") return out.append(name, String(value));
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, item] of entries) appendField(out, `${name}[${key}]`, item);
}

/**
 * Encodes fields as `application/x-www-form-urlencoded`, PHP-style.
 *
 * @example
 * ```ts
 * encodePhpForm({ list: ["a", "b"], optimize: true }); // "list%5B0%5D=a&list%5B1%5D=b&optimize=1"
 * ```
 */
export function encodePhpForm(fields: FormFields): string {
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) appendField(out, name, value);
  return out.toString();
}

/**
 * PHP's `rawurlencode`: RFC 3986 percent-encoding (only `A-Z a-z 0-9 - _ . ~` stay as they are).
 *
 * @example
 * ```ts
 * rawUrlEncode("p@ss 100%!"); // "p%40ss%20100%25%21"
 * ```
 */
export function rawUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/**
 * PHP's `rawurldecode`: decodes `%XX` sequences, leaves malformed ones and `+` alone.
 *
 * @example
 * ```ts
 * rawUrlDecode("p%40ss%20100%25%21"); // "p@ss 100%!"
 * ```
 */
export function rawUrlDecode(value: string): string {
  return value.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return new TextDecoder().decode(bytes);
  });
}
