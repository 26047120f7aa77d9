/**
 * @module
 * MainWP's update abilities (abilities.md §2.5, 31–41): list pending and ignored updates, run them for
 * many sites or one site (core, plugins, themes, translations), and ignore or unignore them. The
 * pending lists, the ignore rules and the child calls are the same service functions the `/updates`
 * REST routes use (`services/update-lists.ts`, `services/updates.ts`), and the abilities' own update
 * items and runs live in `services/update-items.ts`; this module holds the schemas and the wiring.
 *
 * @example
 * ```ts
 * registerUpdateAbilities(sink);
 * ```
 */
import { jobStatusUrl, queueAboveThreshold } from "../../jobs/queue.ts";
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import type { AppContext } from "../../lib/context.ts";
import { basePermission, sitePermission } from "./permissions.ts";
import { RestError, restError } from "../../rest/errors.ts";
import { ChildError } from "../../child/errors.ts";
import {
  childOutdatedError,
  type DeniedSite,
  requireAccessibleSite,
  type ResolvedSites,
  resolveSiteList,
  siteOfflineError,
} from "../../services/site-resolve.ts";
import { refreshAfterUpdate } from "../../services/updates.ts";
import {
  asMap,
  ignoredCoreVersions,
  type PendingUpdates,
  rollbackItems,
  storedUpdates,
} from "../../services/update-lists.ts";
import { UPDATE_ALL_CONCURRENCY } from "../../services/update-run.ts";
import {
  applyUpdateItems,
  availableUpdates,
  distinctSites,
  forgetUpdated,
  ignoredEntries,
  ignoreSiteItems,
  ITEM_TYPE,
  runCoreUpdate,
  scalarText,
  setIgnoredCore,
  type SiteOutcome,
  type SiteState,
  unignoreCore,
  unignoreSiteItems,
  UPDATE_TYPES,
  type UpdateErrorItem,
  updateErrorItem,
  updateItemsOf,
  updateRunResult,
  updateSummary,
  type UpdateType,
} from "../../services/update-items.ts";
import { getGlobalIgnoredLists, type IgnoreKind } from "../../store/settings.ts";
import { getSiteSync } from "../../store/sites.ts";
import {
  ErrorItemSchema,
  ignoreCoreInput,
  ignoreItemsInput,
  IgnoreOutput,
  listIgnoredInput,
  listUpdatesInput,
  QueuedOutput,
  RunOutput,
  runUpdatesInput,
  setIgnoredInput,
  siteCoreInput,
  siteItemsUpdateInput,
  SiteRunOutput,
  siteUpdatesInput,
  Summary,
  updateAllInput,
  UpdatedItemSchema,
  UpdateItemSchema,
} from "./update-shapes.ts";
import { mapConcurrent } from "../../lib/concurrency.ts";
import { isPlainObject } from "../../lib/objects.ts";

const READ = { readonly: true, destructive: false, idempotent: true, instructions: "" };
const RUN_RULE =
  "Updates are applied on the live child sites right away and cannot be undone from the dashboard. Pass site_ids_or_domains with ids, domains or URLs, or an empty list for every site. Above the batch threshold (200 sites by default) the run is queued as a background job; poll mainwp/get-batch-job-status-v1 with the job_id.";
const SITE_UPDATE_RULE =
  "Applies updates on the live child site immediately. List them first with mainwp/get-site-updates-v1 and confirm with the user which items to update.";
const IGNORE_RULE =
  "Ignored updates are hidden from update lists and skipped by update runs until they are unignored. Use action remove to unignore.";

/** The selected types in canonical order; an empty input selects all of them when `emptyMeansAll`, else none. */
function selectedTypes(given: readonly string[], emptyMeansAll: boolean): Set<UpdateType> {
  if (given.length === 0) return new Set(emptyMeansAll ? UPDATE_TYPES : []);
  return new Set(UPDATE_TYPES.filter((t) => given.includes(t)));
}

/**
 * Queues an update job when the accessible sites exceed the threshold (abilities.md §3.1): MainWP's
 * queued answer, with the resolution errors; `null` to run now. The job updates what the sites report
 * pending, as MainWP's cron does (no ignore rules; see jobs/operations.ts).
 */
