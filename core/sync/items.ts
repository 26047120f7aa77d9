/**
 * @module
 * A site's plugins and themes: the lists as the last sync stored them (as items, or as the records the
 * child sent, filtered and paged in memory), the abandoned lists (`plugins_outdate_info` /
 * `themes_outdate_info`), and activate / deactivate / delete through the child (`plugin_action`,
 * `theme_action`), whose reply carries a fresh sync that is stored before the result is returned.
 *
 * @example
 * ```ts
 * await listSiteItems(ctx, site, "plugins", { active: true });
 * await pluginAction(ctx, site, "activate", ["akismet/akismet.php"]);
 * ```
 */
import { ChildError } from "../../child/errors.ts";
import { compareVersions, MIN_CHILD_VERSION } from "../../child/version.ts";
import { isPlainObject } from "../../lib/objects.ts";
import { getSiteSync, type SiteRecord, type SiteSyncData } from "../../store/sites.ts";
import { isPhpEmpty } from "../../wp/php.ts";
import type { ChildDeps, StoreDeps } from "../deps.ts";
import { ChildOutdated, ChildUnavailable } from "../errors.ts";
import { callSiteChild } from "./child.ts";

/** Plugins or themes. */
export type ItemKind = "plugins" | "themes";

/** A stored record as the child sent it (its fields vary by child version). */
export type StoredItem = Record<string, unknown>;

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

const parseJson = (value: string | undefined): unknown => {
  if (!value) return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
};

const asMap = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});

/**
 * A stored plugin or theme list (a JSON list, or a map keyed by slug) as a list of records; `[]` when
 * absent or unreadable.
 *
 * @example
 * ```ts
 * parseStoredList('[{"slug":"a/a.php","active":1}]').length; // 1
 * ```
 */
export function parseStoredList(value: string | undefined): StoredItem[] {
  const parsed = parseJson(value);
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === "object"
    ? Object.values(parsed)
    : [];
  return list.filter((i): i is StoredItem => typeof i === "object" && i !== null);
}

/** A plugin or theme of a site. */
export interface SiteItem {
  slug: string;
  name: string;
  version: string;
  active: boolean;
  /** The version a pending update brings, `null` when none is pending. */
  update_version: string | null;
}

const scalar = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;

/** A stored JSON list or slug-keyed map as `[slug, record]` pairs; slugs from the keys of a map (PHP's rule). */
function storedEntries(value: string | undefined): [string, StoredItem][] {
  const parsed = parseJson(value);
  if (!parsed || typeof parsed !== "object") return [];
  const isMap = !Array.isArray(parsed);
  return Object.entries(parsed).flatMap(([key, item]): [string, StoredItem][] => {
    if (!isPlainObject(item)) return [];
    // PHP turns integer-like keys into integers, and then reads the slug from the record.
    const keySlug = isMap && !/^(0|-?[1-9]\d*)$/.test(key) ? key : "";
    const slug = keySlug || (typeof item.slug === "string" ? item.slug : "");
    return slug && slug !== "0" ? [[slug, item]] : [];
  });
}

/**
 * A site's plugins or themes as items: `active` for themes only the first active one, `update_version`
 * the `new_version` of the site's `plugin_upgrades` / `theme_upgrades` entry for the slug. Records
 * without a slug are skipped.
 *
 * @example
 * ```ts
 * siteItems(await getSiteSync(kv, 3), "plugins"); // [{ slug: "akismet/akismet.php", …, active: true, update_version: "5.4" }]
 * ```
 */
