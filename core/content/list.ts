/**
 * @module
 * Listing posts or pages across sites: the sites a listing names (`websites` ids, tag names, client
 * ids — MainWP's `websites`, `groups`, `clients`), then `get_all_posts` / `get_all_pages` on each of
 * them concurrently through the connector's limits (`runOnSites`, under the bulk deadline). A site that
 * fails or is late is that site's error; the others' lists are kept.
 *
 * @example
 * ```ts
 * const sites = await selectContentSites(ctx, { siteIds: ["3"], tagNames: [], clientIds: [] });
 * const listing = await listContent(ctx, "post", sites, { ...query, statuses: ["publish"] });
 * listing.results[0].items[0].title; // "Hello world!"
 * ```
 */
import { deadlineMessage } from "../../lib/bulk-deadline.ts";
import { isPlainObject } from "../../lib/objects.ts";
import { getSites, type SiteRecord } from "../../store/sites.ts";
import { findTagByName } from "../../store/tags.ts";
import { phpIntval } from "../../wp/php.ts";
import { childErrorMessage } from "../sync/child.ts";
import { clientSiteIdList } from "../clients-sites.ts";
import { findClient } from "../clients.ts";
import type { ChildDeps, StoreDeps } from "../deps.ts";
import { ChildUnavailable, InvalidInput } from "../errors.ts";
import { runOnSites, selectBulkSites } from "../sites/bulk.ts";
import { getTagSites } from "../tags.ts";
import { callContentChild, type ContentKind } from "./child.ts";

/** Which sites a listing names; every reference must exist. */
export interface ContentSiteSelection {
  /** Site ids as given (digits; anything else names no site). */
  siteIds: readonly string[];
  /** Tag names. */
  tagNames: readonly string[];
  /** Client ids as given. */
  clientIds: readonly string[];
}

/** What to list on each site. */
export interface ContentQuery {
  keyword: string;
  /** Where `keyword` is looked for. */
  searchOn: "title" | "content" | "all" | "";
  /** `YYYY-MM-DD` bounds of the last change (exclusive), `""` for none. */
  modifiedAfter: string;
  modifiedBefore: string;
  /** Statuses; the child lists up to `max` items of each. Empty: WordPress's default (published). */
  statuses: readonly string[];
  max: number;
  /** For posts: the post type (`post`, a custom type or `any`). */
  postType: string;
}

/** One listed post or page. */
export interface ContentSummary {
  id: number;
  postType: string;
  status: string;
  title: string;
  commentCount: number;
  author: string;
  authorEmail: string;
  /** Comma-separated category names. */
  categories: string;
  tags: string;
  /** Unix seconds of the last change (of the date, for scheduled items); `null` when unknown. */
  changed: number | null;
}

/** One site's part of a listing: its items, or why it has none. */
export interface SiteContentList {
  site: SiteRecord;
  items: ContentSummary[];
  /** Why the site has no list (its items are then empty), `null` when it answered. */
  error: string | null;
}

/** Items kept per site and status at most (MainWP's `maximum` is at most 200). */
const MAX_ITEMS_PER_STATUS = 200;
/**
 * Characters of text one site's list may hold (200 real posts take ~60,000): a larger list is that site's
 * error, so that a compromised child cannot fill the answer (its reply may take 16 MiB).
 */
export const MAX_SITE_LIST_CHARS = 262_144;

function listChars(items: readonly ContentSummary[]): number {
  let n = 0;
  for (const i of items) {
    n += i.postType.length + i.status.length + i.title.length + i.author.length + i.authorEmail.length +
      i.categories.length + i.tags.length + 32;
  }
  return n;
}

/**
 * The listed sites a listing acts on, in URL order: the union of the named sites, the sites of the named
 * tags and of the named clients, without disconnected (sync error) or suspended sites. An unknown
 * reference throws `InvalidInput` with MainWP's text for its field (`websites`, `groups`, `clients`).
 *
 * @example
 * ```ts
 * (await selectContentSites(ctx, { siteIds: [], tagNames: ["VIP"], clientIds: [] })).length;
 * ```
 */
