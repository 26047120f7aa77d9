/**
 * @module
 * Pending updates (rest-v2.md §2.4): the lists MainWP shows (from stored sync data, minus what is
 * ignored per site or globally), updating WordPress core, plugins, themes and translations through the
 * child, "update everything", and the ignore flags and lists. After an update the stored lists follow
 * the child's answer (its `sync` payload, or a fresh sync), so applied updates disappear.
 *
 * @example
 * ```ts
 * const body = await listUpdates(ctx, { type: "plugins" });
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { ChildError } from "../child/errors.ts";
import { syncValuesFromReply } from "../child/sync.ts";
import { parseIdList, parseList } from "../rest/args.ts";
import { restError } from "../rest/errors.ts";
import { mapConcurrent } from "../rest/batch.ts";
import { keys } from "../store/keys.ts";
import { atomicRetry } from "../store/kv.ts";
import { getSiteSync, listSites, type SiteRecord, type SiteSyncData, updateSite } from "../store/sites.ts";
import { childSiteOf, recordSyncValues, syncSite } from "./sync.ts";
import { siteMini } from "./site-format.ts";
import { isoNoZone, nowSeconds } from "./dates.ts";
import { orderedMap } from "./tags.ts";

type Json = Record<string, unknown>;
/** An ignore list: `{slug: {Name, ignored_versions}}`. */
export type IgnoreList = Record<string, { Name: string; ignored_versions: string[] }>;
/** Update kinds, by MainWP's `type` names. */
export const UPDATE_TYPES = ["wp", "plugins", "themes", "translations"] as const;
type UpdateType = (typeof UPDATE_TYPES)[number];

function parseJson(text: string | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const asMap = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? v as Json : {});

/** A site's ignore list of one kind. */
export function siteIgnoreList(site: SiteRecord, kind: "plugins" | "themes"): IgnoreList {
  return asMap(parseJson(kind === "plugins" ? site.ignored_plugins : site.ignored_themes)) as IgnoreList;
}

/**
 * The global ignore list of one kind.
 *
 * @example
 * ```ts
 * await globalIgnoreList(ctx, "plugins");
 * ```
 */
export async function globalIgnoreList(ctx: AppContext, kind: "plugins" | "themes"): Promise<IgnoreList> {
  return (await ctx.kv.get<IgnoreList>(keys.globalIgnored(kind))).value ?? {};
}

/** A site's pending updates by kind, with every ignore rule applied. */
export function pendingUpdates(
  site: SiteRecord,
  sync: SiteSyncData | null,
  globalIgnored: { plugins: IgnoreList; themes: IgnoreList },
): { wp: Json | []; plugins: Json; themes: Json; translations: unknown[] } {
  const wp = asMap(parseJson(sync?.wp_upgrades));
  const filter = (kind: "plugins" | "themes", all: Json, ignoreAll: number) => {
    if (ignoreAll) return {};
    const ignored = { ...globalIgnored[kind], ...siteIgnoreList(site, kind) };
    return Object.fromEntries(Object.entries(all).filter(([slug]) => !(slug in ignored)));
  };
  const translations = parseJson(sync?.translation_upgrades);
  return {
    wp: !site.is_ignoreCoreUpdates && wp.new ? wp : [],
    plugins: filter("plugins", asMap(parseJson(sync?.plugin_upgrades)), site.is_ignorePluginUpdates),
    themes: filter("themes", asMap(parseJson(sync?.theme_upgrades)), site.is_ignoreThemeUpdates),
    translations: Array.isArray(translations) ? translations : Object.values(asMap(translations)),
  };
}

function matchesSearch(key: string, item: unknown, search: string): boolean {
  if (!search) return true;
  const name = String(asMap(item).Name ?? asMap(item).name ?? "");
  return key.toLowerCase().includes(search) || name.toLowerCase().includes(search);
}

function siteUpdatesBody(
  pending: ReturnType<typeof pendingUpdates>,
  types: readonly UpdateType[],
  search: string,
): Json {
  const out: Json = {};
  const pick = (map: Json) => orderedMap(Object.entries(map).filter(([k, v]) => matchesSearch(k, v, search)));
  if (types.includes("wp")) out.wp = pending.wp;
  if (types.includes("plugins")) out.plugins = pick(pending.plugins);
  if (types.includes("themes")) out.themes = pick(pending.themes);
  if (types.includes("translations")) {
    out.translations = pending.translations.filter((t) =>
      matchesSearch(String(asMap(t).slug ?? ""), t, search)
    );
  }
  return out;
}

