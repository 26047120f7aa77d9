/**
 * @module
 * Site operations that talk to the MainWP Child plugin (rest-v2.md §2.1): add (register), sync, check,
 * reconnect, disconnect, plugins and themes (list from stored sync data, activate / deactivate / delete
 * through the child), abandoned lists and the security check. Bulk forms run their sites concurrently;
 * the child connector applies the global and per-host limits. A failing site fails only its own item.
 *
 * @example
 * ```ts
 * const answer = await addSite(ctx, { url: "https://shop.example", admin: "admin", adminpassword: "…" });
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { encryptPrivateKey, type SiteKeyPair } from "../child/index.ts";
import { ChildError } from "../child/errors.ts";
import { syncValuesFromReply } from "../child/sync.ts";
import { isTruthyFlag, parseIdList, parseList } from "../rest/args.ts";
import { mapConcurrent } from "../rest/batch.ts";
import {
  createSite,
  findSiteByDomain,
  getSite,
  getSiteSync,
  normalizeSiteUrl,
  type SiteRecord,
  updateSite,
} from "../store/sites.ts";
import { createTag, findTagByName, getTag } from "../store/tags.ts";
import { childSiteOf, recordSyncValues, syncSite } from "./sync.ts";
import { escapeHtml, siteMini } from "./site-format.ts";
import { siteViewOf } from "./site-view.ts";
import { entriesByIds, fleetSnapshot, presentSites, selectSites } from "./site-list.ts";
import { nowSeconds } from "./dates.ts";

/** Sites of one bulk call in flight at once (the connector limits child requests further). */
export const BULK_CONCURRENCY = 64;

/** `POST /sites/add` parameters (MainWP's request names). */
export interface AddSiteInput {
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

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

/** MainWP's success message, HTML-escaped as it arrives (§9). */
export const SITE_ADDED_MESSAGE = "Site successfully added - Visit the Site&#039;s Dashboard now.";

async function tagIdsOf(ctx: AppContext, groupids: unknown): Promise<number[]> {
  const ids: number[] = [];
  for (const item of parseList(groupids)) {
    if (/^\d+$/.test(item)) {
      if (await getTag(ctx.kv, Number(item))) ids.push(Number(item));
      continue;
    }
    const tag = (await findTagByName(ctx.kv, item)) ?? (await createTag(ctx.kv, { name: escapeHtml(item) }));
    ids.push(tag.id);
  }
  return [...new Set(ids)];
}

/**
 * Adds a site: registers with its MainWP Child (fresh RSA-2048 key pair unless `keys` is given), stores it
 * with the private key encrypted, and stores the register reply as its first sync.
 *
 * @example
 * ```ts
 * await addSite(ctx, { url: "http://127.0.0.1:9100/site-1/", admin: "admin", adminpassword: "admin-password" });
 * ```
 */
export async function addSite(
  ctx: AppContext,
  input: AddSiteInput,
  options: { keys?: SiteKeyPair } = {},
): Promise<Record<string, unknown>> {
  const rawUrl = text(input.url);
  if (!rawUrl) return { success: 0, error: "Add site failed. Please try again." };
  const url = normalizeSiteUrl(rawUrl);
  const existing = await findSiteByDomain(ctx.kv, url);
  if (existing) {
    return {
      success: 0,
      error: "The site is already connected to your MainWP Dashboard",
      found_id: String(existing.id),
    };
  }
  const admin = text(input.admin);
  const verify = input.ssl_verify === undefined ? 1 : (isTruthyFlag(input.ssl_verify) ? 1 : 0);
  let registered;
  try {
    registered = await ctx.child.register(url, {
      adminUser: admin,
      adminPassword: text(input.adminpassword) || undefined,
      uniqueId: text(input.uniqueid) || undefined,
      httpUser: text(input.http_user) || undefined,
      httpPass: text(input.http_pass) || undefined,
      verifyCertificate: verify !== 0,
      keys: options.keys,
    });
  } catch (error) {
    if (error instanceof ChildError) return { success: 0, error: error.message };
    throw error;
  }
  const clientId = parseIdList(input.client_id)[0] ?? 0;
  const created = await createSite(ctx.kv, {
    url,
    name: text(input.name) || url.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, ""),
    adminname: registered.user || admin,
    pubkey: registered.keys.publicKeyPem,
    privkey: await encryptPrivateKey(registered.keys.privateKeyPem, ctx.secretKey),
    uniqueId: registered.uniqueId,
    http_user: text(input.http_user),
    http_pass: text(input.http_pass),
    verify_certificate: verify,
    force_use_ipv4: isTruthyFlag(input.force_use_ipv4) ? 1 : 0,
    client_id: clientId,
    tag_ids: await tagIdsOf(ctx, input.groupids),
  });
  if (!("site" in created)) {
    return {
      success: 0,
      error: "The site is already connected to your MainWP Dashboard",
      found_id: String(created.found_id),
    };
  }
  const values = syncValuesFromReply(registered.reply);
  if (registered.regverify) values.register_verify_key = registered.regverify;
  const site = (await recordSyncValues(ctx, created.site.id, values)) ?? created.site;
  await ctx.hooks.doAction("mainwp_site_added", site);
  return { success: 1, data: siteMini(site), message: SITE_ADDED_MESSAGE };
}

