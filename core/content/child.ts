/**
 * @module
 * What posts and pages look like on the wire to a MainWP Child: the base64 fields of `newpost` and of
 * `post_action get_edit`'s `my_post`, decoded into domain values, and the one signed call every content
 * operation makes (a child failure becomes {@link ChildUnavailable}).
 *
 * @example
 * ```ts
 * const value = await callContentChild(ctx, site, "post_action", { action: "get_edit", id: 5, post_type: "post" });
 * decodeEditData(value.my_post)?.post.post_title; // "Fixture post one"
 * ```
 */
import { Buffer } from "node:buffer";
import { ChildError } from "../../child/errors.ts";
import { type FormFields, rawUrlDecode, rawUrlEncode } from "../../child/form.ts";
import { isPlainObject } from "../../lib/objects.ts";
import type { SiteRecord } from "../../store/sites.ts";
import type { ChildDeps } from "../deps.ts";
import { ChildUnavailable } from "../errors.ts";
import { childSiteOf } from "../sync/sync.ts";

/** Posts or pages: the two kinds of content MainWP's REST API manages. */
export type ContentKind = "post" | "page";

/** A post's or page's editable fields as the child's `new_post` carries them. */
export interface ContentFields {
  title: string;
  content: string;
  status: string;
  excerpt: string;
  slug: string;
  password: string;
  commentStatus: string;
  pingStatus: string;
  /** `YYYY-MM-DD HH:MM:SS`, `""` for "now". */
  date: string;
  dateGmt: string;
  /** `null`: not set (pages have no sticky flag). */
  sticky: boolean | null;
  /** Comma-separated tag names (posts only). */
  tags: string;
}

/** What `get_edit` tells about one post or page. */
export interface ContentDetail {
  id: number;
  kind: ContentKind;
  fields: ContentFields;
  /** The raw `new_post` object the child sent (every key it has, as sent). */
  post: Record<string, unknown>;
  /** Comma-separated category names (posts), `""` when none. */
  categories: string;
  /** Custom meta as the child sent it (`{key: [values]}`, or `[]` when none), `null` when unreadable. */
  custom: Record<string, unknown> | unknown[] | null;
  /** The featured image's URL, `""` when none. */
  featuredImage: string;
  galleryImages: unknown[] | Record<string, unknown> | null;
  uploadDir: Record<string, unknown> | unknown[] | null;
}

/**
 * Calls a content function of the site's child and returns its decoded reply as it is (a list, `""` or
 * an object). Throws {@link ChildUnavailable} when the child cannot be reached or answers an error.
 *
 * @example
 * ```ts
 * await callContentChild(ctx, site, "get_all_posts", { status: "publish" }); // [{ id: 5, … }]
 * ```
 */
