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
import { parseList } from "../rest/args.ts";
import { RestError, restError } from "../rest/errors.ts";
import { getSiteSync, type SiteRecord, type SiteSyncData } from "../store/sites.ts";
import { type SiteMini, siteMini } from "./site-format.ts";
import { callSiteChild, childErrorMessage } from "./site-child.ts";
import { childOutdatedError } from "./site-resolve.ts";
import { asMap, parseJsonText } from "./update-lists.ts";
import { escHtml } from "../wp/format.ts";
import { isPhpEmpty } from "../wp/php.ts";

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

/** An item of the lists as MainWP answers them without search, `must_use` or paging (its ability path). */
export interface SiteItem {
  slug: string;
  name: string;
  version: string;
  active: boolean;
  update_version: string | null;
}

const scalar = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;

/** A stored JSON list or slug-keyed map as `[slug, record]` pairs; slugs from the keys of a map (PHP's rule). */
function storedEntries(value: string | undefined): [string, Record<string, unknown>][] {
  const parsed = parseJsonText(value);
  if (!parsed || typeof parsed !== "object") return [];
  const isMap = !Array.isArray(parsed);
  return Object.entries(parsed).flatMap(([key, item]): [string, Record<string, unknown>][] => {
    if (!item || typeof item !== "object" || Array.isArray(item)) return [];
    const record = item as Record<string, unknown>;
    // PHP turns integer-like keys into integers, and then reads the slug from the record.
    const keySlug = isMap && !/^(0|-?[1-9]\d*)$/.test(key) ? key : "";
    const slug = keySlug || (typeof record.slug === "string" ? record.slug : "");
    return slug && slug !== "0" ? [[slug, record]] : [];
  });
}

/**
 * A site's plugins or themes in MainWP's `{slug,name,version,active,update_version}` items: `active` a
 * boolean (for themes, only the first active one), `update_version` the `new_version` of the site's
 * `plugin_upgrades` / `theme_upgrades` entry for the slug, else `null`. Records without a slug are skipped.
 *
 * @example
 * ```ts
 * siteItems(await getSiteSync(kv, 3), "plugins"); // [{ slug: "akismet/akismet.php", …, active: true, update_version: "5.4" }]
 * ```
 */
export function siteItems(sync: SiteSyncData | null, kind: "plugins" | "themes"): SiteItem[] {
  const entries = storedEntries(kind === "plugins" ? sync?.plugins : sync?.themes);
  const upgrades = asMap(parseJsonText(kind === "plugins" ? sync?.plugin_upgrades : sync?.theme_upgrades));
  const activeTheme = kind === "themes" ? entries.find(([, t]) => !isPhpEmpty(t.active))?.[0] : undefined;
  return entries.map(([slug, item]) => {
    const upgrade = Object.hasOwn(upgrades, slug) ? asMap(upgrades[slug]) : {};
    const update = asMap(upgrade.update);
    return {
      slug,
      name: scalar(item.name) ?? slug,
      version: scalar(item.version) ?? "",
      active: kind === "themes" ? slug === activeTheme : !isPhpEmpty(item.active),
      update_version: scalar(update.new_version) ?? scalar(upgrade.new_version) ?? null,
    };
  });
}

/** The statuses given (a comma list or array) as one filter: `active`, `inactive`, or `null` for all. */
function statusFilter(status: unknown): boolean | null {
  const given = parseList(status);
  if (given.includes("any") || given.includes("all")) return null;
  const active = given.includes("active");
  return active === given.includes("inactive") ? null : active;
}

/**
 * `GET /sites/{id}/plugins` and `/themes`. Without `search`, `must_use` (plugins) or paging (both `page`
 * and `per_page`), MainWP 6.1.2 answers through its ability: {@link siteItems} filtered by `status`, and
 * a child older than 4.0.0 (or never synced) is a 400 `mainwp_child_outdated`. With any of them it answers
 * the stored records as the child sent them (its legacy path): filtered (`must_use` keeps `mu` 1, `search`
 * on name/description/version/slug (+title for themes), `status` — for plugins only in its array form)
 * and paged.
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
): Promise<{ success: 1; total: number; data: SiteItem[] | Record<string, unknown>[]; site: SiteMini }> {
  assertItemStatus(q.status);
  const sync = await getSiteSync(ctx.kv, site.id);
  const pageArg = isPhpEmpty(q.page) ? q.paged : q.page;
  const paged = !isPhpEmpty(pageArg) && !isPhpEmpty(q.per_page);
  const mustUse = kind === "plugins" && !isPhpEmpty(q.must_use);
  if (isPhpEmpty(q.search) && !mustUse && !paged) {
    const outdated = childOutdatedError(site, sync);
    // MainWP's REST wrapper keeps only the status of the ability's error data.
    if (outdated) throw restError(outdated.code, outdated.message, 400);
    const active = statusFilter(q.status);
    const data = siteItems(sync, kind).filter((i) => active === null || i.active === active);
    return { success: 1, total: data.length, data, site: siteMini(site) };
  }
  let items = parseStoredList(sync?.[kind]);
  if (mustUse) items = items.filter((i) => Number(i.mu) === 1);
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
  if (paged) {
    const page = Math.trunc(Number(pageArg)) || 0;
    const perPage = Math.trunc(Number(q.per_page)) || 0;
    items = items.slice(Math.max(0, (page - 1) * perPage), Math.max(0, page * perPage));
  }
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
    data.error = `The theme ${escHtml(text(refused.is_activated_theme))} is active.`;
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
