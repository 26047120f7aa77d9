/**
 * @module
 * Site operations that talk to the MainWP Child plugin (rest-v2.md §2.1): add (register), sync, uptime
 * check, reconnect, disconnect — one site and in bulk — and the security check. The plugin and theme
 * routes live in `site-items.ts`, non-MainWP changes in `site-changes.ts`.
 *
 * Bulk forms act on every listed site unless `include` narrows them (reconnect: only the disconnected
 * ones), run their sites concurrently — the child connector's global and per-host limits decide how many
 * requests are in flight — and answer keyed by site id in MainWP's URL order. A site that is slow, hung,
 * offline, huge, or answers garbage fails only its own item: its error is recorded on it (sync) and its
 * stored data stays as it was. Each site's view is built right after its own operation, so a bulk call
 * neither waits for nor rebuilds the whole fleet snapshot at the end. A bulk answer waits at most the bulk
 * deadline (`lib/bulk-deadline.ts`): sites still running then answer as timed out and finish in the background.
 *
 * Hooks: `mainwp_rest_pre_insert_site_item` (filter, add), `mainwp_site_added` and
 * `mainwp_added_new_site` (add), `mainwp_site_reconnected` (reconnect), `mainwp_added_new_group` /
 * `mainwp_site_tag_action` (tags created by add), plus the sync service's `mainwp_site_synced` /
 * `mainwp_site_sync_failed`.
 *
 * @example
 * ```ts
 * const answer = await addSite(ctx, { url: "https://shop.example", admin: "admin", adminpassword: "…" });
 * const bulk = await syncManySites(ctx, await bulkSites(ctx, { include: "3,5" }));
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { encryptPrivateKey, parseSiteUrl, type SiteKeyPair } from "../child/index.ts";
import { ChildError } from "../child/errors.ts";
import type { ChildReply } from "../child/envelope.ts";
import { syncValuesFromReply } from "../child/sync.ts";
import { isTruthyFlag, parseIdList, parseList } from "../rest/args.ts";
import { RestError, restError } from "../rest/errors.ts";
import { deadlineMessage, mapUntilDeadline } from "../lib/bulk-deadline.ts";
import { getClient } from "../store/clients.ts";
import {
  createSite,
  getSite,
  getSiteSync,
  normalizeSiteUrl,
  type SiteRecord,
  updateSite,
} from "../store/sites.ts";
import { recordSyncValues, syncSite } from "./sync.ts";
import { type SiteMini, siteMini } from "./site-format.ts";
import { siteViewOf } from "./site-view.ts";
import { selectBulkSites } from "./bulk-select.ts";
import { UNKNOWN_CLIENT_ERROR } from "./sites.ts";
import { orderedMap } from "../wp/ordered-map.ts";
import { resolveTagRefs } from "../core/tags.ts";
import { nowSeconds } from "./dates.ts";
import { queueAboveThreshold } from "../jobs/queue.ts";
import { callSiteChild, childErrorMessage, isChildAnswer, stripTags } from "./site-child.ts";
import { findSameSite } from "./site-duplicates.ts";

export {
  abandonedItems,
  type ItemListQuery,
  listSiteItems,
  pluginAction,
  themeAction,
} from "./site-items.ts";

/**
 * Sites of one bulk call in progress at once. Above the connector's own limits on purpose: the
 * connector queues the child requests, so local work (signing, storing) overlaps with other sites' waits.
 */
export const BULK_CONCURRENCY = 128;

// ---------------------------------------------------------------------------------------------------
// Add

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

/** What `addSite` answers (all HTTP 200). */
export type AddSiteAnswer =
  | { success: 1; data: SiteMini; message: string }
  | { success: 0; error: string; found_id?: string };

/** MainWP's success message, tags stripped and HTML-escaped as it arrives (§9). */
export const SITE_ADDED_MESSAGE = "Site successfully added - Visit the Site&#039;s Dashboard now.";
/** The answer for an address that is already a site. */
export const ALREADY_CONNECTED_ERROR = "The site is already connected to your MainWP Dashboard";
/** The answer when nothing more specific is known (e.g. no URL). */
export const ADD_FAILED_ERROR = "Add site failed. Please try again.";
/** `addSite` for a URL with a query string or fragment (a site address has neither). */
export const QUERY_ERROR = "The site URL must not contain a query string or a fragment.";

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

