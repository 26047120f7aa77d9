/**
 * @module
 * The one update pipeline: applies a site's planned updates through its child — core first (`upgrade`),
 * then one call per kind (`upgradeplugintheme` / `upgradetranslation`) — with MainWP's hook bracketing,
 * records rollback data, and brings the stored lists up to date. Every surface uses it: the REST routes,
 * the abilities and the update jobs; what differs between them is the {@link UpdateMode}.
 *
 * @example
 * ```ts
 * const steps = await applySiteUpdates(ctx, site, { core: true, items: () => [] }, "immediate");
 * steps[0].reply?.upgrade; // "SUCCESS"
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { ChildError } from "../../child/errors.ts";
import { syncValuesFromReply } from "../../child/sync.ts";
import { encodeWpJson } from "../../wp/json.ts";
import { getSiteSync, type SiteSyncData, writeSiteSync } from "../../store/sites.ts";
import type { SiteRecord } from "../../store/sites.ts";
import { childSiteOf, recordSyncValues, syncSite } from "../sync/sync.ts";
import { nowSeconds } from "../../wp/dates.ts";
import { isPlainObject } from "../../lib/objects.ts";
import type { UpdateStepEvent } from "../../hooks/types.ts";
import {
  asMap,
  type ItemKind,
  type Json,
  parseJsonText,
  rollbackAfterUpdate,
  scalarText,
} from "./pending.ts";

/**
 * How an update is run, which decides its hooks and how failures and the stored lists are handled:
 * - `immediate` — an ability's run: `mainwp_before/after_wp_update` (+ `mainwp_after_upgrade_wp_success`)
 *   around core, `mainwp_before/after_plugin_theme_translation_update` around each kind; what updated is
 *   dropped from the stored lists, which are then refreshed once.
 * - `cron` — a background job, as MainWP's cron: `mainwp_before/after_core_update` around core (the
 *   after-hook also on failure, with `false`), the same item hooks; the lists are refreshed after each
 *   step, and any failure (not only a child's) is recorded on its step and the next step still runs.
 * - `plain` — the REST routes (MainWP 6.1.2's legacy update routes): no hooks; lists refreshed once.
 */
export type UpdateMode = "immediate" | "cron" | "plain";

interface Profile {
  /** Hooks around the core update: before, after, after a successful one. */
  core: readonly [string, string, string | null] | null;
  /** Whether the core after-hook fires (with `false`) when the child call failed. */
  coreAfterOnFailure: boolean;
  itemHooks: boolean;
  /** Record every failure on its step and go on (else only a child's failure; the rest is thrown). */
  keepGoing: boolean;
  refreshEachStep: boolean;
  /** Drop what updated from the stored lists before the refresh (which may fail). */
  forgetUpdated: boolean;
}

const PROFILES: Record<UpdateMode, Profile> = {
  immediate: {
    core: ["mainwp_before_wp_update", "mainwp_after_wp_update", "mainwp_after_upgrade_wp_success"],
    coreAfterOnFailure: false,
    itemHooks: true,
    keepGoing: false,
    refreshEachStep: false,
    forgetUpdated: true,
  },
  cron: {
    core: ["mainwp_before_core_update", "mainwp_after_core_update", null],
    coreAfterOnFailure: true,
    itemHooks: true,
    keepGoing: true,
    refreshEachStep: true,
    forgetUpdated: false,
  },
  plain: {
    core: null,
    coreAfterOnFailure: false,
    itemHooks: false,
    keepGoing: false,
    refreshEachStep: false,
    forgetUpdated: false,
  },
};

/** What to update on one site. `items` is asked per kind when its step comes (after the earlier ones). */
export interface UpdatePlan {
  core: boolean;
  items: (kind: ItemKind) => readonly string[] | Promise<readonly string[]>;
}

/** One child call of a run. */
export interface UpdateStep {
  kind: "core" | ItemKind;
  /** The items sent (`["wordpress"]` for core). */
  slugs: string[];
  /** The child's reply, `null` when the call failed. */
  reply: Json | null;
  /** Why the step failed (a {@link ChildError}, or in `cron` mode anything), else `null`. */
  error: unknown;
  /** `cron` mode: why refreshing the lists after this step failed, else `null`. */
  refreshError: unknown;
}

/** The child's item type per kind (`upgradeplugintheme`'s `type`, the item hooks' first argument). */
export const CHILD_TYPE: Record<ItemKind, "plugin" | "theme" | "translation"> = {
  plugins: "plugin",
  themes: "theme",
  translations: "translation",
};

