/**
 * @module
 * MainWP's wire shapes of the `/posts` and `/pages` routes: the fan-out listing keyed by site URL, one
 * item's detail fields (in MainWP's schema order, `""` for what the child did not send), the
 * `{success, message}` answers, and the errors of a failing child per operation (`get_post_error`,
 * `edit_page_error`, …).
 *
 * @example
 * ```ts
 * contentListBody("post", parts); // { success: 1, message: "Get posts successfully.", data: { "https://…/": [...] } }
 * ```
 */
import type { ContentDetail, ContentKind } from "../../core/content/child.ts";
import type { ContentSummary, SiteContentList } from "../../core/content/list.ts";
import { ChildUnavailable, InvalidInput } from "../../core/errors.ts";
import { childErrorMessage, isChildAnswer } from "../../core/sync/child.ts";
import { RestError, restError } from "../../rest/errors.ts";
import { mysqlDate } from "../../wp/dates.ts";

/** A MainWP `{success, message}` answer. */
export interface SuccessMessage {
  success: 0 | 1;
  message: string;
  data?: unknown;
}

/** `Posts`/`posts`/`post` or the page forms, for MainWP's texts. */
export function words(kind: ContentKind) {
  return kind === "page"
    ? { Plural: "Pages", plural: "pages", one: "page", idParam: "id_page" }
    : { Plural: "Posts", plural: "posts", one: "post", idParam: "id_post" };
}

function listItem(kind: ContentKind, siteId: number, item: ContentSummary): Record<string, unknown> {
  const head = {
    id: item.id,
    website_id: siteId,
    post_type: item.postType,
    status: item.status,
    title: item.title,
    comment_count: String(item.commentCount),
    author: item.author,
  };
  const dts = item.changed === null ? "" : mysqlDate(item.changed);
  // MainWP's posts schema names categories and tags `post_category`/`post_tags` and finds them empty in
  // the child's items (`categories`/`tags`); Fleetpress fills them.
  return kind === "page"
    ? { ...head, dts, authorEmail: item.authorEmail }
    : { ...head, post_category: item.categories, post_tags: item.tags, dts };
}

/**
 * The listing answer: the items of every site that answered, keyed by site URL (`[]` when none), and
 * (Fleetpress) `errors` by site id for the sites that failed; when every site failed, MainWP's
 * `…_fetch_error` (502) with those errors.
 *
 * @example
 * ```ts
 * contentListBody("page", [{ site, items: [], error: "HTTP error - timeout" }]); // throws pages_fetch_error
 * ```
 */
export function contentListBody(kind: ContentKind, parts: readonly SiteContentList[]): SuccessMessage {
  const w = words(kind);
  const data: Record<string, unknown[]> = {};
  const errors: Record<string, string> = {};
  for (const part of parts) {
    if (part.error !== null) errors[String(part.site.id)] = part.error;
    else if (part.items.length > 0) {
      data[part.site.url] = part.items.map((i) => listItem(kind, part.site.id, i));
    }
  }
  if (parts.length > 0 && parts.every((p) => p.error !== null)) {
    throw restError(`${w.plural}_fetch_error`, `Error fetching ${w.plural} from child sites.`, 502, {
      errors,
    });
  }
  const body: SuccessMessage & { errors?: Record<string, string> } = {
    success: 1,
    message: `Get ${w.plural} successfully.`,
    data: Object.keys(data).length > 0 ? data : [],
  };
  if (Object.keys(errors).length > 0) body.errors = errors;
  return body;
}

/** MainWP's answer when a listing selects no site (it sends it without a status: HTTP 500). */
export function noSiteError(kind: ContentKind): RestError {
  return kind === "page"
    ? restError("no_website_found", "No website found.", 404)
    : restError("website_not_found", "Website not found.", 404);
}

/** A decoded JSON field as MainWP returns it: the value, or `""` when there was none. */
const orEmpty = (v: unknown) => v ?? "";

