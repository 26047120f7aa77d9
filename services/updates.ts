/**
 * @module
 * Pending updates (rest-v2.md §2.4), the legacy shapes of MainWP 6.1.2: the update lists (from stored
 * sync data, minus what the per-site flags, the site's ignore lists and the global ignore lists exclude),
 * the ignore lists, updating WordPress core, plugins, themes and translations through the child, and the
 * ignore flags and lists. After an update the stored lists follow the child's answer (its `sync`
 * payload, else a fresh sync), so applied updates disappear from the next list.
 *
 * Per-site ignore lists live on the site record (`ignored_plugins` / `ignored_themes`, JSON strings as
 * MainWP stores them, keyed by the real slug); the global lists live in `store/settings.ts`.
 * "Update everything" is in `update-run.ts`.
 *
 * @example
 * ```ts
 * const body = await listUpdates(ctx, { type: "plugins" });
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { rawUrlDecode } from "../child/form.ts";
import { ChildError } from "../child/errors.ts";
import { syncValuesFromReply } from "../child/sync.ts";
import { parseIdList, parseList } from "../rest/args.ts";
import { encodeWpJson } from "../rest/json.ts";
import {
  getGlobalIgnoredLists,
  type IgnoreKind,
  type IgnoreList,
  updateGlobalIgnored,
} from "../store/settings.ts";
import {
  getSiteSync,
  type SiteRecord,
  type SiteSyncData,
  updateSite,
  writeSiteSync,
} from "../store/sites.ts";
import { childSiteOf, recordSyncValues, syncSite } from "./sync.ts";
import { fleetSnapshot, parseSiteListQuery } from "./site-list.ts";
import { nowSeconds } from "./dates.ts";
import { orderedMap } from "../wp/ordered-map.ts";
import {
  asMap,
  type ItemKind,
  type Json,
  parseJsonText,
  parseUpdateTypes,
  pendingSlugs,
  pendingUpdates,
  rollbackAfterUpdate,
  rollbackItems,
  searchCore,
  searchMap,
  searchTranslations,
  siteIgnoreList,
  storedUpdates,
  updatesInfo,
} from "./update-lists.ts";
import { isPlainObject } from "../lib/objects.ts";
import { escHtml } from "../wp/format.ts";

/** Query of the update lists (`type`, `search`, `include`, `exclude`, `status`). */
export interface UpdateListQuery {
  /** Comma list or array of `wp`, `plugins`, `themes`, `translations` (`all` or none: every kind). */
  type?: unknown;
  /** Case-insensitive text matched against keys and names. */
  search?: unknown;
  /** Site ids to keep (list routes only). */
  include?: unknown;
  /** Site ids to leave out (list routes only). */
  exclude?: unknown;
  /** Validated against the site statuses, otherwise unused (`GET /updates` only). */
  status?: unknown;
}

const phpMap = (map: Json): Json | [] => orderedMap(Object.entries(map));

function searchText(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value).trim().toLowerCase() : "";
}

/**
 * One site's entry of the update lists: `wp`, `plugins` (+ `rollback_plugins`), `themes`
 * (+ `rollback_themes`), `translations`, as selected by `types` (`null` = all) and filtered by `needle`.
 *
 * @example
 * ```ts
 * siteUpdateEntry(site, sync, { plugins: {}, themes: {} }, null, "");
 * ```
 */
export function siteUpdateEntry(
  site: SiteRecord,
  sync: SiteSyncData | null,
  global: Record<IgnoreKind, IgnoreList>,
  types: ReadonlySet<string> | null,
  needle: string,
): Json {
  const stored = storedUpdates(sync);
  const pending = pendingUpdates(site, sync, global);
  const wants = (type: string) => types === null || types.has(type);
  const out: Json = {};
  if (wants("wp")) out.wp = searchCore(pending.wp, needle) ?? [];
  for (const kind of ["plugins", "themes"] as const) {
    if (!wants(kind)) continue;
    out[kind] = phpMap(searchMap(pending[kind], needle));
    const rollback = searchMap(rollbackItems(stored, kind), needle);
    if (Object.keys(rollback).length > 0) out[`rollback_${kind}`] = rollback;
  }
  if (wants("translations")) out.translations = searchTranslations(pending.translations, needle);
  return out;
}

