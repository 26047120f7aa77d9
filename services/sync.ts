/**
 * @module
 * Syncing a site (`function=stats`, child-protocol.md §B6): calls the child through the connector and
 * stores what the reply carries (site info, plugins, themes, pending updates, security counts…) so the
 * site, plugin, theme, security and update routes answer from stored data. A failed sync records the
 * error text on the site (its status becomes `disconnected`) and leaves the stored data as it was.
 *
 * @example
 * ```ts
 * const result = await syncSite(ctx, 3);
 * if (!result.ok) console.log(result.error.message);
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { type ChildSite, decryptPrivateKey } from "../child/index.ts";
import { ChildError } from "../child/errors.ts";
import { syncErrorText, type SyncValues } from "../child/sync.ts";
import { encodeWpJson } from "../rest/json.ts";
import {
  getSite,
  getSiteSync,
  type SiteRecord,
  type SiteSyncData,
  SYNC_JSON_COLUMNS,
  updateSite,
  writeSiteSync,
} from "../store/sites.ts";
import { nowSeconds } from "./dates.ts";
import { changesSyncParams, siteChangesOptions } from "./site-changes.ts";

/**
 * The connector's view of a stored site (private key decrypted with `SECRET_KEY`).
 *
 * @example
 * ```ts
 * const reply = await ctx.child.call(await childSiteOf(ctx, site), "plugin_action", { action: "activate", plugin });
 * ```
 */
export async function childSiteOf(ctx: AppContext, site: SiteRecord): Promise<ChildSite> {
  return {
    url: site.url,
    adminName: site.adminname,
    privateKeyPem: await decryptPrivateKey(site.privkey, ctx.secretKey),
    httpUser: site.http_user || undefined,
    httpPass: site.http_pass || undefined,
    verifyCertificate: site.verify_certificate !== 0,
  };
}

const json = (v: unknown) => (v === undefined || v === null ? "" : encodeWpJson(v));

const OPTION_KEYS = [
  "plugins_outdate_info",
  "themes_outdate_info",
  "security_stats",
  "health_site_status",
  "register_verify_key",
  "admin_nicename",
  "admin_useremail",
  "wphost",
  "siteurl",
  "users",
  "primary_lasttime_backup",
  "password_policy_options",
  "dbsize_activitylogs",
] as const;

/**
 * Maps the connector's sync values onto the stored sync data (JSON-encoded columns, as MainWP stores
 * them). Sections the reply did not carry keep their previous values.
 *
 * @example
 * ```ts
 * const data = syncDataFromValues(values, await getSiteSync(kv, id));
 * ```
 */
export function syncDataFromValues(values: SyncValues, previous: SiteSyncData | null): SiteSyncData {
  const data: SiteSyncData = { ...(previous ?? {}) };
  const set = <K extends keyof SiteSyncData>(key: K, value: SiteSyncData[K] | undefined) => {
    if (value !== undefined) data[key] = value;
  };
  set("site_info", values.site_info as Record<string, unknown> | undefined);
  set("version", values.version !== undefined ? String(values.version) : undefined);
  set("dbsize", values.dbsize !== undefined ? Number(values.dbsize) || 0 : undefined);
  set("totalsize", values.totalsize !== undefined ? Number(values.totalsize) || 0 : undefined);
  set("last_post_gmt", values.last_post_gmt !== undefined ? Number(values.last_post_gmt) || 0 : undefined);
  for (const key of SYNC_JSON_COLUMNS) {
    if (values[key] !== undefined) data[key] = json(values[key]);
  }
  const options: Record<string, string> = { ...(previous?.options ?? {}) };
  for (const key of OPTION_KEYS) {
    const v = values[key];
    if (v !== undefined) options[key] = typeof v === "string" ? v : json(v);
  }
  if (values.securityIssues !== undefined) options.securityIssues = String(values.securityIssues);
  data.options = options;
  return data;
}

/** The outcome of one sync. */
export type SyncOutcome =
  | { ok: true; site: SiteRecord; values: SyncValues; childOutdated: boolean; sync: SiteSyncData }
  | { ok: false; site: SiteRecord; error: ChildError };

