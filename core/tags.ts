/**
 * @module
 * Tags (MainWP's site "groups"): list, read, create (or update through an id), edit and delete them, and
 * find the sites and clients a tag is on. Names are stored trimmed and HTML-escaped, as MainWP stores them,
 * and are unique case-insensitively: a taken name gets a ` (n)` suffix, or refuses the write when the
 * caller asks for unique names (checked in the same commit). Reads come from the fleet snapshot (one KV
 * read when nothing changed); writes go through `store/tags.ts` and fire `mainwp_added_new_group` /
 * `mainwp_site_tag_action`.
 *
 * @example
 * ```ts
 * import { createTag, listTags } from "./tags.ts";
 * declare const deps: import("./deps.ts").HookDeps;
 * const tag = await createTag(deps, { name: "VIP", color: "#ff0000" });
 * const all = await listTags(deps, { search: "vi" }); // [{ tag, siteIds: [] }]
 * ```
 */
import type { HookDeps, StoreDeps } from "./deps.ts";
import { Conflict, InvalidInput, NotFound } from "./errors.ts";
import * as store from "../store/tags.ts";
import type { TagRecord } from "../store/tags.ts";
import { type ClientRecord, getClients } from "../store/clients.ts";
import type { SiteRow } from "../store/site-rows.ts";
import { type FleetSnapshot, fleetSnapshot } from "./sites/fleet.ts";
import { NAME_MAX } from "../lib/limits.ts";
import { escHtml, sanitizeHexColor } from "../wp/format.ts";
import { isPhpEmpty } from "../wp/php.ts";

export type { TagRecord } from "../store/tags.ts";

/** A tag with the ids of the sites carrying it (staging sites included), ascending and distinct. */
export interface TagWithSites {
  tag: TagRecord;
  siteIds: readonly number[];
}

/** Which tags to list; every field optional. */
export interface TagFilter {
  /** Only these ids (empty: all). */
  include?: readonly number[];
  /** Leave out these ids. */
  exclude?: readonly number[];
  /** Matched, case-insensitively, against the stored name and the id (MainWP's `LIKE`). */
  search?: string;
}

/** Fields of a new or changed tag. */
export interface TagInput {
  /** Display text; stored trimmed and escaped. Omitted on an edit: kept. */
  name?: string;
  /** `#rgb` / `#rrggbb`. Omitted or PHP-empty: kept (`""` for a new tag); `null` or invalid: cleared. */
  color?: string | null;
}

/** How a name already held by another tag is handled: MainWP's ` (n)` suffix, or a `Conflict`. */
export type OnNameTaken = "suffix" | "refuse";

/**
 * A tag name as stored: trimmed and HTML-escaped; `null` when PHP-empty, not text, or over the name limit.
 *
 * @example
 * ```ts
 * tagNameOf(" R&D "); // "R&amp;D"
 * tagNameOf("0"); // null
 * ```
 */
export function tagNameOf(value: unknown): string | null {
  if ((typeof value !== "string" && typeof value !== "number") || isPhpEmpty(value)) return null;
  if (String(value).trim().length > NAME_MAX) return null;
  const name = escHtml(String(value).trim());
  return name === "" ? null : name;
}

/**
 * A colour as stored: `undefined` (keep) when PHP-empty, else the sanitized value or `""` when invalid.
 *
 * @example
 * ```ts
 * [tagColorOf("#F00"), tagColorOf("red"), tagColorOf("")]; // ["#F00", "", undefined]
 * ```
 */
export function tagColorOf(value: string | null | undefined): string | undefined {
  if (value === undefined || (value !== null && isPhpEmpty(value))) return undefined;
  return sanitizeHexColor(value) ?? "";
}

// ---------------------------------------------------------------------------------------------------
// Reads

/** Tags with sites per snapshot (one per fleet revision, so neither changes; callers may cache on them). */
const snapshotTags = new WeakMap<FleetSnapshot, Map<number, TagWithSites>>();
/** Tag id → ids of the sites carrying it (staging included), ascending, per snapshot. */
const snapshotTagSites = new WeakMap<FleetSnapshot, Map<number, number[]>>();

function tagSitesOf(snap: FleetSnapshot): Map<number, number[]> {
  let map = snapshotTagSites.get(snap);
  if (!map) {
    map = new Map();
    for (const { site } of snap.byId.values()) {
      for (const tagId of new Set(site.tag_ids)) {
        if (!snap.tags.has(tagId)) continue;
        const list = map.get(tagId);
        if (list) list.push(site.id);
        else map.set(tagId, [site.id]);
      }
    }
    for (const list of map.values()) list.sort((a, b) => a - b);
    snapshotTagSites.set(snap, map);
  }
  return map;
}

