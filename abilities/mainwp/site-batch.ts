/**
 * @module
 * MainWP's batch site abilities (abilities.md §2.5, 3 and 27–30): sync, reconnect, disconnect, check
 * and suspend many sites. Above `mainwp_abilities_batch_threshold` accessible sites they become a
 * background job (jobs/); otherwise they run now, concurrently, with results in input order.
 *
 * @example
 * ```ts
 * registerSiteBatchAbilities(sink);
 * ```
 */
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import type { AppContext } from "../../app-context.ts";
import { RestError, restError } from "../../rest/errors.ts";
import { basePermission } from "./permissions.ts";
import { siteBasicObject } from "./objects.ts";
import { type DeniedSite, resolveSiteList } from "./site-lists.ts";
import { siteRefusal } from "../../core/sites/gates.ts";
import { checkSite, markSiteDisconnected, reconnectSite } from "../../core/sites/connection.ts";
import { setSiteSuspended } from "../../core/sites/edit.ts";
import { BULK_CONCURRENCY, queueOrRun } from "../../core/sites/bulk.ts";
import { ChildUnavailable } from "../../core/errors.ts";
import { abilityErrorOf } from "../errors.ts";
import { siteSyncData, syncSite } from "../../core/sync/sync.ts";
import type { SiteRecord } from "../../core/sites/resolve.ts";
import { jobStatusUrl, queueAboveThreshold } from "../../jobs/queue.ts";
import type { JobType } from "../../jobs/store.ts";
import { idList, optionalInput, siteIdsOrDomains } from "./fields.ts";
import { mapConcurrent } from "../../lib/concurrency.ts";

const BATCH_RULE =
  "Pass site_ids_or_domains with ids, domains or URLs, or an empty list for every site. Above the batch threshold (200 sites by default) the work is queued as a background job; poll mainwp/get-batch-job-status-v1 with the job_id.";
const ACT = { readonly: false, destructive: false, idempotent: true, instructions: BATCH_RULE };
const SiteRef = z.object({ id: z.int(), url: z.string(), name: z.string() });
const BatchError = z.looseObject({
  identifier: z.union([z.int(), z.string()]),
  code: z.string(),
  message: z.string(),
});

/** `{id, url, name}` of a site. */
function siteRef(site: SiteRecord) {
  const { id, url, name } = siteBasicObject(site);
  return { id, url, name };
}

/** The number-ish entries of an identifier list as ids (MainWP's int cast), other entries as they are. */
function normalizeIdentifiers(list: (number | string)[]): (number | string)[] {
  return list.map((v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v));
}

/**
 * Registers the batch site abilities.
 *
 * @example
 * ```ts
 * registerSiteBatchAbilities(sink);
 * ```
 */
export function registerSiteBatchAbilities(sink: AbilitySink): void {
  sink.register({
    name: "mainwp/sync-sites-v1",
    label: "Sync MainWP Sites",
    description:
      "Fetches fresh data (versions, plugins, themes, pending updates) from many sites, or from every site.",
    category: "mainwp-sites",
    input: optionalInput(
      z.object({
        site_ids_or_domains: siteIdsOrDomains("An empty list (the default) syncs every site."),
        site_ids: idList("Site IDs to sync, used when site_ids_or_domains is empty", "[12, 15]").default([]),
        exclude_ids: idList("Site IDs to leave out of the sync", "[7]").default([]),
      }).strict(),
    ),
    output: z.union([
      z.object({ queued: z.boolean(), job_id: z.string(), status_url: z.string(), sites_queued: z.int() }),
      z.object({
        queued: z.boolean(),
        synced: z.array(SiteRef),
        errors: z.array(BatchError),
        total_synced: z.int(),
        total_errors: z.int(),
      }),
    ]),
    annotations: ACT,
    permission: basePermission,
    execute: async ({ ctx, input: q }) => {
      const exclude = new Set(q.exclude_ids.filter((n) => n > 0));
      let list = normalizeIdentifiers(q.site_ids_or_domains);
      if (list.length === 0) list = q.site_ids.filter((n) => n > 0);
      list = list.filter((v) => typeof v !== "number" || !exclude.has(v));
      const resolved = await resolveSiteList(ctx, list, q);
      const allowed = resolved.allowed.filter((s) => !exclude.has(s.id));
      const job = await queueAboveThreshold(ctx, { type: "sync", sites: allowed.map((s) => s.id) });
      if (job) {
        return {
          queued: true,
          job_id: job.job_id,
          status_url: jobStatusUrl(ctx, job.job_id),
          sites_queued: allowed.length,
        };
      }
      const results = await mapConcurrent(allowed, BULK_CONCURRENCY, (site) => syncForAbility(ctx, site));
      const synced = allowed.filter((_, i) => results[i] === null).map(siteRef);
      const errors: unknown[] = [...resolved.denied];
      results.forEach((error, i) => {
        if (error) errors.push({ identifier: allowed[i].id, code: error.code, message: error.message });
      });
      return { queued: false, synced, errors, total_synced: synced.length, total_errors: errors.length };
    },
  });

  registerBatchOperation(sink, "reconnect", {
    label: "Reconnect MainWP Sites",
    description: "Reconnects many sites: each is synced, or registered with its child again.",
    run: async (ctx, site) => {
      const outcome = await reconnectSite(ctx, site);
      if (outcome.ok) return { item: siteRef(outcome.site) };
      return {
        error: { code: "mainwp_reconnect_failed", message: outcome.error || "Site reconnection failed." },
      };
    },
    item: SiteRef,
  });
  registerBatchOperation(sink, "disconnect", {
    label: "Disconnect MainWP Sites",
    description: "Marks many sites as disconnected on the dashboard.",
    run: async (ctx, site) => ({ item: siteRef((await markSiteDisconnected(ctx, site)) ?? site) }),
    item: SiteRef,
  });
  registerBatchOperation(sink, "check", {
    label: "Check MainWP Sites",
    description: "Checks whether many sites answer over HTTP and stores their online status.",
    run: async (ctx, site) => {
      try {
        const result = await checkSite(ctx, site);
        return {
          item: { ...siteRef(result.site), status: { online: result.online, http_code: result.httpCode } },
        };
      } catch (error) {
        if (!(error instanceof ChildUnavailable)) throw error;
        return { error: { code: "mainwp_check_failed", message: error.message } };
      }
    },
    item: SiteRef.extend({ status: z.object({ online: z.boolean(), http_code: z.int() }) }),
  });
  registerBatchOperation(sink, "suspend", {
    label: "Suspend MainWP Sites",
    description: "Suspends many sites: they stay on the dashboard but are left out of syncs and updates.",
    run: async (ctx, site) => {
      await setSiteSuspended(ctx, site, 1, { alwaysFire: true });
      return { item: { ...siteRef(site), suspended: 1 } };
    },
    item: SiteRef.extend({ suspended: z.int() }),
  });
}

