/**
 * @module
 * What a Dashboard keeps from a sync (`stats`) reply, as MainWP's `MainWP_Sync::sync_information_array`
 * stores it (child-protocol.md §B6). {@link syncValuesFromReply} maps a reply to {@link SyncValues}, keyed
 * by MainWP's own column / site-option names; only keys the reply carried are set (a partial `sync`
 * object updates only what it has). Structured values stay decoded — JSON-encode them with
 * `encodeWpJson` when a view needs MainWP's JSON strings; empty maps are `[]`, as PHP writes them.
 * {@link syncErrorText} is the `sync_errors` text MainWP stores for a failed sync.
 *
 * @example
 * ```ts
 * const values = syncValuesFromReply(await connector.call(site, "stats"));
 * values.site_info?.phpversion; // "8.2.10"
 * ```
 */
import { type ChildError, NOT_DETECTED_MESSAGE } from "./errors.ts";
import { isPlainObject } from "../lib/objects.ts";

/** `site_info` of a sync reply. */
export interface SiteInfo {
  /** WordPress version (site view `wp_version`). */
  wpversion?: string;
  /** `WP_DEBUG`. */
  debug_mode?: boolean;
  /** PHP version (site view `php_version`). */
  phpversion?: string;
  /** Child plugin version (site view `child_version`). */
  child_version?: string;
  /** PHP memory limit (site view `memory_limit`). */
  memory_limit?: string;
  /** Database server version (site view `mysql_version`). */
  mysql_version?: string;
  /** Database size as text. */
  db_size?: string;
  /** Name of the active theme. */
  themeactivated?: string;
  /** Server IP (stored as `wp.ip`). */
  ip?: string;
  /** Site language. */
  site_lang?: string;
  /** Search engines allowed (1/0). */
  site_public?: number;
  /** Keys of newer children. */
  [key: string]: unknown;
}

/** A PHP-style map: an object, or `[]` when empty. */
export type PhpMap<T = unknown> = Record<string, T> | [];

/** The values a sync stores, by MainWP column / option name. */
export interface SyncValues {
  /** `wp.siteurl`: the child's `siteurl` option. */
  siteurl?: string;
  /** `wp_sync.version`: child plugin version. */
  version?: string;
  /** Option `site_info` (source of wp/php/child/mysql version, memory limit in the site view). */
  site_info?: SiteInfo;
  /** `wp.ip`, from `site_info.ip`. */
  ip?: string;
  /** Option `phpversion`. */
  phpversion?: string;
  /** Option `wp_upgrades`: `{current,new}` when a core update is pending, else `[]`. */
  wp_upgrades?: { current: string; new: string } | [];
  /** `wp.plugin_upgrades`: plugin file → header + `update`. */
  plugin_upgrades?: PhpMap;
  /** `wp.theme_upgrades`: stylesheet → theme + `update`. */
  theme_upgrades?: PhpMap;
  /** `wp.translation_upgrades`: list of `{type, slug, language, version, name}`. */
  translation_upgrades?: unknown;
  /** Option `premium_upgrades`. */
  premium_upgrades?: unknown;
  /** `wp.securityIssues`: number of `N` values in `securityStats` (or the child's count). */
  securityIssues?: number;
  /** Option `security_stats`: the ten Y/N checks. */
  security_stats?: PhpMap;
  /** Option `recent_comments`. */
  recent_comments?: unknown;
  /** Option `recent_posts`. */
  recent_posts?: unknown;
  /** Option `recent_pages`. */
  recent_pages?: unknown;
  /** `wp.themes`: the theme list as the child sent it. */
  themes?: unknown;
  /** `wp.plugins`: the plugin list as the child sent it. */
  plugins?: unknown;
  /** `wp.users` (sent when `optimize=1`). */
  users?: unknown;
  /** `wp.categories`: `categories_list`, else the old `categories`. */
  categories?: unknown;
  /** `wp.directories`. */
  directories?: unknown;
  /** `wp_sync.totalsize`. */
  totalsize?: unknown;
  /** `wp_sync.dbsize` (site view `database_size`). */
  dbsize?: unknown;
  /** `wp_sync.extauth`. */
  extauth?: unknown;
  /** `wp.wpe` (WP Engine host, 0/1). */
  wpe?: unknown;
  /** Option `wphost`. */
  wphost?: unknown;
  /** `wp_sync.last_post_gmt` (site view `last_post_time`). */
  last_post_gmt?: unknown;
  /** Option `health_site_status` `{good, recommended, critical}`. */
  health_site_status?: Record<string, unknown>;
  /** `wp_sync.health_value` (site view `health_score`): score − 100 × critical issues. */
  health_value?: number;
  /** `wp_sync.health_status`: 0 good (score ≥ 80, no critical), 1 should be improved. */
  health_status?: 0 | 1;
  /** `wp.mainwpdir`. */
  mainwpdir?: unknown;
  /** `wp.uniqueId`. */
  uniqueId?: unknown;
  /** Option `admin_nicename`. */
  admin_nicename?: string;
  /** Option `admin_useremail`. */
  admin_useremail?: string;
  /** Option `plugins_outdate_info` (abandoned plugins). */
  plugins_outdate_info?: unknown;
  /** Option `themes_outdate_info` (abandoned themes). */
  themes_outdate_info?: unknown;
  /** Option `password_policy_options`. */
  password_policy_options?: unknown;
  /** Option `primary_lasttime_backup`. */
  primary_lasttime_backup?: unknown;
  /** Option `dbsize_activitylogs`: size of the child's change-log tables (sent with `params_logs`). */
  dbsize_activitylogs?: unknown;
  /** Option `register_verify_key`, from `regverify_info`. */
  register_verify_key?: string;
}

