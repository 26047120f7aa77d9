/**
 * @module
 * MainWP 6.1.2's legacy wire shapes of the `/updates` routes (rest-v2.md §2.4): `{"success":1,"data":…}`
 * envelopes, PHP-ordered maps (`[]` when empty), HTML-escaped child messages, `updates_info`, and the
 * parsing of the routes' loose `type` / `slug` parameters.
 *
 * @example
 * ```ts
 * coreUpdateBody({ upgrade: "SUCCESS", old_version: "6.4.3", version: "6.5" }).success; // 1
 * ```
 */
import { rawUrlDecode, rawUrlEncode } from "../../child/form.ts";
import { parseList } from "../../rest/args.ts";
import { escHtml } from "../../wp/format.ts";
import { orderedMap } from "../../wp/ordered-map.ts";
import { asMap, type Json } from "../../core/updates/pending.ts";
import type { SiteUpdateLists } from "../../core/updates/lists.ts";
import type { FleetRunSummary, SiteRunSummary } from "../../core/updates/run.ts";
import { siteMini } from "./site-format.ts";
import { isoNoZone } from "../../wp/dates.ts";

/**
 * The `type` filter: `null` = all kinds (empty or containing `all`), else the named kinds (unknown
 * names select nothing, as in MainWP).
 *
 * @example
 * ```ts
 * parseUpdateTypes("plugins, themes"); // Set { "plugins", "themes" }
 * parseUpdateTypes(""); // null
 * ```
 */
export function parseUpdateTypes(list: readonly string[]): Set<string> | null {
  return list.length === 0 || list.includes("all") ? null : new Set(list);
}

/**
 * MainWP's `updates_info` of an `upgradeplugintheme` / `upgradetranslation` reply: failures from
 * `upgrades_error` under the URL-encoded slug (`{success:0, error}`), then every `updated_data` item
 * under its `slug` (`{success, name, old_version, version}`). Items without a `slug` (translations)
 * use their key.
 *
 * @example
 * ```ts
 * updatesInfo({ other_data: { updated_data: { "a/a.php": { slug: "a", name: "A", old_version: "1", version: "2", success: 1 } } } });
 * // { a: { success: 1, name: "A", old_version: "1", version: "2" } }
 * ```
 */
export function updatesInfo(reply: Json): Record<string, Json> {
  const info: Record<string, Json> = {};
  for (const [slug, message] of Object.entries(asMap(reply.upgrades_error))) {
    info[rawUrlEncode(slug)] = { success: 0, error: escHtml(String(message ?? "")) };
  }
  for (const [key, raw] of Object.entries(asMap(asMap(reply.other_data).updated_data))) {
    const item = asMap(raw);
    if (Object.keys(item).length === 0) continue;
    const slug = String(item.slug ?? "") || key;
    if (!slug) continue;
    info[escHtml(slug)] = {
      success: item.success ? 1 : 0,
      name: item.name ?? "",
      old_version: item.old_version ?? "",
      version: item.version ?? "",
    };
  }
  return info;
}

/**
 * The slugs of an ignore request: trimmed, URL-decoded (`akismet%2Fakismet.php`), empties and repeats
 * dropped.
 *
 * @example
 * ```ts
 * ignoreSlugs("akismet%2Fakismet.php, hello.php,hello.php"); // ["akismet/akismet.php", "hello.php"]
 * ```
 */
export function ignoreSlugs(value: unknown): string[] {
  return [...new Set(parseList(value).map((s) => rawUrlDecode(s).trim()).filter((s) => s !== ""))];
}

const phpMap = (map: Json): Json | [] => orderedMap(Object.entries(map));

/**
 * One site's entry of `GET /updates`: `wp` (`[]` when none), `plugins` (+ `rollback_plugins`), `themes`
 * (+ `rollback_themes`), `translations`, as far as selected.
 *
 * @example
 * ```ts
 * siteUpdatesEntry({ wp: null, plugins: {} }); // { wp: [], plugins: [] }
 * ```
 */
export function siteUpdatesEntry(lists: SiteUpdateLists): Json {
  const out: Json = {};
  if ("wp" in lists) out.wp = lists.wp ?? [];
  for (const kind of ["plugins", "themes"] as const) {
    const map = lists[kind];
    if (map === undefined) continue;
    out[kind] = phpMap(map);
    const rollback = lists[`rollback_${kind}`];
    if (rollback !== undefined) out[`rollback_${kind}`] = rollback;
  }
  if (lists.translations !== undefined) out.translations = lists.translations;
  return out;
}