/** WordPress's `sanitize_text_field`, near enough: tags stripped, whitespace runs collapsed. */
const sanitizeText = (v: unknown) => stripTags(text(v)).replace(/\s+/g, " ").trim();

/** The site fields `mainwp_rest_pre_insert_site_item` sees (MainWP's names, plus `client_id`). */
interface InsertItem {
  url: string;
  name: string;
  wpadmin: string;
  adminpwd: string;
  unique_id: string;
  ssl_verify: number | false;
  force_use_ipv4: 0 | 1;
  http_user: string;
  http_pass: string;
  groupids: string[];
  client_id: number;
}

function insertItem(input: AddSiteInput): InsertItem {
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

/** A register reply without the verify key (a credential), for hooks. */
function publicReply(reply: ChildReply): ChildReply {
  const { regverify: _regverify, regverify_info: _info, ...rest } = reply;
  return rest;
}

/**
 * Adds a site: refuses URLs that are not http(s), carry a query string or fragment, or point at
 * link-local / metadata addresses (the connector's address guard), answers `found_id` for a site already
 * managed under any spelling of its address (`site-duplicates.ts`), registers with the site's MainWP
 * Child (fresh RSA-2048 key pair unless `keys` is given), stores the site with its private key encrypted
 * under `SECRET_KEY`, and stores the register reply (a full sync) as its first sync. Fires
 * `mainwp_site_added` (site, reply) and `mainwp_added_new_site` (id, site).
 *
 * @example
 * ```ts
 * await addSite(ctx, { url: "http://127.0.0.1:9100/site-1/", admin: "admin", adminpassword: "admin-password" });
 * ```
 */
export async function addSite(
  ctx: AppContext,
  input: AddSiteInput,
  options: { keys?: SiteKeyPair; params?: Record<string, unknown> } = {},
): Promise<AddSiteAnswer> {
  const item = await ctx.hooks.applyFilters<InsertItem>(
    "mainwp_rest_pre_insert_site_item",
    insertItem(input),
    options.params ?? {},
  );
  if (!item || text(item.url) === "") return { success: 0, error: ADD_FAILED_ERROR };
  const url = normalizeSiteUrl(text(item.url));
  const existing = await findSameSite(ctx, url);
  if (existing) return { success: 0, error: ALREADY_CONNECTED_ERROR, found_id: String(existing.id) };
  try {
    parseSiteUrl(url);
  } catch (error) {
    if (error instanceof ChildError) return { success: 0, error: childErrorMessage(error) };
    throw error;
  }
  // The identity ignores them, so a site cannot be told apart (nor stored) by its query or fragment.
  if (/[?#]/.test(url)) return { success: 0, error: QUERY_ERROR };
  const clientId = Math.trunc(Number(item.client_id)) || 0;
  if (clientId > 0 && !(await getClient(ctx.kv, clientId))) {
    return { success: 0, error: UNKNOWN_CLIENT_ERROR };
  }
  const verify = item.ssl_verify === false || Number(item.ssl_verify) === 0 ? 0 : 1;
  let registered;
  try {
    registered = await ctx.child.register(url, {
      adminUser: text(item.wpadmin),
      adminPassword: item.adminpwd === "" ? undefined : String(item.adminpwd),
      uniqueId: text(item.unique_id) || undefined,
      httpUser: text(item.http_user) || undefined,
      httpPass: item.http_pass === "" ? undefined : String(item.http_pass),
      verifyCertificate: verify === 1,
      keys: options.keys,
    });
  } catch (error) {
    if (error instanceof ChildError) return { success: 0, error: childErrorMessage(error) };
    throw error;
  }
  const created = await createSite(ctx.kv, {
    url,
    name: text(item.name) || url.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, ""),
    adminname: registered.user || text(item.wpadmin),
    pubkey: registered.keys.publicKeyPem,
    privkey: await encryptPrivateKey(registered.keys.privateKeyPem, ctx.secretKey),
    uniqueId: registered.uniqueId,
    http_user: text(item.http_user),
    http_pass: String(item.http_pass ?? ""),
    verify_certificate: verify,
    force_use_ipv4: Number(item.force_use_ipv4) ? 1 : 0,
    client_id: clientId,
    tag_ids: await resolveTagRefs(ctx, Array.isArray(item.groupids) ? item.groupids.map(String) : []),
    added: nowSeconds(),
  });
  if (!("site" in created)) {
    return { success: 0, error: ALREADY_CONNECTED_ERROR, found_id: String(created.found_id) };
  }
  const values = syncValuesFromReply(registered.reply);
  if (registered.regverify) values.register_verify_key = registered.regverify;
  const changes = registered.reply.child_site_actions_data;
  const site = (await recordSyncValues(ctx, created.site.id, values, changes)) ?? created.site;
  await ctx.hooks.doAction("mainwp_site_added", site, publicReply(registered.reply));
  await ctx.hooks.doAction("mainwp_added_new_site", site.id, site);
  return { success: 1, data: siteMini(site), message: SITE_ADDED_MESSAGE };
}

// ---------------------------------------------------------------------------------------------------
// Bulk selection and answers

/**
 * The sites a bulk route acts on: `include` / `exclude` (ids) over every listed site — all of them when
 * `include` is absent — in MainWP's URL order, from the fleet snapshot.
 *
 * @example
 * ```ts
 * (await bulkSites(ctx, { include: "3,5" })).map((s) => s.id); // [3, 5]
 * ```
 */
export async function bulkSites(ctx: AppContext, params: Record<string, unknown>): Promise<SiteRecord[]> {
  // MainWP's absint reading of include/exclude (bulk-select.ts): `-5` is site 5, `x` matches nothing.
  return await selectBulkSites(ctx, params);
}

/** A bulk answer: results keyed by site id in site order (`[]` when none). */
export interface BulkAnswer<T> {
  total: number;
  data: Record<string, T> | [];
}

/** Results keyed by site id in the sites' order (PHP keeps insertion order; a plain object would sort). */
function keyed<T>(sites: readonly { id: number }[], results: readonly (T | null)[]): BulkAnswer<T> {
  const entries: [string, T][] = [];
  sites.forEach((site, i) => {
    const r = results[i];
    if (r !== null && r !== undefined) entries.push([String(site.id), r]);
  });
  return { total: entries.length, data: orderedMap(entries) };
}

async function recordsOf(ctx: AppContext, sites: readonly (SiteRecord | number)[]): Promise<SiteRecord[]> {
  const out: SiteRecord[] = [];
  for (const s of sites) {
    const site = typeof s === "number" ? await getSite(ctx.kv, s) : s;
    if (site) out.push(site);
  }
  return out;
}

/** How bulk answers present each site (MainWP's `view` context; `_fields` per site). */
export interface BulkViewOptions {
  /** `_fields` projection of each site object (id always kept). */
  fields?: string[] | null;
  /** Request parameters for `mainwp_rest_prepare_site`. */
  params?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------
// Sync

/**
 * `POST /sites/{id}/sync`: `{"success":1,"data":<site view>}` or `{"success":0,"data":[]}` (the error
 * is stored on the site).
 *
 * @example
 * ```ts
 * await syncOneSite(ctx, site);
 * ```
 */
export async function syncOneSite(
  ctx: AppContext,
  site: SiteRecord,
  options: BulkViewOptions = {},
): Promise<{ success: 1; data: Record<string, unknown> } | { success: 0; data: [] }> {
  const outcome = await syncSite(ctx, site);
  if (!outcome?.ok) return { success: 0, data: [] };
  return { success: 1, data: await siteViewOf(ctx, outcome.site, options) };
}

/**
 * `POST /sites/sync`: syncs the sites concurrently;
 * `{"total":N,"data":{"<id>":{"result":"success"|"failed", …site view}}}` in the given order. A failed
 * site's view shows its stored data and the new `sync_errors`.
 *
 * @example
 * ```ts
 * await syncManySites(ctx, await bulkSites(ctx, {}));
 * ```
 */
export async function syncManySites(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
  options: BulkViewOptions = {},
): Promise<BulkAnswer<Record<string, unknown>>> {
  const records = await recordsOf(ctx, sites);
  const { results } = await mapUntilDeadline(ctx, records, BULK_CONCURRENCY, async (site) => {
    const outcome = await syncSite(ctx, site);
    if (!outcome) return null;
    const view = await siteViewOf(
      ctx,
      outcome.site,
      outcome.ok ? { ...options, sync: outcome.sync } : options,
    );
    return { result: outcome.ok ? "success" : "failed", ...view };
  }, async (site, ms) => {
    const view = await siteViewOf(ctx, (await getSite(ctx.kv, site.id)) ?? site, options);
    return { result: "failed", ...view, error: deadlineMessage(ms) };
  });
  return keyed(records, results);
}

/**
 * `POST /sites/sync`: {@link syncManySites}, or above `mainwp_abilities_batch_threshold` sites a sync job →
 * `{"success":1,"message":"Sync queued for background processing.","job_id":"sync_…","total":N}`.
 *
 * @example
 * ```ts
 * await syncOrQueueSites(ctx, await bulkSites(ctx, {}));
 * ```
 */
export async function syncOrQueueSites(
  ctx: AppContext,
  sites: readonly SiteRecord[],
  options: BulkViewOptions = {},
): Promise<BulkAnswer<Record<string, unknown>> | Record<string, unknown>> {
  const job = await queueAboveThreshold(ctx, { type: "sync", sites: sites.map((s) => s.id) });
  if (!job) return await syncManySites(ctx, sites, options);
  return {
    success: 1,
    message: "Sync queued for background processing.",
    job_id: job.job_id,
    total: sites.length,
  };
}

// ---------------------------------------------------------------------------------------------------
// Uptime check

/**
 * Checks a site as MainWP's legacy check does (unsigned POST `test=yes` to the site URL, no redirects,
 * the site's HTTP Basic and TLS settings) and stores `offline_check_result` (1 / -1),
 * `http_response_code` and `offline_checks_last`. A refused URL throws `ChildError` (nothing stored).
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
  const result = await ctx.child.checkSite(site.url, {
    method: "post",
    httpUser: site.http_user || undefined,
    httpPass: site.http_pass || undefined,
    verifyCertificate: site.verify_certificate !== 0,
  });
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
 * `POST /sites/{id}/check`: `{"success":1,"data":{…SITE_MINI,"status":1|0,"http_code":N}}` — `success` 1
 * when the check ran (whatever the site answered), `status` 1 iff HTTP 200, both keys only when an HTTP
 * code was received; a URL the check may not contact → `success` 0 with `error`.
 *
 * @example
 * ```ts
 * await checkOneSite(ctx, site);
 * ```
 */
export async function checkOneSite(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ success: 0 | 1; data: Record<string, unknown>; error?: string }> {
  try {
    const { site: stored, httpCode } = await checkAndStore(ctx, site);
    const data: Record<string, unknown> = { ...siteMini(stored) };
    if (httpCode > 0) {
      data.status = httpCode === 200 ? 1 : 0;
      data.http_code = httpCode;
    }
    return { success: 1, data };
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    return { success: 0, data: { ...siteMini(site) }, error: childErrorMessage(error) };
  }
}

/** The icon value MainWP's bulk check shows (its query selects the icon columns empty). */
export const BULK_CHECK_ICON = "uploaded:;selected:;color:";

/**
 * `POST /sites/check`: checks the sites concurrently;
 * `{"total":N,"data":{"<id>":{"result":"success"|"failed", …site view}}}` — `success` when the check ran
 * (the view's `http_status` tells the answer); views without tags, as MainWP's bulk check shows them.
 *
 * @example
 * ```ts
 * await checkManySites(ctx, await bulkSites(ctx, {}));
 * ```
 */
export async function checkManySites(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
  options: BulkViewOptions = {},
): Promise<BulkAnswer<Record<string, unknown>>> {
  const records = await recordsOf(ctx, sites);
  const entry = async (site: SiteRecord, result: string, error?: string) => {
    const view = await siteViewOf(ctx, site, { ...options, withTags: false });
    if ("icon" in view) view.icon = BULK_CHECK_ICON;
    return error === undefined ? { result, ...view } : { result, ...view, error };
  };
  const { results } = await mapUntilDeadline(ctx, records, BULK_CONCURRENCY, async (site) => {
    try {
      return await entry((await checkAndStore(ctx, site)).site, "success");
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      return await entry(site, "failed");
    }
  }, async (site, ms) => entry((await getSite(ctx.kv, site.id)) ?? site, "failed", deadlineMessage(ms)));
  return keyed(records, results);
}

// ---------------------------------------------------------------------------------------------------
// Reconnect

/** How a reconnect ended. */
export type ReconnectOutcome = { ok: true; site: SiteRecord } | {
  ok: false;
  site: SiteRecord;
  error: string;
};

/**
 * Reconnects a site as MainWP does (child-protocol.md §B6): a sync first; when that fails, a new
 * registration with a fresh key pair, authenticated by the stored verify key (`regverify`), whose reply
 * is stored as a sync. Fires `mainwp_site_reconnected` (site, success, error text).
 *
 * @example
 * ```ts
 * const outcome = await reconnectSiteOutcome(ctx, site);
 * if (!outcome.ok) console.log(outcome.error);
 * ```
 */
export async function reconnectSiteOutcome(
  ctx: AppContext,
  site: SiteRecord,
  options: { keys?: SiteKeyPair } = {},
): Promise<ReconnectOutcome> {
  const first = await syncSite(ctx, site);
  let outcome: ReconnectOutcome;
  if (first?.ok) outcome = { ok: true, site: first.site };
  else {
    const regverify = (await getSiteSync(ctx.kv, site.id))?.options?.register_verify_key;
    try {
      const registered = await ctx.child.register(site.url, {
        adminUser: site.adminname,
        regverify: regverify || undefined,
        uniqueId: site.uniqueId || undefined,
        httpUser: site.http_user || undefined,
        httpPass: site.http_pass || undefined,
        verifyCertificate: site.verify_certificate !== 0,
        keys: options.keys,
      });
      const privkey = await encryptPrivateKey(registered.keys.privateKeyPem, ctx.secretKey);
      await updateSite(ctx.kv, site.id, (s) => ({
        ...s,
        pubkey: registered.keys.publicKeyPem,
        privkey,
        uniqueId: registered.uniqueId,
      }));
      const values = syncValuesFromReply(registered.reply);
      if (registered.regverify) values.register_verify_key = registered.regverify;
      const stored = await recordSyncValues(ctx, site.id, values, registered.reply.child_site_actions_data);
      outcome = stored ? { ok: true, site: stored } : { ok: false, site, error: ADD_FAILED_ERROR };
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      outcome = { ok: false, site: first?.site ?? site, error: childErrorMessage(error) };
    }
  }
  await ctx.hooks.doAction(
    "mainwp_site_reconnected",
    outcome.site,
    outcome.ok,
    outcome.ok ? "" : outcome.error,
  );
  return outcome;
}

/**
 * `POST /sites/{id}/reconnect`: `{"success":1,"data":SITE_MINI}`; a failure is MainWP's HTTP 500
 * `mainwp_rest_reconnect_site_error` `Reconnect Site "<id>" error:: <reason>`.
 *
 * @example
 * ```ts
 * await reconnectOneSite(ctx, site);
 * ```
 */
export async function reconnectOneSite(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ success: 1; data: SiteMini }> {
  const outcome = await reconnectSiteOutcome(ctx, site);
  if (!outcome.ok) {
    throw new RestError(
      "mainwp_rest_reconnect_site_error",
      `Reconnect Site "${site.id}" error:: ${outcome.error}`,
    );
  }
  return { success: 1, data: siteMini(outcome.site) };
}

/**
 * `POST /sites/reconnect`: reconnects the disconnected sites (those with a sync error) among `sites`,
 * concurrently: `{"total":N,"data":{"<id>":"success"|"failed"}}`. Connected sites are left alone and
 * not listed (MainWP's loop stops at the first connected site instead: a bug).
 *
 * @example
 * ```ts
 * await reconnectManySites(ctx, await bulkSites(ctx, {}));
 * ```
 */
export async function reconnectManySites(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
): Promise<BulkAnswer<"success" | "failed">> {
  const records = (await recordsOf(ctx, sites)).filter((s) => s.sync_errors !== "");
  const { results } = await mapUntilDeadline(
    ctx,
    records,
    BULK_CONCURRENCY,
    async (site) => ((await reconnectSiteOutcome(ctx, site)).ok ? "success" as const : "failed" as const),
    () => "failed" as const,
  );
  return keyed(records, results);
}

// ---------------------------------------------------------------------------------------------------
// Disconnect

/**
 * Sends the signed `disconnect` and returns the child's answer (a child's error answer included); throws
 * `ChildError` when the child cannot be reached or answers no MainWP reply.
 *
 * @example
 * ```ts
 * (await sendDisconnect(ctx, site)).result; // "success"
 * ```
 */
export async function sendDisconnect(ctx: AppContext, site: SiteRecord): Promise<ChildReply> {
  try {
    return await callSiteChild(ctx, site, "disconnect");
  } catch (error) {
    if (isChildAnswer(error)) return error.reply ?? { error: error.message };
    throw error;
  }
}

/**
 * Disconnects a site's child: `null` when the child confirmed, else the reason.
 *
 * @example
 * ```ts
 * const error = await disconnectSite(ctx, site); // null on success
 * ```
 */
export async function disconnectSite(ctx: AppContext, site: SiteRecord): Promise<string | null> {
  try {
    const reply = await sendDisconnect(ctx, site);
    return reply.result !== undefined ? null : text(reply.error) || "The child site did not confirm.";
  } catch (error) {
    if (error instanceof ChildError) return childErrorMessage(error);
    throw error;
  }
}

/** The sync error MainWP stores when a site is disconnected from the dashboard side. */
export const MANUALLY_DISCONNECTED = "Manually disconnected";

/**
 * Marks a site disconnected on the dashboard only (its sync error becomes "Manually disconnected"), as
 * MainWP's disconnect abilities and jobs do; the child is not told. `null` when the site is gone.
 *
 * @example
 * ```ts
 * (await markSiteDisconnected(ctx, site))?.sync_errors; // "Manually disconnected"
 * ```
 */
export async function markSiteDisconnected(ctx: AppContext, site: SiteRecord): Promise<SiteRecord | null> {
  const updated = await updateSite(ctx.kv, site.id, (s) => ({ ...s, sync_errors: MANUALLY_DISCONNECTED }));
  return updated && "id" in updated ? updated : null;
}

/**
 * `POST /sites/{id}/disconnect`: `{"success":1|0,"data":SITE_MINI[,"error":"<child error>"]}`; a child
 * that cannot be reached is MainWP's HTTP 500 `mainwp_rest_disconnect_site_error`.
 *
 * @example
 * ```ts
 * await disconnectOneSite(ctx, site); // { success: 1, data: { id: "3", … } }
 * ```
 */
export async function disconnectOneSite(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ success: 0 | 1; data: SiteMini; error?: string }> {
  let reply: ChildReply;
  try {
    reply = await sendDisconnect(ctx, site);
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    throw new RestError(
      "mainwp_rest_disconnect_site_error",
      `Disconnect Site "${site.id}" error:: ${childErrorMessage(error)}`,
    );
  }
  const answer: { success: 0 | 1; data: SiteMini; error?: string } = {
    success: reply.result === "success" ? 1 : 0,
    data: siteMini(site),
  };
  const error = text(reply.error);
  if (error !== "") answer.error = error;
  return answer;
}

/**
 * `POST /sites/disconnect`: sends `disconnect` to every given site concurrently;
 * `{"total":N,"data":{"<id>":"success"|"failed"}}` (success = the child answered with a `result`).
 *
 * @example
 * ```ts
 * await disconnectManySites(ctx, await bulkSites(ctx, { include: "3" }));
 * ```
 */
export async function disconnectManySites(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
): Promise<BulkAnswer<"success" | "failed">> {
  const records = await recordsOf(ctx, sites);
  const { results } = await mapUntilDeadline(
    ctx,
    records,
    BULK_CONCURRENCY,
    async (site) => ((await disconnectSite(ctx, site)) === null ? "success" as const : "failed" as const),
    () => "failed" as const,
  );
  return keyed(records, results);
}

// ---------------------------------------------------------------------------------------------------
// Security

/** What MainWP adds to every authenticated reply it answered (`fetch_url_output`). */
export const FETCH_URL_OUTPUT = Object.freeze({ http_status: 200, connection_step: "verify_credentials" });

/**
 * `GET /sites/{id}/security`: the child's security checks (`security`) plus `fetch_url_output`;
 * `{"data":…,"site":SITE_MINI}`. A child's error answer is passed on as data, as MainWP does; a child
 * that cannot be reached → 404 `mainwp_rest_get_secure_site_error`.
 *
 * @example
 * ```ts
 * await securityCheck(ctx, site); // { data: { db_reporting: "Y", …, fetch_url_output: {…} }, site: {…} }
 * ```
 */
export async function securityCheck(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ data: Record<string, unknown>; site: SiteMini }> {
  let reply: ChildReply;
  try {
    reply = await callSiteChild(ctx, site, "security");
  } catch (error) {
    if (isChildAnswer(error)) reply = error.reply ?? { error: error.message };
    else if (error instanceof ChildError) {
      throw restError("mainwp_rest_get_secure_site_error", childErrorMessage(error), 404);
    } else throw error;
  }
  return { data: { ...reply, fetch_url_output: { ...FETCH_URL_OUTPUT } }, site: siteMini(site) };
}
