/**
 * @module
 * Update runs in terms of Update items (abilities.md §2.4): applying a site's pending items now (through
 * the one pipeline in `apply.ts`, `immediate` mode) and reporting Updated items and error items; running
 * many sites at once, or queueing the run as an update job above the batch threshold; updating one site's
 * core or one kind of its items.
 *
 * @example
 * ```ts
 * const outcome = await applyUpdateItems(ctx, site, items, true);
 * outcome.updated.length;
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { ChildError } from "../../child/errors.ts";
import { type QueuedOrRan, queueOrRun } from "../../jobs/queue.ts";
import { mapConcurrent } from "../../lib/concurrency.ts";
import { getGlobalIgnoredLists } from "../../store/settings.ts";
import { getSiteSync, type SiteRecord, type SiteSyncData } from "../../store/sites.ts";
import { childErrorMessage } from "../sync/child.ts";
import { offlineRefusal, outdatedRefusal, siteRefusal } from "../sites/gates.ts";
import { ChildOutdated, SiteOffline } from "../errors.ts";
import { applySiteUpdates, CHILD_TYPE, isUpdated, type UpdateStep } from "./apply.ts";
import { UPDATE_ALL_CONCURRENCY } from "./run.ts";
import {
  ITEM_TYPE,
  UPDATE_TYPES,
  type UpdatedItem,
  type UpdateErrorItem,
  updateErrorItem,
  type UpdateItem,
  updateItemsOf,
  type UpdateType,
} from "./items.ts";
import {
  asMap,
  availableUpdates,
  type Json,
  type PendingUpdates,
  scalarText,
  storedUpdates,
} from "./pending.ts";

/** What updating one site produced. */
export interface SiteOutcome {
  updated: UpdatedItem[];
  errors: UpdateErrorItem[];
}

/**
 * MainWP's message for a core update the child did not report as successful.
 *
 * @example
 * ```ts
 * coreFailureMessage({ upgrade: "NORESPONSE" }); // "No response from the child site server."
 * ```
 */
export function coreFailureMessage(reply: Json): string {
  if (typeof reply.error === "string" && reply.error !== "") return reply.error;
  if (reply.upgrade === "LOCALIZATION") return "No update found for the set locale.";
  if (reply.upgrade === "NORESPONSE") return "No response from the child site server.";
  return "Core update failed.";
}

const exceptionMessage = (error: unknown) =>
  error instanceof ChildError
    ? childErrorMessage(error)
    : error instanceof Error
    ? error.message
    : String(error);

const updatedOf = (item: UpdateItem, newVersion: string): UpdatedItem => {
  const { current_version, ...rest } = item;
  return { ...rest, old_version: current_version, new_version: newVersion || item.new_version };
};

/** The Updated and error items of a run's steps; `withName` puts `site_name` on core error items. */
function outcomeOf(
  site: SiteRecord,
  items: readonly UpdateItem[],
  steps: readonly UpdateStep[],
  withName: boolean,
): SiteOutcome {
  const out: SiteOutcome = { updated: [], errors: [] };
  for (const step of steps) {
    if (step.kind === "core") {
      const core = items.find((i) => i.type === "core");
      if (!core) continue;
      const reply = step.reply;
      if (!reply) {
        const message = exceptionMessage(step.error);
        out.errors.push(
          updateErrorItem(site, "core", "wordpress", "mainwp_update_exception", message, withName),
        );
      } else if (reply.upgrade !== "SUCCESS") {
        const message = coreFailureMessage(reply);
        out.errors.push(
          updateErrorItem(site, "core", "wordpress", "mainwp_update_failed", message, withName),
        );
      } else out.updated.push(updatedOf(core, scalarText(reply.version)));
      continue;
    }
    const type = CHILD_TYPE[step.kind];
    const reply = step.reply;
    for (const slug of step.slugs) {
      const item = items.find((i) => i.type === type && i.slug === slug);
      if (!item) continue;
      if (!reply) {
        const message = exceptionMessage(step.error);
        out.errors.push(updateErrorItem(site, type, slug, "mainwp_update_exception", message, true));
      } else if (isUpdated(reply, slug)) {
        out.updated.push(
          updatedOf(item, scalarText(asMap(asMap(asMap(reply.other_data).updated_data)[slug]).version)),
        );
      } else {
        const failures = asMap(reply.upgrades_error);
        const message = slug in failures
          ? scalarText(failures[slug]) || "Update failed."
          : "The child site did not report this item as updated.";
        out.errors.push(updateErrorItem(site, type, slug, "mainwp_update_failed", message, true));
      }
    }
  }
  return out;
}

