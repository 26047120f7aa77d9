/**
 * @module
 * Tags (MainWP's site "groups", rest-v2.md §2.3, §6.3, §10): list, read, create (or update through
 * `id`), edit, delete, and the sites and clients of a tag. Reads come from the fleet snapshot (one KV
 * read when nothing changed); writes go through `store/tags.ts`.
 *
 * Tag object: `{"id","name","color","count_sites","sites_ids"}`, all strings; a tag without sites reads
 * back with `"count_sites":"0","sites_ids":null`, while the edit and remove answers carry `""` for both.
 *
 * @example
 * ```ts
 * const res = await addTag(ctx, { name: "VIP", color: "#ff0000" });
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { parseIdList } from "../rest/args.ts";
import { type RestError, restError } from "../rest/errors.ts";
import { getClients } from "../store/clients.ts";
import { createTag, deleteTag, getTag, type TagRecord, tagSiteIds, updateTag } from "../store/tags.ts";
import { clientView } from "./client-view.ts";
import { entriesByIds, type FleetSnapshot, fleetSnapshot, pageOf, presentSites } from "./site-list.ts";
import type { SiteViewOptions } from "./site-view.ts";
import { NAME_MAX } from "../lib/limits.ts";
import { escHtml } from "../wp/format.ts";
import { isPhpEmpty, phpIntval } from "../wp/php.ts";
import { sanitizeHexColor } from "../wp/format.ts";

/** The tag object of rest-v2.md §6.3. */
export interface TagObject {
  id: string;
  name: string;
  color: string;
  count_sites: string;
  sites_ids: string | null;
}

/** `404 mainwp_rest_invalid_tag_id`. */
export function tagNotFound(): RestError {
  return restError("mainwp_rest_invalid_tag_id", "Invalid or not found ID.", 404);
}

/**
 * An object whose keys serialise in the given order even when they look like integers (a plain object
 * would sort them): PHP keeps insertion order in maps such as `{"7":…,"3":…}`. Empty → `[]`, as PHP
 * encodes an empty array.
 *
 * @example
 * ```ts
 * JSON.stringify(orderedMap([["7", 1], ["3", 2]])); // '{"7":1,"3":2}'
 * ```
 */