/**
 * One item's detail (`GET /posts/{site}/{id}`, `/pages/…`) in MainWP's schema order: the `new_post`
 * values the child sent win over the decoded extras, as in MainWP's `array_merge`.
 *
 * @example
 * ```ts
 * contentDetailBody(site.id, detail).data; // { post_category: "News", post_tags: "a,b", … }
 * ```
 */
export function contentDetailBody(siteId: number, d: ContentDetail): SuccessMessage {
  const field = (key: string, fallback: unknown) => (Object.hasOwn(d.post, key) ? d.post[key] : fallback);
  const keys = [
    "post_password",
    "ping_status",
    "comment_status",
    "post_excerpt",
    "post_name",
    "post_date_gmt",
    "post_date",
    "post_status",
    "post_content",
    "post_title",
  ];
  if (d.kind === "post") {
    const data: Record<string, unknown> = {
      post_category: field("post_category", d.categories),
      post_tags: field("post_tags", d.fields.tags),
    };
    for (const key of keys) data[key] = field(key, "");
    Object.assign(data, {
      is_sticky: field("is_sticky", ""),
      upload_dir: orEmpty(d.uploadDir),
      post_custom: orEmpty(d.custom),
      post_gallery_images: orEmpty(d.galleryImages),
      post_featured_image: field("post_featured_image", d.featuredImage),
    });
    return { success: 1, message: "Get post successfully.", data };
  }
  const data: Record<string, unknown> = {
    id: d.id,
    website_id: String(siteId),
    post_type: field("post_type", "page"),
    post_custom: orEmpty(d.custom),
    post_featured_image: field("post_featured_image", d.featuredImage),
  };
  for (const key of ["post_content", "post_status", "post_name", "post_excerpt", "post_password"]) {
    data[key] = field(key, "");
  }
  for (const key of ["comment_status", "ping_status", "post_date", "post_date_gmt"]) {
    data[key] = field(key, "");
  }
  data.upload_dir = orEmpty(d.uploadDir);
  // Not in MainWP's page schema (its page detail has no title); Fleetpress adds it.
  data.post_title = field("post_title", "");
  return { success: 1, message: "Get page successfully.", data };
}

/** The operations whose child failures MainWP names (`{op}_{post|page}_error`; reading is `get_post_error`). */
export type ContentOp = "get" | "update_status" | "edit" | "create" | "delete";

/**
 * Runs one step of a route, turning a child failure into MainWP's error of that step: the child's own
 * error answer is a 400, not reaching a working child a 502 (MainWP sends both without a status: 500).
 *
 * @example
 * ```ts
 * const post = await orChildError("get", "post", () => getContent(ctx, site, "post", 5));
 * ```
 */
export async function orChildError<T>(op: ContentOp, kind: ContentKind, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ChildUnavailable)) throw error;
    const code = op === "get" ? "get_post_error" : `${op}_${kind}_error`;
    const status = isChildAnswer(error.childError) ? 400 : 502;
    throw restError(code, childErrorMessage(error.childError), status);
  }
}

/**
 * An unknown `websites` / `groups` / `clients` reference as WordPress reports a failed
 * `validate_callback` (MainWP's codes `invalid_site`, `invalid_group`, `invalid_client`).
 *
 * @example
 * ```ts
 * selectionError(new InvalidInput("websites", "Invalid site ID: 9.")).code; // "rest_invalid_param"
 * ```
 */
export function selectionError(error: InvalidInput): RestError {
  const code =
    { websites: "invalid_site", groups: "invalid_group", clients: "invalid_client" }[error.field] ??
      "rest_invalid_param";
  return new RestError("rest_invalid_param", `Invalid parameter(s): ${error.field}`, {
    status: 400,
    params: { [error.field]: error.message },
    details: { [error.field]: { code, message: error.message, data: null } },
  });
}
