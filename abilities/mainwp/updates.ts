/**
 * @module
 * MainWP's update abilities (abilities.md §2.5, 31–41): list pending and ignored updates, run them for
 * many sites or one site (core, plugins, themes, translations), and ignore or unignore them. Each
 * ability resolves its sites and calls the update core (`core/updates/`), the same lists, ignore rules
 * and update pipeline the `/updates` REST routes and the update jobs use; the schemas are in
 * `update-shapes.ts`.
 *
 * @example
 * ```ts
 * registerUpdateAbilities(sink);
 * ```
 */
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import type { AppContext } from "../../app-context.ts";
import { basePermission, sitePermission } from "./permissions.ts";
import { RestError, restError } from "../../rest/errors.ts";
import { jobStatusUrl } from "../../jobs/queue.ts";
import type { JobRecord } from "../../jobs/store.ts";
import { type DeniedSite, type ResolvedSites, resolveSiteList } from "./site-lists.ts";
import { requireAccessibleSite } from "../../core/sites/resolve.ts";
import {
  ignoredItemsOf,
  ITEM_TYPE,
  pendingItemsOf,
  siteUpdateItems,
  UPDATE_TYPES,
  type UpdateErrorItem,
  updateSummary,
  type UpdateType,
} from "../../core/updates/items.ts";
import {
  ignoreCoreVersions,
  ignoreSiteItems,
  unignoreCore,
  unignoreSiteItems,
} from "../../core/updates/ignore.ts";
import { runUpdates, updateSiteCore, updateSiteKind } from "../../core/updates/outcomes.ts";
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

/** MainWP's queued answer (abilities.md §3.1), with the resolution errors. */
function queuedAnswer(ctx: AppContext, job: JobRecord, resolved: ResolvedSites, withName: boolean) {
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
function ignoreMessage(kind: "plugins" | "themes", action: "add" | "remove", count: number): string {
  const noun = kind === "plugins" ? "plugin" : "theme";
  const verb = action === "add" ? "ignored" : "unignored";
  if (count === 0) return `No ${noun}s were ${verb}.`;
  return `${count} ${noun}${count === 1 ? "" : "s"} ${verb}.`;
}

// ---------------------------------------------------------------------------------------------------
// Registration

/** Resolves the site of a site-scoped ability. */
async function siteOf(ctx: AppContext, input: { site_id_or_domain: number | string }) {
  return await requireAccessibleSite(ctx, input.site_id_or_domain, input);
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
      const resolved = await resolveSiteList(ctx, input.site_ids_or_domains, input);
      const items = await pendingItemsOf(ctx, resolved.allowed, selectedTypes(input.types, true));
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
      const resolved = await resolveSiteList(ctx, input.site_ids_or_domains, input);
      const request = {
        kind: "run" as const,
        types: selectedTypes(input.types, true),
        only: new Set(input.specific_items),
      };
      const denied = resolved.denied.map((d) => deniedItem(d, false));
      const outcome = await runUpdates(ctx, resolved.allowed, request, denied);
      return "queued" in outcome ? queuedAnswer(ctx, outcome.queued, resolved, false) : outcome.ran;
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
      const resolved = await resolveSiteList(ctx, input.site_ids_or_domains, input);
      const ignored = await ignoredItemsOf(
        ctx,
        resolved.allowed,
        (t) => given.length === 0 || given.includes(t),
      );
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
      const site = await siteOf(ctx, q);
      if (q.type === "core") {
        if (q.action === "ignore") await ignoreCoreVersions(ctx, site.id);
        else await unignoreCore(ctx, site);
      } else {
        const kind = q.type === "plugin" ? "plugins" : "themes";
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
      const site = await siteOf(ctx, input);
      const { items, rollback } = await siteUpdateItems(ctx, site, selectedTypes(input.types, true));
      return {
        site_id: site.id,
        site_url: site.url,
        site_name: site.name,
        updates: items,
        rollback_items: rollback,
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
      const result = await updateSiteCore(ctx, await siteOf(ctx, input));
      if ("none" in result) {
        throw restError("mainwp_no_updates", "No core updates available for this site.", 404);
      }
      if (!("item" in result)) throw new RestError(result.code, result.message, null);
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
        const outcome = await updateSiteKind(ctx, await siteOf(ctx, input), kind, slugList(input.slugs));
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
      const site = await siteOf(ctx, input);
      const remove = input.action === "remove";
      if (remove) await unignoreCore(ctx, site);
      else await ignoreCoreVersions(ctx, site.id);
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
        const site = await siteOf(ctx, input);
        const slugs = slugList(input.slugs);
        const action = input.action;
        const count = action === "remove"
          ? (await unignoreSiteItems(ctx, site, kind, slugs)).length
          : slugs.length === 0
          ? 0
          : (await ignoreSiteItems(ctx, site, kind, slugs)).added.length;
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
      const resolved = await resolveSiteList(ctx, input.site_ids_or_domains, input);
      const request = {
        kind: "all" as const,
        types: selectedTypes(input.types, false),
        only: new Set<string>(),
      };
      const denied = resolved.denied.map((d) => deniedItem(d, true));
      const outcome = await runUpdates(ctx, resolved.allowed, request, denied);
      return "queued" in outcome ? queuedAnswer(ctx, outcome.queued, resolved, true) : outcome.ran;
    },
  });
}