/**
 * The ids a bulk route acts on: `include` / `exclude` over every listed site (all when `include` is
 * absent), in MainWP's URL order.
 *
 * @example
 * ```ts
 * await bulkSiteIds(ctx, { include: "3,5" }); // [3, 5]
 * ```
 */
export async function bulkSiteIds(ctx: AppContext, params: Record<string, unknown>): Promise<number[]> {
  const snap = await fleetSnapshot(ctx.kv);
  const list = selectSites(snap, {
    include: parseIdList(params.include),
    exclude: parseIdList(params.exclude),
    search: "",
    status: [],
  });
  return list.map((e) => e.site.id);
}

/**
 * `POST /sites/{id}/sync`: `{"success":1,"data":<site view>}` or `{"success":0,"data":[]}`.
 *
 * @example
 * ```ts
 * await syncOneSite(ctx, site);
 * ```
 */
export async function syncOneSite(ctx: AppContext, site: SiteRecord): Promise<Record<string, unknown>> {
  const outcome = await syncSite(ctx, site);
  if (!outcome?.ok) return { success: 0, data: [] };
  return { success: 1, data: await siteViewOf(ctx, outcome.site) };
}

/**
 * `POST /sites/sync`: every selected site synced concurrently;
 * `{"total":N,"data":{"<id>":{"result":"success"|"failed", …site view}}}` in site order.
 *
 * @example
 * ```ts
 * await syncManySites(ctx, [3, 5]);
 * ```
 */
export async function syncManySites(ctx: AppContext, ids: number[]): Promise<Record<string, unknown>> {
  const outcomes = await mapConcurrent(ids, BULK_CONCURRENCY, (id) => syncSite(ctx, id));
  return keyedResult(
    ids,
    await withViews(ctx, ids, outcomes.map((o) => (o ? (o.ok ? "success" : "failed") : null))),
  );
}

/**
 * `{"result": …, …site view}` for each id that has a result, the views taken from one fleet snapshot
 * (one rebuild for the whole bulk call instead of a read per site).
 */
async function withViews(
  ctx: AppContext,
  ids: number[],
  results: (string | null)[],
): Promise<(unknown | null)[]> {
  const snap = await fleetSnapshot(ctx.kv);
  const views = new Map(
    (await presentSites(ctx, entriesByIds(snap, ids))).map((view) => [String(view.id), view]),
  );
  return ids.map((id, i) => {
    const view = views.get(String(id));
    return results[i] === null || !view ? null : { result: results[i], ...view };
  });
}