async function queueUpdateJob(
  ctx: AppContext,
  resolved: ResolvedSites,
  types: string[],
  specificItems: string[],
  withName: boolean,
) {
  const job = await queueAboveThreshold(ctx, {
    type: "update",
    sites: resolved.allowed.map((s) => s.id),
    types: UPDATE_TYPES.filter((t) => types.includes(t)),
    specificItems: specificItems.filter((s) => s !== ""),
  });
  if (!job) return null;
  return {
    queued: true as const,
    job_id: job.job_id,
    status_url: jobStatusUrl(ctx, job.job_id),
    updates_queued: resolved.allowed.length,
    errors: resolved.denied.map((d) => deniedItem(d, withName)),
  };
}

/** A denied identifier as an update error item (`site_id` 0, the identifier as `site_url`). */
function deniedItem(denied: DeniedSite, withName: boolean): UpdateErrorItem {
  return {
    site_id: 0,
    site_url: String(denied.identifier),
    ...(withName ? { site_name: "" } : {}),
    type: "site",
    slug: "",
    code: denied.code,
    message: denied.message,
  };
}

// ---------------------------------------------------------------------------------------------------
// Ignore lists

/** A clean slug list: strings, trimmed, no empties or repeats. */
function slugList(value: readonly string[]): string[] {
  return [...new Set(value.map((s) => s.trim()).filter((s) => s !== ""))];
}

/** "1 plugin ignored." / "2 themes unignored." / "No plugins were ignored." */
function ignoreMessage(kind: IgnoreKind, action: "add" | "remove", count: number): string {
  const noun = kind === "plugins" ? "plugin" : "theme";
  const verb = action === "add" ? "ignored" : "unignored";
  if (count === 0) return `No ${noun}s were ${verb}.`;
  return `${count} ${noun}${count === 1 ? "" : "s"} ${verb}.`;
}

// ---------------------------------------------------------------------------------------------------
// Registration

/** Resolves the site of a site-scoped ability and refuses offline or outdated children (update-site-*). */
async function updatableSite(
  ctx: AppContext,
  input: { site_id_or_domain: number | string },
): Promise<SiteState> {
  const site = await requireAccessibleSite(
    ctx,
    input.site_id_or_domain,
    input,
  );
  const sync = await getSiteSync(ctx.kv, site.id);
  const refused = siteOfflineError(site) ?? childOutdatedError(site, sync, "4.0");
  if (refused) throw refused;
  return { site, sync };
}

/**
 * Registers the thirteen update abilities, in MainWP's order.
 *
 * @example
 * ```ts
 * registerUpdateAbilities(sink);
 * ```
 */
