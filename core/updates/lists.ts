/**
 * @module
 * Reading the update lists: one site's or the fleet's pending updates (filtered by kind and search
 * text, with rolled-back versions) and the ignore lists a site is subject to, from stored sync data.
 * The same data as Update items is in `items.ts`.
 *
 * @example
 * ```ts
 * const lists = await fleetUpdateLists(ctx, { include: [], exclude: [], types: null, search: "" });
 * ```
 */
import type { StoreDeps } from "../deps.ts";
import { getGlobalIgnoredLists, type IgnoreKind, type IgnoreList } from "../../store/settings.ts";
import { defaultSite, getSiteSync, type SiteRecord, type SiteSyncData } from "../../store/sites.ts";
import { mapConcurrent } from "../../lib/concurrency.ts";
import { fleetSnapshot, siteStateOf } from "../sites/fleet.ts";
import {
  asMap,
  type Json,
  pendingUpdates,
  rollbackItems,
  scalarText,
  siteIgnoreList,
  storedUpdates,
} from "./pending.ts";

// ---------------------------------------------------------------------------------------------------
// Search

/**
 * The search text as compared: trimmed and lower-cased (`""` = no search; non-scalars search nothing).
 *
 * @example
 * ```ts
 * searchText(" Akis "); // "akis"
 * ```
 */
export function searchText(value: unknown): string {
  return scalarText(value).trim().toLowerCase();
}

const includesCi = (text: unknown, needle: string) =>
  typeof text === "string" && text.toLowerCase().includes(needle);

/**
 * MainWP's search over an update map: keeps entries whose key, string value or `Name` contains the text
 * (case-insensitive).
 *
 * @example
 * ```ts
 * searchMap({ "akismet/akismet.php": { Name: "Akismet" } }, "akis"); // kept
 * ```
 */
export function searchMap(map: Json, needle: string): Json {
  if (!needle) return map;
  return Object.fromEntries(
    Object.entries(map).filter(([key, value]) =>
      includesCi(key, needle) || includesCi(value, needle) || includesCi(asMap(value).Name, needle)
    ),
  );
}

/**
 * Search over translation items: `slug`, `name` or `Name` contains the text. (MainWP matches the list
 * index and `Name`, which translation items do not have.)
 *
 * @example
 * ```ts
 * searchTranslations([{ slug: "akismet", name: "Akismet" }], "akis").length; // 1
 * ```
 */
export function searchTranslations(items: readonly Json[], needle: string): Json[] {
  if (!needle) return [...items];
  return items.filter((t) =>
    includesCi(t.slug, needle) || includesCi(t.name, needle) || includesCi(t.Name, needle)
  );
}

/**
 * Search over the core update: kept whole when a key or value contains the text, else dropped.
 *
 * @example
 * ```ts
 * searchCore({ current: "6.4.3", new: "6.5" }, "6.5"); // { current: "6.4.3", new: "6.5" }
 * ```
 */
export function searchCore(wp: Json | null, needle: string): Json | null {
  if (!wp || !needle) return wp;
  return Object.entries(wp).some(([k, v]) => includesCi(k, needle) || includesCi(String(v), needle))
    ? wp
    : null;
}

// ---------------------------------------------------------------------------------------------------
// Update lists

/** One site's update lists, as selected and searched; a kind not selected is absent. */
export interface SiteUpdateLists {
  /** The core update `{current, new}`, or `null`. */
  wp?: Json | null;
  /** Plugin file → update entry. */
  plugins?: Json;
  /** Plugins whose offered version was rolled back before (only when there are some). */
  rollback_plugins?: Json;
  /** Theme stylesheet → update entry. */
  themes?: Json;
  /** Themes whose offered version was rolled back before (only when there are some). */
  rollback_themes?: Json;
  /** Translation items. */
  translations?: Json[];
}

/** Which kinds (`wp`, `plugins`, `themes`, `translations`; `null` = all) and what text to keep. */
export interface UpdateListFilter {
  types: ReadonlySet<string> | null;
  /** Already normalised by {@link searchText}. */
  search: string;
}

/**
 * One site's update lists under every ignore rule, selected by kind and searched, in MainWP's key order.
 *
 * @example
 * ```ts
 * siteUpdateLists(site, sync, { plugins: {}, themes: {} }, { types: null, search: "" });
 * ```
 */