export function siteItems(sync: SiteSyncData | null, kind: ItemKind): SiteItem[] {
  const entries = storedEntries(kind === "plugins" ? sync?.plugins : sync?.themes);
  const upgrades = asMap(parseJson(kind === "plugins" ? sync?.plugin_upgrades : sync?.theme_upgrades));
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

/**
 * Throws `ChildOutdated` when the site's child (as last synced; never synced counts as outdated) is
 * older than `min`.
 *
 * @example
 * ```ts
 * assertChildVersion(site, await getSiteSync(kv, site.id));
 * ```
 */
export function assertChildVersion(
  site: SiteRecord,
  sync: SiteSyncData | null,
  min = MIN_CHILD_VERSION,
): void {
  if (compareVersions(String(sync?.version ?? ""), min) < 0) {
    throw new ChildOutdated(site.id, min, `Child plugin version ${min} or higher required.`);
  }
}

/**
 * The site's plugins or themes as items, all or only the active (`true`) / inactive (`false`) ones.
 * Needs a child of at least 4.0.0 (`ChildOutdated`).
 *
 * @example
 * ```ts
 * await listSiteItems(ctx, site, "themes", { active: true });
 * ```
 */
export async function listSiteItems(
  deps: StoreDeps,
  site: SiteRecord,
  kind: ItemKind,
  filter: { active?: boolean | null } = {},
): Promise<SiteItem[]> {
  const sync = await getSiteSync(deps.kv, site.id);
  assertChildVersion(site, sync);
  const active = filter.active ?? null;
  return siteItems(sync, kind).filter((i) => active === null || i.active === active);
}

/**
 * The stored plugin or theme records and the pending updates keyed by slug (as stored), for callers
 * that shape their own items. Needs a child of at least 4.0.0 (`ChildOutdated`).
 *
 * @example
 * ```ts
 * const { records, upgrades } = await siteItemSources(ctx, site, "plugins");
 * ```
 */
export async function siteItemSources(
  deps: StoreDeps,
  site: SiteRecord,
  kind: ItemKind,
): Promise<{ records: StoredItem[]; upgrades: unknown }> {
  const sync = await getSiteSync(deps.kv, site.id);
  assertChildVersion(site, sync);
  return {
    records: parseStoredList(kind === "plugins" ? sync?.plugins : sync?.themes),
    upgrades: parseJson(kind === "plugins" ? sync?.plugin_upgrades : sync?.theme_upgrades),
  };
}

/** How {@link siteItemRecords} narrows the stored records. */
export interface ItemRecordFilter {
  /** Plugins only: just the must-use ones (`mu` 1). */
  mustUse?: boolean;
  /** Case-insensitive text in name, description, version or slug (themes: also title). */
  search?: string;
  /** Only active (`true`) or inactive (`false`) ones. */
  active?: boolean | null;
  /** One page (1-based) of `perPage` records. */
  page?: { page: number; perPage: number } | null;
}

const SEARCH_KEYS: Record<ItemKind, readonly string[]> = {
  plugins: ["name", "description", "version", "slug"],
  themes: ["name", "description", "version", "slug", "title"],
};

/**
 * The site's plugin or theme records as the child sent them, filtered and paged.
 *
 * @example
 * ```ts
 * await siteItemRecords(ctx, 3, "plugins", { search: "seo", page: { page: 1, perPage: 10 } });
 * ```
 */
export async function siteItemRecords(
  deps: StoreDeps,
  siteId: number,
  kind: ItemKind,
  f: ItemRecordFilter = {},
): Promise<StoredItem[]> {
  let items = parseStoredList((await getSiteSync(deps.kv, siteId))?.[kind]);
  if (kind === "plugins" && f.mustUse) items = items.filter((i) => Number(i.mu) === 1);
  const search = (f.search ?? "").trim().toLowerCase();
  if (search) {
    items = items.filter((i) =>
      SEARCH_KEYS[kind].some((k) => String(i[k] ?? "").toLowerCase().includes(search))
    );
  }
  if (f.active !== undefined && f.active !== null) {
    items = items.filter((i) => (Number(i.active) === 1) === f.active);
  }
  if (f.page) {
    const { page, perPage } = f.page;
    items = items.slice(Math.max(0, (page - 1) * perPage), Math.max(0, page * perPage));
  }
  return items;
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
  const data = parseJson(sync?.options?.[name]);
  return data !== null && typeof data === "object" ? data as Record<string, unknown> | unknown[] : [];
}

/**
 * {@link jsonOption} of a stored site.
 *
 * @example
 * ```ts
 * await siteJsonOption(ctx, 3, "security_stats");
 * ```
 */
export async function siteJsonOption(
  deps: StoreDeps,
  siteId: number,
  name: string,
): Promise<Record<string, unknown> | unknown[]> {
  return jsonOption(await getSiteSync(deps.kv, siteId), name);
}

/**
 * The site's abandoned plugins or themes as the child reported them (a list or a map keyed by slug).
 *
 * @example
 * ```ts
 * await abandonedItems(ctx, 3, "plugins"); // { "old/old.php": { … } }
 * ```
 */
export async function abandonedItems(
  deps: StoreDeps,
  siteId: number,
  kind: ItemKind,
): Promise<Record<string, unknown> | unknown[]> {
  return await siteJsonOption(deps, siteId, `${kind}_outdate_info`);
}

/** A plugin or theme the child reports having acted on. */
export interface ActionItem {
  name: string;
  version: string;
  slug: string;
}

function actionItems(data: unknown): ActionItem[] {
  if (!data || typeof data !== "object") return [];
  return Object.values(data)
    .filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null && "name" in i)
    .map((i) => ({ name: text(i.name), version: text(i.version), slug: text(i.slug) }));
}