/**
 * Stores what an update reply says about the site afterwards: its `sync` payload, or (without one) a
 * fresh sync.
 *
 * @example
 * ```ts
 * await refreshAfterUpdate(ctx, site.id, reply);
 * ```
 */
export async function refreshAfterUpdate(ctx: AppContext, siteId: number, reply: Json | null): Promise<void> {
  if (reply && isPlainObject(reply.sync)) {
    await recordSyncValues(ctx, siteId, syncValuesFromReply(reply.sync));
  } else {
    await syncSite(ctx, siteId);
  }
}

/** Remembers rolled-back versions (and forgets versions that now updated) from a plugin/theme reply. */
async function recordRollback(ctx: AppContext, siteId: number, kind: ItemKind, reply: Json): Promise<void> {
  if (kind === "translations") return;
  const type = kind === "plugins" ? "plugin" : "theme";
  const savedOf = (data: SiteSyncData | null) => asMap(parseJsonText(data?.options?.rollback_updates_data));
  const now = nowSeconds();
  if (rollbackAfterUpdate(savedOf(await getSiteSync(ctx.kv, siteId)), type, reply, now) === null) return;
  await writeSiteSync(ctx.kv, siteId, (previous) => {
    const next = rollbackAfterUpdate(savedOf(previous), type, reply, now);
    if (next === null) return previous ?? {};
    return { ...previous, options: { ...previous?.options, rollback_updates_data: encodeWpJson(next) } };
  });
}

/**
 * Calls the child to update WordPress core (`upgrade`), without hooks; returns its reply. Throws
 * {@link ChildError}.
 *
 * @example
 * ```ts
 * const reply = await callCoreUpdate(ctx, site); // { upgrade: "SUCCESS", old_version, version }
 * ```
 */
export async function callCoreUpdate(ctx: AppContext, site: SiteRecord): Promise<Json> {
  return await ctx.child.call(await childSiteOf(ctx, site), "upgrade");
}

/**
 * Calls the child to update the listed items, without hooks (`upgradeplugintheme` or
 * `upgradetranslation`); records rollback data; returns the reply. Throws {@link ChildError}.
 *
 * @example
 * ```ts
 * await callItemsUpdate(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
export async function callItemsUpdate(
  ctx: AppContext,
  site: SiteRecord,
  kind: ItemKind,
  list: readonly string[],
): Promise<Json> {
  const child = await childSiteOf(ctx, site);
  const reply = kind === "translations"
    ? await ctx.child.call(child, "upgradetranslation", { type: "translation", list: list.join(",") })
    : await ctx.child.call(child, "upgradeplugintheme", { type: CHILD_TYPE[kind], list: list.join(",") });
  await recordRollback(ctx, site.id, kind, reply);
  return reply;
}

/**
 * Whether a step's reply reports the item updated: core `upgrade: "SUCCESS"`; an item `upgrades[slug]`
 * truthy and not in `upgrades_error`.
 *
 * @example
 * ```ts
 * isUpdated({ upgrades: { "a/a.php": true } }, "a/a.php"); // true
 * ```
 */
export function isUpdated(reply: Json | null, slug: string, kind: UpdateStep["kind"] = "plugins"): boolean {
  if (!reply) return false;
  if (kind === "core") return reply.upgrade === "SUCCESS";
  return !!asMap(reply.upgrades)[slug] && !(slug in asMap(reply.upgrades_error));
}

/** What `fleetpress_update_step` reports about a step: the items updated and those that failed, with why. */
function stepEvent(step: UpdateStep, mode: UpdateMode): UpdateStepEvent {
  const errors = asMap(step.reply?.upgrades_error);
  const why = step.error !== null
    ? (step.error instanceof Error ? step.error.message : String(step.error))
    : step.kind === "core"
    ? String(step.reply?.error ?? step.reply?.upgrade ?? "not updated")
    : "not updated";
  const updated = step.slugs.filter((slug) => isUpdated(step.reply, slug, step.kind));
  const failed = step.slugs.filter((slug) => !updated.includes(slug)).map((slug) => ({
    slug,
    error: Object.hasOwn(errors, slug) ? scalarText(errors[slug]) || why : why,
  }));
  return { kind: step.kind, mode, updated, failed };
}

