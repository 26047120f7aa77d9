/**
 * @module
 * The simulated child's posts and pages: `get_all_posts`, `get_all_pages`, `newpost` and `post_action`
 * (publish, unpublish, trash, restore, delete, get_edit) over one site's state, answering as the recorded
 * MainWP Child 6.1 does (`../shared/fixtures/mainwp-child-6.1/01–21, 63–65`), quirks included: no `status`
 * lists nothing as `""`, `maxRecords` counts per status, a missing post deletes "successfully",
 * `post_category` is split on commas after a raw-URL decode (so JSON quotes become part of the names), and
 * `newpost` without `new_post` dies (HTTP 500, no envelope). The site's stats lists follow the changes.
 *
 * @example
 * ```ts
 * const posts = new SimPosts(siteContent(1), "http://127.0.0.1:8080/site-1/", "admin", "admin@site-1.test");
 * posts.call("get_all_posts", new URLSearchParams("status=publish")); // [{ id: 10, … }]
 * ```
 */
import { rawUrlDecode } from "../child/form.ts";
import type { SimPost, SiteContent } from "./catalog.ts";

/** Thrown when the real child dies with a PHP fatal error (HTTP 500, WordPress's critical-error page). */
export class ChildFatal extends Error {
  override name = "ChildFatal";
}

interface PostRecord {
  id: number;
  type: "post" | "page";
  status: string;
  title: string;
  content: string;
  excerpt: string;
  slug: string;
  password: string;
  commentStatus: string;
  pingStatus: string;
  date: string;
  dateGmt: string;
  modified: number;
  commentCount: number;
  sticky: boolean;
  categories: string[];
  tags: string[];
  custom: Record<string, string[]>;
  /** The status before trashing (WordPress restores to draft since 5.6, but keeps it). */
  trashedFrom: string | null;
}

const NO_DATE = "0000-00-00 00:00:00";
const mysql = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 19).replace("T", " ");
const now = () => Math.floor(Date.now() / 1000);
const b64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
const unb64 = (text: string) => new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
const slugOf = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const splitNames = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

function decodeJson(field: string | null): unknown {
  if (field === null) return null;
  try {
    return JSON.parse(unb64(field));
  } catch {
    return null;
  }
}

function textOf(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : fallback;
}

/** The posts and pages of one simulated site. */
export class SimPosts {
  readonly #posts = new Map<number, PostRecord>();
  readonly #content: SiteContent;
  readonly #site: { url: string; author: string; email: string };
  #nextId: number;

  /** Starts from the site's catalog posts and pages (the ones its stats report); `author` writes them all. */
  constructor(content: SiteContent, url: string, author: string, email: string) {
    this.#content = content;
    this.#site = { url, author, email };
    for (const [type, list] of [["post", content.posts], ["page", content.pages]] as const) {
      for (const p of list) this.#posts.set(p.id, this.#seed(p, type));
    }
    this.#nextId = Math.max(0, ...this.#posts.keys()) + 1;
  }

  /**
   * Answers one of the four functions; throws {@link ChildFatal} where the real child dies.
   *
   * @example
   * ```ts
   * posts.call("post_action", new URLSearchParams("action=trash&id=10")).status; // "SUCCESS"
   * ```
   */
  call(fn: string, fields: URLSearchParams): unknown {
    if (fn === "newpost") return this.#newPost(fields);
    if (fn === "post_action") return this.#postAction(fields);
    return this.#list(fields, fn === "get_all_pages" ? "page" : fields.get("post_type") ?? "post");
  }