function withSites(snap: FleetSnapshot, tag: TagRecord): TagWithSites {
  let cache = snapshotTags.get(snap);
  if (!cache) snapshotTags.set(snap, cache = new Map());
  let found = cache.get(tag.id);
  if (!found) {
    found = { tag, siteIds: tagSitesOf(snap).get(tag.id) ?? [] };
    cache.set(tag.id, found);
  }
  return found;
}

/**
 * The tags matching `filter`, ordered by name (case-insensitively, then id), each with its sites. The
 * same tag in the same fleet state is the same object, so presenters may cache per result.
 *
 * @example
 * ```ts
 * await listTags(deps, { include: [3, 7], search: "vip" });
 * ```
 */
export async function listTags(deps: StoreDeps, filter: TagFilter = {}): Promise<TagWithSites[]> {
  const snap = await fleetSnapshot(deps.kv);
  let tags: readonly TagRecord[] = snap.tagsByName;
  if (filter.include?.length) {
    const inc = new Set(filter.include);
    tags = tags.filter((t) => inc.has(t.id));
  }
  if (filter.exclude?.length) {
    const ex = new Set(filter.exclude);
    tags = tags.filter((t) => !ex.has(t.id));
  }
  if (filter.search) {
    const s = filter.search.toLowerCase();
    tags = tags.filter((t) => t.name.toLowerCase().includes(s) || String(t.id).includes(s));
  }
  return tags.map((t) => withSites(snap, t));
}

/**
 * One tag with its sites; `NotFound` when there is none with this id.
 *
 * @example
 * ```ts
 * (await getTag(deps, 4)).siteIds; // [3, 12]
 * ```
 */
export async function getTag(deps: StoreDeps, id: number): Promise<TagWithSites> {
  const snap = await fleetSnapshot(deps.kv);
  const tag = snap.tags.get(id);
  if (!tag) throw new NotFound("tag", id);
  return withSites(snap, tag);
}

/**
 * The listing rows of the sites carrying a tag (staging included), ordered by URL; `NotFound` for an
 * unknown tag.
 *
 * @example
 * ```ts
 * (await getTagSites(deps, 4)).map((s) => s.url); // ["https://a.example/", "https://b.example/"]
 * ```
 */
export async function getTagSites(deps: StoreDeps, id: number): Promise<SiteRow[]> {
  const snap = await fleetSnapshot(deps.kv);
  const tag = snap.tags.get(id);
  if (!tag) throw new NotFound("tag", id);
  const sites = withSites(snap, tag).siteIds.flatMap((siteId) => {
    const site = snap.byId.get(siteId)?.site;
    return site ? [site] : [];
  });
  return sites.sort((a, b) => a.url.localeCompare(b.url));
}

/**
 * The clients owning sites that carry a tag, ordered by name (case-insensitively, then id); `NotFound`
 * for an unknown tag.
 *
 * @example
 * ```ts
 * (await getTagClients(deps, 4)).map((c) => c.name); // ["ACME", "Globex"]
 * ```
 */
export async function getTagClients(deps: StoreDeps, id: number): Promise<ClientRecord[]> {
  const snap = await fleetSnapshot(deps.kv);
  const tag = snap.tags.get(id);
  if (!tag) throw new NotFound("tag", id);
  const clientIds = new Set<number>();
  for (const siteId of withSites(snap, tag).siteIds) {
    const clientId = snap.byId.get(siteId)?.site.client_id ?? 0;
    if (clientId > 0) clientIds.add(clientId);
  }
  const clients = await getClients(deps.kv, [...clientIds].sort((a, b) => a - b));
  return clients.sort((a, b) => {
    const x = String(a.name ?? "").toLowerCase();
    const y = String(b.name ?? "").toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.client_id - b.client_id;
  });
}

/**
 * A tag record with its sites as the store's index has them now (right after a write, before any
 * snapshot is rebuilt).
 *
 * @example
 * ```ts
 * (await tagWithSites(deps, tag)).siteIds; // []
 * ```
 */
export async function tagWithSites(deps: StoreDeps, tag: TagRecord): Promise<TagWithSites> {
  return { tag, siteIds: await store.tagSiteIds(deps.kv, tag.id) };
}

// ---------------------------------------------------------------------------------------------------
// Writes

function requiredName(name: string | undefined): string {
  const stored = tagNameOf(name);
  if (stored === null) throw new InvalidInput("name", "A tag needs a name.", "tag");
  return stored;
}

function nameTaken(name: string | undefined, takenBy: number): Conflict {
  return new Conflict("tag", takenBy, `A tag with name "${name}" already exists.`);
}