/**
 * Applies the given pending Update items of one site now (`immediate` mode: core first, then one child
 * call per kind, with MainWP's hooks), then drops what updated from the stored lists and refreshes them.
 * `withName` puts `site_name` on core error items (update-all does, run-updates does not).
 *
 * @example
 * ```ts
 * await applyUpdateItems(ctx, site, items, true); // { updated: [...], errors: [] }
 * ```
 */
export async function applyUpdateItems(
  ctx: AppContext,
  site: SiteRecord,
  items: readonly UpdateItem[],
  withName: boolean,
): Promise<SiteOutcome> {
  const steps = await applySiteUpdates(ctx, site, {
    core: items.some((i) => i.type === "core"),
    items: (kind) => items.filter((i) => i.type === ITEM_TYPE[kind]).map((i) => i.slug),
  }, "immediate");
  return outcomeOf(site, items, steps, withName);
}

/** Which run: run-updates (`run`: specific items, the run filter, no site names) or update-all (`all`). */
export interface RunRequest {
  kind: "run" | "all";
  types: ReadonlySet<UpdateType>;
  /** Only these slugs (empty: every pending item of the types). */
  only: ReadonlySet<string>;
}

/** The run's result over many sites: Updated and error items in site order, with the summary. */
export interface RunResult {
  updated: UpdatedItem[];
  errors: UpdateErrorItem[];
  summary: { total_updated: number; total_errors: number; sites_updated: number };
}

/** An error item about a whole site. */
const siteError = (site: SiteRecord, error: { code: string; message: string }, withName: boolean) => ({
  updated: [],
  errors: [updateErrorItem(site, "site", "", error.code, error.message, withName)],
});

/** A site refused before updating, as its update error item's code and message (abilities.md §2.5). */
const refusalOf = (error: SiteOffline | ChildOutdated) => ({
  code: error instanceof SiteOffline ? "mainwp_site_offline" : "mainwp_child_outdated",
  message: error.message,
});

/** A filter verdict that refuses the run: a WordPress-style error object (`code` and `message`). */
function refusal(verdict: unknown): { code: string; message: string } | null {
  if (!(verdict instanceof Error) || !("code" in verdict) || typeof verdict.code !== "string") return null;
  return { code: verdict.code, message: verdict.message };
}

/** One site of a run over many: its refusals first, then its pending items applied. */
async function runOneSite(
  ctx: AppContext,
  site: SiteRecord,
  sync: SiteSyncData | null,
  global: Awaited<ReturnType<typeof getGlobalIgnoredLists>>,
  request: RunRequest,
): Promise<SiteOutcome> {
  const withName = request.kind === "all";
  if (request.kind === "run") {
    const refused = siteRefusal(site, sync, "4.0.0");
    if (refused) return siteError(site, refusalOf(refused), false);
  } else {
    const offline = offlineRefusal(site);
    if (offline) return siteError(site, refusalOf(offline), true);
  }
  let items = updateItemsOf(site, availableUpdates(site, sync, global), request.types);
  if (request.only.size > 0) items = items.filter((i) => request.only.has(i.slug));
  if (items.length === 0) return { updated: [], errors: [] };
  if (request.kind === "all") {
    const refused = outdatedRefusal(site, sync, "4.0");
    if (refused) {
      const outdated = refusalOf(refused);
      return {
        updated: [],
        errors: items.map((i) =>
          updateErrorItem(site, i.type, i.slug, outdated.code, outdated.message, true)
        ),
      };
    }
  } else {
    const verdict = refusal(
      await ctx.hooks.applyFilters("mainwp_run_update_result", null as unknown, site.id, [...request.types]),
    );
    if (verdict) return siteError(site, verdict, false);
  }
  return await applyUpdateItems(ctx, site, items, withName);
}

