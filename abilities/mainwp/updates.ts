/**
 * @module
 * MainWP's update abilities (abilities.md §2.5, 31–41): list pending and ignored updates, run them for
 * many sites or one site (core, plugins, themes, translations), and ignore or unignore them. The
 * pending lists, the ignore rules and the child calls are the same service functions the `/updates`
 * REST routes use (`services/update-lists.ts`, `services/updates.ts`); this module only shapes the
 * abilities' inputs and outputs (Update items, Updated items, error items).
 *
 * @example
 * ```ts
 * registerUpdateAbilities(sink);
 * ```
 */
import { listInput } from "../schema-validate.ts";
import { jobStatusUrl, queueAboveThreshold } from "../../jobs/queue.ts";
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import type { AppContext } from "../../lib/context.ts";
import { basePermission, sitePermission } from "./permissions.ts";
import { RestError, restError } from "../../rest/errors.ts";
import { mapConcurrent } from "../../rest/batch.ts";
import { encodeWpJson } from "../../rest/json.ts";
import { ChildError } from "../../child/errors.ts";
import { isPlainObject } from "../../child/envelope.ts";
import { childErrorMessage } from "../../services/site-child.ts";
import {
  childOutdatedError,
  type DeniedSite,
  requireAccessibleSite,
  type ResolvedSites,
  resolveSiteList,
  siteOfflineError,
} from "../../services/site-resolve.ts";
import {
  callCoreUpdate,
  callItemsUpdate,
  ignoreItems,
  refreshAfterUpdate,
  unignoreItems,
} from "../../services/updates.ts";
import {
  asMap,
  IGNORED_CORE_OPTION,
  ignoredCoreVersions,
  isCoreVersionIgnored,
  type ItemKind,
  type Json,
  newVersionOf,
  parseJsonText,
  type PendingUpdates,
  pendingUpdates,
  rollbackItems,
  siteIgnoreList,
  storedUpdates,
} from "../../services/update-lists.ts";
import { UPDATE_ALL_CONCURRENCY } from "../../services/update-run.ts";
import { getGlobalIgnoredLists, type IgnoreKind, type IgnoreList } from "../../store/settings.ts";
import { getSiteSync, type SiteRecord, type SiteSyncData, writeSiteSync } from "../../store/sites.ts";

// ---------------------------------------------------------------------------------------------------
// Shapes

/** The four update types of the abilities' `types` inputs. */
const UPDATE_TYPES = ["core", "plugins", "themes", "translations"] as const;
type UpdateType = (typeof UPDATE_TYPES)[number];
/** The `type` of an Update item per update type. */
const ITEM_TYPE: Record<UpdateType, string> = {
  core: "core",
  plugins: "plugin",
  themes: "theme",
  translations: "translation",
};

/** An Update item (abilities.md §2.4). */
export interface UpdateItem {
  site_id: number;
  site_url: string;
  site_name: string;
  type: string;
  slug: string;
  name: string;
  current_version: string;
  new_version: string;
}

/** An Updated item: an Update item with `old_version` in place of `current_version`. */
export interface UpdatedItem {
  site_id: number;
  site_url: string;
  site_name: string;
  type: string;
  slug: string;
  name: string;
  old_version: string;
  new_version: string;
}

/** An error item of the update abilities (`site_name` only where MainWP sends it). */
type ErrorItem = {
  site_id: number;
  site_url: string;
  site_name?: string;
  type: string;
  slug: string;
  code: string;
  message: string;
};

const identifiers = z.array(z.union([z.int(), z.string()])).default([]);
const typesInput = z.array(z.enum(UPDATE_TYPES));
const siteId = z.union([z.int(), z.string()]);

