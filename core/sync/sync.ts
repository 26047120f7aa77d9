/**
 * @module
 * Syncing sites (`function=stats`, child-protocol.md §B6): one site, or many at once under the bulk
 * deadline, or many as a background job above the batch threshold. A sync calls the child and stores
 * what the reply carries (site info, plugins, themes, pending updates, security counts, change reports)
 * so later reads answer from stored data. A failed sync records the error text on the site (it counts as
 * disconnected) and leaves the stored data as it was.
 *
 * Hooks: `mainwp_site_synced` / `mainwp_site_sync_failed` (one per site), `fleetpress_bulk_deadline` and
 * `mainwp_abilities_batch_threshold` (many).
 *
 * @example
 * ```ts
 * const outcome = await syncSite(ctx, 3);
 * if (outcome && !outcome.ok) console.log(outcome.error.message);
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { type ChildSite, decryptPrivateKey } from "../../child/index.ts";
import { ChildError } from "../../child/errors.ts";
import { syncErrorText, type SyncValues } from "../../child/sync.ts";
import { mapUntilDeadline } from "../../lib/bulk-deadline.ts";
import { queueAboveThreshold } from "../../jobs/queue.ts";
import { encodeWpJson } from "../../wp/json.ts";
import {
  getSite,
  getSiteSync,
  type SiteRecord,
  type SiteSyncData,
  SYNC_JSON_COLUMNS,
  updateSite,
  writeSiteSync,
} from "../../store/sites.ts";
import type { ChildDeps, StoreDeps } from "../deps.ts";
import { changesSyncParams, siteChangesOptions } from "./changes.ts";

/** Sites of one bulk sync in progress at once; the connector's own limits queue the child requests. */
export const BULK_SYNC_CONCURRENCY = 128;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * What the site's last successful sync stored (site info, plugins, themes, pending updates, …), or
 * `null` for a site never synced.
 *
 * @example
 * ```ts
 * (await siteSyncData(ctx, 3))?.version; // the child's version, e.g. "6.1"
 * ```
 */
export async function siteSyncData({ kv }: StoreDeps, siteId: number): Promise<SiteSyncData | null> {
  return await getSiteSync(kv, siteId);
}

/**
 * The connector's view of a stored site (private key decrypted with the secret key).
 *
 * @example
 * ```ts
 * const reply = await ctx.child.call(await childSiteOf(ctx, site), "plugin_action", { action: "activate", plugin });
 * ```
 */
