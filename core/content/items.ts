/**
 * @module
 * One post or page on one child site: read it (`post_action get_edit`), change its status, edit it
 * (`newpost` with its id), create one, delete it. The operations on an existing item take the item as
 * {@link getContent} read it, as MainWP reads it first: an unknown id is `NotFound` before anything
 * changes, and so is an id of the other kind (a page asked for as a post), which the child would
 * otherwise answer by creating a new item on edit. Hook: `mainwp_post_action` (posts' status changes
 * and deletions).
 *
 * @example
 * ```ts
 * const post = await getContent(ctx, site, "post", 5);
 * await setContentStatus(ctx, site, post, "trash"); // { done: true }
 * ```
 */
import { isPlainObject } from "../../lib/objects.ts";
import type { SiteRecord } from "../../store/sites.ts";
import type { ChildDeps } from "../deps.ts";
import { InvalidInput, NotFound, OperationFailed } from "../errors.ts";
import {
  callContentChild,
  type ContentDetail,
  type ContentFields,
  type ContentKind,
  decodeEditData,
  newPostParams,
} from "./child.ts";

/** The status changes MainWP offers (`approve` is `publish`). */
export type StatusAction = "unpublish" | "publish" | "approve" | "trash" | "delete" | "restore";

/** Changes of an edit: absent fields keep the item's current values. */
export type ContentChanges = Partial<ContentFields> & {
  categories?: string;
  custom?: Record<string, unknown>;
  featuredImage?: string;
  galleryImages?: unknown[];
};

/** A new post or page: the fields (defaults filled by the caller's schema) and its extras. */
export type NewContent = ContentFields & {
  categories: string;
  custom: Record<string, unknown>;
  featuredImage: string;
  galleryImages: unknown[];
};

/** The outcome of an action the child may report as failed without an error. */
export interface ActionOutcome {
  /** Whether the child reported `SUCCESS`. */
  done: boolean;
}

function checkId(kind: ContentKind, id: number): void {
  if (!Number.isInteger(id) || id <= 0) {
    throw new InvalidInput("id", kind === "page" ? "Page id not found." : "Post id not found.", kind);
  }
}

const dashboardOf = (deps: ChildDeps) => new URL("../", deps.child.serverUrl).href;

/**
 * Reads one post or page from its site. `NotFound(kind, id)` when the site has none of that kind with
 * this id; `ChildUnavailable` when the child fails.
 *
 * @example
 * ```ts
 * (await getContent(ctx, site, "page", 9)).fields.title; // "Fixture page"
 * ```
 */
export async function getContent(
  deps: ChildDeps,
  site: SiteRecord,
  kind: ContentKind,
  id: number,
): Promise<ContentDetail> {
  checkId(kind, id);
  const reply = await callContentChild(deps, site, "post_action", {
    action: "get_edit",
    id,
    post_type: kind,
  });
  if (!isPlainObject(reply) || reply.status !== "SUCCESS") throw new NotFound(kind, id);
  const about = isPlainObject(reply.other_data) ? reply.other_data.post_action_data : null;
  const actualKind = isPlainObject(about) ? about.post_type : undefined;
  const detail = decodeEditData(reply.my_post, id, kind);
  if (detail === null || (actualKind !== undefined && actualKind !== kind)) throw new NotFound(kind, id);
  return detail;
}

/**
 * Changes the status of a post or page read by {@link getContent} (or deletes it for `delete`). `done`
 * is the child's `SUCCESS` (which it also reports for some no-ops, e.g. restoring an item not in the
 * trash).
 *
 * @example
 * ```ts
 * await setContentStatus(ctx, site, await getContent(ctx, site, "post", 5), "approve"); // publishes it
 * ```
 */
export async function setContentStatus(
  deps: ChildDeps,
  site: SiteRecord,
  item: ContentDetail,
  action: StatusAction,
): Promise<ActionOutcome> {
  const childAction = action === "approve" ? "publish" : action;
  const reply = await callContentChild(deps, site, "post_action", { action: childAction, id: item.id });
  return await reported(deps, site, item, childAction, reply);
}

