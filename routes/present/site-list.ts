/**
 * @module
 * Site listings on the wire (`GET /sites`, `/sites/basic`, `/sites/count`, and the site lists of tags,
 * clients and costs): MainWP's list parameters read into a typed query, the fleet index's selection
 * presented as site view objects (cached encoded views, `site-views.ts`) or `SITE_MINI`s (from the
 * listing rows), `_fields` applied.
 *
 * @example
 * ```ts
 * const body = await listSiteViews(ctx, parseSiteListQuery({ page: "1", per_page: "20" }, LIST_DEFAULTS));
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import {
  countSelected,
  type FleetSnapshot,
  fleetSnapshot,
  isSiteStatusFilter,
  pageOf,
  selectSites,
  SITE_STATUSES,
  type SiteEntry,
  type SiteSelection,
} from "../../core/sites/fleet.ts";
import { parseIdList, parseList } from "../../rest/args.ts";
import { encodeWithFragmentsOf } from "../../rest/json.ts";
import { restError } from "../../rest/errors.ts";
import { projectFields } from "../../rest/fields.ts";
import { isPhpEmpty, phpIntval } from "../../wp/php.ts";
import { entrySources, entryViews } from "./site-views.ts";
import {
  adaptView,
  FULL_PRESENTATION,
  isFullPresentation,
  presentView,
  siteMini,
  type SitePresentation,
} from "./site-format.ts";

/** A parsed site list query (rest-v2.md §2.1 common list params). */
export interface SiteListQuery extends SiteSelection {
  /** Both set → one page; otherwise every site (legacy pagination). */
  page: number | null;
  perPage: number | null;
  include: number[];
  exclude: number[];
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

/** The list parameters every MainWP list route reads the same way. */
export interface CommonListQuery {
  /** 1-based page, or `null` when the list is not paged (`page`/`paged` and `per_page` both needed). */
  page: number | null;
  perPage: number | null;
  search: string;
  include: number[];
  exclude: number[];
}

/**
 * Reads `page`/`paged` + `per_page` (both needed to page), `search`, `include` and `exclude` as MainWP's
 * list routes do (PHP `empty()`, `intval`).
 *
 * @example
 * ```ts
 * parseCommonListQuery({ paged: "2", per_page: "5", include: "3,4" }); // page 2, perPage 5, include [3, 4]
 * ```
 */
export function parseCommonListQuery(params: Record<string, unknown>): CommonListQuery {
  const pageRaw = !isPhpEmpty(params.page) ? params.page : params.paged;
  let page: number | null = null;
  let perPage: number | null = null;
  if (!isPhpEmpty(pageRaw) && !isPhpEmpty(params.per_page)) {
    page = Math.max(1, phpIntval(pageRaw));
    perPage = phpIntval(params.per_page);
    if (perPage < 1) page = perPage = null;
  }
  return {
    page,
    perPage,
    search: !isPhpEmpty(params.search) && typeof params.search !== "object"
      ? String(params.search).trim()
      : "",
    include: !isPhpEmpty(params.include) ? parseIdList(params.include) : [],
    exclude: !isPhpEmpty(params.exclude) ? parseIdList(params.exclude) : [],
  };
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
  const status = !isPhpEmpty(params.status) ? parseList(params.status) : [];
  if (status.length > 0 && !status.some((s) => (SITE_STATUSES as readonly string[]).includes(s))) {
    throw restError(
      "mainwp_rest_invalid_param",
      `The status argument should be: ${SITE_STATUSES.join(",")}`,
      400,
    );
  }
  return {
    ...parseCommonListQuery(params),
    status: status.filter(isSiteStatusFilter),
    withTags: present(params.with_tags) ? stringToBool(params.with_tags) : defaults.withTags,
    fullData: present(params.full_data) ? stringToBool(params.full_data) : defaults.fullData,
    customFields: present(params.custom_fields) ? parseList(params.custom_fields) : [],
    fields: fieldsParam,
  };
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
 * Site view objects for entries of a snapshot: the cached view (its encoding spliced into the answer)
 * when nothing changes it, else a copy adapted to the presentation (custom fields and the
 * `mainwp_rest_prepare_site` filter read the site's record and sync data), projected by `_fields`.
 * Sites deleted since the snapshot are left out.
 *
 * @example
 * ```ts
 * const data = await presentSites(ctx, snap, entries, { fields: ["name"] });
 * ```
 */
export async function presentSites(
  ctx: AppContext,
  snap: FleetSnapshot,
  entries: readonly SiteEntry[],
  options: PresentOptions = {},
): Promise<Record<string, unknown>[]> {
  const p = options.presentation ?? FULL_PRESENTATION;
  const fields = options.fields && options.fields.length > 0 ? [...options.fields] : null;
  const hooked = ctx.hooks.hasFilter("mainwp_rest_prepare_site") === true;
  const views = await entryViews(ctx, snap, entries);
  if (!hooked && !fields && isFullPresentation(p)) return views.filter((v) => v !== null);
  const sources = hooked || p.customFields.length > 0 ? await entrySources(ctx, entries) : null;
  const out: Record<string, unknown>[] = [];
  for (const [i, view] of views.entries()) {
    const source = sources?.[i];
    if (!view || source === null) continue;
    let item: Record<string, unknown> = source
      ? presentView(view, source.site, source.sync, p)
      : adaptView(view, p);
    if (hooked && source) {
      item = await ctx.hooks.applyFilters(
        "mainwp_rest_prepare_site",
        item,
        source.site,
        options.params ?? {},
      );
    }
    out.push(fields ? projectFields(item, fields) : item);
  }
  return out;
}

/**
 * `SITE_MINI` objects for entries of a snapshot (`/sites/basic`, from the listing rows), after
 * `mainwp_rest_prepare_site` when hooked and projected by `_fields`.
 *
 * @example
 * ```ts
 * await presentMinis(ctx, snap, entries); // [{ id: "3", name: "Blog", url: "…", client_id: "0" }]
 * ```
 */
export async function presentMinis(
  ctx: AppContext,
  snap: FleetSnapshot,
  entries: readonly SiteEntry[],
  options: PresentOptions = {},
): Promise<Record<string, unknown>[]> {
  const fields = options.fields && options.fields.length > 0 ? [...options.fields] : null;
  const hooked = ctx.hooks.hasFilter("mainwp_rest_prepare_site") === true;
  if (!hooked) {
    return entries.map((e) => {
      const mini: Record<string, unknown> = { ...siteMini(e.site) };
      return fields ? projectFields(mini, fields) : mini;
    });
  }
  const [views, sources] = await Promise.all([entryViews(ctx, snap, entries), entrySources(ctx, entries)]);
  const out: Record<string, unknown>[] = [];
  for (const [i, view] of views.entries()) {
    const source = sources[i];
    if (!view || !source) continue;
    const full = presentView(view, source.site, source.sync, options.presentation ?? FULL_PRESENTATION);
    const filtered = await ctx.hooks.applyFilters(
      "mainwp_rest_prepare_site",
      full,
      source.site,
      options.params ?? {},
    );
    const mini = { id: filtered.id, name: filtered.name, url: filtered.url, client_id: filtered.client_id };
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
  const data = await present(ctx, snap, entries, {
    presentation: presentationOf(q),
    fields: q.fields,
    params,
  });
  return encodeWithFragmentsOf({ success: 1 as const, total: data.length, data });
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
    count: countSelected(snap, { include: q.include, exclude: q.exclude, status: q.status, search: "" }),
  };
}