/**
 * Stores a successful sync reply's values: the sync data, the site record's own columns and, in the
 * same commit, the non-MainWP changes the child reported (`child_site_actions_data`, and the newer
 * change log `changes_logs_data`).
 *
 * @example
 * ```ts
 * await recordSyncValues(ctx, site.id, values, reply.child_site_actions_data, reply.changes_logs_data);
 * ```
 */
export async function recordSyncValues(
  ctx: AppContext,
  siteId: number,
  values: SyncValues,
  changes?: unknown,
  changesLogs?: unknown,
): Promise<SiteRecord | null> {
  return (await recordSync(ctx, siteId, values, changes, changesLogs))?.site ?? null;
}

/**
 * {@link recordSyncValues}, also returning the sync data as written (so an answer built right after
 * needs no second read).
 *
 * @example
 * ```ts
 * const stored = await recordSync(ctx, site.id, values); // { site, data } | null
 * ```
 */
export async function recordSync(
  ctx: AppContext,
  siteId: number,
  values: SyncValues,
  changes?: unknown,
  changesLogs?: unknown,
): Promise<{ site: SiteRecord; data: SiteSyncData } | null> {
  let written: SiteSyncData = {};
  const data = (previous: SiteSyncData | null) => {
    const next = syncDataFromValues(values, previous);
    const changed = siteChangesOptions(siteId, previous, changes, changesLogs);
    if (Object.keys(changed).length > 0) next.options = { ...next.options, ...changed };
    written = next; // the last attempt's data is what was committed
    return next;
  };
  const site = await writeSiteSync(ctx.kv, siteId, data, (s) => ({
    ...s,
    dtsSync: nowSeconds(),
    sync_errors: "",
    ip: values.ip ?? s.ip,
    uniqueId: typeof values.uniqueId === "string" ? values.uniqueId : s.uniqueId,
    health_status: values.health_status ?? s.health_status,
    health_value: values.health_value !== undefined ? String(values.health_value) : s.health_value,
  }));
  return site ? { site, data: written } : null;
}

/**
 * Records a failed sync on the site (MainWP's `sync_errors` text).
 *
 * @example
 * ```ts
 * await recordSyncError(ctx, site.id, error);
 * ```
 */
export async function recordSyncError(
  ctx: AppContext,
  siteId: number,
  error: ChildError,
): Promise<SiteRecord | null> {
  const updated = await updateSite(ctx.kv, siteId, (s) => ({ ...s, sync_errors: syncErrorText(error) }));
  return updated && "id" in updated ? updated : null;
}

/**
 * Syncs one site; never throws for child failures (they are recorded and returned). Fires
 * `mainwp_site_synced` or `mainwp_site_sync_failed`.
 *
 * @example
 * ```ts
 * const outcome = await syncSite(ctx, 3);
 * ```
 */
export async function syncSite(ctx: AppContext, siteOrId: SiteRecord | number): Promise<SyncOutcome | null> {
  const site = typeof siteOrId === "number" ? await getSite(ctx.kv, siteOrId) : siteOrId;
  if (!site) return null;
  try {
    // Every sync asks for the change reports (MainWP: manual syncs only), newer than the last ones taken.
    const params = {
      siteId: String(site.id),
      ...changesSyncParams(await getSiteSync(ctx.kv, site.id), nowSeconds()),
    };
    const result = await ctx.child.sync(await childSiteOf(ctx, site), params);
    const { child_site_actions_data: actions, changes_logs_data: logs } = result.reply;
    const stored = await recordSync(ctx, site.id, result.values, actions, logs);
    if (!stored) return null;
    await ctx.hooks.doAction("mainwp_site_synced", stored.site, result.values);
    return {
      ok: true,
      site: stored.site,
      values: result.values,
      childOutdated: result.childOutdated,
      sync: stored.data,
    };
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    const childError = error;
    const stored = (await recordSyncError(ctx, site.id, childError)) ?? site;
    await ctx.hooks.doAction("mainwp_site_sync_failed", stored, childError);
    return { ok: false, site: stored, error: childError };
  }
}
