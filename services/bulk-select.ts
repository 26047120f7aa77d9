/**
 * @module
 * Which sites the bulk routes (`POST /sites/sync|check|reconnect|disconnect`) act on, read as MainWP
 * reads `include` / `exclude`: any non-empty value restricts, each id through `absint` (`-5` is site 5,
 * `x` is 0 and matches nothing) — never "every site" because of a value it could not read. Bulk sync
 * (MainWP's ability path) also refuses a list without one positive id and answers an unknown id as a
 * failed entry.
 *
 * @example
 * ```ts
 * const { sites, unknown } = await bulkSyncSelection(ctx, { include: "3,-999999" });
 * withUnknownFailed(await syncOrQueueSites(ctx, sites), unknown); // …, "999999": { result: "failed" }
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { restError } from "../rest/errors.ts";
import type { SiteRecord } from "../store/sites.ts";
import { includeExclude, listedSiteRecords } from "./site-list.ts";
import { orderedMap } from "../wp/ordered-map.ts";
import { isPhpEmpty, phpIntval } from "../wp/php.ts";

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
 * The listed sites a bulk route acts on (MainWP's URL order): all of them minus `exclude` when `include`
 * is empty, else only the included ids (none when no id is known).
 *
 * @example
 * ```ts
 * (await selectBulkSites(ctx, { include: "-3" })).map((s) => s.id); // [3]
 * ```
 */
export async function selectBulkSites(
  ctx: AppContext,
  params: Record<string, unknown>,
): Promise<SiteRecord[]> {
  const include = absIdList(params.include);
  const exclude = absIdList(params.exclude) ?? [];
  const listed = await listedSiteRecords(ctx.kv);
  // An include of only zeros keeps nothing (includeExclude reads an empty list as "all").
  if (include !== null && !include.some((id) => id > 0)) return [];
  return includeExclude(listed, include ?? [], exclude);
}

/**
 * The sites of a bulk sync and the included ids that are not listed sites. Throws MainWP's 400
 * `mainwp_invalid_input` when a given `include` or `exclude` holds no positive id.
 *
 * @example
 * ```ts
 * await bulkSyncSelection(ctx, { include: "x" }); // throws "Invalid include parameter. …"
 * ```
 */
export async function bulkSyncSelection(
  ctx: AppContext,
  params: Record<string, unknown>,
): Promise<{ sites: SiteRecord[]; unknown: number[] }> {
  for (const name of ["include", "exclude"] as const) {
    const ids = absIdList(params[name]);
    if (ids !== null && !ids.some((id) => id > 0)) {
      throw restError(
        "mainwp_invalid_input",
        `Invalid ${name} parameter. Expected one or more positive site IDs.`,
        400,
      );
    }
  }
  const sites = await selectBulkSites(ctx, params);
  const found = new Set(sites.map((s) => s.id));
  const excluded = new Set(absIdList(params.exclude) ?? []);
  const unknown = (absIdList(params.include) ?? []).filter((id) =>
    id > 0 && !found.has(id) && !excluded.has(id)
  );
  return { sites, unknown };
}

/**
 * A bulk sync answer with `{"result":"failed"}` appended for each unknown id, as MainWP's ability path
 * reports them; a queued answer is returned as it is (MainWP drops those errors when it queues).
 *
 * @example
 * ```ts
 * withUnknownFailed({ total: 0, data: [] }, [999999]); // { total: 1, data: { "999999": { result: "failed" } } }
 * ```
 */
export function withUnknownFailed(answer: object, unknown: readonly number[]): object {
  if (unknown.length === 0 || "job_id" in answer || !("data" in answer)) return answer;
  const data = answer.data && typeof answer.data === "object" ? answer.data : {};
  const entries: [string, unknown][] = Object.entries(data);
  for (const id of unknown) entries.push([String(id), { result: "failed" }]);
  return { total: entries.length, data: orderedMap(entries) };
}