export function orderedMap<T>(entries: readonly (readonly [string, T])[]): Record<string, T> | [] {
  if (entries.length === 0) return [];
  const target: Record<string, T> = {};
  const order: string[] = [];
  for (const [key, value] of entries) {
    if (!Object.hasOwn(target, key)) order.push(key);
    target[key] = value;
  }
  return new Proxy(target, { ownKeys: () => [...order] });
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

/**
 * The tag object of the edit and remove answers (`count_sites` and `sites_ids` are `""`).
 *
 * @example
 * ```ts
 * tagObjectBlank(tag).sites_ids; // ""
 * ```
 */
export function tagObjectBlank(tag: TagRecord): TagObject {
  return { id: String(tag.id), name: tag.name, color: tag.color ?? "", count_sites: "", sites_ids: "" };
}

/**
 * A tag name as stored: trimmed and HTML-escaped (MainWP stores names escaped); `null` when empty.
 *
 * @example
 * ```ts
 * tagNameOf(" R&D "); // "R&amp;D"
 * ```
 */
export function tagNameOf(value: unknown): string | null {
  if ((typeof value !== "string" && typeof value !== "number") || isPhpEmpty(value)) return null;
  // Over the name limit is no name (a `groupids` item is skipped; REST refused it already).
  if (String(value).trim().length > NAME_MAX) return null;
  const name = escHtml(String(value).trim());
  return name === "" ? null : name;
}

// ---------------------------------------------------------------------------------------------------
// Reads

/** Tag objects per snapshot (a snapshot never changes, so neither do they). */
const tagObjectCache = new WeakMap<FleetSnapshot, Map<number, TagObject>>();

/** The GET-form tag object of a snapshot's tag, computed once per snapshot. */
function snapshotTagObject(snap: FleetSnapshot, tag: TagRecord): TagObject {
  let cache = tagObjectCache.get(snap);
  if (!cache) {
    cache = new Map();
    tagObjectCache.set(snap, cache);
  }
  let obj = cache.get(tag.id);
  if (!obj) {
    obj = tagObject(tag, snap.tagSites.get(tag.id));
    cache.set(tag.id, obj);
  }
  return obj;
}

/** A parsed `GET /tags` query. */
export interface TagListQuery {
  page: number | null;
  perPage: number | null;
  search: string;
  include: number[];
  exclude: number[];
}

/**
 * Parses `GET /tags` parameters (`page`/`paged` + `per_page` both needed to page).
 *
 * @example
 * ```ts
 * parseTagListQuery({ search: "vip" }).search; // "vip"
 * ```
 */
export function parseTagListQuery(params: Record<string, unknown>): TagListQuery {
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
 * `GET /tags`: tags ordered by name, `data` keyed by tag id (`[]` when none).
 *
 * @example
 * ```ts
 * await listTagObjects(ctx, parseTagListQuery({})); // { success: 1, total: 2, data: { "3": …, "7": … } }
 * ```
 */
export async function listTagObjects(
  ctx: AppContext,
  query: TagListQuery,
  params: Record<string, unknown> = {},
): Promise<{ success: 1; total: number; data: Record<string, TagObject> | [] }> {
  const q = await ctx.hooks.applyFilters("mainwp_rest_object_object_query", query, params);
  const snap = await fleetSnapshot(ctx.kv);
  let tags: readonly TagRecord[] = snap.tagsByName;
  if (q.include.length > 0) {
    const inc = new Set(q.include);
    tags = tags.filter((t) => inc.has(t.id));
  }
  if (q.exclude.length > 0) {
    const ex = new Set(q.exclude);
    tags = tags.filter((t) => !ex.has(t.id));
  }
  if (q.search) {
    const s = q.search.toLowerCase();
    tags = tags.filter((t) => t.name.toLowerCase().includes(s) || String(t.id).includes(s));
  }
  const page = pageOf(tags, q.page, q.perPage);
  const data = orderedMap(page.map((t) => [String(t.id), snapshotTagObject(snap, t)] as const));
  return { success: 1, total: page.length, data };
}

/**
 * `GET /tags/{id}`: `{"success":1,"data":<tag>}`; 404 when unknown.
 *
 * @example
 * ```ts
 * await getTagObject(ctx, 4);
 * ```
 */
export async function getTagObject(ctx: AppContext, id: number): Promise<{ success: 1; data: TagObject }> {
  const snap = await fleetSnapshot(ctx.kv);
  const tag = snap.tags.get(id);
  if (!tag) throw tagNotFound();
  return { success: 1, data: snapshotTagObject(snap, tag) };
}

/**
 * `GET /tags/{id}/sites`: the tag's (non-staging) sites as site view objects, in URL order.
 *
 * @example
 * ```ts
 * await tagSites(ctx, 4); // { success: 1, total: 2, data: [<site view>, <site view>] }
 * ```
 */
export async function tagSites(
  ctx: AppContext,
  id: number,
  options: SiteViewOptions = {},
): Promise<{ success: 1; total: number; data: Record<string, unknown>[] }> {
  const snap = await fleetSnapshot(ctx.kv);
  if (!snap.tags.has(id)) throw tagNotFound();
  const data = await presentSites(ctx, entriesByIds(snap, snap.tagSites.get(id) ?? []), {
    fields: options.fields ?? null,
    params: options.params,
  });
  return { success: 1, total: data.length, data };
}

/**
 * `GET /tags/{id}/clients`: the clients owning sites that carry the tag, ordered by name, as client view
 * objects.
 *
 * @example
 * ```ts
 * await tagClients(ctx, 4); // { success: 1, total: 1, data: [<client view>] }
 * ```
 */
export async function tagClients(
  ctx: AppContext,
  id: number,
): Promise<{ success: 1; total: number; data: Record<string, string>[] }> {
  const snap = await fleetSnapshot(ctx.kv);
  if (!snap.tags.has(id)) throw tagNotFound();
  const clientIds = new Set<number>();
  for (const siteId of snap.tagSites.get(id) ?? []) {
    const clientId = snap.byId.get(siteId)?.site.client_id ?? 0;
    if (clientId > 0) clientIds.add(clientId);
  }
  const clients = await getClients(ctx.kv, [...clientIds].sort((a, b) => a - b));
  clients.sort((a, b) => {
    const x = String(a.name ?? "").toLowerCase();
    const y = String(b.name ?? "").toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.client_id - b.client_id;
  });
  const data = clients.map(clientView);
  return { success: 1, total: data.length, data };
}

// ---------------------------------------------------------------------------------------------------
// Writes

/** Input of `POST /tags/add` (raw request values). */
export interface AddTagInput {
  name?: unknown;
  color?: unknown;
  /** When set, the add updates this tag instead (MainWP behaviour). */
  id?: unknown;
}

const ADD_FAILED = { success: 0, error: "Add tag failed. Please try again." } as const;

/** A colour input: omitted/empty → `undefined` (keep), else the sanitized value or `""` when invalid. */
function colorInput(value: unknown): string | undefined {
  if (isPhpEmpty(value)) return undefined;
  return sanitizeHexColor(value) ?? "";
}

/**
 * `POST /tags/add`: creates a tag (name HTML-escaped, duplicate names suffixed ` (1)`, invalid colour
 * → `""`), or updates tag `id` when one is given. Fires `mainwp_added_new_group` and
 * `mainwp_site_tag_action`. Empty name → `{"success":0,"error":"Add tag failed. Please try again."}`.
 *
 * @example
 * ```ts
 * await addTag(ctx, { name: "VIP" });
 * // { success: 1, message: "Tag created successfully.", data: { id: "1", name: "VIP", color: "", count_sites: "0", sites_ids: null } }
 * ```
 */
export async function addTag(
  ctx: AppContext,
  input: AddTagInput,
): Promise<{ success: 1; message: string; data: TagObject } | typeof ADD_FAILED> {
  const name = tagNameOf(input.name);
  if (name === null) return ADD_FAILED;
  const color = colorInput(input.color);
  const id = !isPhpEmpty(input.id) ? phpIntval(input.id) : 0;
  if (id > 0) {
    const updated = await updateTag(ctx.kv, id, { name, color });
    if (!updated) return ADD_FAILED;
    await ctx.hooks.doAction("mainwp_site_tag_action", updated, "updated");
    return {
      success: 1,
      message: "Tag created successfully.",
      data: tagObject(updated, await tagSiteIds(ctx.kv, id)),
    };
  }
  const tag = await createTag(ctx.kv, { name, color: color ?? "" });
  await ctx.hooks.doAction("mainwp_added_new_group", tag.id, tag.name);
  await ctx.hooks.doAction("mainwp_site_tag_action", tag, "created");
  return { success: 1, message: "Tag created successfully.", data: tagObject(tag, []) };
}

/**
 * `POST /tags/{id}/edit`: changes name and/or colour. Deviation: an omitted name keeps the old one
 * (MainWP blanks it). `{"success":1,"message":"Tag updated successfully.","data":<tag, counts "">}`.
 *
 * @example
 * ```ts
 * await editTag(ctx, 3, { color: "#00ff00" });
 * ```
 */
export async function editTag(
  ctx: AppContext,
  id: number,
  input: { name?: unknown; color?: unknown },
): Promise<{ success: 1; message: string; data: TagObject }> {
  if (!(id > 0) || !(await getTag(ctx.kv, id))) throw tagNotFound();
  const updated = await updateTag(ctx.kv, id, {
    name: tagNameOf(input.name) ?? undefined,
    color: colorInput(input.color),
  });
  if (!updated) throw tagNotFound();
  await ctx.hooks.doAction("mainwp_site_tag_action", updated, "updated");
  return { success: 1, message: "Tag updated successfully.", data: tagObjectBlank(updated) };
}

/**
 * `DELETE /tags/{id}/remove`: deletes the tag and removes it from every site.
 * `{"success":1,"message":"Tag deleted successfully.","data":<tag, counts "">}`.
 *
 * @example
 * ```ts
 * await removeTag(ctx, 3);
 * ```
 */
export async function removeTag(
  ctx: AppContext,
  id: number,
): Promise<{ success: 1; message: string; data: TagObject }> {
  const deleted = id > 0 ? await deleteTag(ctx.kv, id) : null;
  if (!deleted) throw tagNotFound();
  await ctx.hooks.doAction("mainwp_site_tag_action", deleted, "deleted");
  return { success: 1, message: "Tag deleted successfully.", data: tagObjectBlank(deleted) };
}
