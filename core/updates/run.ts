/**
 * @module
 * Update runs of the REST routes (MainWP 6.1.2's legacy update routes), through the one pipeline in
 * `apply.ts` (`plain` mode): WordPress core or one kind of items of one site; "update everything" of one
 * site, or of every non-suspended, non-staging site with a pending update, sites concurrently. A KV lease
 * per run and per site keeps two runs from updating the same site at the same time. Above the batch
 * threshold the fleet run becomes an update job; it waits at most the bulk deadline
 * (`lib/bulk-deadline.ts`), late sites going on under the run's lease.
 *
 * @example
 * ```ts
 * const result = await updateEverything(ctx);
 * if (result.state === "done") result.summary.total_updated;
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { ChildError } from "../../child/errors.ts";
import { ChildUnavailable } from "../errors.ts";
import type { JobRecord } from "../../jobs/store.ts";
import { queueOrRun } from "../../jobs/queue.ts";
import { mapUntilDeadline, trackBackground } from "../../lib/bulk-deadline.ts";
import { keys } from "../../store/keys.ts";
import { atomicRetry } from "../../store/kv.ts";
import { getGlobalIgnoredLists } from "../../store/settings.ts";
import { getSite, getSiteSync, type SiteRecord } from "../../store/sites.ts";
import { fleetSnapshot, siteStateOf } from "../sites/fleet.ts";
import { mapConcurrent } from "../../lib/concurrency.ts";
import { nowSeconds } from "../../wp/dates.ts";
import { applySiteUpdates } from "./apply.ts";
import {
  hasPending,
  type ItemKind,
  type Json,
  pendingSlugs,
  pendingUpdates,
  updateCounts,
} from "./pending.ts";

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

// ---------------------------------------------------------------------------------------------------
// One kind of one site

/**
 * Updates WordPress core on one site through its child (no hooks), then refreshes the stored lists;
 * returns the child's reply, or the child's failure.
 *
 * @example
 * ```ts
 * const result = await applyCoreUpdate(ctx, site);
 * if ("reply" in result) result.reply.upgrade; // "SUCCESS"
 * ```
 */
export async function applyCoreUpdate(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ reply: Json } | { childError: ChildError }> {
  const [step] = await applySiteUpdates(ctx, site, { core: true, items: () => [] }, "plain");
  if (step.reply) return { reply: step.reply };
  // `plain` mode throws every failure that is not the child's.
  if (!(step.error instanceof ChildError)) throw step.error;
  return { childError: step.error };
}

/** Why {@link applyItemUpdates} updated nothing. */
export type NothingUpdated = "ignored_per_site" | "nothing_pending";

/**
 * Updates the named items of one kind that currently have a non-ignored update (no hooks), then
 * refreshes the stored lists; returns the child's reply, or why nothing was sent. A child failure throws
 * {@link ChildUnavailable}.
 *
 * @example
 * ```ts
 * await applyItemUpdates(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
export async function applyItemUpdates(
  ctx: AppContext,
  site: SiteRecord,
  kind: ItemKind,
  slugs: readonly string[],
): Promise<{ reply: Json } | { nothing: NothingUpdated }> {
  if (kind === "plugins" && site.is_ignorePluginUpdates) return { nothing: "ignored_per_site" };
  if (kind === "themes" && site.is_ignoreThemeUpdates) return { nothing: "ignored_per_site" };
  const [sync, global] = await Promise.all([getSiteSync(ctx.kv, site.id), getGlobalIgnoredLists(ctx.kv)]);
  const wanted = new Set(slugs);
  const list = pendingSlugs(pendingUpdates(site, sync, global), kind).filter((slug) => wanted.has(slug));
  if (list.length === 0) return { nothing: "nothing_pending" };
  const [step] = await applySiteUpdates(
    ctx,
    site,
    { core: false, items: (k) => k === kind ? list : [] },
    "plain",
  );
  if (step.reply) return { reply: step.reply };
  if (!(step.error instanceof ChildError)) throw step.error;
  throw new ChildUnavailable(site.id, step.error);
}

// ---------------------------------------------------------------------------------------------------
// Everything

/** What one site's run did. */
export interface SiteRunSummary {
  /** Items updated. */
  updated: number;
  /** Items that failed (a failed child call counts every item it carried). */
  errors: number;
}

/**
 * Runs every pending, non-ignored update of one site now (core, plugins, themes, translations; no hooks),
 * then refreshes its stored lists. Child failures are counted, never thrown; a suspended or deleted site
 * is left alone.
 *
 * @example
 * ```ts
 * await runSiteUpdates(ctx, 3); // { updated: 4, errors: 0 }
 * ```
 */
