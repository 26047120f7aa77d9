/**
 * @module
 * Reading a site's change log (`changes.ts` stores it): filtered, ordered and paged rows, their count,
 * and the log as items with natural types.
 *
 * @example
 * ```ts
 * const rows = await siteChanges(ctx, site.id, { contexts: ["plugins"] });
 * ```
 */
import { getSiteSync } from "../../store/sites.ts";
import { isPlainObject } from "../../lib/objects.ts";
import type { StoreDeps } from "../deps.ts";
import { type SiteChangeRow, storedSiteChanges } from "./changes.ts";

/** The columns the change rows can be ordered by. */
export const CHANGE_ORDER_COLUMNS = [
  "created",
  "action_id",
  "action",
  "context",
  "action_user",
  "object_id",
] as const;

/** Which changes to read. */
export interface SiteChangesFilter {
  /** Where the change was made: every stored row came from wp-admin; `"dashboard"` or another source selects none. */
  source?: "wpadmin" | "all" | string;
  /** Only these actions (e.g. `"activated"`); empty or absent: all. */
  actions?: readonly string[];
  /** Only these contexts (e.g. `"plugins"`); empty or absent: all. */
  contexts?: readonly string[];
}

/** How to order and cut the changes read. */
export interface SiteChangesWindow {
  orderBy?: (typeof CHANGE_ORDER_COLUMNS)[number];
  /** Newest first unless `"asc"`. */
  order?: "asc" | "desc";
  /** A page (1-based) of `perPage` rows; takes precedence over `limit`. */
  page?: { page: number; perPage: number };
  /** At most this many rows (none when 0 or less). */
  limit?: number;
}

async function filteredRows(deps: StoreDeps, siteId: number, f: SiteChangesFilter): Promise<SiteChangeRow[]> {
  let rows = storedSiteChanges(await getSiteSync(deps.kv, siteId)).filter((r) => r.dismiss !== "1");
  const source = f.source ?? "";
  if (source !== "" && source !== "wpadmin" && source !== "all") rows = [];
  if (f.actions && f.actions.length > 0) rows = rows.filter((r) => f.actions!.includes(r.action));
  if (f.contexts && f.contexts.length > 0) rows = rows.filter((r) => f.contexts!.includes(r.context));
  return rows;
}

/**
 * How many of the site's non-dismissed changes match the filter.
 *
 * @example
 * ```ts
 * await countSiteChanges(ctx, 3, { contexts: ["themes"] }); // 2
 * ```
 */
export async function countSiteChanges(
  deps: StoreDeps,
  siteId: number,
  f: SiteChangesFilter = {},
): Promise<number> {
  return (await filteredRows(deps, siteId, f)).length;
}

/**
 * The site's non-dismissed changes matching the filter, ordered (newest first by default; ties by
 * arrival) and cut to a page or a limit (default 200 rows).
 *
 * @example
 * ```ts
 * await siteChanges(ctx, 3, { actions: ["activated"] }, { limit: 20 });
 * ```
 */
export async function siteChanges(
  deps: StoreDeps,
  siteId: number,
  f: SiteChangesFilter = {},
  w: SiteChangesWindow = {},
): Promise<SiteChangeRow[]> {
  let rows = await filteredRows(deps, siteId, f);
  const column = w.orderBy ?? "created";
  const numeric = column === "created" || column === "action_id";
  const direction = w.order === "asc" ? 1 : -1;
  rows = [...rows].sort((a, b) => {
    const x = numeric ? Number(a[column]) : a[column];
    const y = numeric ? Number(b[column]) : b[column];
    return (x < y ? -1 : x > y ? 1 : Number(a.action_id) - Number(b.action_id)) * direction;
  });
  if (w.page && w.page.page > 0 && w.page.perPage > 0) {
    const { page, perPage } = w.page;
    return rows.slice((page - 1) * perPage, page * perPage);
  }
  const limit = w.limit ?? 200;
  return limit > 0 ? rows.slice(0, limit) : rows;
}

/** One change as an item: natural types, the acting user's child id, an ISO time. */
export interface SiteChangeItem {
  id: number;
  type: string;
  action: string;
  item: string;
  user_id: number;
  user: string;
  timestamp: string | null;
}

function userIdOf(metaData: string): number {
  try {
    const meta = JSON.parse(metaData);
    const user = isPlainObject(meta) && typeof meta.user_meta_json === "string"
      ? JSON.parse(meta.user_meta_json)
      : null;
    const id = isPlainObject(user) ? Math.trunc(Number(user.wp_user_id ?? user.user_id) || 0) : 0;
    return id > 0 ? id : 0;
  } catch {
    return 0;
  }
}

/**
 * The site's non-dismissed changes as items, newest first, of the given contexts (all when empty), one
 * page of them, and the total. `item` is the row's summary, `user_id` the child's id of the acting user.
 *
 * @example
 * ```ts
 * const { items, total } = await siteChangeItems(ctx, 3, { page: 1, perPage: 20, contexts: ["plugins"] });
 * ```
 */
export async function siteChangeItems(
  deps: StoreDeps,
  siteId: number,
  q: { page: number; perPage: number; contexts?: readonly string[] },
): Promise<{ items: SiteChangeItem[]; total: number }> {
  const contexts = q.contexts ?? [];
  const rows = storedSiteChanges(await getSiteSync(deps.kv, siteId))
    .filter((r) => r.dismiss !== "1" && (contexts.length === 0 || contexts.includes(r.context)))
    .sort((a, b) => Number(b.created) - Number(a.created) || Number(b.action_id) - Number(a.action_id));
  const items = rows.slice((q.page - 1) * q.perPage, q.page * q.perPage).map((r) => {
    const created = Number(r.created);
    return {
      id: Number(r.action_id),
      type: r.context,
      action: r.action,
      item: r.summary,
      user_id: userIdOf(r.meta_data),
      user: r.action_user,
      timestamp: created > 0 ? new Date(created * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00") : null,
    };
  });
  return { items, total: rows.length };
}