/**
 * `GET /updates`: `{"success":1,"data":{"<site id>":{wp,plugins,themes,translations,rollback_*}}}` for
 * the non-staging sites in listing order (`include` / `exclude` by id; `status` is validated as on the
 * site lists and otherwise unused). A `type` naming no known kind leaves every site out.
 *
 * @example
 * ```ts
 * await listUpdates(ctx, { type: "plugins,themes", include: "3" });
 * ```
 */
export async function listUpdates(ctx: AppContext, q: UpdateListQuery): Promise<Json> {
  parseSiteListQuery({ status: q.status }, { withTags: false, fullData: false });
  const include = parseIdList(q.include);
  const exclude = new Set(parseIdList(q.exclude));
  const types = parseUpdateTypes(parseList(q.type));
  const needle = searchText(q.search);
  const [snap, global] = await Promise.all([fleetSnapshot(ctx.kv), getGlobalIgnoredLists(ctx.kv)]);
  const entries: [string, Json][] = [];
  for (const { site, sync } of snap.listed) {
    if (exclude.has(site.id) || (include.length > 0 && !include.includes(site.id))) continue;
    const entry = siteUpdateEntry(site, sync, global, types, needle);
    if (Object.keys(entry).length > 0) entries.push([String(site.id), entry]);
  }
  return { success: 1, data: orderedMap(entries) };
}

/**
 * `GET /updates/{id_domain}`: one site's pending updates (`type`, `search` as on the list).
 *
 * @example
 * ```ts
 * await siteUpdates(ctx, site, { type: "wp" }); // { success: 1, data: { wp: [] } }
 * ```
 */
export async function siteUpdates(ctx: AppContext, site: SiteRecord, q: UpdateListQuery): Promise<Json> {
  const [sync, global] = await Promise.all([getSiteSync(ctx.kv, site.id), getGlobalIgnoredLists(ctx.kv)]);
  const entry = siteUpdateEntry(
    site,
    sync,
    global,
    parseUpdateTypes(parseList(q.type)),
    searchText(q.search),
  );
  return { success: 1, data: Object.keys(entry).length > 0 ? entry : [] };
}

/** The site's own list first, then the global entries it does not override (PHP's array `+`). */
function mergedIgnoreList(own: IgnoreList, global: IgnoreList): Json {
  const entries: [string, unknown][] = Object.entries(own);
  for (const [slug, entry] of Object.entries(global)) {
    if (!Object.hasOwn(own, slug)) entries.push([slug, entry]);
  }
  return Object.fromEntries(entries);
}

/**
 * `GET /updates/ignored` (`site` = `null`: the global lists) and `GET /updates/{id_domain}/ignored` (the
 * site's lists merged with the global ones): `{"success":1,"data":{"plugins":{…},"themes":{…}}}`, empty
 * kinds left out, `data` `[]` when nothing is ignored. `type` = `plugins` / `themes` (anything else: both).
 *
 * @example
 * ```ts
 * await ignoredUpdates(ctx, null, { type: "plugins" });
 * ```
 */
export async function ignoredUpdates(
  ctx: AppContext,
  site: SiteRecord | null,
  q: UpdateListQuery,
): Promise<Json> {
  const types = parseList(q.type);
  const picked = (["plugins", "themes"] as const).filter((k) => types.includes(k));
  const kinds = picked.length > 0 ? picked : (["plugins", "themes"] as const);
  const needle = searchText(q.search);
  const global = await getGlobalIgnoredLists(ctx.kv);
  const data: Json = {};
  for (const kind of kinds) {
    const list = site ? mergedIgnoreList(siteIgnoreList(site, kind), global[kind]) : global[kind];
    const kept = searchMap(list, needle);
    if (Object.keys(kept).length > 0) data[kind] = kept;
  }
  return { success: 1, data: Object.keys(data).length > 0 ? data : [] };
}

// ---------------------------------------------------------------------------------------------------
// Running updates

/**
 * Stores what an update reply says about the site afterwards: its `sync` payload, or (without one) a
 * fresh sync.
 *
 * @example
 * ```ts
 * await refreshAfterUpdate(ctx, site.id, reply);
 * ```
 */