/** A child call of an action: the reply, a child's own error answer as its reply, else `ChildUnavailable`. */
async function actionReply(
  deps: ChildDeps,
  site: SiteRecord,
  fn: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  try {
    return await callSiteChild(deps, site, fn, params);
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    if (error.category !== "child") throw new ChildUnavailable(site.id, error);
    return error.reply ?? {};
  }
}

/** What a plugin action did: `acted` when the child reports at least one plugin acted on. */
export interface PluginActionResult {
  acted: boolean;
  items: ActionItem[];
}

/**
 * Activates, deactivates or deletes plugins through the child (`plugin_action`, slugs joined by `||`).
 * A child that cannot be reached → `ChildUnavailable`; a child's own error answer → nothing acted on.
 *
 * @example
 * ```ts
 * (await pluginAction(ctx, site, "deactivate", ["akismet/akismet.php"])).acted;
 * ```
 */
export async function pluginAction(
  deps: ChildDeps,
  site: SiteRecord,
  action: "activate" | "deactivate" | "delete",
  slugs: readonly string[],
): Promise<PluginActionResult> {
  const reply = await actionReply(deps, site, "plugin_action", { action, plugin: slugs.join("||") });
  const raw = asMap(reply.other_data).plugin_action_data;
  const acted = raw !== null && typeof raw === "object" && Object.keys(raw).length > 0;
  return { acted, items: actionItems(raw) };
}

/**
 * What a theme action did. `deactivated` / `done` are absent when the child did not report that step,
 * `null` when it reported it without an item; `refusedActive` names the active theme the child would
 * not delete.
 */
export interface ThemeActionResult {
  acted: boolean;
  deactivated?: ActionItem | null;
  done?: ActionItem | null;
  refusedActive: string | null;
}

/**
 * Activates one theme or deletes themes through the child (`theme_action`); errors as {@link pluginAction}.
 *
 * @example
 * ```ts
 * (await themeAction(ctx, site, "activate", ["twentytwentyfour"])).done?.slug;
 * ```
 */
export async function themeAction(
  deps: ChildDeps,
  site: SiteRecord,
  action: "activate" | "delete",
  slugs: readonly string[],
): Promise<ThemeActionResult> {
  const reply = await actionReply(deps, site, "theme_action", { action, theme: slugs.join("||") });
  const result: ThemeActionResult = { acted: false, refusedActive: null };
  const refused = isPlainObject(reply.error) ? text(reply.error.is_activated_theme) : "";
  if (action === "delete" && refused !== "") result.refusedActive = refused;
  const other = asMap(reply.other_data);
  if (action === "activate" && other.theme_deactivate_data !== undefined) {
    result.acted = true;
    result.deactivated = actionItems(other.theme_deactivate_data).at(-1) ?? null;
  }
  if (other.theme_action_data !== undefined) {
    result.acted = true;
    result.done = actionItems(other.theme_action_data).at(-1) ?? null;
  }
  return result;
}
