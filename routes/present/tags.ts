/**
 * @module
 * MainWP's wire form of tags (rest-v2.md §6.3): the tag object, its list envelope, and the request
 * parameters of the `/tags` routes read as PHP reads them.
 *
 * Tag object: `{"id","name","color","count_sites","sites_ids"}`, all strings; a tag without sites reads
 * back with `"count_sites":"0","sites_ids":null`, while the edit and remove answers carry `""` for both.
 *
 * @example
 * ```ts
 * import { tagObject } from "./tags.ts";
 * tagObject({ id: 4, name: "VIP", color: "", userid: 1 }, [12, 3]).sites_ids; // "3,12"
 * ```
 */
import { z } from "zod";
import type { TagRecord, TagWithSites } from "../../core/tags.ts";
import { tagNameOf } from "../../core/tags.ts";
import { isPhpEmpty, phpIntval } from "../../wp/php.ts";
import { orderedMap } from "../../wp/ordered-map.ts";
import { type CommonListQuery, parseCommonListQuery } from "./site-list.ts";

/** The tag object of rest-v2.md §6.3. */
export interface TagObject {
  id: string;
  name: string;
  color: string;
  count_sites: string;
  sites_ids: string | null;
}

/**
 * The tag object as `GET /tags` shows it: site ids in id order, or `null` / `"0"` without sites.
 *
 * @example
 * ```ts
 * tagObject({ id: 4, name: "VIP", color: "", userid: 1 }, [12, 3]);
 * // { id: "4", name: "VIP", color: "", count_sites: "2", sites_ids: "3,12" }
 * ```
 */
export function tagObject(tag: TagRecord, siteIds: readonly number[] | undefined): TagObject {
  const ids = [...new Set(siteIds ?? [])].sort((a, b) => a - b);
  return {
    id: String(tag.id),
    name: tag.name,
    color: tag.color ?? "",
    count_sites: String(ids.length),
    sites_ids: ids.length > 0 ? ids.join(",") : null,
  };
}

/** GET-form objects per core result (the core hands out the same result while the fleet is unchanged). */
const objectCache = new WeakMap<TagWithSites, TagObject>();

/**
 * {@link tagObject} of a core result, computed once per result.
 *
 * @example
 * ```ts
 * tagObjectOf({ tag: { id: 4, name: "VIP", color: "", userid: 1 }, siteIds: [] }).sites_ids; // null
 * ```
 */
export function tagObjectOf(item: TagWithSites): TagObject {
  let obj = objectCache.get(item);
  if (!obj) objectCache.set(item, obj = tagObject(item.tag, item.siteIds));
  return obj;
}

/**
 * The tag object of the edit and remove answers (`count_sites` and `sites_ids` are `""`).
 *
 * @example
 * ```ts
 * tagObjectBlank({ id: 4, name: "VIP", color: "", userid: 1 }).sites_ids; // ""
 * ```
 */
export function tagObjectBlank(tag: TagRecord): TagObject {
  return { id: String(tag.id), name: tag.name, color: tag.color ?? "", count_sites: "", sites_ids: "" };
}

/**
 * `GET /tags`'s envelope: `data` keyed by tag id in list order (`[]` when none).
 *
 * @example
 * ```ts
 * tagListBody([]); // { success: 1, total: 0, data: [] }
 * ```
 */
export function tagListBody(
  items: readonly TagWithSites[],
): { success: 1; total: number; data: Record<string, TagObject> | [] } {
  const data = orderedMap(items.map((t) => [String(t.tag.id), tagObjectOf(t)] as const));
  return { success: 1, total: items.length, data };
}

/** A parsed `GET /tags` query (the value `mainwp_rest_object_object_query` filters). */
export type TagListQuery = CommonListQuery;

/**
 * Parses `GET /tags` parameters (`page`/`paged` + `per_page` both needed to page).
 *
 * @example
 * ```ts
 * parseTagListQuery({ search: "vip" }).search; // "vip"
 * ```
 */
export function parseTagListQuery(params: Record<string, unknown>): TagListQuery {
  return parseCommonListQuery(params);
}

/** A name as PHP reads it: text or a number; anything else is no name. */
const nameParam = z.unknown().transform((v) =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined
).optional();

/** A colour as PHP reads it: empty keeps, text is sanitized, anything else is invalid (`null`, cleared). */
const colorParam = z.unknown().transform((v) => typeof v === "string" ? v : isPhpEmpty(v) ? undefined : null)
  .optional();

/**
 * The core's view of a `/tags/add` or `/tags/{id}/edit` request (never fails: MainWP validates none of
 * it). `id` is the merged `id` parameter (a body or query `id` overrides the path's, as in MainWP).
 *
 * @example
 * ```ts
 * tagWriteInput.parse({ id: "3", name: "VIP", color: 5 }); // { id: 3, name: "VIP", color: null }
 * ```
 */
export const tagWriteInput = z.object({
  id: z.unknown().transform((v) => (isPhpEmpty(v) ? 0 : phpIntval(v))).optional(),
  name: nameParam,
  color: colorParam,
});

/**
 * An edit's name: kept (`undefined`) when unusable, since MainWP's edit ignores it then.
 *
 * @example
 * ```ts
 * editedName("0"); // undefined
 * ```
 */
export function editedName(name: string | undefined): string | undefined {
  return tagNameOf(name) === null ? undefined : name;
}
