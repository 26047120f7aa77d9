/**
 * @module
 * The request arguments of the `/posts` and `/pages` routes (one zod schema per input, MainWP's
 * validation texts) and their translation into the content core's inputs: sanitized as MainWP's
 * `sanitize_callback`s do (`sanitize_text_field`, `sanitize_title`), with MainWP's defaults.
 *
 * @example
 * ```ts
 * const args = validateArgs(contentListArgs("post"), { status: "publish", websites: "3" });
 * contentQueryOf("post", args).statuses; // ["publish"]
 * ```
 */
import { z } from "zod";
import { parseList, wp } from "../../rest/args.ts";
import type { ContentKind } from "../../core/content/child.ts";
import type { ContentQuery, ContentSiteSelection } from "../../core/content/list.ts";
import type { ContentChanges, NewContent, StatusAction } from "../../core/content/items.ts";
import { sanitizeTextField } from "../../wp/format.ts";
import { isPhpEmpty } from "../../wp/php.ts";
import { type RestError, restError } from "../../rest/errors.ts";

/** Post statuses a post or page may be created with or listed by. */
export const POST_STATUSES = ["publish", "pending", "private", "future", "draft", "trash"] as const;
/** The status changes of `/update-status`. */
export const STATUS_ACTIONS = ["unpublish", "publish", "approve", "trash", "delete", "restore"] as const;

/** MainWP's enum validator: `""` passes (as absent), anything else not listed is refused with its text. */
function enumArg<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(["", ...values] as [string, ...string[]], {
    error: `Invalid %s. Allowed values: ${values.join(", ")}.`,
  });
}

const checkDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** `YYYY-MM-DD` (MainWP's `validate_date_format`); `""` passes. */
const dateArg = () =>
  wp.str().superRefine((value, ctx) => {
    const v = value.trim();
    if (v === "") return;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) ctx.addIssue({ code: "custom", message: "Invalid date format. Use YYYY-MM-DD" });
    else if (!checkDate(+m[1], +m[2], +m[3])) {
      ctx.addIssue({ code: "custom", message: "Invalid date value. Use a real date." });
    }
  });

/** `YYYY-MM-DD HH:MM:SS` (MainWP's `validate_datetime_format`); `""` passes. */
const dateTimeArg = () =>
  wp.str().superRefine((value, ctx) => {
    const v = value.trim();
    if (v === "") return;
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v);
    if (!m) {
      ctx.addIssue({
        code: "custom",
        message: "Invalid datetime format. Use YYYY-MM-DD HH:MM:SS (e.g., 2024-08-23 18:02:40)",
      });
    } else if (!checkDate(+m[1], +m[2], +m[3])) {
      ctx.addIssue({ code: "custom", message: "Invalid date value. Use a real date." });
    } else if (+m[4] > 23 || +m[5] > 59 || +m[6] > 59) {
      ctx.addIssue({
        code: "custom",
        message: "Invalid time value. Hour must be 0-23, minute and second must be 0-59.",
      });
    }
  });

