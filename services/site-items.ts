/**
 * @module
 * A site's plugins and themes (rest-v2.md §2.1 routes 14–22): the lists as the last sync stored them
 * (legacy shapes, filtered and paged in memory), the abandoned lists (`plugins_outdate_info` /
 * `themes_outdate_info`), and activate / deactivate / delete through the child (`plugin_action`,
 * `theme_action`), whose reply carries a fresh sync that is stored before answering.
 *
 * @example
 * ```ts
 * await listSiteItems(ctx, site, "plugins", { status: ["active"], search: "seo" });
 * await pluginAction(ctx, site, "activate", ["akismet/akismet.php"]);
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { ChildError } from "../child/errors.ts";
import { isTruthyFlag, parseList } from "../rest/args.ts";
import { RestError, restError } from "../rest/errors.ts";
import { getSiteSync, type SiteRecord, type SiteSyncData } from "../store/sites.ts";
import { escapeHtml, type SiteMini, siteMini } from "./site-format.ts";
import { callSiteChild, childErrorMessage } from "./site-child.ts";

/** Query of the plugin and theme lists (MainWP's names; untyped, as MainWP reads them). */
export interface ItemListQuery {
  status?: unknown;
  search?: unknown;
  must_use?: unknown;
  page?: unknown;
  per_page?: unknown;
  paged?: unknown;
}

/** The statuses the lists accept (MainWP's `site_plugins` / `site_themes` validation). */
export const ITEM_STATUSES = ["any", "active", "inactive"] as const;

const SEARCH_KEYS: Record<"plugins" | "themes", readonly string[]> = {
  plugins: ["name", "description", "version", "slug"],
  themes: ["name", "description", "version", "slug", "title"],
};

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

/**
 * A stored plugin or theme list (a JSON list, or a map keyed by slug) as a list of records; `[]` when
 * absent or unreadable.
 *
 * @example
 * ```ts
 * parseStoredList(sync?.plugins).filter((p) => Number(p.active) === 1);
 * ```
 */
export function parseStoredList(value: string | undefined): Record<string, unknown>[] {
  if (!value) return [];
  try {
    const parsed = JSON.parse(value);
    const list = Array.isArray(parsed)
      ? parsed
      : parsed && typeof parsed === "object"
      ? Object.values(parsed)
      : [];
    return list.filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null);
  } catch {
    return [];
  }
}

/**
 * MainWP's check of `status`: 400 `mainwp_rest_invalid_param` when every given value is outside
 * `any, active, inactive` (a mix passes).
 *
 * @example
 * ```ts
 * assertItemStatus("bogus"); // throws "The status argument should be: any,active,inactive"
 * ```
 */
export function assertItemStatus(status: unknown): void {
  const given = parseList(status);
  if (given.length > 0 && !given.some((s) => (ITEM_STATUSES as readonly string[]).includes(s))) {
    throw restError(
      "mainwp_rest_invalid_param",
      `The status argument should be: ${ITEM_STATUSES.join(",")}`,
      400,
    );
  }
}

/**
 * `GET /sites/{id}/plugins` and `/themes` (legacy shapes): the stored records filtered (`must_use` for
 * plugins, `search` on name/description/version/slug (+title for themes), `status` — for plugins only in
 * its array form, as MainWP) and paged when both `page` and `per_page` are given.
 *
 * @example
 * ```ts
 * await listSiteItems(ctx, site, "themes", { status: "active" }); // { success: 1, total, data, site }
 * ```
 */
export async function listSiteItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: "plugins" | "themes",
  q: ItemListQuery,
): Promise<{ success: 1; total: number; data: Record<string, unknown>[]; site: SiteMini }> {
  assertItemStatus(q.status);
  let items = parseStoredList((await getSiteSync(ctx.kv, site.id))?.[kind]);
  if (kind === "plugins" && isTruthyFlag(q.must_use)) items = items.filter((i) => Number(i.mu) === 1);
  const search = text(q.search).toLowerCase();
  if (search) {
    items = items.filter((i) =>
      SEARCH_KEYS[kind].some((k) => String(i[k] ?? "").toLowerCase().includes(search))
    );
  }
  const statuses = kind === "plugins"
    ? (Array.isArray(q.status) ? q.status.map(String) : [])
    : parseList(q.status);
  if (statuses.length > 0 && !statuses.includes("any")) {
    const active = statuses.includes("active");
    const inactive = statuses.includes("inactive");
    if (active !== inactive) items = items.filter((i) => (Number(i.active) === 1) === active);
  }
  const page = Math.trunc(Number(q.page || q.paged));
  const perPage = Math.trunc(Number(q.per_page));
  if (page && perPage) items = items.slice(Math.max(0, (page - 1) * perPage), Math.max(0, page * perPage));
  return { success: 1, total: items.length, data: items, site: siteMini(site) };
}

/**
 * A site option stored as JSON (e.g. `security_stats`, `plugins_outdate_info`), parsed; `[]` when absent,
 * unreadable or not an object/list.
 *
 * @example
 * ```ts
 * jsonOption(await getSiteSync(kv, 3), "security_stats"); // { sslprotocol: "Y", … }
 * ```
 */
