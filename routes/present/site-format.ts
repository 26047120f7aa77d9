/**
 * @module
 * Pure formatting of MainWP's site objects (rest-v2.md §6.1): the site view object with its exact key
 * order and JSON types, the `SITE_MINI` projection, and the per-request variants of a view (`with_tags`,
 * `full_data`, `custom_fields`, blanked keys). Nothing here reads the store; sync data (site_info,
 * plugins, themes, upgrades…) comes in as `SiteSyncData`, `null` for a site never synced.
 *
 * @example
 * ```ts
 * const view = formatSiteView(site, null, new Map([[4, "Clients"]]));
 * view.status; // "connected"
 * ```
 */
import type { SiteRecord, SiteSyncData } from "../../core/sites/fleet.ts";
import { isoNoZone } from "../../wp/dates.ts";
import { escHtml } from "../../wp/format.ts";

/** `SITE_MINI`, MainWP's `simple_view`. */
export interface SiteMini {
  id: string;
  name: string;
  url: string;
  client_id: string;
}

/** The site view object; `tags` is a `{tagId: name}` map, `[]` when empty, or `""` when not loaded. */
export type SiteView = Record<string, unknown> & { id: string; tags: Record<string, string> | [] | "" };

/** The view's keys, in MainWP's order. */
export const SITE_VIEW_KEYS = [
  "id",
  "name",
  "url",
  "tags",
  "note",
  "ip",
  "client_id",
  "is_staging",
  "wp_version",
  "php_version",
  "child_version",
  "mysql_version",
  "memory_limit",
  "database_size",
  "active_theme",
  "status",
  "sync_errors",
  "http_status",
  "health_status",
  "health_score",
  "icon",
  "last_sync",
  "plugins",
  "themes",
  "last_post_time",
  "recent_posts",
  "recent_pages",
  "recent_comments",
  "categories",
  "wp_upgrades",
  "plugin_upgrades",
  "premium_upgrades",
  "theme_upgrades",
  "translation_upgrades",
  "ignored_plugins",
  "ignored_themes",
  "is_ignoreCoreUpdates",
  "is_ignorePluginUpdates",
  "is_ignoreThemeUpdates",
  "verify_certificate",
  "force_use_ipv4",
  "ssl_version",
  "suspended",
] as const;

/** Columns never returned, even when asked for by `custom_fields`. */
export const CREDENTIAL_COLUMNS: ReadonlySet<string> = new Set([
  "privkey",
  "pubkey",
  "http_user",
  "http_pass",
  "adminname",
  "securekey",
  "uniqueId",
]);

/** Record fields that are not MainWP columns (never offered as custom fields). */
const NOT_COLUMNS: ReadonlySet<string> = new Set(["tag_ids"]);

/** Reason phrases for `http_status` (`"200 - OK"`). */
const HTTP_REASONS: Record<number, string> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  305: "Use Proxy",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  414: "Request-URI Too Long",
  415: "Unsupported Media Type",
  416: "Requested Range Not Satisfiable",
  417: "Expectation Failed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/**
 * The `SITE_MINI` projection.
 *
 * @example
 * ```ts
 * siteMini(record); // { id: "3", name: "Blog", url: "https://blog.example.com/", client_id: "0" }
 * ```
 */
export function siteMini(site: Pick<SiteRecord, "id" | "name" | "url" | "client_id">): SiteMini {
  return { id: String(site.id), name: site.name, url: site.url, client_id: String(site.client_id) };
}

/**
 * `http_status` as MainWP shows it: `"<code> - <reason>"`, or the bare code when it has no reason.
 *
 * @example
 * ```ts
 * httpStatusText(200); // "200 - OK"
 * httpStatusText(0); // "0"
 * ```
 */
export function httpStatusText(code: number): string {
  const reason = HTTP_REASONS[code];
  return reason ? `${code} - ${reason}` : String(code);
}