/**
 * Updates the pending (non-ignored) items of the given sites, sites concurrently — or, above the batch
 * threshold, queues an update job (which updates what the sites report pending, as MainWP's cron does).
 * A site named twice is updated once. `errors` are the caller's error items put first (e.g. sites it
 * could not resolve).
 *
 * @example
 * ```ts
 * const out = await runUpdates(ctx, sites, { kind: "all", types: new Set(UPDATE_TYPES), only: new Set() }, []);
 * if ("ran" in out) out.ran.summary.total_updated;
 * ```
 */
export async function runUpdates(
  ctx: AppContext,
  sites: readonly SiteRecord[],
  request: RunRequest,
  errors: readonly UpdateErrorItem[],
): Promise<QueuedOrRan<RunResult>> {
  const queueable = request.kind === "run" || sites.length > 0;
  const now = async () => {
    const global = await getGlobalIgnoredLists(ctx.kv);
    const seen = new Set<number>();
    const distinct = sites.filter((s) => !seen.has(s.id) && seen.add(s.id));
    const outcomes = await mapConcurrent(
      distinct,
      UPDATE_ALL_CONCURRENCY,
      async (site) => runOneSite(ctx, site, await getSiteSync(ctx.kv, site.id), global, request),
    );
    const updated = outcomes.flatMap((o) => o.updated);
    const all = [...errors, ...outcomes.flatMap((o) => o.errors)];
    return {
      updated,
      errors: all,
      summary: {
        total_updated: updated.length,
        total_errors: all.length,
        sites_updated: outcomes.filter((o) => o.updated.length > 0).length,
      },
    };
  };
  if (!queueable) return { ran: await now() };
  return await queueOrRun(ctx, {
    type: "update",
    sites: sites.map((s) => s.id),
    types: UPDATE_TYPES.filter((t) => request.types.has(t)),
    specificItems: [...request.only].filter((s) => s !== ""),
  }, now);
}

/**
 * The site's stored sync data, after refusing an offline site or a child older than 4.0 (the site-scoped
 * update abilities' check). Throws the refusal (`SiteOffline` / `ChildOutdated`).
 *
 * @example
 * ```ts
 * const sync = await updatableSync(ctx, site);
 * ```
 */
export async function updatableSync(ctx: AppContext, site: SiteRecord): Promise<SiteSyncData | null> {
  const sync = await getSiteSync(ctx.kv, site.id);
  const refused = siteRefusal(site, sync, "4.0");
  if (refused) throw refused;
  return sync;
}

/** What updating one site's core did: the Updated item, nothing to update, or the failure. */
export type CoreResult =
  | { item: UpdatedItem }
  | { none: true }
  | { code: string; message: string };

/**
 * Updates WordPress core on one (updatable) site to the version its last sync reported, now.
 *
 * @example
 * ```ts
 * const result = await updateSiteCore(ctx, site);
 * if ("item" in result) result.item.new_version;
 * ```
 */
export async function updateSiteCore(ctx: AppContext, site: SiteRecord): Promise<CoreResult> {
  const wp = storedUpdates(await updatableSync(ctx, site)).wp;
  if (!wp || !scalarText(wp.current) || !scalarText(wp.new)) return { none: true };
  const items = updateItemsOf(site, { wp, plugins: {}, themes: {}, translations: [] }, new Set(["core"]));
  const outcome = await applyUpdateItems(ctx, site, items, true);
  const [item] = outcome.updated;
  if (item) return { item };
  const [error] = outcome.errors;
  return { code: error.code, message: error.message };
}

/**
 * Updates one kind of a site's pending items now (all of them, or the given slugs). Plugins and themes
 * follow every ignore rule; translations are never ignored.
 *
 * @example
 * ```ts
 * await updateSiteKind(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
export async function updateSiteKind(
  ctx: AppContext,
  site: SiteRecord,
  kind: "plugins" | "themes" | "translations",
  slugs: readonly string[],
): Promise<SiteOutcome> {
  const sync = await updatableSync(ctx, site);
  const pending: PendingUpdates = kind === "translations"
    ? { wp: null, plugins: {}, themes: {}, translations: storedUpdates(sync).translations }
    : availableUpdates(site, sync, await getGlobalIgnoredLists(ctx.kv));
  const wanted = new Set(slugs);
  const items = updateItemsOf(site, pending, new Set([kind]))
    .filter((i) => wanted.size === 0 || wanted.has(i.slug));
  return items.length > 0 ? await applyUpdateItems(ctx, site, items, true) : { updated: [], errors: [] };
}