export async function runSiteUpdates(ctx: AppContext, siteId: number): Promise<SiteRunSummary> {
  const [site, sync, global] = await Promise.all([
    getSite(ctx.kv, siteId),
    getSiteSync(ctx.kv, siteId),
    getGlobalIgnoredLists(ctx.kv),
  ]);
  if (!site || site.suspended) return { updated: 0, errors: 0 };
  const pending = pendingUpdates(site, sync, global);
  const steps = await applySiteUpdates(
    ctx,
    site,
    { core: pending.wp !== null, items: (kind) => pendingSlugs(pending, kind) },
    "plain",
  );
  const summary = { updated: 0, errors: 0 };
  for (const step of steps) {
    if (!step.reply) summary.errors += step.slugs.length;
    else if (step.kind === "core") summary[step.reply.upgrade === "SUCCESS" ? "updated" : "errors"] += 1;
    else {
      const counted = updateCounts(step.reply, step.slugs);
      summary.updated += counted.updated;
      summary.errors += counted.errors;
    }
  }
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

/** What "update everything" of one site did. */
export type SiteEverythingResult =
  | { state: "suspended" }
  /** Another run holds the site's lease (since `startedAt`, unix seconds). */
  | { state: "running"; startedAt: number }
  | { state: "done"; startedAt: number; run: SiteRunSummary };

/**
 * Every pending update of one site, now, under the site's lease.
 *
 * @example
 * ```ts
 * await updateSiteEverything(ctx, site); // { state: "done", startedAt, run: { updated, errors } }
 * ```
 */
export async function updateSiteEverything(ctx: AppContext, site: SiteRecord): Promise<SiteEverythingResult> {
  if (site.suspended) return { state: "suspended" };
  const key = keys.updateSiteLease(site.id);
  const got = await acquireLease(ctx.kv, key);
  if ("held" in got) return { state: "running", startedAt: got.held.startedAt };
  try {
    return { state: "done", startedAt: got.lease.startedAt, run: await runSiteUpdates(ctx, site.id) };
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
  // Only sites whose row shows an update can have one pending; their sync data is read a few at a time.
  const candidates = snap.listed.filter((e) => !e.site.suspended && e.hasUpdate);
  const states = await mapConcurrent(candidates, 8, (e) => siteStateOf(ctx.kv, e.site.id));
  return states.flatMap((state) =>
    state && !state.site.suspended && !state.site.is_staging &&
      hasPending(pendingUpdates(state.site, state.sync, global))
      ? [state.site]
      : []
  );
}

/** The totals of a fleet run. */
export interface FleetRunSummary {
  total_updated: number;
  /** Failed items, plus one per site still running at the answer's deadline. */
  total_errors: number;
  sites_updated: number;
  /** Sites still running at the answer's deadline (they go on in the background). */
  sites_timed_out: number;
}

/** What "update everything" of the fleet did (`startedAt`: the run's start, unix seconds). */
export type EverythingResult =
  | { state: "running"; startedAt: number }
  | { state: "queued"; startedAt: number; job: JobRecord; sites: number }
  | { state: "done"; startedAt: number; summary: FleetRunSummary };

/**
 * Every pending, non-ignored update of every non-suspended, non-staging site, under the fleet lease: now
 * (sites concurrently, each under its own lease), or as an update job above the batch threshold.
 *
 * @example
 * ```ts
 * await updateEverything(ctx);
 * ```
 */
export async function updateEverything(ctx: AppContext): Promise<EverythingResult> {
  const got = await acquireLease(ctx.kv, keys.updateAllLease());
  if ("held" in got) return { state: "running", startedAt: got.held.startedAt };
  const startedAt = got.lease.startedAt;
  let releaseAfterRun = false;
  try {
    const sites = await sitesWithUpdates(ctx);
    const outcome = await queueOrRun(ctx, {
      type: "update",
      sites: sites.map((s) => s.id),
      types: ["core", "plugins", "themes", "translations"],
    }, () => mapUntilDeadline(ctx, sites, UPDATE_ALL_CONCURRENCY, (s) => runLeased(ctx, s.id), () => null));
    if ("queued" in outcome) return { state: "queued", startedAt, job: outcome.queued, sites: sites.length };
    const run = outcome.ran;
    if (run.late.length > 0) {
      // Sites past the answer's deadline go on updating: the run keeps its lease until they end.
      releaseAfterRun = true;
      trackBackground(ctx, run.settled.then(() => releaseLease(ctx.kv, keys.updateAllLease(), got.lease)));
    }
    const done = run.results.filter((r): r is SiteRunSummary => r !== null);
    return {
      state: "done",
      startedAt,
      summary: {
        total_updated: done.reduce((n, r) => n + r.updated, 0),
        total_errors: done.reduce((n, r) => n + r.errors, 0) + run.late.length,
        sites_updated: done.filter((r) => r.updated > 0).length,
        sites_timed_out: run.late.length,
      },
    };
  } finally {
    if (!releaseAfterRun) await releaseLease(ctx.kv, keys.updateAllLease(), got.lease);
  }
}