/**
 * The connection status: `suspended` wins, else `disconnected` when the last sync failed.
 *
 * @example
 * ```ts
 * siteStatus({ ...site, sync_errors: "timeout" }); // "disconnected"
 * ```
 */
export function siteStatus(site: Pick<SiteRecord, "suspended" | "sync_errors">): string {
  if (site.suspended) return "suspended";
  return site.sync_errors ? "disconnected" : "connected";
}

/**
 * `"<Name> <Version>"` of the active theme in the stored themes list (HTML-escaped as MainWP does), or `""`.
 *
 * @example
 * ```ts
 * activeTheme('[{"name":"Twenty","version":"1.1","active":1}]'); // "Twenty 1.1"
 * ```
 */
export function activeTheme(themesJson: string | undefined): string {
  if (!themesJson) return "";
  try {
    const themes = JSON.parse(themesJson);
    const list = Array.isArray(themes)
      ? themes
      : themes && typeof themes === "object"
      ? Object.values(themes)
      : [];
    for (const theme of list) {
      if (theme && typeof theme === "object" && theme.active && theme.active !== "0") {
        return theme.name ? escHtml(`${theme.name} ${str(theme.version)}`) : "";
      }
    }
  } catch {
    // not JSON: no theme
  }
  return "";
}

/**
 * The `tags` member: `{tagId: name}` in id order for the site's existing tags, `[]` when it has none.
 *
 * @example
 * ```ts
 * siteTagsObject([9, 4], new Map([[4, "Clients"], [9, "VIP"]])); // { "4": "Clients", "9": "VIP" }
 * ```
 */
export function siteTagsObject(
  tagIds: readonly number[],
  tagNames: ReadonlyMap<number, string>,
): Record<string, string> | [] {
  const out: Record<string, string> = {};
  let any = false;
  for (const id of tagIds) {
    const name = tagNames.get(id);
    if (name === undefined) continue; // a link to a tag being deleted
    out[String(id)] = name;
    any = true;
  }
  return any ? out : [];
}

/**
 * The full site view object (`with_tags` and `full_data` on), keys in MainWP's order.
 *
 * @example
 * ```ts
 * formatSiteView(site, null, new Map()).last_sync; // "1970-01-01T00:00:00" for a site never synced
 * ```
 */
export function formatSiteView(
  site: SiteRecord,
  sync: SiteSyncData | null,
  tagNames: ReadonlyMap<number, string>,
): SiteView {
  const info = sync?.site_info ?? {};
  return {
    id: String(site.id),
    name: str(site.name),
    url: str(site.url),
    tags: siteTagsObject(site.tag_ids, tagNames),
    note: str(site.note),
    ip: str(site.ip),
    client_id: String(site.client_id ?? 0),
    is_staging: String(site.is_staging ?? 0),
    wp_version: str(info.wpversion),
    php_version: str(info.phpversion),
    child_version: str(info.child_version),
    mysql_version: str(info.mysql_version),
    memory_limit: str(info.memory_limit),
    database_size: String(sync?.dbsize ?? 0),
    active_theme: activeTheme(sync?.themes),
    status: siteStatus(site),
    sync_errors: str(site.sync_errors),
    http_status: httpStatusText(site.http_response_code ?? 0),
    health_status: String(site.health_status ?? 0),
    health_score: str(site.health_value === "" ? 0 : site.health_value),
    icon: "",
    last_sync: isoNoZone(site.dtsSync ?? 0),
    plugins: str(sync?.plugins),
    themes: str(sync?.themes),
    last_post_time: String(sync?.last_post_gmt ?? 0),
    recent_posts: str(sync?.recent_posts),
    recent_pages: str(sync?.recent_pages),
    recent_comments: str(sync?.recent_comments),
    categories: str(sync?.categories),
    wp_upgrades: str(sync?.wp_upgrades),
    plugin_upgrades: str(sync?.plugin_upgrades),
    premium_upgrades: str(sync?.premium_upgrades),
    theme_upgrades: str(sync?.theme_upgrades),
    translation_upgrades: str(sync?.translation_upgrades),
    ignored_plugins: str(site.ignored_plugins || sync?.ignored_plugins),
    ignored_themes: str(site.ignored_themes || sync?.ignored_themes),
    is_ignoreCoreUpdates: String(site.is_ignoreCoreUpdates ?? 0),
    is_ignorePluginUpdates: String(site.is_ignorePluginUpdates ?? 0),
    is_ignoreThemeUpdates: String(site.is_ignoreThemeUpdates ?? 0),
    verify_certificate: String(site.verify_certificate ?? 1),
    force_use_ipv4: String(site.force_use_ipv4 ?? 0),
    ssl_version: String(site.ssl_version ?? 0),
    suspended: String(site.suspended ?? 0),
  };
}

