/**
 * @module
 * MainWP's wire shapes for the site lifecycle routes (rest-v2.md §2.1): how a request becomes a core
 * input (MainWP's reading rules: `absint` of `include` / `exclude`, the add fields' sanitising) and how
 * a core result becomes MainWP's answer (`success` 0/1, string ids, bulk answers keyed by site id).
 *
 * @example
 * ```ts
 * const selection = bulkSelectionOf({ include: "3,-5" }); // { include: [3, 5], exclude: null }
 * ```
 */
import type { SiteRecord } from "../../core/sites/resolve.ts";
import { isTruthyFlag, parseIdList, parseList } from "../../rest/args.ts";
import { restError } from "../../rest/errors.ts";
import { stripTags } from "../../core/sync/child.ts";
import type { SiteInsertItem } from "../../core/sites/add.ts";
import { orderedMap } from "../../wp/ordered-map.ts";
import { type SiteMini, siteMini } from "./site-format.ts";
import { isPhpEmpty, phpIntval } from "../../wp/php.ts";
import type { BulkSelection, SiteResult } from "../../core/sites/bulk.ts";
import { SITE_EDIT_FIELDS, type SiteEditFields } from "../../core/sites/edit.ts";
import type { RemovalChild } from "../../core/sites/edit.ts";
import type { CheckOutcome } from "../../core/sites/connection.ts";

/** MainWP's add-site success message, tags stripped and HTML-escaped as it arrives (§9). */
export const SITE_ADDED_MESSAGE = "Site successfully added - Visit the Site&#039;s Dashboard now.";

/** The answer of a removal whose child could not confirm (or was not told). */
export const SITE_REMOVED_MESSAGE =
  "The site has been removed. Please make sure that the MainWP Child plugin has been deactivated properly.";

/** The answer when the child confirmed it deactivated its MainWP Child plugin. */
export const SITE_REMOVED_DISABLED_MESSAGE =
  "The site has been removed and the MainWP Child plugin has been disabled.";

/** The icon value MainWP's bulk check shows (its query selects the icon columns empty). */
export const BULK_CHECK_ICON = "uploaded:;selected:;color:";

/** What MainWP adds to every authenticated reply it answered (`fetch_url_output`). */
export const FETCH_URL_OUTPUT = Object.freeze({ http_status: 200, connection_step: "verify_credentials" });

// ---------------------------------------------------------------------------------------------------
// Requests

/**
 * WordPress's `wp_parse_id_list` of a request value that is not PHP-empty: a comma/space list or an
 * array, each item through `absint` (non-numbers and values beyond safe integers are 0), duplicates
 * dropped. `null` for a PHP-empty value (no restriction).
 *
 * @example
 * ```ts
 * [absIdList("3, -5,x"), absIdList(""), absIdList("0")]; // [[3, 5, 0], null, null]
 * ```
 */
export function absIdList(value: unknown): number[] | null {
  if (isPhpEmpty(value)) return null;
  const items = Array.isArray(value)
    ? value
    : typeof value === "string"
    ? value.split(/[\s,]+/).filter((s) => s !== "")
    : [value];
  const ids = items.map((item) => {
    const n = Math.abs(typeof item === "object" ? 0 : phpIntval(item));
    return Number.isSafeInteger(n) ? n : 0;
  });
  return [...new Set(ids)];
}

/**
 * A bulk route's `include` / `exclude` as MainWP reads them: any non-empty value restricts, each id
 * through `absint` (`-5` is site 5, `x` is 0 and matches nothing) — never "every site" because of a
 * value it could not read.
 *
 * @example
 * ```ts
 * bulkSelectionOf({ include: "-3" }); // { include: [3], exclude: null }
 * ```
 */
export function bulkSelectionOf(args: { include?: unknown; exclude?: unknown }): BulkSelection {
  return { include: absIdList(args.include), exclude: absIdList(args.exclude) };
}

/**
 * Bulk sync's stricter reading (MainWP's ability path): a given `include` or `exclude` without one
 * positive id is MainWP's 400 `mainwp_invalid_input`.
 *
 * @example
 * ```ts
 * bulkSyncSelectionOf({ include: "x" }); // throws "Invalid include parameter. …"
 * ```
 */
export function bulkSyncSelectionOf(args: { include?: unknown; exclude?: unknown }): BulkSelection {
  const selection = bulkSelectionOf(args);
  for (const name of ["include", "exclude"] as const) {
    const ids = selection[name];
    if (ids !== null && !ids.some((id) => id > 0)) {
      throw restError(
        "mainwp_invalid_input",
        `Invalid ${name} parameter. Expected one or more positive site IDs.`,
        400,
      );
    }
  }
  return selection;
}

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