export function jsonOption(sync: SiteSyncData | null, name: string): Record<string, unknown> | unknown[] {
  const raw = sync?.options?.[name];
  try {
    const data = raw ? JSON.parse(raw) : [];
    return data !== null && typeof data === "object" ? data : [];
  } catch {
    return [];
  }
}

/**
 * `GET /sites/{id}/plugins/abandoned` and `/themes/abandoned`: the stored outdate information as the
 * child reported it.
 *
 * @example
 * ```ts
 * await abandonedItems(ctx, site, "plugins"); // { success: 1, total, data, site }
 * ```
 */
export async function abandonedItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: "plugins" | "themes",
): Promise<{ success: 1; total: number; data: unknown; site: SiteMini }> {
  const data = jsonOption(await getSiteSync(ctx.kv, site.id), `${kind}_outdate_info`);
  const total = Array.isArray(data) ? data.length : Object.keys(data as object).length;
  return { success: 1, total, data, site: siteMini(site) };
}

/** `{name, version, slug}` of an action's reply item. */
export interface ActionItem {
  name: string;
  version: string;
  slug: string;
}

function actionItems(data: unknown): ActionItem[] {
  if (!data || typeof data !== "object") return [];
  return Object.values(data as Record<string, unknown>)
    .filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null && "name" in i)
    .map((i) => ({ name: text(i.name), version: text(i.version), slug: text(i.slug) }));
}

/** The error MainWP returns when the child cannot be reached for an action (HTTP 500, no data). */
function actionFailed(action: string, error: ChildError): RestError {
  return new RestError(`mainwp_rest_${action}_plugins_action`, childErrorMessage(error));
}

/**
 * Activates, deactivates or deletes plugins through the child (`plugin_action`, slugs joined by `||`):
 * `{"success":1,"data":[{name,version,slug}],"site":SITE_MINI}`; `success` is 1 when the child reports
 * at least one plugin acted on. A child that cannot be reached → 500 `mainwp_rest_{action}_plugins_action`;
 * a child's own error answer → `success` 0.
 *
 * @example
 * ```ts
 * await pluginAction(ctx, site, "deactivate", ["akismet/akismet.php"]);
 * ```
 */
export async function pluginAction(
  ctx: AppContext,
  site: SiteRecord,
  action: "activate" | "deactivate" | "delete",
  slugs: string[],
): Promise<{ success: 0 | 1; data: ActionItem[]; site: SiteMini }> {
  let reply: Record<string, unknown>;
  try {
    reply = await callSiteChild(ctx, site, "plugin_action", { action, plugin: slugs.join("||") });
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    if (error.category !== "child") throw actionFailed(action, error);
    reply = error.reply ?? {};
  }
  const other = (reply.other_data ?? {}) as Record<string, unknown>;
  const raw = other.plugin_action_data;
  const data = actionItems(raw);
  const acted = raw !== null && typeof raw === "object" && Object.keys(raw).length > 0;
  return { success: acted ? 1 : 0, data, site: siteMini(site) };
}

/**
 * Activates one theme or deletes themes through the child (`theme_action`). `data` carries the last
 * `deactivate` and `activate` / `delete` entries, or `error` "The theme X is active." when the child
 * refuses to delete the active theme. Errors as {@link pluginAction} (MainWP uses the `…_plugins_action`
 * codes here too).
 *
 * @example
 * ```ts
 * await themeAction(ctx, site, "activate", ["twentytwentyfour"]);
 * ```
 */
export async function themeAction(
  ctx: AppContext,
  site: SiteRecord,
  action: "activate" | "delete",
  slugs: string[],
): Promise<{ success: 0 | 1; data: Record<string, unknown> | []; site: SiteMini }> {
  let reply: Record<string, unknown>;
  try {
    reply = await callSiteChild(ctx, site, "theme_action", { action, theme: slugs.join("||") });
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    if (error.category !== "child") throw actionFailed(action, error);
    reply = error.reply ?? {};
  }
  const data: Record<string, unknown> = {};
  let success: 0 | 1 = 0;
  const refused = reply.error && typeof reply.error === "object"
    ? reply.error as Record<string, unknown>
    : null;
  if (action === "delete" && refused && text(refused.is_activated_theme) !== "") {
    data.error = `The theme ${escapeHtml(text(refused.is_activated_theme))} is active.`;
  }
  const other = (reply.other_data ?? {}) as Record<string, unknown>;
  if (action === "activate" && other.theme_deactivate_data !== undefined) {
    success = 1;
    const last = actionItems(other.theme_deactivate_data).at(-1);
    data.deactivate = last ?? [];
  }
  if (other.theme_action_data !== undefined) {
    success = 1;
    const last = actionItems(other.theme_action_data).at(-1);
    data[action] = last ?? [];
  }
  return { success, data: Object.keys(data).length > 0 ? data : [], site: siteMini(site) };
}