export async function refreshAfterUpdate(ctx: AppContext, siteId: number, reply: Json | null): Promise<void> {
  if (reply && isPlainObject(reply.sync)) {
    await recordSyncValues(ctx, siteId, syncValuesFromReply(reply.sync));
  } else {
    await syncSite(ctx, siteId);
  }
}

/** Remembers rolled-back versions (and forgets versions that now updated) from a plugin/theme reply. */
async function recordRollback(ctx: AppContext, siteId: number, kind: ItemKind, reply: Json): Promise<void> {
  if (kind === "translations") return;
  const type = kind === "plugins" ? "plugin" : "theme";
  const savedOf = (data: SiteSyncData | null) => asMap(parseJsonText(data?.options?.rollback_updates_data));
  const now = nowSeconds();
  if (rollbackAfterUpdate(savedOf(await getSiteSync(ctx.kv, siteId)), type, reply, now) === null) return;
  await writeSiteSync(ctx.kv, siteId, (previous) => {
    const next = rollbackAfterUpdate(savedOf(previous), type, reply, now);
    if (next === null) return previous ?? {};
    return { ...previous, options: { ...previous?.options, rollback_updates_data: encodeWpJson(next) } };
  });
}

/**
 * Calls the child to update WordPress core (`upgrade`); returns its reply. Throws {@link ChildError}.
 *
 * @example
 * ```ts
 * const reply = await callCoreUpdate(ctx, site); // { upgrade: "SUCCESS", old_version, version }
 * ```
 */
export async function callCoreUpdate(ctx: AppContext, site: SiteRecord): Promise<Json> {
  return await ctx.child.call(await childSiteOf(ctx, site), "upgrade");
}

/**
 * Calls the child to update the listed items: `upgradeplugintheme` (`type` plugin/theme) or
 * `upgradetranslation`; records rollback data; returns the reply. Throws {@link ChildError}.
 *
 * @example
 * ```ts
 * await callItemsUpdate(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
export async function callItemsUpdate(
  ctx: AppContext,
  site: SiteRecord,
  kind: ItemKind,
  list: readonly string[],
): Promise<Json> {
  const child = await childSiteOf(ctx, site);
  const reply = kind === "translations"
    ? await ctx.child.call(child, "upgradetranslation", { type: "translation", list: list.join(",") })
    : await ctx.child.call(child, "upgradeplugintheme", {
      type: kind === "plugins" ? "plugin" : "theme",
      list: list.join(","),
    });
  await recordRollback(ctx, site.id, kind, reply);
  return reply;
}

/** MainWP's message when the core update did not report success. */
export const CORE_UPDATE_FAILED = "An undefined error occured. Please try again.";

/**
 * The answer of `POST /updates/{id}/update/wp` for a child reply.
 *
 * @example
 * ```ts
 * coreUpdateBody({ upgrade: "SUCCESS", old_version: "6.4.3", version: "6.5" });
 * // { success: 1, message: "WordPress was updated to the latest version.", data: { old_version: "6.4.3", version: "6.5" } }
 * ```
 */
export function coreUpdateBody(reply: Json): Json {
  const success = reply.upgrade === "SUCCESS";
  const body: Json = { success: success ? 1 : 0 };
  if (success) body.message = "WordPress was updated to the latest version.";
  else {body.error = typeof reply.error === "string" && reply.error
      ? escHtml(reply.error)
      : CORE_UPDATE_FAILED;}
  const data: Json = {};
  if (reply.old_version) data.old_version = String(reply.old_version);
  if (reply.version) data.version = String(reply.version);
  if (Object.keys(data).length > 0) body.data = data;
  return body;
}

/**
 * `POST /updates/{id_domain}/update/wp`: updates WordPress core through the child (child `upgrade`),
 * then refreshes the stored lists. A child failure is answered `{"success":0,"error":"<message>"}`.
 *
 * @example
 * ```ts
 * await updateCore(ctx, site);
 * ```
 */