/**
 * A raw column for `custom_fields`: the record's column, else a stored sync column or site option, as a
 * string; `""` when absent or a credential.
 *
 * @example
 * ```ts
 * customFieldValue(site, null, "dtsSync"); // "1714558830"
 * ```
 */
export function customFieldValue(site: SiteRecord, sync: SiteSyncData | null, name: string): string {
  if (CREDENTIAL_COLUMNS.has(name) || NOT_COLUMNS.has(name)) return "";
  if (Object.hasOwn(site, name)) return scalar((site as unknown as Record<string, unknown>)[name]);
  if (sync) {
    if (name !== "options" && name !== "site_info" && Object.hasOwn(sync, name)) {
      return scalar((sync as Record<string, unknown>)[name]);
    }
    if (sync.options && Object.hasOwn(sync.options, name)) return scalar(sync.options[name]);
  }
  return "";
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** How one request wants its site objects. */
export interface SitePresentation {
  /** `tags` as a map (default) or `""`. */
  withTags: boolean;
  /** `false` blanks `database_size` (MainWP's lighter query). */
  fullData: boolean;
  /** Raw columns appended after the view keys. */
  customFields: readonly string[];
  /** Keys answered as `""` (the client/cost site lists). */
  blank: readonly string[];
}

/** The plain view: tags on, full data, nothing extra. */
export const FULL_PRESENTATION: SitePresentation = {
  withTags: true,
  fullData: true,
  customFields: [],
  blank: [],
};

/**
 * Whether a presentation is the plain full view (then a cached view object can be served as is).
 *
 * @example
 * ```ts
 * isFullPresentation(FULL_PRESENTATION); // true
 * ```
 */
export function isFullPresentation(p: SitePresentation): boolean {
  return p.withTags && p.fullData && p.customFields.length === 0 && p.blank.length === 0;
}

/**
 * A fresh copy of a full view adapted to a presentation, custom fields left out (they need the record
 * and sync data: {@link presentView}). Never mutates `view`.
 *
 * @example
 * ```ts
 * adaptView(view, { ...FULL_PRESENTATION, fullData: false }).database_size; // ""
 * ```
 */
export function adaptView(view: SiteView, p: SitePresentation): SiteView {
  const out: SiteView = { ...view };
  if (out.tags && typeof out.tags === "object" && !Array.isArray(out.tags)) out.tags = { ...out.tags };
  if (!p.withTags) out.tags = "";
  if (!p.fullData) out.database_size = "";
  for (const key of p.blank) if (Object.hasOwn(out, key)) out[key] = "";
  return out;
}

/**
 * A fresh copy of a full view adapted to a presentation (never mutates `view`).
 *
 * @example
 * ```ts
 * presentView(view, site, null, { ...FULL_PRESENTATION, withTags: false }).tags; // ""
 * ```
 */
export function presentView(
  view: SiteView,
  site: SiteRecord,
  sync: SiteSyncData | null,
  p: SitePresentation,
): SiteView {
  const out = adaptView(view, p);
  for (const name of p.customFields) {
    if (!Object.hasOwn(out, name) && !CREDENTIAL_COLUMNS.has(name)) {
      out[name] = customFieldValue(site, sync, name);
    }
  }
  return out;
}
