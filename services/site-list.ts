/**
 * @module
 * Site listings (`GET /sites`, `/sites/basic`, `/sites/count`, and the site lists of tags, clients and
 * costs) served from an in-process snapshot of the fleet: every site record with its sync data, its
 * precomputed view object, the tags and the tag→sites map, with the listing order (normalised URL)
 * worked out once.
 *
 * Freshness: each request reads the fleet revision key `["rev","fleet"]` (ONE KV read); every
 * site/tag/client write bumps it in its own commit, so a versionstamp equal to the snapshot's means
 * nothing changed, in this process or any other. Otherwise the snapshot is rebuilt (concurrent requests
 * share one rebuild) and labelled with the versionstamp read *before* rebuilding, so a write landing
 * during the rebuild triggers another one on the next request. Filtering, sorting and paging then run in
 * memory.
 *
 * @example
 * ```ts
 * const body = await listSiteViews(ctx, parseSiteListQuery({ page: "1", per_page: "20" }, LIST_DEFAULTS));
 * ```
 */
import type { AppContext } from "../app-context.ts";
import { parseIdList, parseList } from "../rest/args.ts";
import { restError } from "../rest/errors.ts";
import { projectFields } from "../rest/fields.ts";
import { FLEET_REV } from "../store/keys.ts";
import {
  listSiteEntries,
  listStampedSiteSyncs,
  normalizeDomain,
  type SiteRecord,
  type SiteSyncData,
  type StampedSiteSync,
} from "../store/sites.ts";
import { listTags, type TagRecord } from "../store/tags.ts";
import {
  formatSiteView,
  FULL_PRESENTATION,
  hasAvailableUpdate,
  isFullPresentation,
  presentView,
  siteMini,
  type SitePresentation,
  type SiteView,
} from "./site-format.ts";
import { isPhpEmpty, phpIntval } from "../wp/php.ts";

/** One site in the snapshot. */
export interface SiteEntry {
  site: SiteRecord;
  sync: SiteSyncData | null;
  /** The full view object (tags, full data). Shared: never mutate; copy with `presentView`. */
  view: SiteView;
  /** Listing order key: URL without scheme and `www.`, lower case. */
  sortKey: string;
  /** Lower-cased name and URL for `search`. */
  name: string;
  url: string;
  hasUpdate: boolean;
  /** What the entry was built from, so a rebuild can reuse it when none of it changed. */
  source: { versionstamp: string; syncStamp: string | null; tagNames: string };
}

/** The fleet as one request sees it. */
export interface FleetSnapshot {
  /** Versionstamp of the fleet revision this snapshot is at least as new as (`null`: never written). */
  stamp: string | null;
  byId: ReadonlyMap<number, SiteEntry>;
  /** Non-staging sites in listing order. */
  listed: readonly SiteEntry[];
  /** Site id → position in `listed`. */
  rank: ReadonlyMap<number, number>;
  /** Normalised domain → site id. */
  byDomain: ReadonlyMap<string, number>;
  tags: ReadonlyMap<number, TagRecord>;
  /** Tags ordered by name (case-insensitive), then id. */
  tagsByName: readonly TagRecord[];
  /** Tag id → ids of the sites carrying it (all sites, staging included), ascending. */
  tagSites: ReadonlyMap<number, readonly number[]>;
  /** Parsed sync data by site id, with write stamps (reused by the next rebuild). */
  syncs: ReadonlyMap<number, StampedSiteSync>;
}

interface CacheState {
  snap?: FleetSnapshot;
  pending?: { stamp: string | null; promise: Promise<FleetSnapshot> };
}

const caches = new WeakMap<Deno.Kv, CacheState>();

/**
 * The listing order key of a URL: lower case, scheme and a leading `www.` removed (trailing `/` kept).
 *
 * @example
 * ```ts
 * siteSortKey("https://www.Example.com/"); // "example.com/"
 * ```
 */
export function siteSortKey(url: string): string {
  return url.toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "").replace(/^www\./, "");
}