export function siteUpdateLists(
  site: SiteRecord,
  sync: SiteSyncData | null,
  global: Record<IgnoreKind, IgnoreList>,
  filter: UpdateListFilter,
): SiteUpdateLists {
  const stored = storedUpdates(sync);
  const pending = pendingUpdates(site, sync, global);
  const wants = (type: string) => filter.types === null || filter.types.has(type);
  const needle = filter.search;
  const out: SiteUpdateLists = {};
  if (wants("wp")) out.wp = searchCore(pending.wp, needle);
  for (const kind of ["plugins", "themes"] as const) {
    if (!wants(kind)) continue;
    out[kind] = searchMap(pending[kind], needle);
    const rollback = searchMap(rollbackItems(stored, kind), needle);
    if (Object.keys(rollback).length > 0) out[`rollback_${kind}`] = rollback;
  }
  if (wants("translations")) out.translations = searchTranslations(pending.translations, needle);
  return out;
}

/** Sites whose sync data is read at once for the fleet's update lists. */
const UPDATE_LIST_READS = 8;
/** Stands for a site without pending updates (its lists do not depend on its record then). */
const NO_SYNC_SITE = defaultSite(0, { url: "https://fleetpress.invalid/" });

/**
 * The update lists of the listed (non-staging) sites in listing order, `include` / `exclude` by id (an
 * empty `include` keeps all); sites for which the filter selects no kind are left out.
 *
 * @example
 * ```ts
 * await fleetUpdateLists(ctx, { include: [3], exclude: [], types: new Set(["plugins"]), search: "" });
 * ```
 */
export async function fleetUpdateLists(
  { kv }: StoreDeps,
  filter: UpdateListFilter & { include: readonly number[]; exclude: readonly number[] },
): Promise<{ siteId: number; lists: SiteUpdateLists }[]> {
  const [snap, global] = await Promise.all([fleetSnapshot(kv), getGlobalIgnoredLists(kv)]);
  const exclude = new Set(filter.exclude);
  const include = filter.include.length > 0 ? new Set(filter.include) : null;
  const selected = snap.listed.filter((e) => !exclude.has(e.site.id) && (!include || include.has(e.site.id)));
  // A site whose row shows no update has no list entry either: its lists are those of no sync data. Only
  // the others' sync data is read, a few sites at a time, and dropped once their lists are taken.
  const lists = await mapConcurrent(selected, UPDATE_LIST_READS, async (e) => {
    if (!e.hasUpdate) return siteUpdateLists(NO_SYNC_SITE, null, global, filter);
    const state = await siteStateOf(kv, e.site.id);
    return state ? siteUpdateLists(state.site, state.sync, global, filter) : null;
  });
  const out: { siteId: number; lists: SiteUpdateLists }[] = [];
  selected.forEach((e, i) => {
    const found = lists[i];
    if (found && Object.keys(found).length > 0) out.push({ siteId: e.site.id, lists: found });
  });
  return out;
}

/**
 * One site's update lists (see {@link siteUpdateLists}), read from the store.
 *
 * @example
 * ```ts
 * await siteUpdateListsOf(ctx, site, { types: new Set(["wp"]), search: "" });
 * ```
 */
export async function siteUpdateListsOf(
  { kv }: StoreDeps,
  site: SiteRecord,
  filter: UpdateListFilter,
): Promise<SiteUpdateLists> {
  const [sync, global] = await Promise.all([getSiteSync(kv, site.id), getGlobalIgnoredLists(kv)]);
  return siteUpdateLists(site, sync, global, filter);
}

/**
 * The site's own list first, then the global entries it does not override (PHP's array `+`).
 *
 * @example
 * ```ts
 * mergedIgnoreList({ a: "A" }, { a: "X", b: "B" }); // { a: "A", b: "B" }
 * ```
 */
export function mergedIgnoreList(own: IgnoreList, global: IgnoreList): IgnoreList {
  const entries: [string, IgnoreList[string]][] = Object.entries(own);
  for (const [slug, entry] of Object.entries(global)) {
    if (!Object.hasOwn(own, slug)) entries.push([slug, entry]);
  }
  return Object.fromEntries(entries);
}

/**
 * The ignore lists of the given kinds, searched: the global ones (`site` = `null`) or those a site is
 * subject to (its own merged with the global ones). Kinds with no entry left are absent.
 *
 * @example
 * ```ts
 * await ignoreListsOf(ctx, null, ["plugins"], "");
 * ```
 */
export async function ignoreListsOf(
  { kv }: StoreDeps,
  site: SiteRecord | null,
  kinds: readonly IgnoreKind[],
  search: string,
): Promise<Partial<Record<IgnoreKind, Json>>> {
  const global = await getGlobalIgnoredLists(kv);
  const out: Partial<Record<IgnoreKind, Json>> = {};
  for (const kind of kinds) {
    const list = site ? mergedIgnoreList(siteIgnoreList(site, kind), global[kind]) : global[kind];
    const kept = searchMap(list, search);
    if (Object.keys(kept).length > 0) out[kind] = kept;
  }
  return out;
}
