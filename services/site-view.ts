/**
 * @module
 * Site response objects (rest-v2.md §6.1). OWNED BY THE SITES WORK: this file currently holds the
 * agreed signatures; `siteViewsByIds` is completed there.
 *
 * @example
 * ```ts
 * siteMini(record); // { id: "3", name: "Blog", url: "https://blog.example.com/", client_id: "0" }
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import type { SiteRecord } from "../store/sites.ts";

/** `SITE_MINI`, MainWP's `simple_view`. */
export interface SiteMini {
  id: string;
  name: string;
  url: string;
  client_id: string;
}

/** The mini projection of a site. */
export function siteMini(site: SiteRecord): SiteMini {
  return { id: String(site.id), name: site.name, url: site.url, client_id: String(site.client_id) };
}

/** Options for site view objects. */
export interface SiteViewOptions {
  /** Load `tags` as `{id: name}` (default true); else `""`. */
  withTags?: boolean;
  /** Include the full data column set (default true). */
  fullData?: boolean;
  /** Extra raw columns to append. */
  customFields?: string[];
  /** `_fields` projection (id always kept). */
  fields?: string[] | null;
  /** Keys to leave blank (`""`), as some MainWP routes do. */
  blank?: readonly string[];
}

/**
 * Site view objects for the given ids, in MainWP's order (normalised URL), staging sites excluded.
 *
 * @example
 * ```ts
 * const views = await siteViewsByIds(ctx, [3, 7]);
 * ```
 */
export function siteViewsByIds(
  _ctx: AppContext,
  _ids: number[],
  _options: SiteViewOptions = {},
): Promise<Record<string, unknown>[]> {
  return Promise.reject(new Error("siteViewsByIds: not implemented yet"));
}
