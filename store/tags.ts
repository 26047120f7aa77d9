/**
 * @module
 * Tag records (MainWP's "groups") on Deno KV. A tag's name is unique, case-insensitively, through the
 * `["idx", "tag_name", …]` index; a name already taken gets MainWP's ` (1)`, ` (2)`… suffix, or refuses
 * the write in the same commit (`createTagUnique`, `updateTagUnique`). Which sites
 * carry a tag lives in the site records (`tag_ids`) and the `site_tags` / `tag_sites` indexes, which
 * `store/sites.ts` moves with each site write. Every write here bumps the fleet revision in its commit.
 *
 * @example
 * ```ts
 * const tag = await createTag(kv, { name: "VIP", color: "#ff0000" });
 * await deleteTag(kv, tag.id); // also unlinks it from every site
 * ```
 */
import { createHash } from "node:crypto";
import { keys } from "./keys.ts";
import { allocateId, atomicRetry, bumpFleetRev, getManyChunked, listIds, listValues } from "./kv.ts";
import type { SiteRecord } from "./sites.ts";
import { keptUpdates, markTagsChanged, rowKey, setSiteRow, type SiteRow } from "./site-rows.ts";

/** A tag, with MainWP's column names. */
export interface TagRecord {
  id: number;
  /** Owner (WordPress user id). */
  userid: number;
  /** Stored HTML-escaped, as MainWP stores it. */
  name: string;
  /** `#rgb` / `#rrggbb`, or `""`. */
  color: string;
}

/** Fields of a new tag. */
export interface NewTag {
  name: string;
  color?: string;
  userid?: number;
}

/** The answer of a unique-name write when another tag holds the name. */
export interface TagNameTaken {
  /** Id of the tag holding the name. */
  takenBy: number;
}

/** Names longer than this (UTF-8 bytes) are hashed in the index key, which must stay below 2 KiB. */
const MAX_PLAIN_NAME_BYTES = 512;

/** Tags unlinked from this many sites per commit (each site is one version check). */
const UNLINK_CHUNK = 5;

/** Suffixes tried before giving up on finding a free name. */
const MAX_SUFFIX = 10_000;

/**
 * The index form of a tag name: lower case (MainWP's collation ignores case); a long name becomes a hash.
 *
 * @example
 * ```ts
 * tagNameKey("VIP"); // "vip"
 * ```
 */
export function tagNameKey(name: string): string {
  const lower = name.toLowerCase();
  if (new TextEncoder().encode(lower).length <= MAX_PLAIN_NAME_BYTES) return lower;
  return `#sha256:${createHash("sha256").update(lower).digest("hex")}`;
}

/**
 * The `n`-th duplicate form of a name: `VIP`, `VIP (1)`, `VIP (2)`…
 *
 * @example
 * ```ts
 * suffixedName("VIP", 2); // "VIP (2)"
 * ```
 */
export function suffixedName(base: string, n: number): string {
  return n === 0 ? base : `${base} (${n})`;
}

/**
 * Finds the first free form of `base` (or one held by `ownId`) and adds a check that it is still free
 * (or still ours) at commit time. With `unique`, only `base` itself is tried: held by another tag, the
 * answer is that tag's id, and the check makes the refusal as consistent as a write.
 */
async function reserveName(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  base: string,
  ownId?: number,
  unique = false,
): Promise<string | TagNameTaken> {
  for (let n = 0; n < (unique ? 1 : MAX_SUFFIX); n++) {
    const candidate = suffixedName(base, n);
    const entry = await kv.get<number>(keys.tagByName(tagNameKey(candidate)));
    if (entry.value === null || entry.value === ownId || unique) op.check(entry);
    if (entry.value === null || entry.value === ownId) return candidate;
    if (unique) return { takenBy: entry.value };
  }
  throw new Error(`no free tag name for ${base}`);
}

/** One tag, or `null`. */
export async function getTag(kv: Deno.Kv, id: number): Promise<TagRecord | null> {
  return (await kv.get<TagRecord>(keys.tag(id))).value;
}