/** Query of the update lists. */
export interface UpdateListQuery {
  type?: unknown;
  search?: unknown;
  include?: unknown;
  exclude?: unknown;
}

function typesOf(q: UpdateListQuery): UpdateType[] {
  const wanted = parseList(q.type).filter((t): t is UpdateType =>
    (UPDATE_TYPES as readonly string[]).includes(t)
  );
  return wanted.length ? wanted : [...UPDATE_TYPES];
}

async function globalLists(ctx: AppContext) {
  return { plugins: await globalIgnoreList(ctx, "plugins"), themes: await globalIgnoreList(ctx, "themes") };
}

/**
 * `GET /updates`: `{"success":1,"data":{"<site id>":{wp,plugins,themes,translations}}}` for non-staging sites.
 *
 * @example
 * ```ts
 * await listUpdates(ctx, { type: "plugins,themes", include: "3" });
 * ```
 */
export async function listUpdates(ctx: AppContext, q: UpdateListQuery): Promise<Json> {
  const include = parseIdList(q.include);
  const exclude = new Set(parseIdList(q.exclude));
  const search = String(q.search ?? "").trim().toLowerCase();
  const global = await globalLists(ctx);
  const sites = (await listSites(ctx.kv)).filter((s) =>
    !s.is_staging && !exclude.has(s.id) && (include.length === 0 || include.includes(s.id))
  );
  const entries: [string, Json][] = [];
  for (const site of sites) {
    const pending = pendingUpdates(site, await getSiteSync(ctx.kv, site.id), global);
    entries.push([String(site.id), siteUpdatesBody(pending, typesOf(q), search)]);
  }
  return { success: 1, data: orderedMap(entries) };
}

/**
 * `GET /updates/{id}`: one site's pending updates.
 *
 * @example
 * ```ts
 * await siteUpdates(ctx, site, {});
 * ```
 */
export async function siteUpdates(ctx: AppContext, site: SiteRecord, q: UpdateListQuery): Promise<Json> {
  const pending = pendingUpdates(site, await getSiteSync(ctx.kv, site.id), await globalLists(ctx));
  return {
    success: 1,
    data: siteUpdatesBody(pending, typesOf(q), String(q.search ?? "").trim().toLowerCase()),
  };
}

/**
 * `GET /updates/ignored` (global lists) and `/updates/{id}/ignored` (site lists merged with the global ones).
 *
 * @example
 * ```ts
 * await ignoredUpdates(ctx, null, { type: "plugins" });
 * ```
 */
export async function ignoredUpdates(
  ctx: AppContext,
  site: SiteRecord | null,
  q: UpdateListQuery,
): Promise<Json> {
  const type = String(q.type ?? "");
  const kinds = type === "plugins" || type === "themes" ? [type] as const : ["plugins", "themes"] as const;
  const search = String(q.search ?? "").trim().toLowerCase();
  const data: Json = {};
  for (const kind of kinds) {
    const list = { ...(await globalIgnoreList(ctx, kind)), ...(site ? siteIgnoreList(site, kind) : {}) };
    const kept = Object.entries(list).filter(([k, v]) => matchesSearch(k, v, search));
    if (kept.length) data[kind] = Object.fromEntries(kept);
  }
  return { success: 1, data: Object.keys(data).length ? data : [] };
}

// ---------------------------------------------------------------------------------------------------
// Running updates

/** Stores what an update reply carries (its `sync`), else syncs the site again. */
async function refreshAfterUpdate(ctx: AppContext, site: SiteRecord, reply: Json): Promise<void> {
  if (reply.sync && typeof reply.sync === "object") {
    await recordSyncValues(ctx, site.id, syncValuesFromReply(reply.sync as Json));
  } else {
    await syncSite(ctx, site);
  }
}

/**
 * `POST /updates/{id}/update/wp`: updates WordPress core through the child.
 *
 * @example
 * ```ts
 * await updateCore(ctx, site);
 * ```
 */