/** `GET /posts`, `GET /pages`. MainWP's `maximum` defaults to 50 for posts and 10 for pages. */
export function contentListArgs(kind: ContentKind) {
  return z.looseObject({
    search: wp.str().optional(),
    search_on: enumArg(["title", "body", "Title and Body"]).optional(),
    status: enumArg(POST_STATUSES).optional(),
    dtsstart: dateArg().optional(),
    dtsstop: dateArg().optional(),
    clients: wp.str().optional(),
    groups: wp.str().optional(),
    websites: wp.str().optional(),
    maximum: z.preprocess(
      (v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
      z.int({ error: "%s is not of type integer." })
        .min(1, { error: "%s must be between 1 (inclusive) and 200 (inclusive)" })
        .max(200, { error: "%s must be between 1 (inclusive) and 200 (inclusive)" }),
    ).default(kind === "page" ? 10 : 50),
    post_type: wp.str().optional(),
  });
}

/** The parsed list arguments. */
export type ContentListArgs = z.output<ReturnType<typeof contentListArgs>>;

/**
 * MainWP's route-level check of a listing's filters (its `validate_callback`, run after the arguments'
 * own): one of `clients`/`groups`/`websites` at most, `search` with `search_on`, and for posts both dates
 * or none, the start first. `null` when they pass. (MainWP sends these errors without a status: HTTP 500.)
 *
 * @example
 * ```ts
 * listFilterError("post", { websites: "1", groups: "VIP", maximum: 50 })?.code; // "invalid_filter_params"
 * ```
 */
export function listFilterError(kind: ContentKind, args: ContentListArgs): RestError | null {
  if ([args.clients, args.groups, args.websites].filter((v) => !isPhpEmpty(v)).length > 1) {
    return restError(
      "invalid_filter_params",
      "Only one of clients, groups, or websites can be specified.",
      400,
    );
  }
  if (kind === "post") {
    const [start, stop] = [args.dtsstart, args.dtsstop].map((v) => (isPhpEmpty(v) ? "" : String(v).trim()));
    if ((start === "") !== (stop === "")) {
      return restError(
        "incomplete_date_range",
        "Both start date and stop date must be provided together.",
        400,
      );
    }
    if (start !== "" && start >= stop) {
      return restError("invalid_date_range", "Start date must be before stop date.", 400);
    }
  }
  if (isPhpEmpty(args.search) !== isPhpEmpty(args.search_on)) {
    return restError("incomplete_search", "Both search and search_on must be provided together.", 400);
  }
  return null;
}

/**
 * The sites a listing names (`websites`, `groups` = tag names, `clients`, each a comma list).
 *
 * @example
 * ```ts
 * contentSelectionOf({ websites: "3, 5" }).siteIds; // ["3", "5"]
 * ```
 */
export function contentSelectionOf(args: Pick<ContentListArgs, "websites" | "groups" | "clients">) {
  const list = (v: string | undefined) => parseList(sanitizeTextField(v ?? ""));
  const selection: ContentSiteSelection = {
    siteIds: list(args.websites),
    tagNames: list(args.groups),
    clientIds: list(args.clients),
  };
  return selection;
}

/** MainWP's `search_on` values for the child (`body` → `content`, `Title and Body` → `all`). */
const SEARCH_ON: Record<string, ContentQuery["searchOn"]> = {
  title: "title",
  body: "content",
  "Title and Body": "all",
};

/**
 * What to list on each site.
 *
 * @example
 * ```ts
 * contentQueryOf("page", { maximum: 10, search: "zebra", search_on: "body" }).searchOn; // "content"
 * ```
 */
export function contentQueryOf(kind: ContentKind, args: ContentListArgs): ContentQuery {
  const status = args.status ?? "";
  return {
    keyword: sanitizeTextField(args.search ?? ""),
    searchOn: Object.hasOwn(SEARCH_ON, args.search_on ?? "") ? SEARCH_ON[args.search_on ?? ""] : "",
    modifiedAfter: (args.dtsstart ?? "").trim(),
    modifiedBefore: (args.dtsstop ?? "").trim(),
    statuses: status === "" ? [] : [status],
    max: args.maximum,
    postType: kind === "post" ? sanitizeTextField(args.post_type ?? "") || "post" : "page",
  };
}

/** `PUT|PATCH …/update-status`. */
export const contentStatusArgs = z.looseObject({ status: enumArg(STATUS_ACTIONS) });

/** The status change asked for (`null` for `""`, which MainWP answers "Status not found."). */
export function statusActionOf(status: string): StatusAction | null {
  return (STATUS_ACTIONS as readonly string[]).includes(status) ? status as StatusAction : null;
}

/** The writable fields of a post or page (`required` on create for title, content, status and slug). */
function writeArgs(create: boolean) {
  const req = <T extends z.ZodType>(s: T) => create ? s : s.optional();
  return z.looseObject({
    post_title: req(wp.str()),
    post_content: req(wp.str()),
    post_status: req(enumArg(POST_STATUSES)),
    post_name: req(wp.str()),
    post_excerpt: wp.str().optional(),
    post_password: wp.str().optional(),
    comment_status: enumArg(["open", "closed"]).optional(),
    ping_status: enumArg(["open", "closed"]).optional(),
    post_date: dateTimeArg().optional(),
    post_date_gmt: dateTimeArg().optional(),
    is_sticky: wp.intOneOf([1, 0]).optional(),
    post_tags: wp.str().optional(),
    post_category: wp.str().optional(),
    post_custom: wp.object().optional(),
    post_featured_image: wp.str().optional(),
    post_gallery_images: z.array(z.unknown(), { error: "%s is not of type array." }).optional(),
  });
}

/** `POST …/create`. */
export const contentCreateArgs = writeArgs(true);
/** `PUT|PATCH …/edit`. */
export const contentEditArgs = writeArgs(false);

/** WordPress's `sanitize_title` for a slug: lower case, tags and odd characters dropped, spaces to `-`. */
export function sanitizeSlug(value: string): string {
  return sanitizeTextField(value).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9 _-]/g, "").trim().replace(/[\s-]+/g, "-");
}

