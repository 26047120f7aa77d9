/**
 * @module
 * "Update everything" (rest-v2.md §2.4, the ability path's synchronous run): every pending, non-ignored
 * update of one site (`POST /updates/{id}/update`) or of every non-suspended, non-staging site
 * (`POST /updates/update`), sites concurrently (the child connector's global and per-host limits decide
 * how many requests really run at once). A KV lease per run and per site keeps two runs from updating
 * the same site at the same time; a second request while one runs gets MainWP's "running" answer. The
 * answer waits at most the bulk deadline (`lib/bulk-deadline.ts`); late sites go on under the run's lease.
 *
 * Per site the steps run in order — core, plugins, themes, translations — one child call each; a failing
 * step counts an error per item it carried and the next step still runs. The stored lists are refreshed
 * once at the end (from the last reply's `sync`, else a fresh sync).
 *
 * @example
 * ```ts
 * const body = await updateEverything(ctx);
 * body.summary; // { total_updated: 12, total_errors: 1, sites_updated: 4 }
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { ChildError } from "../child/errors.ts";
import { queueAboveThreshold } from "../jobs/queue.ts";
import { mapUntilDeadline, trackBackground } from "../lib/bulk-deadline.ts";
import { restError } from "../rest/errors.ts";
import { keys } from "../store/keys.ts";
import { atomicRetry } from "../store/kv.ts";
import { getGlobalIgnoredLists } from "../store/settings.ts";
import { getSite, getSiteSync, type SiteRecord } from "../store/sites.ts";
import { siteMini } from "./site-format.ts";
import { fleetSnapshot } from "./site-list.ts";
import { isoNoZone, nowSeconds } from "./dates.ts";
import {
  hasPending,
  type ItemKind,
  type Json,
  pendingSlugs,
  pendingUpdates,
  updateCounts,
} from "./update-lists.ts";
import { callCoreUpdate, callItemsUpdate, refreshAfterUpdate } from "./updates.ts";
import { isPlainObject } from "../lib/objects.ts";

/** How long a run holds its lease at most (a crashed run frees it after this). */
export const UPDATE_LEASE_SECONDS = 3600;
/** Sites updated at once by "update everything" (the connector's limits apply on top). */
export const UPDATE_ALL_CONCURRENCY = 64;

/** A held lease. */
export interface UpdateLease {
  /** Identifies the holder (only it may release the lease). */
  token: string;
  /** When the run started, unix seconds. */
  startedAt: number;
  /** When the lease lapses, unix seconds. */
  expiresAt: number;
}

/**
 * Takes the lease at `key` unless a live one is held; returns `{ lease }` or `{ held }` (the other run's).
 *
 * @example
 * ```ts
 * const got = await acquireLease(ctx.kv, keys.updateAllLease());
 * if ("held" in got) console.log("running since", got.held.startedAt);
 * ```
 */
export async function acquireLease(
  kv: Deno.Kv,
  key: Deno.KvKey,
  seconds = UPDATE_LEASE_SECONDS,
): Promise<{ lease: UpdateLease } | { held: UpdateLease }> {
  return await atomicRetry(kv, async (op) => {
    const now = nowSeconds();
    const entry = await kv.get<UpdateLease>(key);
    if (entry.value && entry.value.expiresAt > now) return { held: entry.value };
    const lease = { token: crypto.randomUUID(), startedAt: now, expiresAt: now + seconds };
    op.check(entry).set(key, lease, { expireIn: seconds * 1000 });
    return { lease };
  });
}

/**
 * Frees a lease if it is still the one taken (a lease that expired and was taken over stays).
 *
 * @example
 * ```ts
 * await releaseLease(ctx.kv, keys.updateAllLease(), lease);
 * ```
 */
export async function releaseLease(kv: Deno.Kv, key: Deno.KvKey, lease: UpdateLease): Promise<void> {
  await atomicRetry(kv, async (op) => {
    const entry = await kv.get<UpdateLease>(key);
    if (entry.value?.token !== lease.token) return undefined;
    op.check(entry).delete(key);
    return undefined;
  });
}

/** What one site's run did. */
export interface SiteRunSummary {
  /** Items updated. */
  updated: number;
  /** Items that failed (a failed child call counts every item it carried). */
  errors: number;
}

/**
 * Runs every pending, non-ignored update of one site now (core, plugins, themes, translations), then
 * refreshes its stored lists. Child failures are counted, never thrown; a suspended or deleted site is
 * left alone.
 *
 * @example
 * ```ts
 * await runSiteUpdates(ctx, 3); // { updated: 4, errors: 0 }
 * ```
 */
export async function runSiteUpdates(ctx: AppContext, siteId: number): Promise<SiteRunSummary> {
  const summary = { updated: 0, errors: 0 };
  const [site, sync, global] = await Promise.all([
    getSite(ctx.kv, siteId),
    getSiteSync(ctx.kv, siteId),
    getGlobalIgnoredLists(ctx.kv),
  ]);
  if (!site || site.suspended) return summary;
  const pending = pendingUpdates(site, sync, global);
  let answered = false;
  /** The last reply, when it carried the site's state after it (`sync`). */
  let last: Json | null = null;
  const step = async (items: number, run: () => Promise<Json>, count: (reply: Json) => SiteRunSummary) => {
    try {
      const reply = await run();
      const counted = count(reply);
      summary.updated += counted.updated;
      summary.errors += counted.errors;
      answered = true;
      last = isPlainObject(reply.sync) ? reply : null;
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      summary.errors += items;
    }
  };
  if (pending.wp) {
    await step(
      1,
      () => callCoreUpdate(ctx, site),
      (reply) => reply.upgrade === "SUCCESS" ? { updated: 1, errors: 0 } : { updated: 0, errors: 1 },
    );
  }
  for (const kind of ["plugins", "themes", "translations"] as ItemKind[]) {
    const list = pendingSlugs(pending, kind);
    if (list.length === 0) continue;
    await step(
      list.length,
      () => callItemsUpdate(ctx, site, kind, list),
      (reply) => updateCounts(reply, list),
    );
  }
  if (answered) await refreshAfterUpdate(ctx, site.id, last);
  return summary;
}