/** One site's immediate sync for sync-sites (abilities.md §2.5, 3): `null` on success, else the error. */
async function syncForAbility(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ code: string; message: string } | null> {
  const refused = siteRefusal(site, await siteSyncData(ctx, site.id));
  if (refused) {
    const { code, message } = abilityErrorOf(refused)!;
    return { code, message };
  }
  let result: unknown;
  try {
    result = (await syncSite(ctx, site))?.ok === true;
  } catch (error) {
    return { code: "mainwp_sync_exception", message: error instanceof Error ? error.message : String(error) };
  }
  result = await ctx.hooks.applyFilters("mainwp_sync_site_result", result, site.id);
  if (result instanceof RestError) return { code: result.code, message: result.message };
  return result === false ? { code: "mainwp_sync_failed", message: "Sync operation failed." } : null;
}

/** One batch operation's definition. */
interface BatchOperation {
  label: string;
  description: string;
  run: (
    ctx: AppContext,
    site: SiteRecord,
  ) => Promise<{ item: unknown } | { error: { code: string; message: string } }>;
  item: z.ZodType;
}

/** Registers `mainwp/<op>-sites-v1` (abilities.md §2.5, "Sites — batch"). */
function registerBatchOperation(
  sink: AbilitySink,
  op: Exclude<JobType, "sync" | "update">,
  def: BatchOperation,
) {
  const done = `${op}ed`; // reconnected, disconnected, checked, suspended
  sink.register({
    name: `mainwp/${op}-sites-v1`,
    label: def.label,
    description: def.description,
    category: "mainwp-sites",
    input: optionalInput(
      z.object({
        site_ids_or_domains: siteIdsOrDomains(`An empty list (the default) means every site.`),
      }).strict(),
    ),
    output: z.union([
      z.object({ queued: z.literal(true), job_id: z.string(), total: z.int(), errors: z.array(BatchError) }),
      z.object({
        [done]: z.array(def.item),
        errors: z.array(BatchError),
        [`total_${done}`]: z.int(),
        total_errors: z.int(),
      }),
    ]),
    annotations: ACT,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const resolved = await resolveSiteList(ctx, normalizeIdentifiers(input.site_ids_or_domains), input);
      if (resolved.allowed.length === 0) {
        throw restError("mainwp_site_not_found", "No valid sites found.", 404);
      }
      const answer = await queueOrRun(
        ctx,
        op,
        resolved.allowed,
        () => mapConcurrent(resolved.allowed, BULK_CONCURRENCY, (site) => def.run(ctx, site)),
      );
      if ("job" in answer) {
        const { job } = answer;
        return { queued: true, job_id: job.job_id, total: resolved.allowed.length, errors: resolved.denied };
      }
      const results = answer.ran;
      const items: unknown[] = [];
      const errors: (DeniedSite | { identifier: string; code: string; message: string })[] = [
        ...resolved.denied,
      ];
      results.forEach((result, i) => {
        if ("item" in result) items.push(result.item);
        else errors.push({ identifier: resolved.allowed[i].url, ...result.error });
      });
      return { [done]: items, errors, [`total_${done}`]: items.length, total_errors: errors.length };
    },
  });
}