const UpdateItemSchema = z.object({
  site_id: z.int(),
  site_url: z.string(),
  site_name: z.string(),
  type: z.string(),
  slug: z.string(),
  name: z.string(),
  current_version: z.string(),
  new_version: z.string(),
});
const UpdatedItemSchema = z.object({
  site_id: z.int(),
  site_url: z.string(),
  site_name: z.string(),
  type: z.string(),
  slug: z.string(),
  name: z.string(),
  old_version: z.string(),
  new_version: z.string(),
});
const ErrorItemSchema = z.looseObject({
  site_id: z.int(),
  site_url: z.string(),
  type: z.string(),
  slug: z.string(),
  code: z.string(),
  message: z.string(),
});
const Summary = z.object({
  core: z.int(),
  plugins: z.int(),
  themes: z.int(),
  translations: z.int(),
  total: z.int(),
});
const RunSummary = z.object({ total_updated: z.int(), total_errors: z.int(), sites_updated: z.int() });
const RunOutput = z.object({
  updated: z.array(UpdatedItemSchema),
  errors: z.array(ErrorItemSchema),
  summary: RunSummary,
});
const QueuedOutput = z.object({
  queued: z.literal(true),
  job_id: z.string(),
  status_url: z.string(),
  updates_queued: z.int(),
  errors: z.array(ErrorItemSchema),
});
const SiteRunOutput = z.object({
  updated: z.array(UpdatedItemSchema),
  errors: z.array(ErrorItemSchema),
  summary: z.object({ total_updated: z.int(), total_errors: z.int() }),
});
const IgnoreOutput = z.object({ success: z.boolean(), message: z.string(), ignored_count: z.int() });

const READ = { readonly: true, destructive: false, idempotent: true, instructions: "" };
const RUN_RULE =
  "Updates are applied on the live child sites right away and cannot be undone from the dashboard. Pass site_ids_or_domains with ids, domains or URLs, or an empty list for every site. Above the batch threshold (200 sites by default) the run is queued as a background job; poll mainwp/get-batch-job-status-v1 with the job_id.";
const SITE_UPDATE_RULE =
  "Applies updates on the live child site immediately. List them first with mainwp/get-site-updates-v1 and confirm with the user which items to update.";
const IGNORE_RULE =
  "Ignored updates are hidden from update lists and skipped by update runs until they are unignored. Use action remove to unignore.";