/** Runs one site under its lease; `null` when another run holds it. */
async function runLeased(ctx: AppContext, siteId: number): Promise<SiteRunSummary | null> {
  const key = keys.updateSiteLease(siteId);
  const got = await acquireLease(ctx.kv, key);
  if ("held" in got) return null;
  try {
    return await runSiteUpdates(ctx, siteId);
  } finally {
    await releaseLease(ctx.kv, key, got.lease);
  }
}

/**
 * `POST /updates/{id_domain}/update`: every pending update of one site, now. A suspended site → 400
 * `mainwp_rest_updates_site_error`; a site already being updated → MainWP's "queuing" answer.
 *
 * @example
 * ```ts
 * await updateSiteEverything(ctx, site);
 * // { success: 1, message: "Batch updates for the site completed.", summary: { total_updated, total_errors }, … }
 * ```
 */
export async function updateSiteEverything(ctx: AppContext, site: SiteRecord): Promise<Json> {
  if (site.suspended) {
    throw restError(
      "mainwp_rest_updates_site_error",
      "Website suspended. Please unsuspended the website and try again.",
      400,
    );
  }
  const key = keys.updateSiteLease(site.id);
  const got = await acquireLease(ctx.kv, key);
  if ("held" in got) {
    return {
      success: 1,
      message: "A batch updates for the site are queuing to run.",
      last_time_start_batch_updates: isoNoZone(got.held.startedAt),
      site: siteMini(site),
    };
  }
  try {
    const run = await runSiteUpdates(ctx, site.id);
    return {
      success: 1,
      message: "Batch updates for the site completed.",
      summary: { total_updated: run.updated, total_errors: run.errors },
      last_time_start_batch_updates: isoNoZone(got.lease.startedAt),
      site: siteMini(site),
    };
  } finally {
    await releaseLease(ctx.kv, key, got.lease);
  }
}

/**
 * The sites "update everything" works on: non-staging, not suspended, with a pending non-ignored update.
 *
 * @example
 * ```ts
 * (await sitesWithUpdates(ctx)).map((s) => s.id);
 * ```
 */
export async function sitesWithUpdates(ctx: AppContext): Promise<SiteRecord[]> {
  const [snap, global] = await Promise.all([fleetSnapshot(ctx.kv), getGlobalIgnoredLists(ctx.kv)]);
  return snap.listed
    .filter((e) => !e.site.suspended && hasPending(pendingUpdates(e.site, e.sync, global)))
    .map((e) => e.site);
}

/**
 * `POST /updates/update`: every pending, non-ignored update of every non-suspended, non-staging site,
 * now → `{"success":1,"message":"Batch updates completed.","summary":{"total_updated","total_errors",
 * "sites_updated"},"last_time_start_batch_updates":"…"}`; while a run is going on →
 * `{"success":1,"message":"A batch updates all job are running.","last_time_start_batch_updates":"…"}`.
 * Above `mainwp_abilities_batch_threshold` sites the work becomes an update job →
 * `{"success":1,"message":"Batch updates queued.","job_id":"update_…","queued_count":<sites>,…}`.
 *
 * @example
 * ```ts
 * await updateEverything(ctx);
 * ```
 */
export async function updateEverything(ctx: AppContext): Promise<Json> {
  const got = await acquireLease(ctx.kv, keys.updateAllLease());
  if ("held" in got) {
    return {
      success: 1,
      message: "A batch updates all job are running.",
      last_time_start_batch_updates: isoNoZone(got.held.startedAt),
    };
  }
  let releaseAfterRun = false;
  try {
    const sites = await sitesWithUpdates(ctx);
    const job = await queueAboveThreshold(ctx, {
      type: "update",
      sites: sites.map((s) => s.id),
      types: ["core", "plugins", "themes", "translations"],
    });
    if (job) {
      return {
        success: 1,
        message: "Batch updates queued.",
        job_id: job.job_id,
        queued_count: sites.length,
        last_time_start_batch_updates: isoNoZone(got.lease.startedAt),
      };
    }
    const run = await mapUntilDeadline(
      ctx,
      sites,
      UPDATE_ALL_CONCURRENCY,
      (s) => runLeased(ctx, s.id),
      () => null,
    );
    if (run.late.length > 0) {
      // Sites past the answer's deadline go on updating: the run keeps its lease until they end.
      releaseAfterRun = true;
      trackBackground(ctx, run.settled.then(() => releaseLease(ctx.kv, keys.updateAllLease(), got.lease)));
    }
    const done = run.results.filter((r): r is SiteRunSummary => r !== null);
    const summary: Json = {
      total_updated: done.reduce((n, r) => n + r.updated, 0),
      total_errors: done.reduce((n, r) => n + r.errors, 0) + run.late.length,
      sites_updated: done.filter((r) => r.updated > 0).length,
    };
    if (run.late.length > 0) summary.sites_timed_out = run.late.length;
    return {
      success: 1,
      message: "Batch updates completed.",
      summary,
      last_time_start_batch_updates: isoNoZone(got.lease.startedAt),
    };
  } finally {
    if (!releaseAfterRun) await releaseLease(ctx.kv, keys.updateAllLease(), got.lease);
  }
}