function keyedResult(ids: number[], results: (unknown | null)[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  ids.forEach((id, i) => {
    if (results[i] !== null) data[String(id)] = results[i];
  });
  return { total: Object.keys(data).length, data: Object.keys(data).length ? data : [] };
}

/**
 * Runs the uptime check of one site and stores the result (`offline_check_result` 1 / -1,
 * `http_response_code`).
 *
 * @example
 * ```ts
 * const { online, httpCode } = await checkAndStore(ctx, site);
 * ```
 */
export async function checkAndStore(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ site: SiteRecord; online: boolean; httpCode: number }> {
  const result = await ctx.child.checkSite(site.url);
  const updated = await updateSite(ctx.kv, site.id, (s) => ({
    ...s,
    offline_check_result: result.online ? 1 : -1,
    http_response_code: result.httpCode,
    offline_checks_last: nowSeconds(),
  }));
  const stored = updated && "id" in updated ? updated : site;
  return { site: stored, online: result.online, httpCode: result.httpCode };
}

/**
 * `POST /sites/{id}/check`: `{"success":1|0,"data":{…SITE_MINI,"status":1|0,"http_code":N}}`.
 *
 * @example
 * ```ts
 * await checkOneSite(ctx, site);
 * ```
 */
export async function checkOneSite(ctx: AppContext, site: SiteRecord): Promise<Record<string, unknown>> {
  const { site: stored, online, httpCode } = await checkAndStore(ctx, site);
  const data: Record<string, unknown> = { ...siteMini(stored) };
  if (httpCode > 0) {
    data.status = httpCode === 200 ? 1 : 0;
    data.http_code = httpCode;
  }
  return { success: online ? 1 : 0, data };
}

/**
 * `POST /sites/check`: `{"total":N,"data":{"<id>":{"result":…, …site view}}}`.
 *
 * @example
 * ```ts
 * await checkManySites(ctx, [3, 5]);
 * ```
 */
export async function checkManySites(ctx: AppContext, ids: number[]): Promise<Record<string, unknown>> {
  const results = await mapConcurrent(ids, BULK_CONCURRENCY, async (id) => {
    const site = await getSite(ctx.kv, id);
    return site ? ((await checkAndStore(ctx, site)).online ? "success" : "failed") : null;
  });
  return keyedResult(ids, await withViews(ctx, ids, results));
}

/**
 * Reconnects a site: a sync first; when that fails, a new registration with the stored verify key.
 *
 * @example
 * ```ts
 * await reconnectSite(ctx, site); // true when the site answers again
 * ```
 */
export async function reconnectSite(ctx: AppContext, site: SiteRecord): Promise<boolean> {
  const first = await syncSite(ctx, site);
  if (first?.ok) return true;
  const sync = await getSiteSync(ctx.kv, site.id);
  const regverify = sync?.options?.register_verify_key;
  try {
    const registered = await ctx.child.register(site.url, {
      adminUser: site.adminname,
      regverify: regverify || undefined,
      uniqueId: site.uniqueId || undefined,
      httpUser: site.http_user || undefined,
      httpPass: site.http_pass || undefined,
      verifyCertificate: site.verify_certificate !== 0,
    });
    const privkey = await encryptPrivateKey(registered.keys.privateKeyPem, ctx.secretKey);
    await updateSite(ctx.kv, site.id, (s) => ({ ...s, pubkey: registered.keys.publicKeyPem, privkey }));
    const values = syncValuesFromReply(registered.reply);
    if (registered.regverify) values.register_verify_key = registered.regverify;
    return (await recordSyncValues(ctx, site.id, values)) !== null;
  } catch (error) {
    if (error instanceof ChildError) return false;
    throw error;
  }
}

/**
 * Sends the signed `disconnect` to a site's child; returns the child's error text, if any.
 *
 * @example
 * ```ts
 * const error = await disconnectSite(ctx, site); // null on success
 * ```
 */
export async function disconnectSite(ctx: AppContext, site: SiteRecord): Promise<string | null> {
  try {
    const reply = await ctx.child.call(await childSiteOf(ctx, site), "disconnect");
    return reply.result !== undefined ? null : "Unexpected answer from the child site.";
  } catch (error) {
    if (error instanceof ChildError) return error.message;
    throw error;
  }
}

/**
 * Runs `task` for every id concurrently and answers `{"total":N,"data":{"<id>":"success"|"failed"}}`.
 *
 * @example
 * ```ts
 * await bulkStatus(ctx, ids, async (site) => (await disconnectSite(ctx, site)) === null);
 * ```
 */
export async function bulkStatus(
  ctx: AppContext,
  ids: number[],
  task: (site: SiteRecord) => Promise<boolean>,
): Promise<Record<string, unknown>> {
  const results = await mapConcurrent(ids, BULK_CONCURRENCY, async (id) => {
    const site = await getSite(ctx.kv, id);
    return site ? ((await task(site)) ? "success" : "failed") : null;
  });
  return keyedResult(ids, results);
}

// ---------------------------------------------------------------------------------------------------
// Plugins and themes

function parseJsonList(value: string | undefined): Record<string, unknown>[] {
  if (!value) return [];
  try {
    const parsed = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : parsed && typeof parsed === "object" ? Object.values(parsed) : [];
  } catch {
    return [];
  }
}

/** Query of the plugin and theme lists. */
export interface ItemListQuery {
  status?: unknown;
  search?: unknown;
  must_use?: unknown;
  page?: unknown;
  per_page?: unknown;
}

const SEARCH_KEYS: Record<"plugins" | "themes", string[]> = {
  plugins: ["name", "description", "version", "slug"],
  themes: ["name", "description", "version", "slug", "title"],
};

/**
 * `GET /sites/{id}/plugins` and `/themes` (legacy shapes): the stored records, filtered and paginated.
 *
 * @example
 * ```ts
 * await listSiteItems(ctx, site, "plugins", { status: ["active"] });
 * ```
 */
export async function listSiteItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: "plugins" | "themes",
  q: ItemListQuery,
): Promise<Record<string, unknown>> {
  const sync = await getSiteSync(ctx.kv, site.id);
  let items = parseJsonList(sync?.[kind]);
  // Plugins: MainWP honours `status` only in its array form; themes take the plain string too.
  const statuses = kind === "plugins"
    ? (Array.isArray(q.status) ? q.status.map(String) : [])
    : parseList(q.status);
  const wanted = statuses.filter((s) => s === "active" || s === "inactive");
  if (wanted.length > 0 && !statuses.includes("any")) {
    items = items.filter((i) => wanted.includes(Number(i.active) === 1 ? "active" : "inactive"));
  }
  if (kind === "plugins" && isTruthyFlag(q.must_use)) items = items.filter((i) => Number(i.mu) === 1);
  const search = text(q.search).toLowerCase();
  if (search) {
    items = items.filter((i) =>
      SEARCH_KEYS[kind].some((k) => String(i[k] ?? "").toLowerCase().includes(search))
    );
  }
  const page = Number(q.page);
  const perPage = Number(q.per_page);
  if (page > 0 && perPage > 0) items = items.slice((page - 1) * perPage, page * perPage);
  return { success: 1, total: items.length, data: items, site: siteMini(site) };
}