export async function updateCore(ctx: AppContext, site: SiteRecord): Promise<Json> {
  let reply: Json;
  try {
    reply = await callCoreUpdate(ctx, site);
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    return { success: 0, error: error.message };
  }
  await refreshAfterUpdate(ctx, site.id, reply);
  return coreUpdateBody(reply);
}

const NOTHING_TO_UPDATE: Record<ItemKind, string> = {
  plugins: "No Plugins to update.",
  themes: "No Themes to update.",
  translations: "No Translations to update.",
};

/**
 * `POST /updates/{id_domain}/update/plugins|themes|translations`: updates the named items that currently
 * have a non-ignored update (`slugs` naming none of them: `{"success":0,"message":"No Plugins to update."}`;
 * a site ignoring all plugin/theme updates: `"Plugins ignored updates per site."`). Answers
 * `{"success":1,"data":<updates_info>}`; child failures throw {@link ChildError}.
 *
 * @example
 * ```ts
 * await updateItems(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
export async function updateItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: ItemKind,
  slugs: readonly string[],
): Promise<Json> {
  if (kind === "plugins" && site.is_ignorePluginUpdates) {
    return { success: 0, message: "Plugins ignored updates per site." };
  }
  if (kind === "themes" && site.is_ignoreThemeUpdates) {
    return { success: 0, message: "Themes ignored updates per site." };
  }
  const [sync, global] = await Promise.all([getSiteSync(ctx.kv, site.id), getGlobalIgnoredLists(ctx.kv)]);
  const wanted = new Set(slugs);
  const list = pendingSlugs(pendingUpdates(site, sync, global), kind).filter((slug) => wanted.has(slug));
  if (list.length === 0) return { success: 0, message: NOTHING_TO_UPDATE[kind] };
  const reply = await callItemsUpdate(ctx, site, kind, list);
  await refreshAfterUpdate(ctx, site.id, reply);
  return { success: 1, data: orderedMap(Object.entries(updatesInfo(reply))) };
}

// ---------------------------------------------------------------------------------------------------
// Ignoring updates

/**
 * `POST /updates/{id_domain}/ignore/wp`: sets the site's "ignore core updates" flag.
 *
 * @example
 * ```ts
 * await ignoreCore(ctx, site); // { success: 1, message: "Ignore core update successfully." }
 * ```
 */
export async function ignoreCore(ctx: AppContext, site: SiteRecord): Promise<Json> {
  const updated = await updateSite(
    ctx.kv,
    site.id,
    (s) => s.is_ignoreCoreUpdates ? null : { ...s, is_ignoreCoreUpdates: 1 },
  );
  const ok = !!updated && "id" in updated && updated.is_ignoreCoreUpdates === 1;
  return {
    success: ok ? 1 : 0,
    message: ok ? "Ignore core update successfully." : "Ignore core update failed.",
  };
}

/**
 * The slugs of an ignore request: trimmed, URL-decoded (`akismet%2Fakismet.php`), empties and repeats
 * dropped.
 *
 * @example
 * ```ts
 * ignoreSlugs("akismet%2Fakismet.php, hello.php,hello.php"); // ["akismet/akismet.php", "hello.php"]
 * ```
 */
export function ignoreSlugs(value: unknown): string[] {
  return [...new Set(parseList(value).map((s) => rawUrlDecode(s).trim()).filter((s) => s !== ""))];
}

/** Display names of a site's plugins/themes by slug: update entries first, then the installed list. */
function knownNames(sync: SiteSyncData | null, kind: IgnoreKind): Map<string, string> {
  const names = new Map<string, string>();
  const installed = parseJsonText(kind === "plugins" ? sync?.plugins : sync?.themes);
  for (const item of Array.isArray(installed) ? installed : []) {
    const map = asMap(item);
    if (typeof map.slug === "string" && typeof map.name === "string") names.set(map.slug, map.name);
  }
  for (const [slug, item] of Object.entries(storedUpdates(sync)[kind])) {
    const name = asMap(item).Name;
    if (typeof name === "string" && name !== "") names.set(slug, name);
  }
  return names;
}

const IGNORE_COLUMN = { plugins: "ignored_plugins", themes: "ignored_themes" } as const;
const NOUN = { plugins: "plugin", themes: "theme" } as const;