export async function updateCore(ctx: AppContext, site: SiteRecord): Promise<Json> {
  const reply = await ctx.child.call(await childSiteOf(ctx, site), "upgrade");
  await refreshAfterUpdate(ctx, site, reply);
  if (reply.upgrade === "SUCCESS") {
    return {
      success: 1,
      message: "WordPress was updated to the latest version.",
      data: { old_version: String(reply.old_version ?? ""), version: String(reply.version ?? "") },
    };
  }
  return { success: 0, error: "An undefined error occured. Please try again." };
}

const NOTHING: Record<"plugins" | "themes" | "translations", string> = {
  plugins: "No Plugins to update.",
  themes: "No Themes to update.",
  translations: "No Translations to update.",
};

/**
 * `POST /updates/{id}/update/plugins|themes|translations`: updates the named items (all pending ones when
 * `slugs` is empty) that have a current, non-ignored update.
 *
 * @example
 * ```ts
 * await updateItems(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
export async function updateItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: "plugins" | "themes" | "translations",
  slugs: string[],
): Promise<Json> {
  if (kind === "plugins" && site.is_ignorePluginUpdates) {
    return { success: 0, message: "Plugins ignored updates per site." };
  }
  if (kind === "themes" && site.is_ignoreThemeUpdates) {
    return { success: 0, message: "Themes ignored updates per site." };
  }
  const pending = pendingUpdates(site, await getSiteSync(ctx.kv, site.id), await globalLists(ctx));
  const available = kind === "translations"
    ? pending.translations.map((t) => String(asMap(t).slug ?? ""))
    : Object.keys(pending[kind]);
  const list = slugs.length ? slugs.filter((s) => available.includes(s)) : available;
  if (list.length === 0) return { success: 0, message: NOTHING[kind] };
  const child = await childSiteOf(ctx, site);
  const reply = kind === "translations"
    ? await ctx.child.call(child, "upgradetranslation", { list: list.join(",") })
    : await ctx.child.call(child, "upgradeplugintheme", {
      type: kind === "plugins" ? "plugin" : "theme",
      list: list.join(","),
    });
  await refreshAfterUpdate(ctx, site, reply);
  return { success: 1, data: asMap(reply.other_data).updated_data ?? reply.upgrades ?? [] };
}

/** Counts of one site's update run. */
interface RunSummary {
  updated: number;
  errors: number;
}

async function runAllForSite(ctx: AppContext, site: SiteRecord): Promise<RunSummary> {
  const summary = { updated: 0, errors: 0 };
  const pending = pendingUpdates(site, await getSiteSync(ctx.kv, site.id), await globalLists(ctx));
  const steps: (() => Promise<Json>)[] = [];
  if (!Array.isArray(pending.wp)) steps.push(() => updateCore(ctx, site));
  if (Object.keys(pending.plugins).length) steps.push(() => updateItems(ctx, site, "plugins", []));
  if (Object.keys(pending.themes).length) steps.push(() => updateItems(ctx, site, "themes", []));
  if (pending.translations.length) steps.push(() => updateItems(ctx, site, "translations", []));
  for (const step of steps) {
    try {
      const result = await step();
      if (result.success === 1) {
        const data = result.data;
        summary.updated += data && typeof data === "object" ? Math.max(1, Object.keys(data).length) : 1;
      } else summary.errors++;
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      summary.errors++;
    }
  }
  return summary;
}

function suspendedError() {
  return restError(
    "mainwp_rest_updates_site_error",
    "Website suspended. Please unsuspended the website and try again.",
    400,
  );
}

/**
 * `POST /updates/{id}/update`: every pending update of one site, now.
 *
 * @example
 * ```ts
 * await updateSiteEverything(ctx, site);
 * ```
 */
export async function updateSiteEverything(ctx: AppContext, site: SiteRecord): Promise<Json> {
  if (site.suspended) throw suspendedError();
  const started = isoNoZone(nowSeconds());
  const s = await runAllForSite(ctx, site);
  return {
    success: 1,
    message: "Batch updates for the site completed.",
    summary: { total_updated: s.updated, total_errors: s.errors },
    last_time_start_batch_updates: started,
    site: siteMini(site),
  };
}