/** Tags by id, in the given order, skipping missing ones. */
export async function getTags(kv: Deno.Kv, ids: number[]): Promise<TagRecord[]> {
  const entries = await getManyChunked<TagRecord>(kv, ids.map(keys.tag));
  return entries.flatMap((e) => (e.value ? [e.value] : []));
}

/** Every tag, in id order. */
export async function listTags(kv: Deno.Kv): Promise<TagRecord[]> {
  return await listValues<TagRecord>(kv, keys.tags());
}

/**
 * The tag holding a name (case-insensitive), or `null`.
 *
 * @example
 * ```ts
 * await findTagByName(kv, "vip");
 * ```
 */
export async function findTagByName(kv: Deno.Kv, name: string): Promise<TagRecord | null> {
  const id = (await kv.get<number>(keys.tagByName(tagNameKey(name)))).value;
  return id === null ? null : await getTag(kv, id);
}

/** Ids of the sites linked to a tag (from the `tag_sites` index), ascending. */
export async function tagSiteIds(kv: Deno.Kv, tagId: number): Promise<number[]> {
  return await listIds(kv, keys.tagSites(tagId));
}

/**
 * Creates a tag with a new id; a name already taken gets the first free ` (n)` suffix.
 *
 * @example
 * ```ts
 * await createTag(kv, { name: "VIP" }); // { id: 1, name: "VIP", color: "", userid: 1 }
 * await createTag(kv, { name: "vip" }); // name "vip (1)"
 * ```
 */
export async function createTag(kv: Deno.Kv, input: NewTag): Promise<TagRecord> {
  const tag = await insertTag(kv, input, false);
  // Without `unique` a taken name is suffixed, never refused.
  if ("takenBy" in tag) throw new Error("tag name refused without unique");
  return tag;
}

/**
 * Creates a tag unless another holds its name (case-insensitively): check and create are one commit.
 *
 * @example
 * ```ts
 * await createTagUnique(kv, { name: "VIP" }); // { id: 1, … }
 * await createTagUnique(kv, { name: "vip" }); // { takenBy: 1 }
 * ```
 */
export async function createTagUnique(kv: Deno.Kv, input: NewTag): Promise<TagRecord | TagNameTaken> {
  return await insertTag(kv, input, true);
}

async function insertTag(kv: Deno.Kv, input: NewTag, unique: boolean): Promise<TagRecord | TagNameTaken> {
  return await atomicRetry(kv, async (op) => {
    const name = await reserveName(kv, op, input.name, undefined, unique);
    if (typeof name !== "string") return name;
    const id = await allocateId(kv, op, "tags");
    const tag: TagRecord = { id, userid: input.userid ?? 1, name, color: input.color ?? "" };
    op.set(keys.tag(id), tag).set(keys.tagByName(tagNameKey(name)), id);
    markTagsChanged(op);
    bumpFleetRev(op);
    return tag;
  });
}

/** A change of a tag's name and/or colour; an omitted field is kept. */
export interface TagChange {
  name?: string;
  color?: string;
}

/**
 * Changes a tag's name and/or colour atomically (an omitted field is kept); a new name taken by another
 * tag gets a ` (n)` suffix. Returns the new record, or `null` when the tag does not exist.
 *
 * @example
 * ```ts
 * await updateTag(kv, 3, { color: "#00ff00" });
 * ```
 */
export async function updateTag(kv: Deno.Kv, id: number, change: TagChange): Promise<TagRecord | null> {
  const tag = await writeTag(kv, id, change, false);
  if (tag && "takenBy" in tag) throw new Error("tag name refused without unique");
  return tag;
}

/**
 * Like {@link updateTag}, but a new name held by another tag refuses the change (one commit).
 *
 * @example
 * ```ts
 * await updateTagUnique(kv, 3, { name: "Gold" }); // the record, null, or { takenBy: 4 }
 * ```
 */
export async function updateTagUnique(
  kv: Deno.Kv,
  id: number,
  change: TagChange,
): Promise<TagRecord | TagNameTaken | null> {
  return await writeTag(kv, id, change, true);
}

