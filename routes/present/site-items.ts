/**
 * @module
 * MainWP's wire shapes of a site's plugins, themes and change log (rest-v2.md §2.1 routes 14–23): the
 * request's untyped parameters read as MainWP reads them, and the core's results wrapped in
 * `{"success":1,"total","data","site":SITE_MINI}` envelopes.
 *
 * @example
 * ```ts
 * return await presentItemList(ctx, site, "plugins", req.args);
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { ChildUnavailable, InvalidInput } from "../../core/errors.ts";
import { childErrorMessage } from "../../core/sync/child.ts";
import {
  abandonedItems,
  type ItemKind,
  listSiteItems,
  pluginAction,
  type SiteItem,
  siteItemRecords,
  type StoredItem,
  themeAction,
} from "../../core/sync/items.ts";
import { CHANGE_ORDER_COLUMNS, countSiteChanges, siteChanges } from "../../core/sync/change-list.ts";
import { SITE_CHANGE_COLUMNS } from "../../core/sync/changes.ts";
import { isTruthyFlag, parseList } from "../../rest/args.ts";
import { RestError } from "../../rest/errors.ts";
import type { SiteRecord } from "../../core/sites/resolve.ts";
import { type SiteMini, siteMini } from "./site-format.ts";
import { escHtml } from "../../wp/format.ts";
import { isPhpEmpty } from "../../wp/php.ts";

/** The statuses the lists accept (MainWP's `site_plugins` / `site_themes` validation). */
export const ITEM_STATUSES = ["any", "active", "inactive"] as const;

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

/** A list envelope. */
type Listed<T> = { success: 1; total: number; data: T; site: SiteMini };

/** The parameters of the plugin and theme lists (MainWP reads them untyped). */
export interface ItemListParams {
  status?: unknown;
  search?: unknown;
  must_use?: unknown;
  page?: unknown;
  per_page?: unknown;
  paged?: unknown;
}

/**
 * MainWP's check of `status`: refused (400 `mainwp_rest_invalid_param`) when every given value is
 * outside `any, active, inactive` (a mix passes).
 *
 * @example
 * ```ts
 * assertItemStatus("bogus"); // throws "The status argument should be: any,active,inactive"
 * ```
 */
export function assertItemStatus(status: unknown): void {
  const given = parseList(status);
  if (given.length > 0 && !given.some((s) => (ITEM_STATUSES as readonly string[]).includes(s))) {
    throw new InvalidInput("status", `The status argument should be: ${ITEM_STATUSES.join(",")}`);
  }
}

/** The statuses given as one filter: active, inactive, or `null` for all (both, neither, `any`, `all`). */
function activeFilter(statuses: string[], all: readonly string[]): boolean | null {
  if (all.some((s) => statuses.includes(s))) return null;
  const active = statuses.includes("active");
  return active === statuses.includes("inactive") ? null : active;
}

/**
 * `GET /sites/{id}/plugins` and `/themes`. Without `search`, `must_use` (plugins) or paging (both `page`
 * and `per_page`), MainWP 6.1.2 answers through its ability: the site's items filtered by `status` (a
 * child older than 4.0.0 is refused). With any of them it answers the stored records as the child sent
 * them (its legacy path), filtered and paged — `status` there, for plugins, only in its array form.
 *
 * @example
 * ```ts
 * await presentItemList(ctx, site, "themes", { status: "active" }); // { success: 1, total, data, site }
 * ```
 */
export async function presentItemList(
  ctx: AppContext,
  site: SiteRecord,
  kind: ItemKind,
  q: ItemListParams,
): Promise<Listed<SiteItem[] | StoredItem[]>> {
  assertItemStatus(q.status);
  const pageArg = isPhpEmpty(q.page) ? q.paged : q.page;
  const paged = !isPhpEmpty(pageArg) && !isPhpEmpty(q.per_page);
  const mustUse = kind === "plugins" && !isPhpEmpty(q.must_use);
  if (isPhpEmpty(q.search) && !mustUse && !paged) {
    const data = await listSiteItems(ctx, site, kind, {
      active: activeFilter(parseList(q.status), ["any", "all"]),
    });
    return { success: 1, total: data.length, data, site: siteMini(site) };
  }
  const statuses = kind === "plugins"
    ? (Array.isArray(q.status) ? q.status.map(String) : [])
    : parseList(q.status);
  const data = await siteItemRecords(ctx, site.id, kind, {
    mustUse,
    search: text(q.search),
    active: statuses.length > 0 ? activeFilter(statuses, ["any"]) : null,
    page: paged
      ? { page: Math.trunc(Number(pageArg)) || 0, perPage: Math.trunc(Number(q.per_page)) || 0 }
      : null,
  });
  return { success: 1, total: data.length, data, site: siteMini(site) };
}

/**
 * `GET /sites/{id}/plugins/abandoned` and `/themes/abandoned`: the stored outdate information as the
 * child reported it.
 *
 * @example
 * ```ts
 * await presentAbandoned(ctx, site, "plugins"); // { success: 1, total, data, site }
 * ```
 */