function compareStamps(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/**
 * Builds a snapshot from the store. With the `previous` snapshot, sites whose record, sync data and
 * tag names did not change keep their entry (view included), and unchanged sync data is not parsed
 * again.
 *
 * @example
 * ```ts
 * const snap = await buildFleetSnapshot(kv, null);
 * ```
 */
export async function buildFleetSnapshot(
  kv: Deno.Kv,
  stamp: string | null,
  previous?: FleetSnapshot,
): Promise<FleetSnapshot> {
  const [sites, tags, syncs] = await Promise.all([
    listSiteEntries(kv),
    listTags(kv),
    listStampedSiteSyncs(kv, previous?.syncs),
  ]);
  const tagMap = new Map<number, TagRecord>();
  const tagNames = new Map<number, string>();
  for (const tag of tags) {
    tagMap.set(tag.id, tag);
    tagNames.set(tag.id, tag.name);
  }
  const byId = new Map<number, SiteEntry>();
  const byDomain = new Map<string, number>();
  const tagSites = new Map<number, number[]>();
  const listed: SiteEntry[] = [];
  for (const { site, versionstamp } of sites) {
    const stamped = syncs.get(site.id);
    const source = {
      versionstamp,
      syncStamp: stamped?.stamp ?? null,
      tagNames: site.tag_ids.map((id) => tagNames.get(id) ?? "\u0000").join("\u0000"),
    };
    const old = previous?.byId.get(site.id);
    const entry: SiteEntry = old && old.source.versionstamp === source.versionstamp &&
        old.source.syncStamp === source.syncStamp && old.source.tagNames === source.tagNames
      ? old
      : siteEntry(site, stamped?.data ?? null, tagNames, source);
    byId.set(site.id, entry);
    byDomain.set(normalizeDomain(site.url), site.id);
    for (const tagId of new Set(site.tag_ids)) {
      if (!tagMap.has(tagId)) continue;
      const list = tagSites.get(tagId);
      if (list) list.push(site.id);
      else tagSites.set(tagId, [site.id]);
    }
    if (!site.is_staging) listed.push(entry);
  }
  listed.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.site.id - b.site.id));
  const rank = new Map<number, number>();
  listed.forEach((e, i) => rank.set(e.site.id, i));
  const tagsByName = [...tags].sort((a, b) => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.id - b.id;
  });
  return { stamp, byId, listed, rank, byDomain, tags: tagMap, tagsByName, tagSites, syncs };
}

function siteEntry(
  site: SiteRecord,
  sync: SiteSyncData | null,
  tagNames: ReadonlyMap<number, string>,
  source: SiteEntry["source"],
): SiteEntry {
  return {
    site,
    sync,
    view: formatSiteView(site, sync, tagNames),
    sortKey: siteSortKey(site.url),
    name: String(site.name ?? "").toLowerCase(),
    url: String(site.url ?? "").toLowerCase(),
    hasUpdate: hasAvailableUpdate(sync),
    source,
  };
}

/**
 * The current fleet snapshot: one KV read of the fleet revision; a rebuild only when it changed.
 *
 * @example
 * ```ts
 * const snap = await fleetSnapshot(ctx.kv);
 * snap.listed.length;
 * ```
 */
export async function fleetSnapshot(kv: Deno.Kv): Promise<FleetSnapshot> {
  let state = caches.get(kv);
  if (!state) {
    state = {};
    caches.set(kv, state);
  }
  const { versionstamp: stamp } = await kv.get(FLEET_REV);
  if (state.snap && state.snap.stamp === stamp) return state.snap;
  if (state.pending && state.pending.stamp === stamp) return await state.pending.promise;
  const promise = buildFleetSnapshot(kv, stamp, state.snap);
  const pending = { stamp, promise };
  state.pending = pending;
  try {
    const snap = await promise;
    if (!state.snap || compareStamps(snap.stamp, state.snap.stamp) >= 0) state.snap = snap;
    return snap;
  } finally {
    if (state.pending === pending) state.pending = undefined;
  }
}

/**
 * The listed (non-staging) site records in listing order, without the sync data: from the cached
 * snapshot when it is current, else from the records alone — what bulk operations need, without
 * parsing every site's sync data first.
 *
 * @example
 * ```ts
 * (await listedSiteRecords(kv)).map((s) => s.id);
 * ```
 */