/** The child's `SUCCESS`, announced for posts with `mainwp_post_action` as MainWP does (not for pages). */
async function reported(
  deps: ChildDeps,
  site: SiteRecord,
  item: ContentDetail,
  action: string,
  reply: unknown,
): Promise<ActionOutcome> {
  const done = isPlainObject(reply) && reply.status === "SUCCESS";
  if (done && item.kind === "post") {
    const data = isPlainObject(reply.other_data) ? reply.other_data.post_action_data ?? [] : [];
    await deps.hooks.doAction("mainwp_post_action", site, action, data, item.id, "post");
  }
  return { done };
}

/**
 * Deletes a post or page read by {@link getContent} for good (not to the trash).
 *
 * @example
 * ```ts
 * (await deleteContent(ctx, site, await getContent(ctx, site, "page", 9))).done; // true
 * ```
 */
export async function deleteContent(
  deps: ChildDeps,
  site: SiteRecord,
  item: ContentDetail,
): Promise<ActionOutcome> {
  const { id, kind } = item;
  const params = kind === "page" ? { action: "delete", id, post_type: "page" } : { action: "delete", id };
  return await reported(
    deps,
    site,
    item,
    "delete",
    await callContentChild(deps, site, "post_action", params),
  );
}

/** The id and permalink of a created or edited item, from a `newpost` reply (`OperationFailed` without). */
function addedOf(kind: ContentKind, op: "create" | "edit", reply: unknown): { id: number; link: string } {
  if (!isPlainObject(reply) || !reply.added) {
    const what = kind === "page" ? "page" : "post";
    throw new OperationFailed(`${kind}.${op}`, `${op === "edit" ? "Edit" : "Create"} ${what} failed.`);
  }
  const id = typeof reply.added_id === "number" ? reply.added_id : Number(reply.added_id) || 0;
  return { id, link: typeof reply.link === "string" ? reply.link : "" };
}

/**
 * Edits a post or page read by {@link getContent}: the changed fields replace the current ones,
 * everything else is kept (MainWP blanks what the request leaves out). Returns its id and permalink.
 *
 * @example
 * ```ts
 * await editContent(ctx, site, await getContent(ctx, site, "post", 5), { title: "New title" });
 * ```
 */
export async function editContent(
  deps: ChildDeps,
  site: SiteRecord,
  current: ContentDetail,
  changes: ContentChanges,
): Promise<{ id: number; link: string }> {
  const { id, kind } = current;
  const fields: ContentFields = { ...current.fields };
  for (const key of Object.keys(fields) as (keyof ContentFields)[]) {
    const value = changes[key];
    if (value !== undefined) Object.assign(fields, { [key]: value });
  }
  const params = newPostParams(kind, id, fields, {
    categories: changes.categories ?? current.categories,
    custom: changes.custom ?? current.custom ?? [],
    featuredImage: changes.featuredImage ?? current.featuredImage,
    galleryImages: changes.galleryImages ?? current.galleryImages ?? [],
    dashboardUrl: dashboardOf(deps),
  });
  return addedOf(kind, "edit", await callContentChild(deps, site, "newpost", params));
}

/**
 * Creates a post or page on a site; returns its id and permalink.
 *
 * @example
 * ```ts
 * await createContent(ctx, site, "page", { ...fields, categories: "", custom: {}, featuredImage: "", galleryImages: [] });
 * ```
 */
export async function createContent(
  deps: ChildDeps,
  site: SiteRecord,
  kind: ContentKind,
  input: NewContent,
): Promise<{ id: number; link: string }> {
  const { categories, custom, featuredImage, galleryImages, ...fields } = input;
  const params = newPostParams(kind, null, fields, {
    categories,
    custom,
    featuredImage,
    galleryImages,
    dashboardUrl: dashboardOf(deps),
  });
  return addedOf(kind, "create", await callContentChild(deps, site, "newpost", params));
}