export async function selectContentSites(
  deps: StoreDeps,
  selection: ContentSiteSelection,
): Promise<SiteRecord[]> {
  // The named sites are read at once (a listing may name the whole fleet).
  const named = selection.siteIds.map((ref) => (/^\d+$/.test(ref) ? Number(ref) : 0));
  const found = new Set((await getSites(deps.kv, named.filter((id) => id > 0))).map((s) => s.id));
  const unknown = selection.siteIds.find((_, i) => !found.has(named[i]));
  if (unknown !== undefined) throw new InvalidInput("websites", `Invalid site ID: ${unknown}.`, "site");
  const ids = [...named];
  for (const name of selection.tagNames) {
    const tag = await findTagByName(deps.kv, name);
    if (!tag) throw new InvalidInput("groups", `Invalid Group: ${name}.`, "tag");
    ids.push(...(await getTagSites(deps, tag.id)).map((s) => s.id));
  }
  for (const ref of selection.clientIds) {
    const client = /^\d+$/.test(ref) ? await findClient(deps, ref) : null;
    if (!client) throw new InvalidInput("clients", `Invalid client ID: ${ref}.`, "client");
    ids.push(...await clientSiteIdList(deps, client.client_id));
  }
  if (ids.length === 0) return [];
  const sites = await selectBulkSites(deps, { include: [...new Set(ids)], exclude: null });
  return sites.filter((s) => s.sync_errors === "" && !s.suspended);
}

const text = (v: unknown) => typeof v === "string" ? v : typeof v === "number" ? String(v) : "";

/**
 * A child's list item in domain terms; `null` for an entry that is no item. Types are coerced as PHP
 * would (a hostile child may send anything).
 *
 * @example
 * ```ts
 * contentSummaryOf({ id: "5", title: "Hi", dts: 1796529358 })?.id; // 5
 * ```
 */
export function contentSummaryOf(item: unknown): ContentSummary | null {
  if (!isPlainObject(item)) return null;
  const changed = phpIntval(item.dts);
  return {
    id: phpIntval(item.id),
    postType: text(item.post_type),
    status: text(item.status),
    title: text(item.title),
    commentCount: phpIntval(item.comment_count),
    author: text(item.author),
    authorEmail: text(item.authorEmail),
    categories: text(item.categories),
    tags: text(item.tags),
    changed: changed > 0 ? changed : null,
  };
}

/**
 * Lists posts or pages on every site concurrently (the connector's limits apply); each site's entry
 * holds its items or its error (a child failure, or not answering before the bulk deadline).
 *
 * @example
 * ```ts
 * const parts = await listContent(ctx, "page", sites, query);
 * parts.filter((p) => p.error !== null).length; // sites that failed
 * ```
 */
export async function listContent(
  deps: ChildDeps,
  kind: ContentKind,
  sites: readonly SiteRecord[],
  query: ContentQuery,
): Promise<SiteContentList[]> {
  const params = {
    keyword: query.keyword,
    search_on: query.searchOn,
    dtsstart: query.modifiedAfter,
    dtsstop: query.modifiedBefore,
    status: query.statuses.join(","),
    maxRecords: query.max,
    ...(kind === "post" ? { post_type: query.postType || "post" } : {}),
  };
  const limit = Math.max(1, query.statuses.length) * Math.min(query.max, MAX_ITEMS_PER_STATUS);
  const results = await runOnSites(
    deps,
    sites,
    async (site): Promise<SiteContentList> => {
      try {
        const reply = await callContentChild(
          deps,
          site,
          kind === "page" ? "get_all_pages" : "get_all_posts",
          params,
        );
        const items = Array.isArray(reply)
          ? reply.slice(0, limit).flatMap((i) => contentSummaryOf(i) ?? [])
          : [];
        if (listChars(items) > MAX_SITE_LIST_CHARS) {
          const error = `The site's ${kind} list is larger than ${MAX_SITE_LIST_CHARS} characters.`;
          return { site, items: [], error };
        }
        return { site, items, error: null };
      } catch (error) {
        if (!(error instanceof ChildUnavailable)) throw error;
        return { site, items: [], error: childErrorMessage(error.childError) };
      }
    },
    (site, ms): SiteContentList => ({ site, items: [], error: deadlineMessage(ms) }),
  );
  return results.map((r) => r.result);
}