/** Reply keys copied unchanged, by stored name. */
const COPIED: ReadonlyArray<readonly [keyof SyncValues, string]> = [
  ["siteurl", "siteurl"],
  ["version", "version"],
  ["translation_upgrades", "translation_updates"],
  ["premium_upgrades", "premium_updates"],
  ["recent_comments", "recent_comments"],
  ["recent_posts", "recent_posts"],
  ["recent_pages", "recent_pages"],
  ["themes", "themes"],
  ["plugins", "plugins"],
  ["users", "users"],
  ["directories", "directories"],
  ["totalsize", "totalsize"],
  ["dbsize", "dbsize"],
  ["extauth", "extauth"],
  ["wpe", "wpe"],
  ["wphost", "wphost"],
  ["last_post_gmt", "last_post_gmt"],
  ["mainwpdir", "mainwpdir"],
  ["uniqueId", "uniqueId"],
  ["plugins_outdate_info", "plugins_outdate_info"],
  ["themes_outdate_info", "themes_outdate_info"],
  ["password_policy_options", "password_policy_options"],
  ["primary_lasttime_backup", "primaryLasttimeBackup"],
  ["dbsize_activitylogs", "dbsize_activitylogs"],
];

function asPhpMap(value: unknown): PhpMap {
  return isPlainObject(value) && Object.keys(value).length > 0 ? value : [];
}

/**
 * MainWP's site-health score from `{good, recommended, critical}` counts (0–100).
 *
 * @example
 * ```ts
 * siteHealthScore({ good: 15, recommended: 4, critical: 0 }); // 89
 * ```
 */
export function siteHealthScore(counts: Record<string, unknown>): number {
  const good = Math.trunc(Number(counts.good) || 0);
  const recommended = Math.trunc(Number(counts.recommended) || 0);
  const critical = Math.trunc(Number(counts.critical) || 0);
  const total = good + recommended + critical * 1.5;
  const failed = recommended * 0.5 + critical * 1.5;
  const score = total === 0 ? 100 : 100 - Math.ceil((failed / total) * 100);
  return Math.min(100, Math.max(0, score));
}

