/**
 * @module
 * What a background job does to one site, per job type (abilities.md §3.3 step 6). The work goes
 * through the same services as the REST routes and abilities: sync, reconnect, the uptime check,
 * suspension, and the child's update calls. Failures come back as `{code, message}`, never thrown.
 *
 * @example
 * ```ts
 * const outcome = await runSiteOperation(ctx, job, 3); // null on success, else {code, message}
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { getSite, type SiteRecord } from "../store/sites.ts";
import { syncSite } from "../core/sync/sync.ts";
import { checkSite, markSiteDisconnected, reconnectSite } from "../core/sites/connection.ts";
import { setSiteSuspended } from "../core/sites/edit.ts";
import { ChildUnavailable } from "../core/errors.ts";
import { callCoreUpdate, callItemsUpdate, refreshAfterUpdate } from "../services/updates.ts";
import { pendingSlugs, storedUpdates } from "../services/update-lists.ts";
import { getSiteSync } from "../store/sites.ts";
import { ChildError } from "../child/errors.ts";
import { childErrorMessage } from "../core/sync/child.ts";
import type { JobRecord } from "./store.ts";
import type { SiteStarts } from "./starts.ts";

/** A site's failure in a job. */
export interface SiteFailure {
  code: string;
  message: string;
}

const messageOf = (error: unknown) => error instanceof ChildError ? childErrorMessage(error) : String(error);

/** The failure of a site whose earlier, interrupted update cannot be checked. */
const UNCHECKED =
  "An earlier run of this update was interrupted, and the site could not be synced to check it";

/**
 * MainWP's cron update of one site: every requested type; failures collected as `"<type>: <reason>"`.
 * With `starts` (the chunk's claim), the start is recorded before any child call; a site an earlier,
 * interrupted claim had started is synced first, so only what is still pending is updated again.
 */
async function updateSiteForJob(
  ctx: AppContext,
  job: JobRecord,
  site: SiteRecord,
  starts?: SiteStarts,
): Promise<SiteFailure | null> {
  const resumed = starts?.startedBefore(site.id) ?? false;
  if (resumed) {
    // The child may have updated items whose results were never recorded: ask it what it has now.
    const synced = await syncSite(ctx, site);
    if (!synced?.ok) {
      const why = synced && !synced.ok ? `: ${childErrorMessage(synced.error)}` : "";
      return { code: "update_failed", message: `${UNCHECKED}${why}` };
    }
    site = synced.site;
  }
  if (starts && !(await starts.start(site.id))) {
    return { code: "claim_lost", message: "Another worker took this part of the job over." };
  }
  const problems: string[] = [];
  const only = new Set(job.specific_items ?? []);
  for (const type of job.types ?? []) {
    try {
      if (type === "core") {
        // Resumed: only when the fresh sync still offers a core update.
        if (resumed && !storedUpdates(await getSiteSync(ctx.kv, site.id)).wp) continue;
        await ctx.hooks.doAction("mainwp_before_core_update", site);
        let reply: Record<string, unknown> | false = false;
        try {
          reply = await callCoreUpdate(ctx, site);
        } finally {
          await ctx.hooks.doAction("mainwp_after_core_update", reply, site);
        }
        if (reply.error) problems.push(`core: ${String(reply.error)}`);
        await refreshAfterUpdate(ctx, site.id, reply);
        continue;
      }
      if (type !== "plugins" && type !== "themes" && type !== "translations") continue;
      // As MainWP's cron: the stored lists as they are (no ignore rules), narrowed to specific items.
      const stored = storedUpdates(await getSiteSync(ctx.kv, site.id));
      let slugs = pendingSlugs({ ...stored, wp: null }, type);
      if (only.size > 0) slugs = slugs.filter((s) => only.has(s));
      if (slugs.length === 0) continue;
      const kind = type === "plugins" ? "plugin" : type === "themes" ? "theme" : "translation";
      await ctx.hooks.doAction("mainwp_before_plugin_theme_translation_update", kind, slugs.join(","), site);
      let reply: Record<string, unknown> | null = null;
      try {
        reply = await callItemsUpdate(ctx, site, type, slugs);
      } finally {
        await ctx.hooks.doAction(
          "mainwp_after_plugin_theme_translation_update",
          reply,
          kind,
          slugs.join(","),
          site,
        );
      }
      const errors = reply.upgrades_error;
      if (errors && typeof errors === "object") {
        for (const [slug, why] of Object.entries(errors as Record<string, unknown>)) {
          problems.push(`${type}: ${slug}: ${String(why)}`);
        }
      }
      if (reply.error) problems.push(`${type}: ${String(reply.error)}`);
      await refreshAfterUpdate(ctx, site.id, reply);
    } catch (error) {
      problems.push(`${type}: ${messageOf(error)}`);
    }
  }
  return problems.length ? { code: "update_failed", message: problems.join("; ") } : null;
}

/**
 * Runs the job's operation on one site: `null` when it succeeded, else the failure to record. `starts`
 * (update jobs) records the site's start against the chunk's claim before the first child call.
 *
 * @example
 * ```ts
 * await runSiteOperation(ctx, job, 17);
 * ```
 */
export async function runSiteOperation(
  ctx: AppContext,
  job: JobRecord,
  siteId: number,
  starts?: SiteStarts,
): Promise<SiteFailure | null> {
  const site = await getSite(ctx.kv, siteId);
  if (!site) return { code: "site_not_found", message: "Site not found." };
  try {
    switch (job.job_type) {
      case "sync":
        return (await syncSite(ctx, site))?.ok
          ? null
          : { code: "sync_failed", message: "Sync returned false." };
      case "update":
        return await updateSiteForJob(ctx, job, site, starts);
      case "reconnect": {
        const outcome = await reconnectSite(ctx, site);
        return outcome.ok ? null : { code: "reconnect_failed", message: outcome.error };
      }
      case "disconnect":
        return (await markSiteDisconnected(ctx, site))
          ? null
          : { code: "disconnect_failed", message: "Database update failed during disconnect." };
      case "check":
        try {
          await checkSite(ctx, site);
          return null;
        } catch (error) {
          if (!(error instanceof ChildUnavailable)) throw error;
          return { code: "check_failed", message: error.message };
        }
      case "suspend":
        await setSiteSuspended(ctx, site, 1, { alwaysFire: true });
        return null;
      default:
        return { code: `${job.job_type}_failed`, message: "Unknown operation type." };
    }
  } catch (error) {
    console.error(`[fleetpress] job ${job.job_id}: site ${siteId} failed:`, error);
    return { code: "exception", message: messageOf(error) };
  }
}