/** WordPress's `sanitize_text_field`, near enough: tags stripped, whitespace runs collapsed. */
const sanitizeText = (v: unknown) => stripTags(text(v)).replace(/\s+/g, " ").trim();

/** An add request in MainWP's request names (`POST /sites/add`), untyped as MainWP reads them. */
export interface AddSiteArgs {
  url?: unknown;
  name?: unknown;
  admin?: unknown;
  adminpassword?: unknown;
  uniqueid?: unknown;
  ssl_verify?: unknown;
  force_use_ipv4?: unknown;
  http_user?: unknown;
  http_pass?: unknown;
  groupids?: unknown;
  client_id?: unknown;
}

/**
 * The new site `POST /sites/add` describes, read as MainWP reads its request.
 *
 * @example
 * ```ts
 * insertItemOf({ url: " https://a.test ", ssl_verify: "0" }).ssl_verify; // false
 * ```
 */
export function insertItemOf(input: AddSiteArgs): SiteInsertItem {
  const verify = input.ssl_verify;
  return {
    url: sanitizeText(input.url),
    name: sanitizeText(input.name),
    wpadmin: sanitizeText(input.admin),
    adminpwd: typeof input.adminpassword === "string" ? input.adminpassword : text(input.adminpassword),
    unique_id: sanitizeText(input.uniqueid),
    // Fleetpress verifies certificates unless ssl_verify is given and falsy (see COMPATIBILITY.md).
    ssl_verify: verify === undefined || verify === null || verify === "" ? 1 : (Number(verify) ? 1 : false),
    force_use_ipv4: isTruthyFlag(input.force_use_ipv4) ? 1 : 0,
    http_user: sanitizeText(input.http_user),
    http_pass: typeof input.http_pass === "string" ? input.http_pass : text(input.http_pass),
    groupids: parseList(input.groupids),
    client_id: parseIdList(input.client_id)[0] ?? 0,
  };
}

/**
 * The edit fields present in request parameters (absent and `null` leave a setting alone).
 *
 * @example
 * ```ts
 * pickSiteEditFields({ name: "Blog", foo: 1 }); // { name: "Blog" }
 * ```
 */
export function pickSiteEditFields(params: Record<string, unknown>): SiteEditFields {
  const out: SiteEditFields = {};
  for (const name of SITE_EDIT_FIELDS) {
    if (params[name] !== undefined && params[name] !== null) out[name] = params[name];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Answers

/** A bulk answer: results keyed by site id in site order (`[]` when none). */
export interface BulkAnswer<T> {
  total: number;
  data: Record<string, T> | [];
}

/**
 * Results keyed by site id in the sites' order (PHP keeps insertion order; a plain object would sort).
 *
 * @example
 * ```ts
 * keyedBySite([{ site, result: "success" }]); // { total: 1, data: { "3": "success" } }
 * ```
 */
export function keyedBySite<T>(results: readonly SiteResult<T | null>[]): BulkAnswer<T> {
  const entries: [string, T][] = [];
  for (const { site, result } of results) {
    if (result !== null && result !== undefined) entries.push([String(site.id), result]);
  }
  return { total: entries.length, data: orderedMap(entries) };
}

/** `"success"` / `"failed"` of a bulk reconnect or disconnect. */
export const successWord = (ok: boolean): "success" | "failed" => ok ? "success" : "failed";

/**
 * `POST /sites/{id}/check`'s data: SITE_MINI plus `status` (1 iff HTTP 200) and `http_code`, both only
 * when an HTTP code was received.
 *
 * @example
 * ```ts
 * checkData(outcome); // { id: "3", …, status: 1, http_code: 200 }
 * ```
 */
export function checkData(outcome: CheckOutcome): Record<string, unknown> {
  const data: Record<string, unknown> = { ...siteMini(outcome.site) };
  if (outcome.httpCode > 0) {
    data.status = outcome.httpCode === 200 ? 1 : 0;
    data.http_code = outcome.httpCode;
  }
  return data;
}

/**
 * `DELETE /sites/{id}/remove`'s answer: a child's own error → `success` 0 with that error; else the
 * message saying whether the child confirmed (rest-v2.md §10).
 *
 * @example
 * ```ts
 * removeAnswer(site, { told: "disabled" }).message; // "The site has been removed and …"
 * ```
 */
export function removeAnswer(
  site: SiteRecord,
  child: RemovalChild,
): { success: 0 | 1; message?: string; error?: string; data: SiteMini } {
  if (child.told === "refused") return { success: 0, error: child.error, data: siteMini(site) };
  return {
    success: 1,
    message: child.told === "disabled" ? SITE_REMOVED_DISABLED_MESSAGE : SITE_REMOVED_MESSAGE,
    data: siteMini(site),
  };
}
