/**
 * @module
 * "Non-MainWP changes": what happened on a child site outside the Dashboard (plugins activated in
 * wp-admin, themes switched…), as the MainWP Child reports it in `child_site_actions_data` of a sync
 * reply (or of a register reply, or of an action reply's `sync` object). The rows are kept with the
 * site's stored sync data, as the site option {@link SITE_CHANGES_OPTION} (a JSON list, newest
 * {@link MAX_SITE_CHANGES} kept), so they go away with the site and need no key of their own.
 *
 * Each row has the columns of MainWP's `wp_actions` table, as strings: `action_id` (unique per site, in
 * arrival order), `wpid`, `object_id` (the child's key of the entry; an entry already stored is not added
 * twice), `context`, `action`, `action_user`, `created` (unix seconds), `meta_data` (JSON), `dismiss`
 * ("0") and `summary` ("<name> Plugin", "WP Core WordPress"…). `GET /sites/{id}/non-mainwp-changes`
 * answers them with the site's `name` and `url` in front, as MainWP's join does.
 *
 * @example
 * ```ts
 * mergeSiteChanges(3, storedSiteChanges(sync), reply.child_site_actions_data);
 * const body = await listSiteChanges(ctx, site, { limit: "20" });
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { isTruthyFlag, parseList } from "../rest/args.ts";
import { encodeWpJson } from "../rest/json.ts";
import { getSiteSync, type SiteRecord, type SiteSyncData } from "../store/sites.ts";
import { escapeHtml, type SiteMini, siteMini } from "./site-format.ts";

/** The site option holding the rows (JSON list). */
export const SITE_CHANGES_OPTION = "non_mainwp_actions";

/** Rows kept per site (oldest dropped first). */
export const MAX_SITE_CHANGES = 1000;

/** One stored change (MainWP's `wp_actions` columns, as strings). */
export interface SiteChangeRow {
  action_id: string;
  wpid: string;
  object_id: string;
  context: string;
  action: string;
  action_user: string;
  created: string;
  meta_data: string;
  dismiss: string;
  summary: string;
}