export async function listedSiteRecords(kv: Deno.Kv): Promise<SiteRecord[]> {
  const state = caches.get(kv);
  if (state?.snap) {
    const { versionstamp } = await kv.get(FLEET_REV);
    if (state.snap.stamp === versionstamp) return state.snap.listed.map((e) => e.site);
  }
  const sites = (await listSiteEntries(kv)).map((e) => e.site).filter((s) => !s.is_staging);
  const keyed = sites.map((site) => ({ site, key: siteSortKey(site.url) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.site.id - b.site.id));
  return keyed.map((k) => k.site);
}

/**
 * `include` / `exclude` over listed records, as {@link selectSites} applies them (listing order kept).
 *
 * @example
 * ```ts
 * includeExclude(await listedSiteRecords(kv), [3, 5], []);
 * ```
 */
export function includeExclude(
  listed: readonly SiteRecord[],
  include: readonly number[],
  exclude: readonly number[],
): SiteRecord[] {
  const wanted = include.length > 0 ? new Set(include) : null;
  const ex = new Set(exclude);
  return listed.filter((s) => (!wanted || wanted.has(s.id)) && !ex.has(s.id));
}

// ---------------------------------------------------------------------------------------------------
// List queries

/** The status values MainWP accepts (all-invalid → 400). */
export const SITE_STATUSES = ["any", "connected", "disconnected", "suspended", "available_update"] as const;

/** Status values the filter understands (the DB layer also knows `unsuspended`). */
const FILTER_STATUSES = new Set<string>([...SITE_STATUSES, "unsuspended"]);

/** A parsed site list query (rest-v2.md §2.1 common list params). */
export interface SiteListQuery {
  /** Both set → one page; otherwise every site (legacy pagination). */
  page: number | null;
  perPage: number | null;
  search: string;
  include: number[];
  exclude: number[];
  /** Status values to OR together; empty or containing `any` = no status filter. */
  status: string[];
  withTags: boolean;
  fullData: boolean;
  customFields: string[];
  /** `_fields` (per site, `id` always kept), or `null`. */
  fields: string[] | null;
}

/** Defaults of `GET /sites` (`with_tags` and `full_data` on). */
export const LIST_DEFAULTS = { withTags: true, fullData: true } as const;
/** Defaults of `GET /sites/basic`. */
export const BASIC_DEFAULTS = { withTags: false, fullData: false } as const;

const present = (v: unknown) => v !== undefined && v !== null;

/** `mainwp_string_to_bool`: true iff `true`, `1`, `"1"`, `"true"`, `"yes"` (any case). */
function stringToBool(v: unknown): boolean {
  if (v === true || v === 1) return true;
  return typeof v === "string" && ["1", "true", "yes"].includes(v.toLowerCase());
}

/**
 * Parses and validates the list parameters; throws MainWP's 400 `mainwp_rest_invalid_param` when every
 * `status` value is unknown. `page` accepts the alias `paged`.
 *
 * @example
 * ```ts
 * parseSiteListQuery({ page: "2", per_page: "5", status: "connected" }, LIST_DEFAULTS).page; // 2
 * ```
 */
export function parseSiteListQuery(
  params: Record<string, unknown>,
  defaults: { withTags: boolean; fullData: boolean },
  fieldsParam: string[] | null = null,
): SiteListQuery {
  const pageRaw = !isPhpEmpty(params.page) ? params.page : params.paged;
  let page: number | null = null;
  let perPage: number | null = null;
  if (!isPhpEmpty(pageRaw) && !isPhpEmpty(params.per_page)) {
    page = Math.max(1, phpIntval(pageRaw));
    perPage = phpIntval(params.per_page);
    if (perPage < 1) page = perPage = null;
  }
  const status = !isPhpEmpty(params.status) ? parseList(params.status) : [];
  if (status.length > 0 && !status.some((s) => (SITE_STATUSES as readonly string[]).includes(s))) {
    throw restError(
      "mainwp_rest_invalid_param",
      `The status argument should be: ${SITE_STATUSES.join(",")}`,
      400,
    );
  }
  return {
    page,
    perPage,
    search: !isPhpEmpty(params.search) && typeof params.search !== "object"
      ? String(params.search).trim()
      : "",
    include: !isPhpEmpty(params.include) ? parseIdList(params.include) : [],
    exclude: !isPhpEmpty(params.exclude) ? parseIdList(params.exclude) : [],
    status: status.filter((s) => FILTER_STATUSES.has(s)),
    withTags: present(params.with_tags) ? stringToBool(params.with_tags) : defaults.withTags,
    fullData: present(params.full_data) ? stringToBool(params.full_data) : defaults.fullData,
    customFields: present(params.custom_fields) ? parseList(params.custom_fields) : [],
    fields: fieldsParam,
  };
}

function matchesStatus(entry: SiteEntry, statuses: readonly string[]): boolean {
  for (const s of statuses) {
    switch (s) {
      case "connected":
        if (!entry.site.sync_errors) return true;
        break;
      case "disconnected":
        if (entry.site.sync_errors) return true;
        break;
      case "suspended":
        if (entry.site.suspended) return true;
        break;
      case "unsuspended":
        if (!entry.site.suspended) return true;
        break;
      case "available_update":
        if (entry.hasUpdate) return true;
        break;
    }
  }
  return false;
}

/**
 * The listed sites matching a query's filters (include, exclude, search, status), in listing order,
 * not yet paged.
 *
 * @example
 * ```ts
 * selectSites(snap, { ...query, status: ["suspended"] });
 * ```
 */
export function selectSites(
  snap: FleetSnapshot,
  q: Pick<SiteListQuery, "include" | "exclude" | "search" | "status">,
): readonly SiteEntry[] {
  let list: readonly SiteEntry[] = snap.listed;
  if (q.include.length > 0) {
    list = q.include.flatMap((id) => (snap.rank.has(id) ? [snap.byId.get(id)!] : []));
    list = [...list].sort((a, b) => snap.rank.get(a.site.id)! - snap.rank.get(b.site.id)!);
  }
  if (q.exclude.length > 0) {
    const ex = new Set(q.exclude);
    list = list.filter((e) => !ex.has(e.site.id));
  }
  if (q.search) {
    const s = q.search.toLowerCase();
    list = list.filter((e) => String(e.site.id).includes(s) || e.name.includes(s) || e.url.includes(s));
  }
  if (q.status.length > 0 && !q.status.includes("any")) {
    list = list.filter((e) => matchesStatus(e, q.status));
  }
  return list;
}

/** One page of a list (legacy: only when both page and per_page are given). */
export function pageOf<T>(list: readonly T[], page: number | null, perPage: number | null): readonly T[] {
  if (page === null || perPage === null) return list;
  const start = (page - 1) * perPage;
  return list.slice(start, start + perPage);
}

/** Options for presenting site objects. */
export interface PresentOptions {
  presentation?: SitePresentation;
  /** `_fields` projection (id always kept), or `null`. */
  fields?: readonly string[] | null;
  /** Request parameters handed to `mainwp_rest_prepare_site`. */
  params?: Record<string, unknown>;
}

/**
 * Site view objects for entries: the cached view when nothing changes it, else a copy adapted to the
 * presentation, passed through `mainwp_rest_prepare_site` (when hooked) and projected by `_fields`.
 *
 * @example
 * ```ts
 * const data = await presentSites(ctx, entries, { fields: ["name"] });
 * ```
 */
export async function presentSites(
  ctx: AppContext,
  entries: readonly SiteEntry[],
  options: PresentOptions = {},
): Promise<Record<string, unknown>[]> {
  const p = options.presentation ?? FULL_PRESENTATION;
  const fields = options.fields && options.fields.length > 0 ? [...options.fields] : null;
  const hooked = ctx.hooks.hasFilter("mainwp_rest_prepare_site") === true;
  if (!hooked && !fields && isFullPresentation(p)) return entries.map((e) => e.view);
  const out: Record<string, unknown>[] = [];
  for (const e of entries) {
    let item: Record<string, unknown> = presentView(e.view, e.site, e.sync, p);
    if (hooked) {
      item = await ctx.hooks.applyFilters("mainwp_rest_prepare_site", item, e.site, options.params ?? {});
    }
    out.push(fields ? projectFields(item, fields) : item);
  }
  return out;
}

/**
 * `SITE_MINI` objects for entries (`/sites/basic`), after `mainwp_rest_prepare_site` when hooked and
 * projected by `_fields`.
 *
 * @example
 * ```ts
 * await presentMinis(ctx, entries); // [{ id: "3", name: "Blog", url: "…", client_id: "0" }]
 * ```
 */
export async function presentMinis(
  ctx: AppContext,
  entries: readonly SiteEntry[],
  options: PresentOptions = {},
): Promise<Record<string, unknown>[]> {
  const fields = options.fields && options.fields.length > 0 ? [...options.fields] : null;
  const hooked = ctx.hooks.hasFilter("mainwp_rest_prepare_site") === true;
  const out: Record<string, unknown>[] = [];
  for (const e of entries) {
    let mini: Record<string, unknown> = { ...siteMini(e.site) };
    if (hooked) {
      const full = presentView(e.view, e.site, e.sync, options.presentation ?? FULL_PRESENTATION);
      const filtered = await ctx.hooks.applyFilters(
        "mainwp_rest_prepare_site",
        full,
        e.site,
        options.params ?? {},
      );
      mini = { id: filtered.id, name: filtered.name, url: filtered.url, client_id: filtered.client_id };
    }
    out.push(fields ? projectFields(mini, fields) : mini);
  }
  return out;
}

async function filteredQuery(
  ctx: AppContext,
  query: SiteListQuery,
  params: Record<string, unknown>,
): Promise<SiteListQuery> {
  return await ctx.hooks.applyFilters("mainwp_rest_object_object_query", query, params);
}

function presentationOf(q: SiteListQuery): SitePresentation {
  return { withTags: q.withTags, fullData: q.fullData, customFields: q.customFields, blank: [] };
}

async function listPresented(
  ctx: AppContext,
  query: SiteListQuery,
  params: Record<string, unknown>,
  present: typeof presentSites | typeof presentMinis,
): Promise<{ success: 1; total: number; data: Record<string, unknown>[] }> {
  const q = await filteredQuery(ctx, query, params);
  const snap = await fleetSnapshot(ctx.kv);
  const entries = pageOf(selectSites(snap, q), q.page, q.perPage);
  const data = await present(ctx, entries, { presentation: presentationOf(q), fields: q.fields, params });
  return { success: 1, total: data.length, data };
}

/**
 * `GET /sites`: `{"success":1,"total":<items returned>,"data":[<site view>…]}`.
 *
 * @example
 * ```ts
 * await listSiteViews(ctx, parseSiteListQuery({}, LIST_DEFAULTS)); // every site
 * ```
 */
export function listSiteViews(
  ctx: AppContext,
  query: SiteListQuery,
  params: Record<string, unknown> = {},
): Promise<{ success: 1; total: number; data: Record<string, unknown>[] }> {
  return listPresented(ctx, query, params, presentSites);
}

/**
 * `GET /sites/basic`: `{"success":1,"total":N,"data":[SITE_MINI…]}`.
 *
 * @example
 * ```ts
 * await listSiteMinis(ctx, parseSiteListQuery({}, BASIC_DEFAULTS));
 * ```
 */
export function listSiteMinis(
  ctx: AppContext,
  query: SiteListQuery,
  params: Record<string, unknown> = {},
): Promise<{ success: 1; total: number; data: Record<string, unknown>[] }> {
  return listPresented(ctx, query, params, presentMinis);
}

/**
 * `GET /sites/count`: `{"count": N}` — include, exclude and status only.
 *
 * @example
 * ```ts
 * await countSites(ctx, parseSiteListQuery({ status: "suspended" }, LIST_DEFAULTS)); // { count: 2 }
 * ```
 */
export async function countSites(
  ctx: AppContext,
  query: SiteListQuery,
  params: Record<string, unknown> = {},
): Promise<{ count: number }> {
  const q = await filteredQuery(ctx, query, params);
  const snap = await fleetSnapshot(ctx.kv);
  return {
    count: selectSites(snap, { include: q.include, exclude: q.exclude, status: q.status, search: "" }).length,
  };
}

/**
 * Listed (non-staging) snapshot entries for site ids, in listing order; unknown ids are skipped.
 *
 * @example
 * ```ts
 * entriesByIds(snap, [7, 3]);
 * ```
 */
export function entriesByIds(snap: FleetSnapshot, ids: Iterable<number>): SiteEntry[] {
  const out: SiteEntry[] = [];
  for (const id of new Set(ids)) if (snap.rank.has(id)) out.push(snap.byId.get(id)!);
  return out.sort((a, b) => snap.rank.get(a.site.id)! - snap.rank.get(b.site.id)!);
}