  #seed(p: SimPost, type: "post" | "page"): PostRecord {
    const date = mysql(p.dts);
    return {
      id: p.id,
      type,
      status: p.status,
      title: p.title,
      content: `<p>${p.title}.</p>`,
      excerpt: "",
      slug: slugOf(p.title),
      password: "",
      commentStatus: type === "post" ? "open" : "closed",
      pingStatus: "closed",
      date,
      dateGmt: p.status === "draft" ? NO_DATE : date,
      modified: p.dts,
      commentCount: p.comment_count,
      sticky: false,
      categories: type === "post" ? ["Uncategorized"] : [],
      tags: [],
      custom: {},
      trashedFrom: null,
    };
  }

  #list(fields: URLSearchParams, type: string): unknown {
    const status = fields.get("status");
    if (status === null) return "";
    const keyword = fields.get("keyword");
    const on = fields.get("search_on") ?? "";
    const start = fields.get("dtsstart") ?? "";
    const stop = fields.get("dtsstop") ?? "";
    const max = fields.has("maxRecords") ? Math.trunc(Number(fields.get("maxRecords"))) || 99999 : 50;
    const matches = (p: PostRecord) => {
      if (keyword !== null && keyword !== "") {
        const inTitle = p.title.includes(keyword);
        const inBody = p.content.includes(keyword);
        if (on === "title" ? !inTitle : on === "content" ? !inBody : !inTitle && !inBody) return false;
      }
      if (start === "" && stop === "") return true; // no date range: skip formatting every post's date
      const modified = mysql(p.modified);
      return (start === "" || modified > start) && (stop === "" || modified < stop);
    };
    const sorted = [...this.#posts.values()].filter((p) => p.type === type && matches(p))
      .sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
    // An empty status is WP_Query's default: published items.
    return status.split(",").map((s) => s || "publish")
      .flatMap((s) => sorted.filter((p) => p.status === s).slice(0, max))
      .map((p) => this.#listItem(p));
  }

  #listItem(p: PostRecord) {
    return {
      id: p.id,
      post_type: p.type,
      status: p.status,
      title: p.title,
      comment_count: String(p.commentCount),
      dts: p.status === "future" ? Date.parse(p.dateGmt + "Z") / 1000 : p.modified,
      author: this.#site.author,
      authorEmail: this.#site.email,
      categories: p.categories.join(", "),
      tags: p.tags.join(", "),
    };
  }

  #newPost(fields: URLSearchParams): Record<string, unknown> {
    const input = decodeJson(fields.get("new_post"));
    if (input === null || typeof input !== "object" || Array.isArray(input)) throw new ChildFatal();
    const np = input as Record<string, unknown>;
    const custom = decodeJson(fields.get("post_custom"));
    const categoryText = rawUrlDecode(
      fields.has("post_category") ? unb64(fields.get("post_category") ?? "") : "",
    );
    const type = textOf(np.post_type, "post") === "page" ? "page" : "post";
    const editId = Math.trunc(Number(np.ID ?? 0)) || 0;
    const existing = this.#posts.get(editId);
    const editing = existing !== undefined && existing.type === type;
    const title = textOf(np.post_title);
    const content = textOf(np.post_content);
    const excerpt = textOf(np.post_excerpt);
    if (title === "" && content === "" && excerpt === "") return { error: "Empty post id" };
    const status = textOf(np.post_status) || "draft";
    const stamp = now();
    const id = editing ? editId : this.#nextId++;
    const oldStatus = editing ? existing.status : "";
    const date = textOf(np.post_date) || (editing ? existing.date : mysql(stamp));
    const post: PostRecord = {
      ...(editing
        ? existing
        : this.#seed({ id, status, title, comment_count: 0, dts: stamp, author: "" }, type)),
      id,
      type,
      status,
      title,
      content,
      excerpt,
      slug: slugOf(textOf(np.post_name) || title) || `${id}-2`,
      password: textOf(np.post_password),
      commentStatus: textOf(np.comment_status) || "open",
      pingStatus: textOf(np.ping_status) || "closed",
      date,
      dateGmt: textOf(np.post_date_gmt) || (status === "draft" ? NO_DATE : date),
      modified: stamp,
      sticky: type === "post" && Boolean(Number(np.is_sticky ?? 0)),
      tags: splitNames(rawUrlDecode(textOf(np.post_tags))),
      custom: custom !== null && typeof custom === "object" && !Array.isArray(custom)
        ? Object.fromEntries(
          Object.entries(custom).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]),
        )
        : {},
    };
    // WordPress queues pings and enclosures when a post is first published.
    if (!editing && type === "post" && status === "publish") {
      post.custom = { ...post.custom, _pingme: ["1"], _encloseme: ["1"] };
    }
    const names = splitNames(categoryText);
    if (names.length > 0) post.categories = names;
    else if (!editing) post.categories = ["Uncategorized"];
    this.#posts.set(id, post);
    this.#syncCatalog();
    const published = status === "publish";
    return {
      added: true,
      added_id: id,
      link: published ? `${this.#site.url}${post.slug}/` : `${this.#site.url}?p=${id}`,
      other_data: {
        new_post_data: {
          ...this.#actionData(post, oldStatus),
          post_id: id,
          is_editing: editing ? 1 : 0,
        },
      },
    };
  }

  #actionData(p: PostRecord, oldStatus: string) {
    return {
      post_id: String(p.id),
      post_type: p.type,
      post_title: p.title,
      post_date: p.date,
      post_date_gmt: p.dateGmt,
      new_status: p.status,
      old_status: oldStatus,
      singular_name: p.type,
    };
  }

  #postAction(fields: URLSearchParams): Record<string, unknown> {
    const action = fields.get("action") ?? "";
    const id = fields.get("id") ?? "";
    const post = this.#posts.get(Number(id));
    const before = post?.status ?? "";
    let status = "SUCCESS";
    let myPost: unknown = [];
    if (action === "publish") {
      if (!post) status = "FAIL";
      else post.status = "publish";
    } else if (action === "unpublish") {
      myPost = { ID: id, post_status: "draft" };
      if (post) post.status = "draft";
    } else if (action === "trash") {
      if (post && post.status !== "trash") [post.trashedFrom, post.status] = [post.status, "trash"];
    } else if (action === "restore") {
      if (post?.status === "trash") [post.trashedFrom, post.status] = [null, "draft"];
    } else if (action === "delete") {
      if (post) this.#posts.delete(post.id);
    } else if (action === "get_edit") {
      myPost = post ? this.#editData(post, fields.get("post_type") === "post") : false;
    } else {
      status = "FAIL";
    }
    if (post && action !== "get_edit" && post.status !== before) post.modified = now();
    this.#syncCatalog();
    const data = !post
      ? []
      : action === "delete"
      ? { post_type: post.type, post_title: post.title, singular_name: post.type }
      : this.#actionData(post, before);
    return { status, other_data: { post_action_data: data }, my_post: myPost };
  }

  #editData(p: PostRecord, asPost: boolean): Record<string, string> {
    const common = {
      post_title: p.title,
      post_content: p.content,
      post_status: p.status,
      post_date: p.date,
      post_date_gmt: p.dateGmt,
    };
    const tail = {
      post_name: p.slug,
      post_excerpt: p.excerpt,
      comment_status: p.commentStatus,
      ping_status: p.pingStatus,
    };
    const newPost = asPost
      ? {
        edit_id: String(p.id),
        is_sticky: p.sticky ? 1 : 0,
        ...common,
        post_tags: p.tags.join(","),
        ...tail,
        post_type: p.type,
        post_password: p.password,
      }
      : { edit_id: String(p.id), ...common, post_type: "page", ...tail, post_password: p.password };
    const base = this.#site.url.replace(/\/$/, "");
    const month = new Date().toISOString().slice(0, 7).replace("-", "/");
    const uploads = {
      path: `/var/www/site/wp-content/uploads/${month}`,
      url: `${base}/wp-content/uploads/${month}`,
      subdir: `/${month}`,
      basedir: "/var/www/site/wp-content/uploads",
      baseurl: `${base}/wp-content/uploads`,
      error: false,
    };
    const custom = Object.keys(p.custom).length > 0 ? p.custom : [];
    return {
      new_post: b64(JSON.stringify(newPost)),
      post_custom: b64(JSON.stringify(custom)),
      ...(asPost ? { post_category: b64(p.categories.join(",")) } : {}),
      post_featured_image: b64("0"),
      post_gallery_images: b64("[]"),
      child_upload_dir: b64(JSON.stringify(uploads)),
    };
  }

  /** Keeps the catalog lists the stats reply reads in step with the posts. */
  #syncCatalog(): void {
    const of = (type: "post" | "page") =>
      [...this.#posts.values()].filter((p) => p.type === type).map((p) => ({
        id: p.id,
        status: p.status,
        title: p.title,
        comment_count: p.commentCount,
        dts: p.modified,
        author: this.#site.author,
      }));
    this.#content.posts = of("post");
    this.#content.pages = of("page");
  }
}