/** Drops what the steps updated from the stored lists (MainWP does this; the refresh then confirms it). */
async function forgetUpdated(ctx: AppContext, siteId: number, steps: readonly UpdateStep[]): Promise<void> {
  const gone = (kind: UpdateStep["kind"]) =>
    new Set(
      steps.filter((s) => s.kind === kind).flatMap((s) => s.slugs.filter((x) => isUpdated(s.reply, x, kind))),
    );
  const core = gone("core").size > 0;
  const byKind = { plugins: gone("plugins"), themes: gone("themes"), translations: gone("translations") };
  if (!core && Object.values(byKind).every((set) => set.size === 0)) return;
  await writeSiteSync(ctx.kv, siteId, (previous) => {
    const next: SiteSyncData = { ...previous };
    if (core) next.wp_upgrades = "";
    for (const [kind, column] of [["plugins", "plugin_upgrades"], ["themes", "theme_upgrades"]] as const) {
      if (byKind[kind].size === 0) continue;
      const map = { ...asMap(parseJsonText(previous?.[column])) };
      for (const slug of byKind[kind]) delete map[slug];
      next[column] = Object.keys(map).length > 0 ? encodeWpJson(map) : "";
    }
    if (byKind.translations.size > 0) {
      const list = parseJsonText(previous?.translation_upgrades);
      const kept = (Array.isArray(list) ? list : Object.values(asMap(list)))
        .filter((t) => !byKind.translations.has(scalarText(asMap(t).slug)));
      next.translation_upgrades = kept.length > 0 ? encodeWpJson(kept) : "";
    }
    return next;
  });
}

/**
 * Applies the plan to one site in the given mode and returns one step per child call, in order (core,
 * plugins, themes, translations; kinds with nothing to update make no call). Failures are on the steps;
 * only in `immediate` / `plain` mode a failure that is not the child's is thrown. Afterwards the stored
 * lists follow the last reply's `sync`, else a fresh sync (`cron`: after every step).
 *
 * @example
 * ```ts
 * await applySiteUpdates(ctx, site, { core: false, items: (k) => k === "plugins" ? ["a/a.php"] : [] }, "plain");
 * ```
 */
export async function applySiteUpdates(
  ctx: AppContext,
  site: SiteRecord,
  plan: UpdatePlan,
  mode: UpdateMode,
): Promise<UpdateStep[]> {
  const profile = PROFILES[mode];
  const steps: UpdateStep[] = [];
  const run = async (
    kind: UpdateStep["kind"],
    slugs: string[],
    call: () => Promise<Json>,
    before: () => Promise<void>,
    after: (reply: Json | null) => Promise<void>,
  ) => {
    const step: UpdateStep = { kind, slugs, reply: null, error: null, refreshError: null };
    steps.push(step);
    try {
      await before();
      try {
        step.reply = await call();
      } catch (error) {
        step.error = error;
      }
      await after(step.reply);
      await ctx.hooks.doAction("fleetpress_update_step", site, stepEvent(step, mode));
      if (step.error !== null && !(step.error instanceof ChildError)) throw step.error;
      if (step.reply && profile.refreshEachStep) {
        try {
          await refreshAfterUpdate(ctx, site.id, step.reply);
        } catch (error) {
          step.refreshError = error;
        }
      }
    } catch (error) {
      if (!profile.keepGoing) throw error;
      step.error ??= error;
    }
  };
  if (plan.core) {
    const hooks = profile.core;
    await run(
      "core",
      ["wordpress"],
      () => callCoreUpdate(ctx, site),
      async () => void (hooks && await ctx.hooks.doAction(hooks[0], site)),
      async (reply) => {
        if (!hooks || (!reply && !profile.coreAfterOnFailure)) return;
        await ctx.hooks.doAction(hooks[1], reply ?? false, site);
        if (hooks[2] && reply?.upgrade === "SUCCESS") await ctx.hooks.doAction(hooks[2], site, reply);
      },
    );
  }
  for (const kind of ["plugins", "themes", "translations"] as const) {
    const slugs = [...new Set(await plan.items(kind))];
    if (slugs.length === 0) continue;
    const csv = slugs.join(",");
    const type = CHILD_TYPE[kind];
    await run(
      kind,
      slugs,
      () => callItemsUpdate(ctx, site, kind, slugs),
      async () => {
        if (profile.itemHooks) {
          await ctx.hooks.doAction("mainwp_before_plugin_theme_translation_update", type, csv, site);
        }
      },
      async (reply) => {
        if (profile.itemHooks) {
          await ctx.hooks.doAction("mainwp_after_plugin_theme_translation_update", reply, type, csv, site);
        }
      },
    );
  }
  const answered = steps.filter((s) => s.reply !== null);
  if (!profile.refreshEachStep && answered.length > 0) {
    if (profile.forgetUpdated) await forgetUpdated(ctx, site.id, answered);
    const last = answered[answered.length - 1].reply;
    try {
      await refreshAfterUpdate(ctx, site.id, last && isPlainObject(last.sync) ? last : null);
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
    }
  }
  return steps;
}
