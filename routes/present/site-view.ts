/**
 * @module
 * Site response objects (rest-v2.md §6.1) for every route that returns sites: `siteMini` (MainWP's
 * `simple_view`, in `site-format.ts`), `siteViewsByIds` (the site lists of tags, clients and costs, from
 * the fleet snapshot in core/sites/fleet.ts) and `siteViewOf` (one site straight from the store, e.g.
 * after an edit). A site never synced shows `""` (or `"0"` for the numeric sync columns `database_size`
 * and `last_post_time`, as MainWP's column defaults) for its sync data.
 *
 * @example
 * ```ts
 * const views = await siteViewsByIds(ctx, [3, 7], { blank: ["ip", "is_staging"] });
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import {
  entriesByIds,
  fleetSnapshot,
  siteDetails,
  type SiteRecord,
  type SiteSyncData,
} from "../../core/sites/fleet.ts";
import { projectFields } from "../../rest/fields.ts";
import { formatSiteView, presentView, type SitePresentation } from "./site-format.ts";
import { presentSites } from "./site-list.ts";

/** Options for site view objects. */
export interface SiteViewOptions {
  /** Load `tags` as `{id: name}` (default true); else `""`. */
  withTags?: boolean;
  /** Include the full data column set (default true); `false` blanks `database_size`. */
  fullData?: boolean;
  /** Extra raw columns to append. */
  customFields?: string[];
  /** `_fields` projection (id always kept). */
  fields?: string[] | null;
  /** Keys to leave blank (`""`), as some MainWP routes do. */
  blank?: readonly string[];
  /** Request parameters handed to the `mainwp_rest_prepare_site` filter. */
  params?: Record<string, unknown>;
  /** The site's sync data when the caller has just written it (saves reading it back). */
  sync?: SiteSyncData | null;
}

function presentationOf(options: SiteViewOptions): SitePresentation {
  return {
    withTags: options.withTags ?? true,
    fullData: options.fullData ?? true,
    customFields: options.customFields ?? [],
    blank: options.blank ?? [],
  };
}

/**
 * Site view objects for the given ids, in MainWP's order (normalised URL), staging sites and unknown
 * ids left out. One KV read when the fleet is unchanged (see `fleetSnapshot`).
 *
 * @example
 * ```ts
 * const views = await siteViewsByIds(ctx, [3, 7]);
 * ```
 */
export async function siteViewsByIds(
  ctx: AppContext,
  ids: number[],
  options: SiteViewOptions = {},
): Promise<Record<string, unknown>[]> {
  const snap = await fleetSnapshot(ctx.kv);
  return await presentSites(ctx, snap, entriesByIds(snap, ids), {
    presentation: presentationOf(options),
    fields: options.fields ?? null,
    params: options.params,
  });
}

/**
 * The view object of one site read straight from the store (its tags and sync data), through
 * `mainwp_rest_prepare_site` and the `_fields` projection. For answers right after a write, where
 * rebuilding the whole fleet snapshot would be wasted.
 *
 * @example
 * ```ts
 * const view = await siteViewOf(ctx, updatedRecord, { params: req.params });
 * ```
 */
export async function siteViewOf(
  ctx: AppContext,
  site: SiteRecord,
  options: SiteViewOptions = {},
): Promise<Record<string, unknown>> {
  const { tagNames: names, sync } = await siteDetails(ctx.kv, site, options.sync);
  let view: Record<string, unknown> = presentView(
    formatSiteView(site, sync, names),
    site,
    sync,
    presentationOf(options),
  );
  if (ctx.hooks.hasFilter("mainwp_rest_prepare_site") === true) {
    view = await ctx.hooks.applyFilters("mainwp_rest_prepare_site", view, site, options.params ?? {});
  }
  return options.fields && options.fields.length > 0 ? projectFields(view, options.fields) : view;
}
