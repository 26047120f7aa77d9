/**
 * @module
 * MainWP's date formats: `Y-m-d\TH:i:s` (UTC, no zone) for site and client dates, `Y-m-d H:i:s` for
 * cost dates and key access times.
 *
 * @example
 * ```ts
 * isoNoZone(0); // "1970-01-01T00:00:00"
 * ```
 */

/** Unix seconds → `YYYY-MM-DDTHH:MM:SS` (UTC). */
export function isoNoZone(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 19);
}

/** Unix seconds → `YYYY-MM-DD HH:MM:SS` (UTC). */
export function mysqlDate(unixSeconds: number): string {
  return isoNoZone(unixSeconds).replace("T", " ");
}

/** Now, in unix seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