/**
 * Creates a tag (`InvalidInput` without a usable name) and fires `mainwp_added_new_group` and
 * `mainwp_site_tag_action` ("created"). A taken name is suffixed, or with `onTaken: "refuse"` answers
 * `Conflict` — checked and created in one commit.
 *
 * @example
 * ```ts
 * await createTag(deps, { name: "VIP" }, "refuse"); // { id: 1, name: "VIP", color: "", userid: 1 }
 * ```
 */
export async function createTag(
  deps: HookDeps,
  input: TagInput,
  onTaken: OnNameTaken = "suffix",
): Promise<TagRecord> {
  const name = requiredName(input.name);
  const fields = { name, color: tagColorOf(input.color) ?? "" };
  const created = onTaken === "refuse"
    ? await store.createTagUnique(deps.kv, fields)
    : await store.createTag(deps.kv, fields);
  if ("takenBy" in created) throw nameTaken(input.name, created.takenBy);
  await deps.hooks.doAction("mainwp_added_new_group", created.id, created.name);
  await deps.hooks.doAction("mainwp_site_tag_action", created, "created");
  return created;
}

/**
 * Changes a tag's name and/or colour (omitted fields kept) and fires `mainwp_site_tag_action`
 * ("updated"). `NotFound` for an unknown tag, `InvalidInput` for a name given but unusable, `Conflict`
 * with `onTaken: "refuse"` when another tag holds the new name (else it is suffixed).
 *
 * @example
 * ```ts
 * await editTag(deps, 3, { color: "#00ff00" });
 * ```
 */
export async function editTag(
  deps: HookDeps,
  id: number,
  change: TagInput,
  onTaken: OnNameTaken = "suffix",
): Promise<TagRecord> {
  const name = change.name === undefined ? undefined : tagNameOf(change.name);
  if (name === null) {
    // An unknown tag is the first thing to report, as for any edit.
    if (!(id > 0) || !(await store.getTag(deps.kv, id))) throw new NotFound("tag", id);
    requiredName(change.name);
  }
  const fields = { name: name ?? undefined, color: tagColorOf(change.color) };
  const updated = id > 0
    ? onTaken === "refuse"
      ? await store.updateTagUnique(deps.kv, id, fields)
      : await store.updateTag(deps.kv, id, fields)
    : null;
  if (!updated) throw new NotFound("tag", id);
  if ("takenBy" in updated) throw nameTaken(change.name, updated.takenBy);
  await deps.hooks.doAction("mainwp_site_tag_action", updated, "updated");
  return updated;
}

/**
 * MainWP's "add" of a tag: updates tag `id` when one is given (`NotFound` when it does not exist), else
 * creates one; a taken name is suffixed. Answers the tag with its sites.
 *
 * @example
 * ```ts
 * (await saveTag(deps, { name: "VIP" })).tag.id; // 1
 * ```
 */
export async function saveTag(deps: HookDeps, input: TagInput & { id?: number }): Promise<TagWithSites> {
  if (input.id !== undefined && input.id > 0) {
    requiredName(input.name);
    return await tagWithSites(deps, await editTag(deps, input.id, input));
  }
  return { tag: await createTag(deps, input), siteIds: [] };
}

/**
 * Deletes a tag and removes it from every site, then fires `mainwp_site_tag_action` ("deleted").
 * Answers the deleted record; `NotFound` when there was none.
 *
 * @example
 * ```ts
 * await deleteTag(deps, 3);
 * ```
 */
export async function deleteTag(deps: HookDeps, id: number): Promise<TagRecord> {
  const deleted = id > 0 ? await store.deleteTag(deps.kv, id) : null;
  if (!deleted) throw new NotFound("tag", id);
  await deps.hooks.doAction("mainwp_site_tag_action", deleted, "deleted");
  return deleted;
}

/**
 * Tag ids for a site's list of tag references (MainWP's `groupids`): digits name existing tags (unknown
 * ids are dropped), other items are names — found case-insensitively, or created. Distinct, in order.
 *
 * @example
 * ```ts
 * await resolveTagRefs(deps, ["3", "VIP", "vip"]); // [3, 5]
 * ```
 */
export async function resolveTagRefs(deps: HookDeps, refs: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const ref of refs) {
    if (/^\d+$/.test(ref)) {
      if (await store.getTag(deps.kv, Number(ref))) ids.push(Number(ref));
      continue;
    }
    const name = tagNameOf(ref);
    if (name === null) continue;
    const found = await store.findTagByName(deps.kv, name);
    ids.push(found ? found.id : (await createTag(deps, { name: ref })).id);
  }
  return [...new Set(ids)];
}