/**
 * `POST /updates/{id_domain}/ignore/plugins|themes`. Without slugs: sets the site's "ignore all plugin
 * (theme) updates" flag → `{"success":1,"message":"Ignore update plugins per site successfully.","url":…}`.
 * With slugs: adds them to the site's ignore list (`{slug: {Name, ignored_versions:["all_versions"]}}`,
 * keyed by the real slug) → `{"success":1,"data":["success",…],"url":…}` with one `"success"` per newly
 * added slug; fires `mainwp_before_{plugin|theme}_ignore` and `mainwp_after_…_ignore` (site, slugs).
 *
 * @example
 * ```ts
 * await ignoreItems(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
export async function ignoreItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: IgnoreKind,
  slugs: readonly string[],
): Promise<Json> {
  if (slugs.length === 0) {
    const flag = kind === "plugins" ? "is_ignorePluginUpdates" : "is_ignoreThemeUpdates";
    const updated = await updateSite(ctx.kv, site.id, (s) => s[flag] ? null : { ...s, [flag]: 1 });
    const ok = !!updated && "id" in updated && updated[flag] === 1;
    const message = ok
      ? `Ignore update ${kind} per site successfully.`
      : `Ignore update ${kind} per site failed`;
    return { success: ok ? 1 : 0, message, url: site.url };
  }
  const names = knownNames(await getSiteSync(ctx.kv, site.id), kind);
  await ctx.hooks.doAction(`mainwp_before_${NOUN[kind]}_ignore`, site, [...slugs]);
  let added: string[] = [];
  const updated = await updateSite(ctx.kv, site.id, (s) => {
    const list = { ...siteIgnoreList(s, kind) };
    added = slugs.filter((slug) => !Object.hasOwn(list, slug));
    if (added.length === 0) return null;
    for (const slug of added) {
      list[slug] = { Name: names.get(slug) ?? slug, ignored_versions: ["all_versions"] };
    }
    return { ...s, [IGNORE_COLUMN[kind]]: encodeWpJson(list) };
  });
  const after = updated && "id" in updated ? updated : site;
  await ctx.hooks.doAction(`mainwp_after_${NOUN[kind]}_ignore`, after, [...slugs]);
  return { success: 1, data: added.map(() => "success"), url: after.url };
}

/**
 * Removes slugs from a site's ignore list (for the abilities' "unignore"); returns the slugs removed.
 *
 * @example
 * ```ts
 * await unignoreItems(ctx, site, "themes", ["astra"]); // ["astra"]
 * ```
 */
export async function unignoreItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: IgnoreKind,
  slugs: readonly string[],
): Promise<string[]> {
  let removed: string[] = [];
  await updateSite(ctx.kv, site.id, (s) => {
    const list = { ...siteIgnoreList(s, kind) };
    removed = slugs.filter((slug) => Object.hasOwn(list, slug));
    if (removed.length === 0) return null;
    for (const slug of removed) delete list[slug];
    return { ...s, [IGNORE_COLUMN[kind]]: Object.keys(list).length > 0 ? encodeWpJson(list) : "" };
  });
  return removed;
}

/**
 * Adds slugs to (`ignore`) or removes them from (`unignore`) the global ignore list of one kind; returns
 * the slugs that changed. Added entries ignore all versions and carry `names[slug]` (default: the slug).
 *
 * @example
 * ```ts
 * await setGlobalIgnored(ctx, "plugins", "ignore", ["hello.php"], { "hello.php": "Hello Dolly" });
 * ```
 */
export async function setGlobalIgnored(
  ctx: AppContext,
  kind: IgnoreKind,
  action: "ignore" | "unignore",
  slugs: readonly string[],
  names: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  let changed: string[] = [];
  await updateGlobalIgnored(ctx.kv, kind, (list) => {
    changed = slugs.filter((slug) => Object.hasOwn(list, slug) === (action === "unignore"));
    if (changed.length === 0) return null;
    for (const slug of changed) {
      if (action === "unignore") delete list[slug];
      else list[slug] = { Name: names[slug] ?? slug, ignored_versions: ["all_versions"] };
    }
    return list;
  });
  return changed;
}