async function writeTag(
  kv: Deno.Kv,
  id: number,
  change: TagChange,
  unique: boolean,
): Promise<TagRecord | TagNameTaken | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<TagRecord>(keys.tag(id));
    if (!entry.value) return null;
    op.check(entry);
    const next: TagRecord = { ...entry.value };
    if (change.name !== undefined && change.name !== entry.value.name) {
      const oldKey = tagNameKey(entry.value.name);
      if (tagNameKey(change.name) === oldKey) next.name = change.name;
      else {
        const name = await reserveName(kv, op, change.name, id, unique);
        if (typeof name !== "string") return name;
        next.name = name;
      }
      const newKey = tagNameKey(next.name);
      if (newKey !== oldKey) {
        const old = await kv.get<number>(keys.tagByName(oldKey));
        op.check(old);
        if (old.value === id) op.delete(keys.tagByName(oldKey));
        op.set(keys.tagByName(newKey), id);
      }
    }
    if (change.color !== undefined) next.color = change.color;
    op.set(keys.tag(id), next);
    markTagsChanged(op);
    bumpFleetRev(op);
    return next;
  });
}

/**
 * Deletes a tag and its name in one commit, then removes it from every site that carries it (each chunk
 * of sites in its own commit, record and indexes together). Returns the deleted record or `null`.
 *
 * Deleting first means no new link can form afterwards (site edits check that the tags they link
 * exist), so one pass over the `tag_sites` index finds every site.
 *
 * @example
 * ```ts
 * await deleteTag(kv, 3);
 * ```
 */
export async function deleteTag(kv: Deno.Kv, id: number): Promise<TagRecord | null> {
  const tag = await atomicRetry(kv, async (op) => {
    const entry = await kv.get<TagRecord>(keys.tag(id));
    if (!entry.value) return null;
    const nameKey = keys.tagByName(tagNameKey(entry.value.name));
    const name = await kv.get<number>(nameKey);
    op.check(entry).check(name).delete(keys.tag(id));
    if (name.value === id) op.delete(nameKey);
    markTagsChanged(op);
    bumpFleetRev(op);
    return entry.value;
  });
  if (tag) await unlinkTagFromSites(kv, id);
  return tag;
}

/**
 * Removes a tag id from every site linked to it (records and both indexes), `UNLINK_CHUNK` sites per
 * commit. Returns how many site records changed.
 *
 * @example
 * ```ts
 * await unlinkTagFromSites(kv, 3);
 * ```
 */
export async function unlinkTagFromSites(kv: Deno.Kv, tagId: number): Promise<number> {
  const siteIds = await tagSiteIds(kv, tagId);
  let changed = 0;
  for (let i = 0; i < siteIds.length; i += UNLINK_CHUNK) {
    const chunk = siteIds.slice(i, i + UNLINK_CHUNK);
    changed += await atomicRetry(kv, async (op) => {
      // Records and their rows in one consistent read (5 + 5 keys, getMany's limit).
      const entries = await kv.getMany<(SiteRecord | SiteRow)[]>([
        ...chunk.map(keys.site),
        ...chunk.map(rowKey),
      ]);
      let n = 0;
      for (const [j, siteId] of chunk.entries()) {
        const entry = entries[j] as Deno.KvEntryMaybe<SiteRecord>;
        op.check(entry).delete(keys.siteTag(siteId, tagId)).delete(keys.tagSite(tagId, siteId));
        if (entry.value && entry.value.tag_ids.includes(tagId)) {
          const next = { ...entry.value, tag_ids: entry.value.tag_ids.filter((t) => t !== tagId) };
          op.set(keys.site(siteId), next);
          const row = entries[chunk.length + j] as Deno.KvEntryMaybe<SiteRow>;
          setSiteRow(op, next, await keptUpdates(kv, op, row, siteId));
          n++;
        }
      }
      bumpFleetRev(op);
      return n;
    });
  }
  return changed;
}
