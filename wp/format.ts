/**
 * @module
 * WordPress's text formatting functions as MainWP applies them to stored and shown values:
 * `esc_html`, `sanitize_text_field`, `sanitize_hex_color` and `sanitize_title`. One implementation of each.
 *
 * @example
 * ```ts
 * import { escHtml, sanitizeTextField } from "./format.ts";
 * escHtml(sanitizeTextField("  <b>R&D</b> ")); // "R&amp;D"
 * ```
 */

/**
 * WordPress's `esc_html`: `& < > " '` become entities; existing entities are not encoded twice.
 *
 * @example
 * ```ts
 * escHtml(`Tom & "Jerry" &amp; <b>`); // "Tom &amp; &quot;Jerry&quot; &amp; &lt;b&gt;"
 * ```
 */
export function escHtml(text: string): string {
  return text
    .replace(/&(?!(?:[a-zA-Z][a-zA-Z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});)/g, "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#039;");
}

/**
 * WordPress's `sanitize_text_field`: tags stripped (a lone `<` becomes `&lt;`), whitespace runs
 * collapsed, percent-encoded octets removed, trimmed. Non-strings: numbers and `true` are stringified,
 * anything else is `""`.
 *
 * @example
 * ```ts
 * sanitizeTextField("  <b>ACME</b>\n Inc "); // "ACME Inc"
 * ```
 */
export function sanitizeTextField(value: unknown): string {
  let s = typeof value === "string"
    ? value
    : typeof value === "number" && Number.isFinite(value)
    ? String(value)
    : value === true
    ? "1"
    : "";
  if (s.includes("<")) {
    s = s.replace(/<[^>]*?((?=<)|>|$)/g, (m) => (m.includes(">") ? m : escHtml(m)));
    s = s.replace(/<(script|style)[^>]*?>[\s\S]*?<\/\1>/gi, "").replace(/<[^>]*>/g, "");
  }
  s = s.replace(/[\r\n\t ]+/g, " ").trim();
  let found = false;
  while (/%[a-f0-9]{2}/i.test(s)) {
    s = s.replace(/%[a-f0-9]{2}/gi, "");
    found = true;
  }
  if (found) s = s.replace(/ +/g, " ").trim();
  return s;
}

/**
 * WordPress's `sanitize_hex_color`: `""` stays `""`, `#rgb` or `#rrggbb` is kept, anything else is `null`.
 *
 * @example
 * ```ts
 * [sanitizeHexColor("#1E90FF"), sanitizeHexColor(""), sanitizeHexColor("red")]; // ["#1E90FF", "", null]
 * ```
 */
export function sanitizeHexColor(value: unknown): string | null {
  if (value === "") return "";
  if (typeof value !== "string") return null;
  return /^#([A-Fa-f0-9]{3}){1,2}$/.test(value) ? value : null;
}

/**
 * WordPress's `sanitize_title` (its `sanitize_title_with_dashes` step): accents removed, tags and
 * entities dropped, lower case, anything but letters, digits, `_` and `-` removed, spaces and dots become
 * dashes, runs of dashes collapsed and trimmed.
 *
 * @example
 * ```ts
 * sanitizeTitle("Bank Transfer (EU)"); // "bank-transfer-eu"
 * ```
 */
export function sanitizeTitle(title: string): string {
  return title
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/<[^>]*>/g, "")
    .replace(/&[a-zA-Z0-9#]+;/g, "")
    .toLowerCase()
    .replace(/[\s.]+/g, "-")
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}