const COLUMNS: readonly (keyof SiteChangeRow)[] = [
  "action_id",
  "wpid",
  "object_id",
  "context",
  "action",
  "action_user",
  "created",
  "meta_data",
  "dismiss",
  "summary",
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const text = (v: unknown): string =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";

/** MainWP's summary: "<meta name or WP Core> <Context without a trailing s, capitalised | WordPress>". */
function summaryOf(context: string, meta: unknown): string {
  const name = isObject(meta) && text(meta.name) !== "" ? escapeHtml(text(meta.name)) : "WP Core";
  const what = context === "wordpress"
    ? "WordPress"
    : escapeHtml(context.replace(/s+$/, "").replace(/^./, (c) => c.toUpperCase()));
  return `${name} ${what}`;
}

/**
 * The stored rows of a site (oldest first); `[]` when none or unreadable.
 *
 * @example
 * ```ts
 * storedSiteChanges(await getSiteSync(kv, 3)).length;
 * ```
 */
export function storedSiteChanges(sync: SiteSyncData | null): SiteChangeRow[] {
  const raw = sync?.options?.[SITE_CHANGES_OPTION];
  if (!raw) return [];
  try {
    const rows = JSON.parse(raw);
    return Array.isArray(rows) ? rows.filter(isObject) as unknown as SiteChangeRow[] : [];
  } catch {
    return [];
  }
}

/**
 * Merges the child's `child_site_actions_data` (a map `object id → {context, action, action_user,
 * created, meta_data}`, or a list) into the stored rows: entries without a user or time, the
 * `connected_admin` key, and entries already stored are skipped; the newest {@link MAX_SITE_CHANGES} are kept.
 *
 * @example
 * ```ts
 * mergeSiteChanges(3, [], { "17": { context: "plugins", action: "activated", action_user: "bob", created: 1700000000 } });
 * ```
 */
export function mergeSiteChanges(siteId: number, existing: SiteChangeRow[], raw: unknown): SiteChangeRow[] {
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((v, i) => [isObject(v) && text(v.object_id) !== "" ? text(v.object_id) : String(i), v])
    : isObject(raw)
    ? Object.entries(raw)
    : [];
  const known = new Set(existing.map((r) => r.object_id));
  const fresh: Omit<SiteChangeRow, "action_id">[] = [];
  for (const [objectId, data] of entries) {
    if (objectId === "connected_admin" || !isObject(data) || known.has(objectId)) continue;
    const user = text(data.action_user);
    const created = Math.trunc(Number(data.created) || 0);
    if (user === "" || created <= 0) continue;
    const context = text(data.context);
    const meta = data.meta_data;
    fresh.push({
      wpid: String(siteId),
      object_id: objectId,
      context,
      action: text(data.action),
      action_user: user,
      created: String(created),
      meta_data: meta === undefined || meta === null || meta === "" ? "" : encodeWpJson(meta),
      dismiss: "0",
      summary: summaryOf(context, meta),
    });
    known.add(objectId);
  }
  if (fresh.length === 0) return existing;
  // As MainWP: the child's entries in time order, numbered as they arrive.
  fresh.sort((a, b) => Number(a.created) - Number(b.created));
  let next = existing.reduce((max, r) => Math.max(max, Number(r.action_id) || 0), 0) + 1;
  const added = fresh.map((row) => ({ action_id: String(next++), ...row }));
  return [...existing, ...added].slice(-MAX_SITE_CHANGES);
}

/** Query of `GET /sites/{id}/non-mainwp-changes` (MainWP's names). */
export interface SiteChangesQuery {
  page?: unknown;
  per_page?: unknown;
  limit?: unknown;
  order?: unknown;
  orderby?: unknown;
  actions?: unknown;
  contexts?: unknown;
  total_count?: unknown;
}

const ORDER_COLUMNS = new Set(["created", "action_id", "action", "context", "action_user", "object_id"]);

/**
 * `GET /sites/{id}/non-mainwp-changes`: the site's non-dismissed changes, newest first (`orderby` /
 * `order` change that), filtered by `actions` / `contexts`, paged by `page`+`per_page` or else cut at
 * `limit` (default 200); with `total_count` the data is `{"total":N}`.
 *
 * @example
 * ```ts
 * await listSiteChanges(ctx, site, { contexts: "plugins" }); // { success: 1, total, data, site }
 * ```
 */
export async function listSiteChanges(
  ctx: AppContext,
  site: SiteRecord,
  q: SiteChangesQuery = {},
): Promise<{ success: 1; total: number; data: unknown; site: SiteMini }> {
  let rows = storedSiteChanges(await getSiteSync(ctx.kv, site.id)).filter((r) => r.dismiss !== "1");
  const actions = parseList(q.actions);
  const contexts = parseList(q.contexts);
  if (actions.length > 0) rows = rows.filter((r) => actions.includes(r.action));
  if (contexts.length > 0) rows = rows.filter((r) => contexts.includes(r.context));
  if (isTruthyFlag(q.total_count)) {
    return { success: 1, total: rows.length, data: { total: rows.length }, site: siteMini(site) };
  }
  const column = ORDER_COLUMNS.has(text(q.orderby)) ? text(q.orderby) as keyof SiteChangeRow : "created";
  const numeric = column === "created" || column === "action_id";
  const direction = text(q.order).toLowerCase() === "asc" ? 1 : -1;
  rows = [...rows].sort((a, b) => {
    const x = numeric ? Number(a[column]) : a[column];
    const y = numeric ? Number(b[column]) : b[column];
    return (x < y ? -1 : x > y ? 1 : Number(a.action_id) - Number(b.action_id)) * direction;
  });
  const page = Math.trunc(Number(q.page));
  const perPage = Math.trunc(Number(q.per_page));
  if (page > 0 && perPage > 0) rows = rows.slice((page - 1) * perPage, page * perPage);
  else {
    const limit = q.limit === undefined || q.limit === null || q.limit === ""
      ? 200
      : Math.trunc(Number(q.limit));
    if (limit > 0) rows = rows.slice(0, limit);
  }
  const data = rows.map((r) => {
    const out: Record<string, string> = { name: site.name, url: site.url };
    for (const c of COLUMNS) out[c] = r[c] ?? "";
    return out;
  });
  return { success: 1, total: data.length, data, site: siteMini(site) };
}