export function registerUpdateAbilities(sink: AbilitySink): void {
  sink.register({
    name: "mainwp/list-updates-v1",
    label: "List Pending Updates",
    description:
      "Lists the core, plugin, theme and translation updates waiting on the given sites (or every site), as last synced, without ignored updates. Paginated, with counts per type.",
    category: "mainwp-updates",
    input: listUpdatesInput,
    output: z.object({
      updates: z.array(UpdateItemSchema),
      summary: Summary,
      page: z.int(),
      per_page: z.int(),
      total: z.int(),
      errors: z.array(ErrorItemSchema),
    }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const { page, per_page: perPage } = input;
      const types = selectedTypes(input.types, true);
      const resolved = await resolveSiteList(ctx, input.site_ids_or_domains, input);
      const global = await getGlobalIgnoredLists(ctx.kv);
      const syncs = await Promise.all(resolved.allowed.map((s) => getSiteSync(ctx.kv, s.id)));
      const items = resolved.allowed.flatMap((site, i) =>
        updateItemsOf(site, availableUpdates(site, syncs[i], global), types)
      );
      return {
        updates: items.slice((page - 1) * perPage, page * perPage),
        summary: updateSummary(items),
        page,
        per_page: perPage,
        total: items.length,
        errors: resolved.denied.map((d) => deniedItem(d, true)),
      };
    },
  });

  sink.register({
    name: "mainwp/run-updates-v1",
    label: "Run Updates",
    description:
      "Applies the pending (not ignored) updates of the given sites, or of every site, optionally limited to some types or to specific slugs (core is `wordpress`).",
    category: "mainwp-updates",
    input: runUpdatesInput,
    output: z.union([QueuedOutput, RunOutput]),
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: RUN_RULE },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const types = selectedTypes(input.types, true);
      const only = new Set(input.specific_items);
      const resolved = await resolveSiteList(ctx, input.site_ids_or_domains, input);
      const queued = await queueUpdateJob(ctx, resolved, [...types], [...only], false);
      if (queued) return queued;
      const global = await getGlobalIgnoredLists(ctx.kv);
      const typeList = [...types];
      const outcomes = await mapConcurrent(
        distinctSites(resolved.allowed),
        UPDATE_ALL_CONCURRENCY,
        async (site): Promise<SiteOutcome> => {
          const sync = await getSiteSync(ctx.kv, site.id);
          const refused = siteOfflineError(site) ?? childOutdatedError(site, sync, "4.0.0");
          if (refused) {
            return {
              updated: [],
              errors: [updateErrorItem(site, "site", "", refused.code, refused.message, false)],
            };
          }
          let items = updateItemsOf(site, availableUpdates(site, sync, global), types);
          if (only.size > 0) items = items.filter((i) => only.has(i.slug));
          if (items.length === 0) return { updated: [], errors: [] };
          const verdict: unknown = await ctx.hooks.applyFilters(
            "mainwp_run_update_result",
            null as unknown,
            site.id,
            typeList,
          );
          if (verdict instanceof RestError) {
            return {
              updated: [],
              errors: [updateErrorItem(site, "site", "", verdict.code, verdict.message, false)],
            };
          }
          return await applyUpdateItems(ctx, site, items, false);
        },
      );
      return updateRunResult(resolved.denied.map((d) => deniedItem(d, false)), outcomes);
    },
  });

  sink.register({
    name: "mainwp/list-ignored-updates-v1",
    label: "List Ignored Updates",
    description:
      "Lists the updates ignored on the given sites (or every site): core versions and plugins/themes from the site's own and the global ignore lists.",
    category: "mainwp-updates",
    input: listIgnoredInput,
    output: z.object({
      ignored: z.array(z.object({
        site_id: z.int(),
        site_url: z.string(),
        site_name: z.string(),
        type: z.string(),
        slug: z.string(),
        name: z.string(),
        ignored_version: z.string(),
      })),
      total: z.int(),
      errors: z.array(ErrorItemSchema),
    }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const given: readonly string[] = input.types;
      const wants = (t: string) => given.length === 0 || given.includes(t);
      const resolved = await resolveSiteList(ctx, input.site_ids_or_domains, input);
      const global = await getGlobalIgnoredLists(ctx.kv);
      const ignored: unknown[] = [];
      for (const site of resolved.allowed) {
        const base = { site_id: site.id, site_url: site.url, site_name: site.name };
        if (wants("core")) {
          const versions = ignoredCoreVersions(await getSiteSync(ctx.kv, site.id));
          if (versions.length > 0) {
            ignored.push({
              ...base,
              type: "core",
              slug: "wordpress",
              name: "WordPress",
              ignored_version: versions.join(", "),
            });
          }
        }
        for (const kind of ["plugins", "themes"] as const) {
          if (!wants(kind)) continue;
          for (const entry of ignoredEntries(site, kind, global[kind])) {
            ignored.push({ ...base, type: ITEM_TYPE[kind], ...entry });
          }
        }
      }
      return {
        ignored,
        total: ignored.length,
        errors: resolved.denied.map((d) => deniedItem(d, true)),
      };
    },
  });

  sink.register({
    name: "mainwp/set-ignored-updates-v1",
    label: "Ignore or Unignore an Update",
    description:
      "Adds a plugin, theme or WordPress core to a site's ignore list (every version), or removes it again.",
    category: "mainwp-updates",
    input: setIgnoredInput,
    output: z.object({
      success: z.boolean(),
      action: z.string(),
      site_id: z.int(),
      type: z.string(),
      slug: z.string(),
    }),
    annotations: { readonly: false, destructive: false, idempotent: true, instructions: IGNORE_RULE },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const q = input;
      const site = await requireAccessibleSite(ctx, q.site_id_or_domain, input);
      if (q.type === "core") {
        if (q.action === "ignore") await setIgnoredCore(ctx, site.id, ["all_versions"]);
        else await unignoreCore(ctx, site);
      } else {
        const kind: IgnoreKind = q.type === "plugin" ? "plugins" : "themes";
        const slug = q.slug.trim();
        if (slug === "") throw restError("mainwp_invalid_input", "A slug is required.", 400);
        if (q.action === "ignore") await ignoreSiteItems(ctx, site, kind, [slug]);
        else await unignoreSiteItems(ctx, site, kind, [slug]);
      }
      return { success: true, action: q.action, site_id: site.id, type: q.type, slug: q.slug };
    },
  });

  sink.register({
    name: "mainwp/get-site-updates-v1",
    label: "Get Site Updates",
    description:
      "Lists one site's pending updates (not ignored), as last synced, with the versions that were rolled back after a failed update.",
    category: "mainwp-updates",
    input: siteUpdatesInput,
    output: z.object({
      site_id: z.int(),
      site_url: z.string(),
      site_name: z.string(),
      updates: z.array(UpdateItemSchema),
      rollback_items: z.object({ plugins: z.array(z.looseObject({})), themes: z.array(z.looseObject({})) }),
      summary: Summary,
    }),
    annotations: READ,
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const q = input;
      const site = await requireAccessibleSite(ctx, q.site_id_or_domain, input);
      const [sync, global] = await Promise.all([getSiteSync(ctx.kv, site.id), getGlobalIgnoredLists(ctx.kv)]);
      const items = updateItemsOf(site, availableUpdates(site, sync, global), selectedTypes(q.types, true));
      const stored = storedUpdates(sync);
      const rollback = (kind: IgnoreKind) =>
        Object.entries(rollbackItems(stored, kind)).map(([slug, entry]) => ({ slug, ...asMap(entry) }));
      return {
        site_id: site.id,
        site_url: site.url,
        site_name: site.name,
        updates: items,
        rollback_items: { plugins: rollback("plugins"), themes: rollback("themes") },
        summary: updateSummary(items),
      };
    },
  });

  sink.register({
    name: "mainwp/update-site-core-v1",
    label: "Update WordPress Core",
    description: "Updates WordPress core on one site to the version its last sync reported.",
    category: "mainwp-updates",
    input: siteCoreInput,
    output: z.object({ updated: UpdatedItemSchema }),
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: SITE_UPDATE_RULE },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const { site, sync } = await updatableSite(ctx, input);
      const wp = storedUpdates(sync).wp;
      if (!wp || !scalarText(wp.current) || !scalarText(wp.new)) {
        throw restError("mainwp_no_updates", "No core updates available for this site.", 404);
      }
      const [item] = updateItemsOf(
        site,
        { wp, plugins: {}, themes: {}, translations: [] },
        new Set(["core"]),
      );
      const result = await runCoreUpdate(ctx, site, item);
      if (!("item" in result)) throw new RestError(result.code, result.message, null);
      await forgetUpdated(ctx, site.id, [result.item]);
      try {
        await refreshAfterUpdate(ctx, site.id, isPlainObject(result.reply.sync) ? result.reply : null);
      } catch (error) {
        if (!(error instanceof ChildError)) throw error;
      }
      return { updated: result.item };
    },
  });

  for (const kind of ["plugins", "themes", "translations"] as const) {
    const noun = ITEM_TYPE[kind];
    sink.register({
      name: `mainwp/update-site-${kind}-v1`,
      label: `Update Site ${kind[0].toUpperCase()}${kind.slice(1)}`,
      description: kind === "translations"
        ? "Updates one site's pending translations, all of them or the given slugs."
        : `Updates one site's pending ${noun} updates (not ignored), all of them or the given slugs.`,
      category: "mainwp-updates",
      input: siteItemsUpdateInput(kind),
      output: SiteRunOutput,
      annotations: { readonly: false, destructive: false, idempotent: false, instructions: SITE_UPDATE_RULE },
      permission: sitePermission,
      execute: async ({ ctx, input }) => {
        const q = input;
        const { site, sync } = await updatableSite(ctx, input);
        const pending: PendingUpdates = kind === "translations"
          ? { wp: null, plugins: {}, themes: {}, translations: storedUpdates(sync).translations }
          : availableUpdates(site, sync, await getGlobalIgnoredLists(ctx.kv));
        const wanted = new Set(slugList(q.slugs));
        const items = updateItemsOf(site, pending, new Set([kind]))
          .filter((i) => wanted.size === 0 || wanted.has(i.slug));
        const outcome = items.length > 0
          ? await applyUpdateItems(ctx, site, items, true)
          : { updated: [], errors: [] };
        return {
          updated: outcome.updated,
          errors: outcome.errors,
          summary: { total_updated: outcome.updated.length, total_errors: outcome.errors.length },
        };
      },
    });
  }

  sink.register({
    name: "mainwp/ignore-site-core-v1",
    label: "Ignore Site Core Updates",
    description: "Ignores every WordPress core update on one site, or (action remove) stops ignoring them.",
    category: "mainwp-updates",
    input: ignoreCoreInput,
    output: IgnoreOutput,
    annotations: { readonly: false, destructive: false, idempotent: true, instructions: IGNORE_RULE },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const q = input;
      const site = await requireAccessibleSite(ctx, q.site_id_or_domain, input);
      const remove = q.action === "remove";
      if (remove) await unignoreCore(ctx, site);
      else await setIgnoredCore(ctx, site.id, ["all_versions"]);
      return {
        success: true,
        message: remove ? "Core updates unignored for this site." : "Core updates ignored for this site.",
        ignored_count: 1,
      };
    },
  });

  for (const kind of ["plugins", "themes"] as const) {
    sink.register({
      name: `mainwp/ignore-site-${kind}-v1`,
      label: `Ignore Site ${kind === "plugins" ? "Plugin" : "Theme"} Updates`,
      description:
        `Ignores every update of the given ${kind} on one site, or (action remove) stops ignoring them.`,
      category: "mainwp-updates",
      input: ignoreItemsInput(kind),
      output: IgnoreOutput,
      annotations: { readonly: false, destructive: false, idempotent: true, instructions: IGNORE_RULE },
      permission: sitePermission,
      execute: async ({ ctx, input }) => {
        const q = input;
        const site = await requireAccessibleSite(ctx, q.site_id_or_domain, input);
        const slugs = slugList(q.slugs);
        const action = q.action;
        const count = action === "add"
          ? await ignoreSiteItems(ctx, site, kind, slugs)
          : (await unignoreSiteItems(ctx, site, kind, slugs)).length;
        return { success: count > 0, message: ignoreMessage(kind, action, count), ignored_count: count };
      },
    });
  }

  sink.register({
    name: "mainwp/update-all-v1",
    label: "Update Everything",
    description:
      "Applies every pending (not ignored) update of the chosen types on the given sites, or on every site. Sites without pending updates are skipped.",
    category: "mainwp-updates",
    input: updateAllInput,
    output: z.union([QueuedOutput, RunOutput]),
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: RUN_RULE },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      // Absent `types` defaults to all four; an explicit empty list selects nothing (abilities.md §2.5, 41).
      const types = selectedTypes(input.types, false);
      const resolved = await resolveSiteList(ctx, input.site_ids_or_domains, input);
      const queued = resolved.allowed.length > 0 && await queueUpdateJob(ctx, resolved, [...types], [], true);
      if (queued) return queued;
      const global = await getGlobalIgnoredLists(ctx.kv);
      const outcomes = await mapConcurrent(
        distinctSites(resolved.allowed),
        UPDATE_ALL_CONCURRENCY,
        async (site): Promise<SiteOutcome> => {
          const offline = siteOfflineError(site);
          if (offline) {
            return {
              updated: [],
              errors: [updateErrorItem(site, "site", "", offline.code, offline.message, true)],
            };
          }
          const sync = await getSiteSync(ctx.kv, site.id);
          const items = updateItemsOf(site, availableUpdates(site, sync, global), types);
          if (items.length === 0) return { updated: [], errors: [] };
          const outdated = childOutdatedError(site, sync, "4.0");
          if (outdated) {
            return {
              updated: [],
              errors: items.map((i) =>
                updateErrorItem(site, i.type, i.slug, outdated.code, outdated.message, true)
              ),
            };
          }
          return await applyUpdateItems(ctx, site, items, true);
        },
      );
      return updateRunResult(resolved.denied.map((d) => deniedItem(d, true)), outcomes);
    },
  });
}