/** The selected types in canonical order; an empty input selects all of them when `emptyMeansAll`, else none. */
function selectedTypes(value: unknown, emptyMeansAll: boolean): Set<UpdateType> {
  const given = listInput(value).map(String);
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
function deniedItem(denied: DeniedSite, withName: boolean): ErrorItem {
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

/** An error item about one site (or one of its items). */
function siteError(
  site: SiteRecord,
  type: string,
  slug: string,
  code: string,
  message: string,
  withName: boolean,
): ErrorItem {
  return {
    site_id: site.id,
    site_url: site.url,
    ...(withName ? { site_name: site.name } : {}),
    type,
    slug,
    code,
    message,
  };
}

const str = (value: unknown) => typeof value === "string" || typeof value === "number" ? String(value) : "";

// ---------------------------------------------------------------------------------------------------
// Pending updates as Update items

/** A site with its stored sync data. */
interface SiteState {
  site: SiteRecord;
  sync: SiteSyncData | null;
}

/**
 * The site's pending updates under the abilities' ignore rules: the REST routes' rules (per-site flags,
 * per-site and global plugin/theme lists) plus the site's `ignored_wp_upgrades` option for core.
 *
 * @example
 * ```ts
 * availableUpdates(site, sync, await getGlobalIgnoredLists(ctx.kv)).plugins;
 * ```
 */
export function availableUpdates(
  site: SiteRecord,
  sync: SiteSyncData | null,
  global: Record<IgnoreKind, IgnoreList>,
): PendingUpdates {
  const pending = pendingUpdates(site, sync, global);
  if (pending.wp && isCoreVersionIgnored(sync, str(pending.wp.new))) return { ...pending, wp: null };
  return pending;
}

/**
 * A site's pending updates as Update items, in MainWP's order (core, plugins, themes, translations).
 *
 * @example
 * ```ts
 * updateItemsOf(site, availableUpdates(site, sync, global), new Set(["plugins"]));
 * ```
 */
export function updateItemsOf(
  site: SiteRecord,
  pending: PendingUpdates,
  types: ReadonlySet<UpdateType>,
): UpdateItem[] {
  const base = { site_id: site.id, site_url: site.url, site_name: site.name };
  const items: UpdateItem[] = [];
  if (types.has("core") && pending.wp) {
    items.push({
      ...base,
      type: "core",
      slug: "wordpress",
      name: "WordPress",
      current_version: str(pending.wp.current),
      new_version: str(pending.wp.new),
    });
  }
  for (const kind of ["plugins", "themes"] as const) {
    if (!types.has(kind)) continue;
    for (const [slug, raw] of Object.entries(pending[kind])) {
      const entry = asMap(raw);
      items.push({
        ...base,
        type: ITEM_TYPE[kind],
        slug,
        name: str(entry.Name) || slug,
        current_version: str(entry.Version),
        new_version: newVersionOf(entry),
      });
    }
  }
  if (types.has("translations")) {
    for (const t of pending.translations) {
      const slug = str(t.slug);
      items.push({
        ...base,
        type: "translation",
        slug,
        name: str(t.name) || slug,
        current_version: str(t.version),
        new_version: str(t.new_version),
      });
    }
  }
  return items;
}

/** Counts per type (`summary` of list-updates and get-site-updates). */
function summaryOf(items: readonly UpdateItem[]) {
  const count = (type: string) => items.filter((i) => i.type === type).length;
  return {
    core: count("core"),
    plugins: count("plugin"),
    themes: count("theme"),
    translations: count("translation"),
    total: items.length,
  };
}

// ---------------------------------------------------------------------------------------------------
// Running updates

/** What updating one site produced. */
interface SiteOutcome {
  updated: UpdatedItem[];
  errors: ErrorItem[];
}

/** MainWP's message for a core update the child did not report as successful. */
function coreFailureMessage(reply: Json): string {
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

/** The outcome of a core update: the Updated item, or the error code and message. */
type CoreOutcome =
  | { item: UpdatedItem; reply: Json }
  | { code: string; message: string; reply: Json | null };

/**
 * Updates WordPress core through the child with MainWP's hooks (`mainwp_before_wp_update`,
 * `mainwp_after_wp_update`, on success `mainwp_after_upgrade_wp_success`).
 */
async function runCoreUpdate(ctx: AppContext, site: SiteRecord, item: UpdateItem): Promise<CoreOutcome> {
  await ctx.hooks.doAction("mainwp_before_wp_update", site);
  let reply: Json;
  try {
    reply = await callCoreUpdate(ctx, site);
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    return { code: "mainwp_update_exception", message: exceptionMessage(error), reply: null };
  }
  await ctx.hooks.doAction("mainwp_after_wp_update", reply, site);
  if (reply.upgrade !== "SUCCESS") {
    return { code: "mainwp_update_failed", message: coreFailureMessage(reply), reply };
  }
  await ctx.hooks.doAction("mainwp_after_upgrade_wp_success", site, reply);
  const { current_version, ...rest } = item;
  return {
    item: { ...rest, old_version: current_version, new_version: str(reply.version) || item.new_version },
    reply,
  };
}

/** Forgets what was updated from the stored lists (MainWP does this; the refresh then confirms it). */
async function forgetUpdated(ctx: AppContext, siteId: number, updated: readonly UpdatedItem[]) {
  if (updated.length === 0) return;
  const gone = (type: string) => new Set(updated.filter((u) => u.type === type).map((u) => u.slug));
  await writeSiteSync(ctx.kv, siteId, (previous) => {
    const next: SiteSyncData = { ...previous };
    if (gone("core").size > 0) next.wp_upgrades = "";
    for (const [type, column] of [["plugin", "plugin_upgrades"], ["theme", "theme_upgrades"]] as const) {
      const slugs = gone(type);
      if (slugs.size === 0) continue;
      const map = { ...asMap(parseJsonText(previous?.[column])) };
      for (const slug of slugs) delete map[slug];
      next[column] = Object.keys(map).length > 0 ? encodeWpJson(map) : "";
    }
    const translations = gone("translation");
    if (translations.size > 0) {
      const list = parseJsonText(previous?.translation_upgrades);
      const kept = (Array.isArray(list) ? list : Object.values(asMap(list)))
        .filter((t) => !translations.has(str(asMap(t).slug)));
      next.translation_upgrades = kept.length > 0 ? encodeWpJson(kept) : "";
    }
    return next;
  });
}

/**
 * Applies the given pending Update items of one site: core first, then one child call per kind
 * (plugins, themes, translations), each between `mainwp_before/after_plugin_theme_translation_update`.
 * Afterwards updated items are dropped from the stored lists and the lists are refreshed from the
 * child. `withName` puts `site_name` on site/core error items (update-all does, run-updates does not).
 */
async function applyUpdates(
  ctx: AppContext,
  site: SiteRecord,
  items: readonly UpdateItem[],
  withName: boolean,
): Promise<SiteOutcome> {
  const out: SiteOutcome = { updated: [], errors: [] };
  let answered = false;
  let last: Json | null = null;
  const core = items.find((i) => i.type === "core");
  if (core) {
    const result = await runCoreUpdate(ctx, site, core);
    if ("item" in result) out.updated.push(result.item);
    else out.errors.push(siteError(site, "core", "wordpress", result.code, result.message, withName));
    if (result.reply) {
      answered = true;
      last = isPlainObject(result.reply.sync) ? result.reply : null;
    }
  }
  for (const kind of ["plugins", "themes", "translations"] as ItemKind[]) {
    const type = ITEM_TYPE[kind];
    const group = new Map<string, UpdateItem>();
    for (const item of items) if (item.type === type && !group.has(item.slug)) group.set(item.slug, item);
    if (group.size === 0) continue;
    const slugs = [...group.keys()];
    const csv = slugs.join(",");
    await ctx.hooks.doAction("mainwp_before_plugin_theme_translation_update", type, csv, site);
    let reply: Json | null = null;
    try {
      reply = await callItemsUpdate(ctx, site, kind, slugs);
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      await ctx.hooks.doAction("mainwp_after_plugin_theme_translation_update", null, type, csv, site);
      for (const slug of slugs) {
        out.errors.push(
          siteError(site, type, slug, "mainwp_update_exception", exceptionMessage(error), true),
        );
      }
      continue;
    }
    await ctx.hooks.doAction("mainwp_after_plugin_theme_translation_update", reply, type, csv, site);
    answered = true;
    last = isPlainObject(reply.sync) ? reply : null;
    const upgrades = asMap(reply.upgrades);
    const failures = asMap(reply.upgrades_error);
    const details = asMap(asMap(reply.other_data).updated_data);
    for (const [slug, item] of group) {
      if (upgrades[slug] && !(slug in failures)) {
        const { current_version, ...rest } = item;
        out.updated.push({
          ...rest,
          old_version: current_version,
          new_version: str(asMap(details[slug]).version) || item.new_version,
        });
      } else {
        const message = slug in failures
          ? str(failures[slug]) || "Update failed."
          : "The child site did not report this item as updated.";
        out.errors.push(siteError(site, type, slug, "mainwp_update_failed", message, true));
      }
    }
  }
  if (answered) {
    await forgetUpdated(ctx, site.id, out.updated);
    try {
      await refreshAfterUpdate(ctx, site.id, last);
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
    }
  }
  return out;
}

/** The immediate run over many sites: outcomes flattened in site order, with the summary. */
function runResult(errors: ErrorItem[], outcomes: readonly SiteOutcome[]) {
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
}

/** The allowed sites once each (a site named twice is updated once), in first-seen order. */
function distinctSites(sites: readonly SiteRecord[]): SiteRecord[] {
  const seen = new Set<number>();
  return sites.filter((s) => !seen.has(s.id) && seen.add(s.id));
}

// ---------------------------------------------------------------------------------------------------
// Ignore lists

/** Writes the site's `ignored_wp_upgrades` option (`null` clears it). */
async function setIgnoredCore(ctx: AppContext, siteId: number, versions: string[] | null): Promise<void> {
  await writeSiteSync(ctx.kv, siteId, (previous) => {
    const options = { ...previous?.options };
    if (versions === null) delete options[IGNORED_CORE_OPTION];
    else options[IGNORED_CORE_OPTION] = encodeWpJson({ ignored_versions: versions });
    return { ...previous, options };
  });
}

/** Clears the site's ignored core versions, between `mainwp_before/after_core_unignore`. */
async function unignoreCore(ctx: AppContext, site: SiteRecord): Promise<void> {
  await ctx.hooks.doAction("mainwp_before_core_unignore", [], site);
  await setIgnoredCore(ctx, site.id, null);
  await ctx.hooks.doAction("mainwp_after_core_unignore", [], site);
}

/** Removes slugs from a site's ignore list, between `mainwp_before/after_{plugin|theme}_unignore`. */
async function unignore(ctx: AppContext, site: SiteRecord, kind: IgnoreKind, slugs: string[]) {
  const noun = kind === "plugins" ? "plugin" : "theme";
  await ctx.hooks.doAction(`mainwp_before_${noun}_unignore`, site, slugs);
  const removed = await unignoreItems(ctx, site, kind, slugs);
  await ctx.hooks.doAction(`mainwp_after_${noun}_unignore`, site, slugs);
  return removed;
}

/** Adds slugs to a site's ignore list (REST's service, hooks included); returns how many were new. */
async function ignore(ctx: AppContext, site: SiteRecord, kind: IgnoreKind, slugs: string[]) {
  if (slugs.length === 0) return 0;
  const result = await ignoreItems(ctx, site, kind, slugs);
  return Array.isArray(result.data) ? result.data.length : 0;
}

/** The site's ignored plugins or themes: its own entries first, then global ones it does not override. */
function ignoredEntries(site: SiteRecord, kind: IgnoreKind, global: IgnoreList) {
  const own = siteIgnoreList(site, kind);
  const merged: [string, unknown][] = Object.entries(own);
  for (const [slug, entry] of Object.entries(global)) {
    if (!Object.hasOwn(own, slug)) merged.push([slug, entry]);
  }
  return merged.map(([slug, entry]) => {
    if (typeof entry === "string") return { slug, name: entry || slug, ignored_version: "all_versions" };
    const map = asMap(entry);
    const versions = Array.isArray(map.ignored_versions) ? map.ignored_versions.map(String) : [];
    return {
      slug,
      name: str(map.Name) || slug,
      ignored_version: versions.length > 0 ? versions.join(", ") : "all_versions",
    };
  });
}

/** A clean slug list: strings, trimmed, no empties or repeats. */
function slugList(value: unknown): string[] {
  return [...new Set(listInput(value).map((s) => str(s).trim()).filter((s) => s !== ""))];
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
async function updatableSite(ctx: AppContext, input: unknown): Promise<SiteState> {
  const site = await requireAccessibleSite(
    ctx,
    (input as { site_id_or_domain?: unknown }).site_id_or_domain,
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
    input: z.object({
      site_ids_or_domains: identifiers,
      types: typesInput.default([]),
      page: z.int().min(1).default(1),
      per_page: z.int().min(1).max(200).default(50),
    }).strict().nullable().default(null),
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
      const q = (input ?? {}) as {
        site_ids_or_domains?: unknown;
        types?: unknown;
        page?: unknown;
        per_page?: unknown;
      };
      const page = Number(q.page ?? 1);
      const perPage = Number(q.per_page ?? 50);
      const types = selectedTypes(q.types, true);
      const resolved = await resolveSiteList(ctx, listInput(q.site_ids_or_domains), input);
      const global = await getGlobalIgnoredLists(ctx.kv);
      const syncs = await Promise.all(resolved.allowed.map((s) => getSiteSync(ctx.kv, s.id)));
      const items = resolved.allowed.flatMap((site, i) =>
        updateItemsOf(site, availableUpdates(site, syncs[i], global), types)
      );
      return {
        updates: items.slice((page - 1) * perPage, page * perPage),
        summary: summaryOf(items),
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
    input: z.object({
      site_ids_or_domains: identifiers,
      types: typesInput.default([]),
      specific_items: z.array(z.string()).default([]),
    }).strict().nullable().default(null),
    output: z.union([QueuedOutput, RunOutput]),
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: RUN_RULE },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = (input ?? {}) as { site_ids_or_domains?: unknown; types?: unknown; specific_items?: unknown };
      const types = selectedTypes(q.types, true);
      const only = new Set(listInput(q.specific_items).map(str));
      const resolved = await resolveSiteList(ctx, listInput(q.site_ids_or_domains), input);
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
              errors: [siteError(site, "site", "", refused.code, refused.message, false)],
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
              errors: [siteError(site, "site", "", verdict.code, verdict.message, false)],
            };
          }
          return await applyUpdates(ctx, site, items, false);
        },
      );
      return runResult(resolved.denied.map((d) => deniedItem(d, false)), outcomes);
    },
  });

  sink.register({
    name: "mainwp/list-ignored-updates-v1",
    label: "List Ignored Updates",
    description:
      "Lists the updates ignored on the given sites (or every site): core versions and plugins/themes from the site's own and the global ignore lists.",
    category: "mainwp-updates",
    input: z.object({
      site_ids_or_domains: identifiers,
      types: z.array(z.enum(["core", "plugins", "themes"])).default([]),
    }).strict().nullable().default(null),
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
      const q = (input ?? {}) as { site_ids_or_domains?: unknown; types?: unknown };
      const given = listInput(q.types).map(String);
      const wants = (t: string) => given.length === 0 || given.includes(t);
      const resolved = await resolveSiteList(ctx, listInput(q.site_ids_or_domains), input);
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
    input: z.object({
      action: z.enum(["ignore", "unignore"]),
      site_id_or_domain: siteId,
      type: z.enum(["core", "plugin", "theme"]),
      slug: z.string(),
    }).strict(),
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
      const q = input as {
        action: "ignore" | "unignore";
        site_id_or_domain: unknown;
        type: string;
        slug: string;
      };
      const site = await requireAccessibleSite(ctx, q.site_id_or_domain, input);
      if (q.type === "core") {
        if (q.action === "ignore") await setIgnoredCore(ctx, site.id, ["all_versions"]);
        else await unignoreCore(ctx, site);
      } else {
        const kind: IgnoreKind = q.type === "plugin" ? "plugins" : "themes";
        const slug = q.slug.trim();
        if (slug === "") throw restError("mainwp_invalid_input", "A slug is required.", 400);
        if (q.action === "ignore") await ignore(ctx, site, kind, [slug]);
        else await unignore(ctx, site, kind, [slug]);
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
    input: z.object({
      site_id_or_domain: siteId,
      types: typesInput.default([...UPDATE_TYPES]),
    }).strict(),
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
      const q = input as { site_id_or_domain: unknown; types?: unknown };
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
        summary: summaryOf(items),
      };
    },
  });

  sink.register({
    name: "mainwp/update-site-core-v1",
    label: "Update WordPress Core",
    description: "Updates WordPress core on one site to the version its last sync reported.",
    category: "mainwp-updates",
    input: z.object({ site_id_or_domain: siteId }).strict(),
    output: z.object({ updated: UpdatedItemSchema }),
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: SITE_UPDATE_RULE },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const { site, sync } = await updatableSite(ctx, input);
      const wp = storedUpdates(sync).wp;
      if (!wp || !str(wp.current) || !str(wp.new)) {
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
      input: z.object({ site_id_or_domain: siteId, slugs: z.array(z.string()).default([]) }).strict(),
      output: SiteRunOutput,
      annotations: { readonly: false, destructive: false, idempotent: false, instructions: SITE_UPDATE_RULE },
      permission: sitePermission,
      execute: async ({ ctx, input }) => {
        const q = input as { slugs?: unknown };
        const { site, sync } = await updatableSite(ctx, input);
        const pending: PendingUpdates = kind === "translations"
          ? { wp: null, plugins: {}, themes: {}, translations: storedUpdates(sync).translations }
          : availableUpdates(site, sync, await getGlobalIgnoredLists(ctx.kv));
        const wanted = new Set(slugList(q.slugs));
        const items = updateItemsOf(site, pending, new Set([kind]))
          .filter((i) => wanted.size === 0 || wanted.has(i.slug));
        const outcome = items.length > 0
          ? await applyUpdates(ctx, site, items, true)
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
    input: z.object({ site_id_or_domain: siteId, action: z.enum(["add", "remove"]).default("add") }).strict(),
    output: IgnoreOutput,
    annotations: { readonly: false, destructive: false, idempotent: true, instructions: IGNORE_RULE },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const q = input as { site_id_or_domain: unknown; action?: "add" | "remove" };
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
      input: z.object({
        site_id_or_domain: siteId,
        slugs: z.array(z.string()),
        action: z.enum(["add", "remove"]).default("add"),
      }).strict(),
      output: IgnoreOutput,
      annotations: { readonly: false, destructive: false, idempotent: true, instructions: IGNORE_RULE },
      permission: sitePermission,
      execute: async ({ ctx, input }) => {
        const q = input as { site_id_or_domain: unknown; slugs: unknown; action?: "add" | "remove" };
        const site = await requireAccessibleSite(ctx, q.site_id_or_domain, input);
        const slugs = slugList(q.slugs);
        const action = q.action === "remove" ? "remove" : "add";
        const count = action === "add"
          ? await ignore(ctx, site, kind, slugs)
          : (await unignore(ctx, site, kind, slugs)).length;
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
    input: z.object({
      site_ids_or_domains: identifiers,
      types: typesInput.default([...UPDATE_TYPES]),
    }).strict().nullable().default(null),
    output: z.union([QueuedOutput, RunOutput]),
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: RUN_RULE },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = (input ?? {}) as { site_ids_or_domains?: unknown; types?: unknown };
      // An explicit empty `types` selects nothing (abilities.md §2.5, 41).
      const types = q.types === undefined ? new Set(UPDATE_TYPES) : selectedTypes(q.types, false);
      const resolved = await resolveSiteList(ctx, listInput(q.site_ids_or_domains), input);
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
              errors: [siteError(site, "site", "", offline.code, offline.message, true)],
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
                siteError(site, i.type, i.slug, outdated.code, outdated.message, true)
              ),
            };
          }
          return await applyUpdates(ctx, site, items, true);
        },
      );
      return runResult(resolved.denied.map((d) => deniedItem(d, true)), outcomes);
    },
  });
}