export async function presentAbandoned(
  ctx: AppContext,
  site: SiteRecord,
  kind: ItemKind,
): Promise<Listed<unknown>> {
  const data = await abandonedItems(ctx, site.id, kind);
  const total = Array.isArray(data) ? data.length : Object.keys(data).length;
  return { success: 1, total, data, site: siteMini(site) };
}

/** MainWP's error when the child cannot be reached for an action (HTTP 500, no data; also for themes). */
function actionFailed(action: string, error: ChildUnavailable): RestError {
  return new RestError(`mainwp_rest_${action}_plugins_action`, childErrorMessage(error.childError));
}

async function orActionFailed<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ChildUnavailable) throw actionFailed(action, error);
    throw error;
  }
}

/**
 * Plugin activate / deactivate / delete: `{"success":1|0,"data":[{name,version,slug}],"site":SITE_MINI}`
 * (`success` 1 when the child reports at least one plugin acted on); an unreachable child → 500
 * `mainwp_rest_{action}_plugins_action`.
 *
 * @example
 * ```ts
 * await presentPluginAction(ctx, site, "deactivate", ["akismet/akismet.php"]);
 * ```
 */
export async function presentPluginAction(
  ctx: AppContext,
  site: SiteRecord,
  action: "activate" | "deactivate" | "delete",
  slugs: string[],
): Promise<{ success: 0 | 1; data: unknown; site: SiteMini }> {
  const result = await orActionFailed(action, () => pluginAction(ctx, site, action, slugs));
  return { success: result.acted ? 1 : 0, data: result.items, site: siteMini(site) };
}

/**
 * Theme activate / delete: `data` carries the last `deactivate` and `activate` / `delete` entries, or
 * `error` "The theme X is active." when the child refuses to delete the active theme.
 *
 * @example
 * ```ts
 * await presentThemeAction(ctx, site, "activate", ["twentytwentyfour"]);
 * ```
 */
export async function presentThemeAction(
  ctx: AppContext,
  site: SiteRecord,
  action: "activate" | "delete",
  slugs: string[],
): Promise<{ success: 0 | 1; data: Record<string, unknown> | []; site: SiteMini }> {
  const result = await orActionFailed(action, () => themeAction(ctx, site, action, slugs));
  const data: Record<string, unknown> = {};
  if (result.refusedActive !== null) data.error = `The theme ${escHtml(result.refusedActive)} is active.`;
  if (result.deactivated !== undefined) data.deactivate = result.deactivated ?? [];
  if (result.done !== undefined) data[action] = result.done ?? [];
  return {
    success: result.acted ? 1 : 0,
    data: Object.keys(data).length > 0 ? data : [],
    site: siteMini(site),
  };
}

/** The parameters of `GET /sites/{id}/non-mainwp-changes` (MainWP reads them untyped). */
export interface ChangeListParams {
  page?: unknown;
  per_page?: unknown;
  limit?: unknown;
  order?: unknown;
  orderby?: unknown;
  actions?: unknown;
  contexts?: unknown;
  total_count?: unknown;
  source?: unknown;
}

const isOrderColumn = (v: string): v is (typeof CHANGE_ORDER_COLUMNS)[number] =>
  (CHANGE_ORDER_COLUMNS as readonly string[]).includes(v);

/**
 * `GET /sites/{id}/non-mainwp-changes`: the site's changes newest first (`orderby` / `order` change
 * that), filtered by `actions` / `contexts`, paged by `page`+`per_page` or else cut at `limit` (default
 * 200), each with the site's `name` and `url` in front as MainWP's join gives them; with `total_count`
 * the data is `{"total":N}`.
 *
 * @example
 * ```ts
 * await presentSiteChanges(ctx, site, { contexts: "plugins" }); // { success: 1, total, data, site }
 * ```
 */
export async function presentSiteChanges(
  ctx: AppContext,
  site: SiteRecord,
  q: ChangeListParams,
): Promise<Listed<unknown>> {
  const filter = { source: text(q.source), actions: parseList(q.actions), contexts: parseList(q.contexts) };
  if (isTruthyFlag(q.total_count)) {
    const total = await countSiteChanges(ctx, site.id, filter);
    return { success: 1, total, data: { total }, site: siteMini(site) };
  }
  const orderBy = text(q.orderby);
  const limit = q.limit === undefined || q.limit === null || q.limit === ""
    ? undefined
    : Math.trunc(Number(q.limit));
  const rows = await siteChanges(ctx, site.id, filter, {
    orderBy: isOrderColumn(orderBy) ? orderBy : "created",
    order: text(q.order).toLowerCase() === "asc" ? "asc" : "desc",
    page: { page: Math.trunc(Number(q.page)), perPage: Math.trunc(Number(q.per_page)) },
    limit: limit === undefined ? undefined : Number.isNaN(limit) ? 0 : limit,
  });
  const data = rows.map((r) => {
    const out: Record<string, string> = { name: site.name, url: site.url };
    for (const c of SITE_CHANGE_COLUMNS) out[c] = r[c] ?? "";
    return out;
  });
  return { success: 1, total: data.length, data, site: siteMini(site) };
}