function healthValues(status: Record<string, unknown>): Pick<SyncValues, "health_value" | "health_status"> {
  const score = siteHealthScore(status);
  const critical = Math.trunc(Number(status.critical) || 0);
  return { health_value: score - critical * 100, health_status: score >= 80 && critical === 0 ? 0 : 1 };
}

function securityValues(
  reply: Record<string, unknown>,
): Pick<SyncValues, "securityIssues" | "security_stats"> {
  const stats = reply.securityStats;
  if (stats !== undefined) {
    const map = asPhpMap(stats);
    return { security_stats: map, securityIssues: Object.values(map).filter((v) => v === "N").length };
  }
  const count = Number(reply.securityIssues);
  return Number.isInteger(count) && count >= 0 ? { securityIssues: count } : {};
}

/**
 * Maps a sync reply (or a reply's `sync` object) to the values a Dashboard stores.
 *
 * @example
 * ```ts
 * syncValuesFromReply({ wpversion: "6.4.3", wp_updates: "6.5" }).wp_upgrades;
 * // { current: "6.4.3", new: "6.5" }
 * ```
 */
export function syncValuesFromReply(reply: Record<string, unknown>): SyncValues {
  const values: SyncValues = {};
  const target = values as Record<string, unknown>;
  for (const [stored, key] of COPIED) if (reply[key] !== undefined) target[stored] = reply[key];
  if (isPlainObject(reply.site_info)) {
    const info = reply.site_info as SiteInfo;
    values.site_info = info;
    if (typeof info.ip === "string") values.ip = info.ip;
    if (info.phpversion) values.phpversion = String(info.phpversion);
  }
  values.wp_upgrades = reply.wp_updates
    ? { current: String(reply.wpversion ?? ""), new: String(reply.wp_updates) }
    : [];
  if (reply.plugin_updates !== undefined) values.plugin_upgrades = asPhpMap(reply.plugin_updates);
  if (reply.theme_updates !== undefined) values.theme_upgrades = asPhpMap(reply.theme_updates);
  if (reply.categories_list !== undefined || reply.categories !== undefined) {
    values.categories = reply.categories_list ?? reply.categories;
  }
  if (isPlainObject(reply.health_site_status)) {
    values.health_site_status = reply.health_site_status;
    Object.assign(values, healthValues(reply.health_site_status));
  }
  if (typeof reply.admin_nicename === "string") values.admin_nicename = reply.admin_nicename.trim();
  if (typeof reply.admin_useremail === "string") values.admin_useremail = reply.admin_useremail.trim();
  if (typeof reply.regverify_info === "string" && reply.regverify_info !== "") {
    values.register_verify_key = reply.regverify_info;
  }
  return Object.assign(values, securityValues(reply));
}

/**
 * The site view's `active_theme`: `"<Name> <Version>"` of the first active theme, or `""`.
 *
 * @example
 * ```ts
 * activeThemeLabel([{ name: "Twenty Twenty-Four", version: "1.1", active: 1 }]); // "Twenty Twenty-Four 1.1"
 * ```
 */
export function activeThemeLabel(themes: unknown): string {
  if (!Array.isArray(themes)) return "";
  const active = themes.find((theme) => isPlainObject(theme) && theme.active && theme.active !== "0");
  return active?.name ? `${active.name} ${active.version ?? ""}` : "";
}

/**
 * The `sync_errors` text MainWP stores when a sync fails with this error.
 *
 * @example
 * ```ts
 * syncErrorText(new ChildError("CHILD_ERROR", "Authentication failed!", "child"));
 * // "ERROR: Authentication failed!"
 * ```
 */
export function syncErrorText(error: ChildError): string {
  switch (error.category) {
    case "http":
    case "timeout":
      return error.message;
    case "not_mainwp":
      return NOT_DETECTED_MESSAGE;
    default:
      return `ERROR: ${error.message}`;
  }
}