/**
 * `GET /sites/{id}/plugins/abandoned` and `/themes/abandoned`: the stored outdate information.
 *
 * @example
 * ```ts
 * await abandonedItems(ctx, site, "plugins");
 * ```
 */
export async function abandonedItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: "plugins" | "themes",
): Promise<Record<string, unknown>> {
  const raw = (await getSiteSync(ctx.kv, site.id))?.options?.[`${kind}_outdate_info`];
  let data: unknown = [];
  try {
    data = raw ? JSON.parse(raw) : [];
  } catch {
    data = [];
  }
  const total = Array.isArray(data)
    ? data.length
    : data && typeof data === "object"
    ? Object.keys(data).length
    : 0;
  return { success: 1, total, data, site: siteMini(site) };
}

async function childAction(
  ctx: AppContext,
  site: SiteRecord,
  fn: "plugin_action" | "theme_action",
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const reply = await ctx.child.call(await childSiteOf(ctx, site), fn, params);
  if (reply.sync && typeof reply.sync === "object") {
    await recordSyncValues(ctx, site.id, syncValuesFromReply(reply.sync as Record<string, unknown>));
  } else {
    await syncSite(ctx, site);
  }
  return reply;
}

function actionItems(data: unknown): { name: string; version: string; slug: string }[] {
  if (!data || typeof data !== "object") return [];
  return Object.values(data as Record<string, Record<string, unknown>>).map((i) => ({
    name: String(i.name ?? ""),
    version: String(i.version ?? ""),
    slug: String(i.slug ?? ""),
  }));
}

/**
 * Activates, deactivates or deletes plugins through the child; `{"success":1,"data":[{name,version,slug}],"site"}`.
 *
 * @example
 * ```ts
 * await pluginAction(ctx, site, "activate", ["akismet/akismet.php"]);
 * ```
 */
export async function pluginAction(
  ctx: AppContext,
  site: SiteRecord,
  action: "activate" | "deactivate" | "delete",
  slugs: string[],
): Promise<Record<string, unknown>> {
  const reply = await childAction(ctx, site, "plugin_action", { action, plugin: slugs.join("||") });
  const other = (reply.other_data ?? {}) as Record<string, unknown>;
  return {
    success: reply.status === "SUCCESS" ? 1 : 0,
    data: actionItems(other.plugin_action_data),
    site: siteMini(site),
  };
}

/**
 * Activates one theme or deletes themes through the child; `data` carries `activate` / `deactivate` /
 * `delete` entries or the child's `error`.
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
): Promise<Record<string, unknown>> {
  const reply = await childAction(ctx, site, "theme_action", { action, theme: slugs.join("||") });
  const refused = reply.error && typeof reply.error === "object"
    ? reply.error as Record<string, unknown>
    : null;
  if (refused && "is_activated_theme" in refused) {
    return {
      success: 0,
      data: { error: `The theme ${refused.is_activated_theme} is active.` },
      site: siteMini(site),
    };
  }
  const other = (reply.other_data ?? {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  const deactivated = actionItems(other.theme_deactivate_data).at(-1);
  if (deactivated) data.deactivate = deactivated;
  const items = actionItems(other.theme_action_data).at(-1);
  if (items) data[action] = items;
  return { success: reply.status === "SUCCESS" ? 1 : 0, data, site: siteMini(site) };
}

/**
 * `GET /sites/{id}/security`: the child's security checks; `{"data":…,"site":SITE_MINI}`.
 *
 * @example
 * ```ts
 * await securityCheck(ctx, site);
 * ```
 */
export async function securityCheck(ctx: AppContext, site: SiteRecord): Promise<Record<string, unknown>> {
  const reply = await ctx.child.call(await childSiteOf(ctx, site), "security");
  return {
    data: { ...reply, fetch_url_output: { http_status: 200, connection_step: "verify_credentials" } },
    site: siteMini(site),
  };
}
