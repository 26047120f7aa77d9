/**
 * @module
 * What a background job does to one site, per job type (abilities.md §3.3 step 6). The work goes
 * through the same services as the REST routes and abilities: sync, reconnect, the uptime check,
 * suspension, the child's update calls and the Tools jobs (`core/settings/tools.ts`). Failures come back as `{code, message}`, never thrown.
 *
 * @example
 * ```ts
 * const outcome = await runSiteOperation(ctx, job, 3); // null on success, else {code, message}
 * ```
 */
import type { AppContext } from "../app-context.ts";
import { getSite, type SiteRecord } from "../store/sites.ts";
import { syncSite } from "../core/sync/sync.ts";
import { checkSite, markSiteDisconnected, reconnectSite } from "../core/sites/connection.ts";
import { setSiteSuspended } from "../core/sites/edit.ts";
import { ChildUnavailable } from "../core/errors.ts";
import { applySiteUpdates, type UpdatePlan } from "../core/updates/apply.ts";
import { siteAutoUpdatePlan } from "../core/schedule/auto-updates.ts";
import { asMap, pendingSlugs, storedUpdates } from "../core/updates/pending.ts";
import { getSiteSync } from "../store/sites.ts";
import { ChildError } from "../child/errors.ts";
import { childErrorMessage } from "../core/sync/child.ts";
import type { JobRecord } from "./store.ts";
import type { SiteStarts } from "./starts.ts";
import { runToolStep } from "../core/settings/tools.ts";

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
 * MainWP's cron update of one site through the one update pipeline (`cron` mode: the cron's hooks):
 * every requested type, in the order core, plugins, themes, translations (the job's order is not
 * kept); failures collected as `"<type>: <reason>"`.
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
  const only = new Set(job.specific_items ?? []);
  const types = new Set(job.types ?? []);
  const steps = await applySiteUpdates(
    ctx,
    site,
    job.scheduled === "auto_update" ? await autoPlan(ctx, job, site) : {
      // Resumed: core only when the fresh sync still offers a core update.
      core: types.has("core") && (!resumed || !!storedUpdates(await getSiteSync(ctx.kv, site.id)).wp),
      // As MainWP's cron: the stored lists as they are when the step comes (no ignore rules), narrowed to
      // the specific items.
      items: async (kind) => {
        if (!types.has(kind)) return [];
        const slugs = pendingSlugs({ ...storedUpdates(await getSiteSync(ctx.kv, site.id)), wp: null }, kind);
        return only.size > 0 ? slugs.filter((s) => only.has(s)) : slugs;
      },
    },
    "cron",
  );
  const problems: string[] = [];
  for (const step of steps) {
    if (step.error !== null) {
      problems.push(`${step.kind}: ${messageOf(step.error)}`);
      continue;
    }
    const reply = step.reply ?? {};
    if (step.kind !== "core") {
      for (const [slug, why] of Object.entries(asMap(reply.upgrades_error))) {
        problems.push(`${step.kind}: ${slug}: ${String(why)}`);
      }
    }
    if (reply.error) problems.push(`${step.kind}: ${String(reply.error)}`);
    if (step.refreshError !== null) problems.push(`${step.kind}: ${messageOf(step.refreshError)}`);
  }
  return problems.length ? { code: "update_failed", message: problems.join("; ") } : null;
}

/**
 * The automatic updates' plan (core/schedule/auto-updates.ts): the settings' kinds, the ignore rules and
 * the delay, read again when each step comes (after the earlier steps refreshed the lists).
 */
async function autoPlan(ctx: AppContext, job: JobRecord, site: SiteRecord): Promise<UpdatePlan> {
  const kinds = job.types ?? [];
  const delay = job.auto_delay_days ?? 0;
  return {
    core: (await siteAutoUpdatePlan(ctx, site, kinds, delay)).core,
    items: async (kind) => (await siteAutoUpdatePlan(ctx, site, kinds, delay)).items[kind],
  };
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
      case "destroy_sessions":
      case "renew":
      case "disconnect_all":
        return await runToolStep(ctx, job.job_type, site);
      default:
        return { code: `${job.job_type}_failed`, message: "Unknown operation type." };
    }
  } catch (error) {
    console.error(`[fleetpress] job ${job.job_id}: site ${siteId} failed:`, error);
    return { code: "exception", message: messageOf(error) };
  }
}