export async function callContentChild(
  deps: ChildDeps,
  site: SiteRecord,
  fn: string,
  params: FormFields,
): Promise<unknown> {
  try {
    return await deps.child.callValue(await childSiteOf(deps, site), fn, params);
  } catch (error) {
    if (error instanceof ChildError) throw new ChildUnavailable(site.id, error);
    throw error;
  }
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
/** WordPress's JSON encoding of what the Dashboard sends (slashes escaped as PHP does). */
const b64Json = (value: unknown) => b64(JSON.stringify(value).replaceAll("/", "\\/"));

/** MainWP's base64 decoding of a `my_post` field: `null` for anything empty or undecodable. */
function unb64(value: unknown): string | null {
  if (typeof value !== "string" || value === "" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return null;
  return Buffer.from(value, "base64").toString("utf8");
}

function jsonOf(value: unknown): Record<string, unknown> | unknown[] | null {
  const text = unb64(value);
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) || isPlainObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** PHP's `empty()` on a decoded string field is true for `""` and `"0"`: then there is nothing. */
function textField(value: unknown): string {
  const text = unb64(value);
  return text === null || text === "" || text === "0" ? "" : rawUrlDecode(text);
}

const str = (value: unknown) =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : "";

/**
 * The domain view of a `get_edit` reply's `my_post`, or `null` when it holds no post (`false`, `[]`).
 *
 * @example
 * ```ts
 * decodeEditData(reply.my_post, 5, "post")?.fields.title;
 * ```
 */
export function decodeEditData(myPost: unknown, id: number, kind: ContentKind): ContentDetail | null {
  if (!isPlainObject(myPost) || Object.keys(myPost).length === 0) return null;
  const decoded = jsonOf(myPost.new_post);
  const post = isPlainObject(decoded) ? decoded : {};
  return {
    id,
    kind,
    post,
    fields: {
      title: str(post.post_title),
      content: str(post.post_content),
      status: str(post.post_status),
      excerpt: str(post.post_excerpt),
      slug: str(post.post_name),
      password: str(post.post_password),
      commentStatus: str(post.comment_status),
      pingStatus: str(post.ping_status),
      date: str(post.post_date),
      dateGmt: str(post.post_date_gmt),
      sticky: Object.hasOwn(post, "is_sticky") ? Boolean(Number(post.is_sticky)) : null,
      tags: Object.hasOwn(post, "post_tags") ? rawUrlDecode(str(post.post_tags)) : "",
    },
    categories: textField(myPost.post_category),
    custom: jsonOf(myPost.post_custom),
    featuredImage: textField(myPost.post_featured_image),
    galleryImages: jsonOf(myPost.post_gallery_images),
    uploadDir: jsonOf(myPost.child_upload_dir),
  };
}

/** Extra data of a `newpost` call besides the fields. */
export interface NewPostExtras {
  /** Comma-separated category names (posts); `""` for none. */
  categories: string;
  custom: Record<string, unknown> | unknown[];
  featuredImage: string;
  galleryImages: unknown[] | Record<string, unknown>;
  /** The Dashboard's URL: the child downloads images under its uploads folder into its media library. */
  dashboardUrl: string;
}

/** The Dashboard's `wp_upload_dir()` as MainWP sends it (Fleetpress serves no uploads: nothing matches). */
function uploadDir(dashboardUrl: string) {
  const now = new Date();
  const subdir = `/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
  const baseurl = new URL("wp-content/uploads", dashboardUrl).href;
  return { path: "", url: baseurl + subdir, subdir, basedir: "", baseurl, error: false };
}

/**
 * The `newpost` form fields for creating (`id` null) or editing a post or page. Categories and tags
 * are sent raw-URL-encoded, which the child decodes back (MainWP's REST API sends categories as a JSON
 * string, which the child reads as names with quote marks: fixtures 01 vs 10).
 *
 * @example
 * ```ts
 * const extras = { categories: "News", custom: [], featuredImage: "", galleryImages: [], dashboardUrl };
 * newPostParams("post", null, fields, extras);
 * ```
 */
export function newPostParams(
  kind: ContentKind,
  id: number | null,
  fields: ContentFields,
  extras: NewPostExtras,
): FormFields {
  const newPost: Record<string, unknown> = {
    ...(id === null ? {} : { ID: id }),
    post_type: kind,
    post_title: fields.title,
    post_content: fields.content,
    post_status: fields.status,
    post_excerpt: fields.excerpt,
    post_name: fields.slug,
    post_password: fields.password,
    comment_status: fields.commentStatus,
    ping_status: fields.pingStatus,
    post_date: fields.date,
    post_date_gmt: fields.dateGmt,
    is_sticky: fields.sticky === null ? "" : fields.sticky ? 1 : 0,
  };
  if (kind === "post" && fields.tags !== "") newPost.post_tags = rawUrlEncode(fields.tags);
  return {
    new_post: b64Json(newPost),
    post_custom: b64Json(extras.custom),
    post_featured_image: extras.featuredImage === "" ? null : b64(extras.featuredImage),
    mainwp_upload_dir: b64Json(uploadDir(extras.dashboardUrl)),
    post_gallery_images: b64Json(extras.galleryImages),
    post_category: kind === "post" ? b64(rawUrlEncode(extras.categories)) : null,
  };
}