/**
 * `{"success":1,"data":<entry or []>}` of one site's lists; `{"success":1,"data":{"<id>":…}}` of many.
 *
 * @example
 * ```ts
 * fleetUpdatesBody([{ siteId: 3, lists: { wp: null } }]); // { success: 1, data: { "3": { wp: [] } } }
 * ```
 */
export function fleetUpdatesBody(sites: readonly { siteId: number; lists: SiteUpdateLists }[]): Json {
  return { success: 1, data: orderedMap(sites.map((s) => [String(s.siteId), siteUpdatesEntry(s.lists)])) };
}

/**
 * The body of one site's lists (`data` `[]` when no kind was selected).
 *
 * @example
 * ```ts
 * siteUpdatesBody({}); // { success: 1, data: [] }
 * ```
 */
export function siteUpdatesBody(lists: SiteUpdateLists): Json {
  const entry = siteUpdatesEntry(lists);
  return { success: 1, data: Object.keys(entry).length > 0 ? entry : [] };
}

/**
 * The body of the ignore lists (`data` `[]` when nothing is ignored).
 *
 * @example
 * ```ts
 * ignoredBody({}); // { success: 1, data: [] }
 * ```
 */
export function ignoredBody(lists: Json): Json {
  return { success: 1, data: Object.keys(lists).length > 0 ? lists : [] };
}

/** MainWP's message when the core update did not report success. */
export const CORE_UPDATE_FAILED = "An undefined error occured. Please try again.";

/**
 * The answer of `POST /updates/{id}/update/wp` for a child reply.
 *
 * @example
 * ```ts
 * coreUpdateBody({ upgrade: "SUCCESS", old_version: "6.4.3", version: "6.5" });
 * // { success: 1, message: "WordPress was updated to the latest version.", data: { old_version: "6.4.3", version: "6.5" } }
 * ```
 */
export function coreUpdateBody(reply: Json): Json {
  const success = reply.upgrade === "SUCCESS";
  const body: Json = { success: success ? 1 : 0 };
  if (success) body.message = "WordPress was updated to the latest version.";
  else {
    body.error = typeof reply.error === "string" && reply.error ? escHtml(reply.error) : CORE_UPDATE_FAILED;
  }
  const data: Json = {};
  if (reply.old_version) data.old_version = String(reply.old_version);
  if (reply.version) data.version = String(reply.version);
  if (Object.keys(data).length > 0) body.data = data;
  return body;
}

/** `{"success":0,"message":…}` when an item update sent nothing. */
export const NOTHING_TO_UPDATE = {
  plugins: "No Plugins to update.",
  themes: "No Themes to update.",
  translations: "No Translations to update.",
} as const;

/** MainWP's answer when the site ignores every update of the kind. */
export const IGNORED_PER_SITE = {
  plugins: "Plugins ignored updates per site.",
  themes: "Themes ignored updates per site.",
} as const;

/**
 * The answer of `POST /updates/{id}/update/plugins|themes|translations` for a child reply.
 *
 * @example
 * ```ts
 * itemsUpdateBody({}); // { success: 1, data: [] }
 * ```
 */
export function itemsUpdateBody(reply: Json): Json {
  return { success: 1, data: orderedMap(Object.entries(updatesInfo(reply))) };
}

/**
 * The answer of "update everything" of one site that ran (or found another run going on).
 *
 * @example
 * ```ts
 * siteEverythingBody(site, 0, { updated: 1, errors: 0 }).message; // "Batch updates for the site completed."
 * ```
 */
export function siteEverythingBody(
  site: Parameters<typeof siteMini>[0],
  startedAt: number,
  run: SiteRunSummary | null,
): Json {
  if (run === null) {
    return {
      success: 1,
      message: "A batch updates for the site are queuing to run.",
      last_time_start_batch_updates: isoNoZone(startedAt),
      site: siteMini(site),
    };
  }
  return {
    success: 1,
    message: "Batch updates for the site completed.",
    summary: { total_updated: run.updated, total_errors: run.errors },
    last_time_start_batch_updates: isoNoZone(startedAt),
    site: siteMini(site),
  };
}

/**
 * The summary of a fleet run as MainWP sends it (`sites_timed_out` only when some sites ran late).
 *
 * @example
 * ```ts
 * fleetSummary({ total_updated: 1, total_errors: 0, sites_updated: 1, sites_timed_out: 0 });
 * ```
 */
export function fleetSummary(summary: FleetRunSummary): Json {
  const { sites_timed_out, ...rest } = summary;
  return sites_timed_out > 0 ? { ...rest, sites_timed_out } : rest;
}
