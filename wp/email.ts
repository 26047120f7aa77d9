/**
 * @module
 * WordPress's e-mail address checks: `is_email` (is the text an address WordPress accepts) and
 * `sanitize_email` (the text with the characters an address cannot hold removed, or `""`).
 *
 * @example
 * ```ts
 * isEmail("jane@example.com"); // true
 * sanitizeEmail(" jane<>@example.com "); // "jane@example.com"
 * ```
 */

const LOCAL_BAD = /[^a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]/g;
const LABEL_BAD = /[^a-z0-9-]/gi;
// PHP's trim() characters: space, \t, \n, \r, NUL and vertical tab.
// deno-lint-ignore no-control-regex
const EDGE_SPACE = /^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g;
// deno-lint-ignore no-control-regex
const EDGE_DOTS = /^[ \t\n\r\0\x0B.]+|[ \t\n\r\0\x0B.]+$/g;
// deno-lint-ignore no-control-regex
const EDGE_HYPHENS = /^[ \t\n\r\0\x0B-]+|[ \t\n\r\0\x0B-]+$/g;

/**
 * WordPress's `is_email`: at least 6 characters, `local@domain`, a local part of allowed characters, a
 * domain of two or more labels of letters, digits and inner hyphens.
 *
 * @example
 * ```ts
 * isEmail("a@b"); // false
 * ```
 */
export function isEmail(email: string): boolean {
  if (email.length < 6 || email.indexOf("@", 1) === -1) return false;
  const at = email.indexOf("@");
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === "" || new RegExp(LOCAL_BAD.source).test(local)) return false;
  if (domain.includes("..") || domain !== domain.replace(EDGE_DOTS, "")) {
    return false;
  }
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  return labels.every((label) =>
    label !== "" && label === label.replace(EDGE_HYPHENS, "") &&
    !new RegExp(LABEL_BAD.source, "i").test(label)
  );
}

/**
 * WordPress's `sanitize_email`: trimmed, characters an address cannot hold removed; `""` when what is
 * left is no address.
 *
 * @example
 * ```ts
 * sanitizeEmail("not an address"); // ""
 * ```
 */
export function sanitizeEmail(value: string): string {
  const email = value.replace(EDGE_SPACE, "");
  if (email.length < 6 || email.indexOf("@", 1) === -1) return "";
  const at = email.indexOf("@");
  const local = email.slice(0, at).replace(LOCAL_BAD, "");
  if (local === "") return "";
  let domain = email.slice(at + 1);
  if (/\.{2,}/.test(domain)) return "";
  domain = domain.replace(EDGE_DOTS, "");
  const labels = domain.split(".")
    .map((label) => label.replace(EDGE_HYPHENS, "").replace(LABEL_BAD, ""))
    .filter((label) => label !== "");
  if (labels.length < 2) return "";
  return `${local}@${labels.join(".")}`;
}
