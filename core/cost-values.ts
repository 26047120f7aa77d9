/**
 * @module
 * A cost's values as MainWP stores them: renewal dates parsed leniently (PHP's `strtotime` forms),
 * the next renewal rolled past today, prices as DECIMAL(26,8) text and URLs as `esc_url_raw` keeps them.
 *
 * @example
 * ```ts
 * nextRenewal(parseRenewalDate("2024-04-01")!, "monthly", Date.UTC(2024, 4, 15)); // 2024-06-01 00:00:00
 * ```
 */

/** Largest value MySQL's signed INT (the date columns) holds. */
export const MAX_TIMESTAMP = 2_147_483_647;
/** Largest absolute price a DECIMAL(26,8) holds (18 integer digits). */
export const MAX_PRICE = 1e18;

/**
 * A price as MySQL's DECIMAL(26,8) returns it.
 *
 * @example
 * ```ts
 * formatPrice(49); // "49.00000000"
 * ```
 */
export function formatPrice(price: number): string {
  const text = (Number.isFinite(price) ? price : 0).toFixed(8);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function utcSeconds(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  return Math.floor(Date.UTC(y, mo - 1, d, h, mi, s) / 1000);
}

function zoneOffset(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
}

const TIME = String.raw`(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?`;
const ISO_RE = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`, "i");
const YMD_SLASH_RE = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})${TIME}$`, "i");
const MDY_SLASH_RE = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`, "i");
const DMY_RE = new RegExp(String.raw`^(\d{1,2})[-.](\d{1,2})[-.](\d{4})${TIME}$`, "i");
const DAY_MONTH_RE = /^(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})$/i;
const MONTH_DAY_RE = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;

function withTime(y: string, mo: string, d: string, m: RegExpExecArray, at: number): number | null {
  const base = utcSeconds(
    Number(y),
    Number(mo),
    Number(d),
    Number(m[at] ?? 0),
    Number(m[at + 1] ?? 0),
    Number(m[at + 2] ?? 0),
  );
  return base === null ? null : base - zoneOffset(m[at + 3]);
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/**
 * Parses a renewal date leniently, in UTC, as PHP's `strtotime` would for the common forms:
 * `2024-04-01`, `2024-04-01 00:00:00`, ISO 8601 with `T`/zone, `2024/04/01`, `04/01/2024` (m/d/Y),
 * `01-04-2024` (d-m-Y), `1 April 2024`, `April 1, 2024`, `20240401`, `@1711929600`, a unix timestamp
 * (number, or digit string of 9+ digits), `now`, `today`, `tomorrow`, `yesterday`. Empty → 0.
 * Returns `null` when the value is not a date (or outside MySQL's INT range).
 *
 * @example
 * ```ts
 * parseRenewalDate("2024-04-01"); // 1711929600
 * parseRenewalDate("next tuesday-ish"); // null
 * ```
 */
export function parseRenewalDate(value: unknown, now: number = Date.now()): number | null {
  if (value === undefined || value === null || value === false || value === "") return 0;
  let result: number | null = null;
  if (typeof value === "number") {
    result = Number.isFinite(value) ? Math.trunc(value) : null;
  } else if (typeof value === "string") {
    const s = value.trim();
    const today = new Date(now);
    const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) / 1000;
    let m: RegExpExecArray | null;
    if (s === "") result = 0;
    else if (/^now$/i.test(s)) result = Math.floor(now / 1000);
    else if (/^(today|midnight)$/i.test(s)) result = midnight;
    else if (/^tomorrow$/i.test(s)) result = midnight + 86400;
    else if (/^yesterday$/i.test(s)) result = midnight - 86400;
    else if ((m = /^@(-?\d+)$/.exec(s))) result = Number(m[1]);
    else if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
      result = utcSeconds(Number(m[1]), Number(m[2]), Number(m[3]));
    } else if (/^\d{9,}$/.test(s)) result = Number(s);
    else if ((m = ISO_RE.exec(s)) || (m = YMD_SLASH_RE.exec(s))) result = withTime(m[1], m[2], m[3], m, 4);
    else if ((m = MDY_SLASH_RE.exec(s))) result = withTime(m[3], m[1], m[2], m, 4);
    else if ((m = DMY_RE.exec(s))) result = withTime(m[3], m[2], m[1], m, 4);
    else if ((m = DAY_MONTH_RE.exec(s)) && monthIndex(m[2]) > 0) {
      result = utcSeconds(Number(m[3]), monthIndex(m[2]), Number(m[1]));
    } else if ((m = MONTH_DAY_RE.exec(s)) && monthIndex(m[1]) > 0) {
      result = utcSeconds(Number(m[3]), monthIndex(m[1]), Number(m[2]));
    }
  }
  return result !== null && result >= 0 && result <= MAX_TIMESTAMP ? result : null;
}

function addMonths(unix: number, months: number): number {
  const d = new Date(unix * 1000);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + months,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ) / 1000;
}

const RENEWAL_STEPS: Record<string, (unix: number) => number> = {
  weekly: (t) => t + 7 * 86400,
  monthly: (t) => addMonths(t, 1),
  quarterly: (t) => addMonths(t, 3),
  yearly: (t) => addMonths(t, 12),
};

/**
 * The next renewal after `lastRenewal`: one period later (`+1 week`, `+1 month`, `+3 months`,
 * `+1 year`, with PHP's day overflow, e.g. Jan 31 + 1 month = Mar 2/3), rolled forward period by
 * period until it is not before today (00:00 UTC). 0 without a date or for `disabled`/unknown types.
 *
 * @example
 * ```ts
 * nextRenewal(Date.UTC(2024, 3, 1) / 1000, "monthly", Date.UTC(2024, 4, 15)); // 2024-06-01 00:00:00
 * ```
 */
export function nextRenewal(lastRenewal: number, renewalType: string, now: number = Date.now()): number {
  const step = Object.hasOwn(RENEWAL_STEPS, renewalType) ? RENEWAL_STEPS[renewalType] : undefined;
  if (!lastRenewal || !step) return 0;
  const today = new Date(now);
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) / 1000;
  let next = step(lastRenewal);
  while (next < midnight) next = step(next);
  return next;
}

const URL_PROTOCOLS = [
  "http",
  "https",
  "ftp",
  "ftps",
  "mailto",
  "news",
  "irc",
  "irc6",
  "ircs",
  "gopher",
  "nntp",
  "feed",
  "telnet",
  "mms",
  "rtsp",
  "sms",
  "svn",
  "tel",
  "fax",
  "xmpp",
  "webcal",
  "urn",
];

/**
 * WordPress's `esc_url_raw`: characters a URL cannot hold are dropped, `http://` is assumed when no
 * scheme is given, and a scheme outside WordPress's allowed protocols yields `""`.
 *
 * @example
 * ```ts
 * escUrlRaw("host.example/panel"); // "http://host.example/panel"
 * ```
 */
export function escUrlRaw(value: unknown): string {
  let url = (typeof value === "string" ? value : "").trim().replaceAll(" ", "%20");
  url = url.replace(/[^a-z0-9\-~+_.?#=!&;,/:%@$|*'()[\]\u0080-\uffff]/gi, "");
  if (url === "") return "";
  if (!url.includes(":") && !["/", "#", "?"].includes(url[0]) && !/^[a-z0-9-]+?\.php/i.test(url)) {
    url = `http://${url}`;
  }
  const scheme = /^([^:/?#]+):/.exec(url);
  if (scheme && !URL_PROTOCOLS.includes(scheme[1].toLowerCase())) return "";
  return url;
}