export async function childSiteOf(deps: Pick<ChildDeps, "secretKey">, site: SiteRecord): Promise<ChildSite> {
  return {
    url: site.url,
    adminName: site.adminname,
    privateKeyPem: await decryptPrivateKey(site.privkey, deps.secretKey),
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

/** The outcome of one sync: the stored site and data, or the child's failure (recorded on the site). */
export type SyncOutcome =
  | { ok: true; site: SiteRecord; values: SyncValues; childOutdated: boolean; sync: SiteSyncData }
  | { ok: false; site: SiteRecord; error: ChildError };

/**
 * Stores a successful sync reply's values: the sync data, the site record's own columns and, in the
 * same commit, the non-MainWP changes the child reported (`child_site_actions_data`, and the newer
 * change log `changes_logs_data`). `null` when the site is gone.
 *
 * @example
 * ```ts
 * await recordSyncValues(ctx, site.id, values, reply.child_site_actions_data, reply.changes_logs_data);
 * ```
 */
export async function recordSyncValues(
  deps: StoreDeps,
  siteId: number,
  values: SyncValues,
  changes?: unknown,
  changesLogs?: unknown,
): Promise<SiteRecord | null> {
  return (await recordSync(deps, siteId, values, changes, changesLogs))?.site ?? null;
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
  { kv }: StoreDeps,
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
  const site = await writeSiteSync(kv, siteId, data, (s) => ({
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
 * Records a failed sync on the site (MainWP's `sync_errors` text); `null` when the site is gone.
 *
 * @example
 * ```ts
 * await recordSyncError(ctx, site.id, error);
 * ```
 */
export async function recordSyncError(
  { kv }: StoreDeps,
  siteId: number,
  error: ChildError,
): Promise<SiteRecord | null> {
  const updated = await updateSite(kv, siteId, (s) => ({ ...s, sync_errors: syncErrorText(error) }));
  return updated && "id" in updated ? updated : null;
}

/**
 * Syncs one site; never throws for child failures (they are recorded and returned). `null` when the
 * site does not exist (or vanished meanwhile). Fires `mainwp_site_synced` or `mainwp_site_sync_failed`.
 *
 * @example
 * ```ts
 * const outcome = await syncSite(ctx, 3);
 * ```
 */
export async function syncSite(deps: ChildDeps, siteOrId: SiteRecord | number): Promise<SyncOutcome | null> {
  const site = typeof siteOrId === "number" ? await getSite(deps.kv, siteOrId) : siteOrId;
  if (!site) return null;
  try {
    // Every sync asks for the change reports (MainWP: manual syncs only), newer than the last ones taken.
    const params = {
      siteId: String(site.id),
      ...changesSyncParams(await getSiteSync(deps.kv, site.id), nowSeconds()),
    };
    const result = await deps.child.sync(await childSiteOf(deps, site), params);
    const { child_site_actions_data: actions, changes_logs_data: logs } = result.reply;
    const stored = await recordSync(deps, site.id, result.values, actions, logs);
    if (!stored) return null;
    await deps.hooks.doAction("mainwp_site_synced", stored.site, result.values);
    return {
      ok: true,
      site: stored.site,
      values: result.values,
      childOutdated: result.childOutdated,
      sync: stored.data,
    };
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    const stored = (await recordSyncError(deps, site.id, error)) ?? site;
    await deps.hooks.doAction("mainwp_site_sync_failed", stored, error);
    return { ok: false, site: stored, error };
  }
}

/** One site's entry of a bulk sync: its outcome, or (still running at the deadline) the site as stored. */
export type BulkSyncEntry =
  | SyncOutcome
  | { ok: false; site: SiteRecord; timedOut: true; afterMs: number };

/** Each site of a bulk sync with what the caller made of its entry, in the given order. */
export type BulkSyncResult<R> = { site: SiteRecord; result: R }[];

/**
 * Syncs the sites concurrently until the bulk deadline; sites still running then are reported as timed
 * out (they finish in the background and store their results as usual). `each` turns a site's entry
 * into the caller's result right after that site is done, so a slow site delays no other one's answer.
 * Unknown ids and sites that vanished are left out.
 *
 * @example
 * ```ts
 * const done = await syncManySites(ctx, [3, 5], (entry) => entry.ok);
 * ```
 */
export async function syncManySites<R>(
  ctx: AppContext,
  sites: readonly (SiteRecord | number)[],
  each: (entry: BulkSyncEntry) => R | Promise<R>,
): Promise<BulkSyncResult<R>> {
  const records: SiteRecord[] = [];
  for (const s of sites) {
    const site = typeof s === "number" ? await getSite(ctx.kv, s) : s;
    if (site) records.push(site);
  }
  const { results } = await mapUntilDeadline(ctx, records, BULK_SYNC_CONCURRENCY, async (site) => {
    const outcome = await syncSite(ctx, site);
    return outcome ? { done: await each(outcome) } : null;
  }, async (site, ms) => {
    const stored = (await getSite(ctx.kv, site.id)) ?? site;
    return { done: await each({ ok: false, site: stored, timedOut: true, afterMs: ms }) };
  });
  return records.flatMap((site, i) => (results[i] ? [{ site, result: results[i].done }] : []));
}

/** What {@link syncOrQueueSites} did: synced now, or queued a sync job. */
export type SyncOrQueued<R> =
  | { queued: false; results: BulkSyncResult<R> }
  | { queued: true; jobId: string; total: number };

/**
 * {@link syncManySites}, or — when the sites number more than `mainwp_abilities_batch_threshold` — a
 * background sync job for them.
 *
 * @example
 * ```ts
 * const run = await syncOrQueueSites(ctx, sites, (entry) => entry.ok);
 * if (run.queued) console.log(run.jobId);
 * ```
 */
export async function syncOrQueueSites<R>(
  ctx: AppContext,
  sites: readonly SiteRecord[],
  each: (entry: BulkSyncEntry) => R | Promise<R>,
): Promise<SyncOrQueued<R>> {
  const job = await queueAboveThreshold(ctx, { type: "sync", sites: sites.map((s) => s.id) });
  if (job) return { queued: true, jobId: job.job_id, total: sites.length };
  return { queued: false, results: await syncManySites(ctx, sites, each) };
}

/** What a site's sync stored, as the core answers it. */
export type { SiteSyncData };