type WriteArgs = z.output<ReturnType<typeof writeArgs>>;

/**
 * The fields an edit changes (absent ones are kept).
 *
 * @example
 * ```ts
 * contentChangesOf("post", { post_title: " <b>Hi</b> " }); // { title: "Hi" }
 * ```
 */
export function contentChangesOf(kind: ContentKind, args: WriteArgs): ContentChanges {
  const changes: ContentChanges = {};
  const text = (v: string | undefined) => v === undefined ? undefined : sanitizeTextField(v);
  const set = <K extends keyof ContentChanges>(key: K, value: ContentChanges[K] | undefined) => {
    if (value !== undefined && value !== "") changes[key] = value;
  };
  set("title", text(args.post_title));
  set("content", args.post_content);
  set("status", args.post_status);
  set("slug", args.post_name === undefined ? undefined : sanitizeSlug(args.post_name));
  set("excerpt", text(args.post_excerpt));
  set("password", text(args.post_password));
  set("commentStatus", args.comment_status);
  set("pingStatus", args.ping_status);
  set("date", args.post_date?.trim());
  set("dateGmt", args.post_date_gmt?.trim());
  if (args.is_sticky !== undefined && kind === "post") changes.sticky = args.is_sticky === 1;
  if (kind === "post") {
    set("tags", text(args.post_tags));
    set("categories", text(args.post_category));
    if (args.post_gallery_images && args.post_gallery_images.length > 0) {
      changes.galleryImages = args.post_gallery_images;
    }
  }
  if (args.post_custom && Object.keys(args.post_custom).length > 0) changes.custom = args.post_custom;
  set("featuredImage", text(args.post_featured_image));
  return changes;
}

/**
 * A new post or page with MainWP's defaults (`draft`, comments open, pings closed).
 *
 * @example
 * ```ts
 * newContentOf("page", { post_title: "About", post_content: "…", post_status: "publish", post_name: "" });
 * ```
 */
export function newContentOf(kind: ContentKind, args: WriteArgs): NewContent {
  const c = contentChangesOf(kind, args);
  return {
    title: c.title ?? "",
    content: c.content ?? "",
    status: c.status ?? "draft",
    excerpt: c.excerpt ?? "",
    slug: c.slug ?? "",
    password: c.password ?? "",
    commentStatus: c.commentStatus ?? "open",
    pingStatus: c.pingStatus ?? "closed",
    date: c.date ?? "",
    dateGmt: c.dateGmt ?? "",
    sticky: c.sticky ?? null,
    tags: c.tags ?? "",
    categories: c.categories ?? "",
    custom: c.custom ?? {},
    featuredImage: c.featuredImage ?? "",
    galleryImages: c.galleryImages ?? [],
  };
}