/** How long an "update everything" run holds its lease before another may start. */
export const UPDATE_ALL_LEASE_SECONDS = 3600;

/**
 * `POST /updates/update`: every pending update of every non-suspended site, sites concurrently. A KV
 * lease keeps two runs from overlapping (then MainWP's "running" answer).
 *
 * @example
 * ```ts
 * await updateEverything(ctx);
 * ```
 */
export async function updateEverything(ctx: AppContext): Promise<Json> {
  const now = nowSeconds();
  const started = isoNoZone(now);
  const lease = await atomicRetry(ctx.kv, async (op) => {
    const entry = await ctx.kv.get<{ expiresAt: number; startedAt: string }>(keys.updateAllLease());
    if (entry.value && entry.value.expiresAt > now) return entry.value;
    op.check(entry).set(keys.updateAllLease(), {
      expiresAt: now + UPDATE_ALL_LEASE_SECONDS,
      startedAt: started,
    }, {
      expireIn: UPDATE_ALL_LEASE_SECONDS * 1000,
    });
    return null;
  });
  if (lease) {
    return {
      success: 1,
      message: "A batch updates all job are running.",
      last_time_start_batch_updates: lease.startedAt,
    };
  }
  try {
    const sites = (await listSites(ctx.kv)).filter((s) => !s.suspended && !s.is_staging);
    const results = await mapConcurrent(sites, 64, (site) => runAllForSite(ctx, site));
    return {
      success: 1,
      message: "Batch updates completed.",
      summary: {
        total_updated: results.reduce((n, r) => n + r.updated, 0),
        total_errors: results.reduce((n, r) => n + r.errors, 0),
        sites_updated: results.filter((r) => r.updated > 0).length,
      },
      last_time_start_batch_updates: started,
    };
  } finally {
    await ctx.kv.delete(keys.updateAllLease());
  }
}

// ---------------------------------------------------------------------------------------------------
// Ignoring updates

/**
 * `POST /updates/{id}/ignore/wp`: the per-site "ignore core updates" flag.
 *
 * @example
 * ```ts
 * await ignoreCore(ctx, site);
 * ```
 */
export async function ignoreCore(ctx: AppContext, site: SiteRecord): Promise<Json> {
  await updateSite(ctx.kv, site.id, (s) => ({ ...s, is_ignoreCoreUpdates: 1 }));
  return { success: 1, message: "Ignore core update successfully." };
}

/**
 * `POST /updates/{id}/ignore/plugins|themes`: without slugs, the per-site "ignore all" flag; with slugs,
 * those items join the site's ignore list (fires `mainwp_before_*_ignore` / `mainwp_after_*_ignore`).
 *
 * @example
 * ```ts
 * await ignoreItems(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
export async function ignoreItems(
  ctx: AppContext,
  site: SiteRecord,
  kind: "plugins" | "themes",
  slugs: string[],
): Promise<Json> {
  const noun = kind === "plugins" ? "plugin" : "theme";
  if (slugs.length === 0) {
    await updateSite(ctx.kv, site.id, (s) => ({
      ...s,
      ...(kind === "plugins" ? { is_ignorePluginUpdates: 1 } : { is_ignoreThemeUpdates: 1 }),
    }));
    return { success: 1, message: `Ignore update ${kind} per site successfully.`, url: site.url };
  }
  const sync = await getSiteSync(ctx.kv, site.id);
  const upgrades = asMap(parseJson(kind === "plugins" ? sync?.plugin_upgrades : sync?.theme_upgrades));
  await ctx.hooks.doAction(`mainwp_before_${noun}_ignore`, site, slugs);
  await updateSite(ctx.kv, site.id, (s) => {
    const list = siteIgnoreList(s, kind);
    for (const slug of slugs) {
      const name = String(asMap(upgrades[slug]).Name ?? asMap(upgrades[slug]).name ?? slug);
      list[slug] = { Name: name, ignored_versions: ["all_versions"] };
    }
    return { ...s, [kind === "plugins" ? "ignored_plugins" : "ignored_themes"]: JSON.stringify(list) };
  });
  await ctx.hooks.doAction(`mainwp_after_${noun}_ignore`, site, slugs);
  return { success: 1, data: slugs.map(() => "success"), url: site.url };
}
