/**
 * @module
 * The simulated child's sync payload (`stats`, and the `sync` object of action replies) and its plugin /
 * theme lists, in the shapes and JSON types MainWP Child 6.1 uses (fixtures 00, 45–58): ids that are ints
 * in post lists and strings in comments, counts as strings, `[]` for empty maps, `changes_logs_data` `""`
 * unless `params_logs[events_count]` is sent, `dbsize_activitylogs` only with `params_logs`, `users` only
 * with `optimize=1`, the cache-control keys only with `othersData`.
 *
 * @example
 * ```ts
 * const stats = buildStats(state, new URLSearchParams("optimize=1"));
 * stats.changes_logs_data; // ""
 * ```
 */
import { compareVersions } from "../child/version.ts";
import {
  CHILD_PLUGIN_FILE,
  CONTENT_TIME,
  type SimPlugin,
  type SimTheme,
  type SiteContent,
  WP_LATEST,
} from "./catalog.ts";
import { logsParams, type WpAdminLog } from "./wp-admin.ts";

/** What the payload is built from. */
export interface StatsState {
  url: string;
  childVersion: string;
  content: SiteContent;
  adminUser: string;
  users: ReadonlyMap<string, { role: string; email: string; id?: number; display_name?: string }>;
  uniqueId: string;
  /** The stylesheet WordPress was switched to although it is not installed (`null`: none). */
  missingTheme: string | null;
  wpAdmin: WpAdminLog;
}

/** Whether an item is behind its latest version. */
export function hasUpdate(item: { version: string; latest: string }): boolean {
  return compareVersions(item.version, item.latest) < 0;
}

/** A plugin file's slug (folder, or file name without `.php`). */
export function pluginSlug(file: string): string {
  return file.includes("/") ? file.split("/")[0] : file.replace(/\.php$/, "");
}

/** The site's plugins, MainWP Child first. */
export function pluginRecords(state: StatsState): SimPlugin[] {
  const child: SimPlugin = {
    file: CHILD_PLUGIN_FILE,
    name: "MainWP Child",
    description: "Provides a secure connection between your MainWP Dashboard and your WordPress sites.",
    author: "MainWP",
    version: state.childVersion,
    latest: state.childVersion,
    active: true,
  };
  return [child, ...state.content.plugins];
}

/** `get_all_plugins` items (and the sync's `plugins`), filtered by `status` and `keyword` when given. */
export function pluginList(state: StatsState, fields?: URLSearchParams): Record<string, unknown>[] {
  const status = fields?.get("status") ?? "";
  const keyword = (fields?.get("keyword") ?? "").toLowerCase();
  return pluginRecords(state)
    .filter((p) => status === "" || (status === "active") === p.active)
    .filter((p) => keyword === "" || p.name.toLowerCase().includes(keyword))
    .map((p) => ({
      mainwp: p.file === CHILD_PLUGIN_FILE ? "T" : "F",
      name: p.name,
      slug: p.file,
      description: p.description,
      version: p.version,
      active: p.active ? 1 : 0,
    }));
}

/** `get_all_themes` items (and the sync's `themes`). */
export function themeList(state: StatsState, fields?: URLSearchParams): Record<string, unknown>[] {
  const status = fields?.get("status") ?? "";
  const keyword = (fields?.get("keyword") ?? "").toLowerCase();
  return state.content.themes
    .filter((t) => status === "" || (status === "active") === t.active)
    .filter((t) => keyword === "" || t.name.toLowerCase().includes(keyword))
    .map((t) => ({
      name: t.name,
      title: t.name,
      description: t.description,
      version: t.version,
      active: t.active ? 1 : 0,
      slug: t.stylesheet,
      parent_active: 0,
    }));
}

/** `plugin_updates`: plugin file → header + `update`, `[]` when none. */
export function pluginUpdates(state: StatsState): Record<string, unknown> | [] {
  const entries = state.content.plugins.filter(hasUpdate).map((p) => {
    const slug = pluginSlug(p.file);
    return [p.file, {
      Name: p.name,
      PluginURI: `https://wordpress.org/plugins/${slug}/`,
      Version: p.version,
      Description: p.description,
      Author: p.author,
      TextDomain: slug,
      Title: p.name,
      AuthorName: p.author,
      update: {
        id: `w.org/plugins/${slug}`,
        slug,
        plugin: p.file,
        new_version: p.latest,
        url: `https://wordpress.org/plugins/${slug}/`,
        package: `https://downloads.wordpress.org/plugin/${slug}.${p.latest}.zip`,
        tested: WP_LATEST,
      },
      active: p.active ? 1 : 0,
      wp_compatible: true,
      php_compatible: true,
    }] as const;
  });
  return entries.length > 0 ? Object.fromEntries(entries) : [];
}

function themeUpdates(state: StatsState): Record<string, unknown> | [] {
  const entries = state.content.themes.filter(hasUpdate).map((t) =>
    [t.stylesheet, {
      Name: t.name,
      Version: t.version,
      Author: t.author,
      Template: t.stylesheet,
      Stylesheet: t.stylesheet,
      active: t.active ? 1 : 0,
      update: {
        theme: t.stylesheet,
        new_version: t.latest,
        url: `https://wordpress.org/themes/${t.stylesheet}/`,
        package: `https://downloads.wordpress.org/theme/${t.stylesheet}.${t.latest}.zip`,
      },
    }] as const
  );
  return entries.length > 0 ? Object.fromEntries(entries) : [];
}

const dateTime = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 19).replace("T", " ");

function postItems(state: StatsState, type: "post" | "page") {
  const admin = state.users.get(state.adminUser);
  return (type === "post" ? state.content.posts : state.content.pages).map((p) => ({
    id: p.id,
    post_type: type,
    status: p.status,
    title: p.title,
    comment_count: String(p.comment_count),
    dts: p.dts,
    author: p.author,
    authorEmail: admin?.email ?? "",
    categories: "Uncategorized",
    tags: "",
  }));
}

function commentItems(state: StatsState) {
  const posts = state.content.posts;
  return state.content.comments.map((m) => ({
    id: String(m.id),
    status: m.status === "approve" ? "approved" : "unapproved",
    author: m.author,
    author_url: "",
    author_ip: "",
    author_email: "",
    postId: String(m.postId),
    postName: posts.find((p) => p.id === m.postId)?.title ?? "",
    comment_count: String(posts.find((p) => p.id === m.postId)?.comment_count ?? 0),
    content: m.content,
    dts: m.dts,
  }));
}

function userItems(state: StatsState) {
  return [...state.users].map(([login, user], n) => ({
    id: user.id ?? n + 1,
    login,
    nicename: login,
    email: user.email,
    registered: dateTime(CONTENT_TIME - 365 * 86_400),
    status: "0",
    display_name: user.display_name ?? login,
    role: user.role,
    post_count: "0",
    last_password_change: CONTENT_TIME - 30 * 86_400,
    password_status: "DISABLED",
    password_due_time: null,
    password_has_recorded_change: false,
  }));
}

const CATEGORIES = [
  { term_id: 1, name: "Uncategorized", slug: "uncategorized", taxonomy: "category", parent: 0 },
  { term_id: 2, name: "News", slug: "news", taxonomy: "category", parent: 0 },
];

/**
 * The sync payload for a request's form fields.
 *
 * @example
 * ```ts
 * buildStats(state, new URLSearchParams("params_logs[events_count]=100")).dbsize_activitylogs; // a number
 * ```
 */
export function buildStats(state: StatsState, fields: URLSearchParams): Record<string, unknown> {
  const c = state.content;
  const activeTheme = c.themes.find((t) => t.active);
  const outdated = (items: (SimPlugin | SimTheme)[]) =>
    items.some((i) => i.active && hasUpdate(i)) ? "N" : "Y";
  const security = {
    ...c.security,
    sec_outdated_plugins: outdated(c.plugins),
    sec_outdated_themes: outdated(c.themes),
  };
  const stats: Record<string, unknown> = {
    version: state.childVersion,
    wpversion: c.wpVersion,
    siteurl: state.url.replace(/\/$/, ""),
    wpe: 0,
    wphost: "",
    site_info: {
      wpversion: c.wpVersion,
      debug_mode: false,
      phpversion: c.phpVersion,
      child_version: state.childVersion,
      memory_limit: c.memoryLimit,
      mysql_version: c.mysqlVersion,
      db_size: (c.dbSize / 1_048_576).toFixed(2),
      themeactivated: state.missingTheme ?? activeTheme?.name ?? "",
      ip: "127.0.0.1",
      child_curl_version: "8.5.0",
      child_openssl_version: "OpenSSL/3.0.13",
      site_lang: c.siteLang,
      site_public: 1,
      format_datetime: { timezone_string: "", gmt_offset: "0", date_format: "F j, Y", time_format: "g:i a" },
    },
    wp_updates: compareVersions(c.wpVersion, WP_LATEST) < 0 ? WP_LATEST : null,
    plugin_updates: pluginUpdates(state),
    theme_updates: themeUpdates(state),
    translation_updates: c.translations.map((t) => ({ ...t })),
    recent_comments: commentItems(state),
    recent_posts: postItems(state, "post"),
    recent_pages: postItems(state, "page"),
    securityIssues: Object.values(security).filter((v) => v === "N").length,
    securityStats: security,
    directories: "",
    categories: CATEGORIES.map((cat) => cat.name),
    categories_list: CATEGORIES.map((cat) => ({ ...cat })),
    dbsize: c.dbSize,
    extauth: `sim-extauth-${state.uniqueId || "site"}`,
    plugins: pluginList(state),
    themes: themeList(state),
  };
  if (fields.get("optimize") === "1") stats.users = userItems(state);
  Object.assign(stats, {
    last_post_gmt: c.posts.reduce((latest, p) => Math.max(latest, p.dts), 0),
    mainwpdir: 1,
    uniqueId: state.uniqueId,
    plugins_outdate_info: [],
    themes_outdate_info: [],
    health_site_status: { ...c.health },
  });
  if (logsParams(fields) !== null) stats.dbsize_activitylogs = state.wpAdmin.dbSize();
  stats.child_site_actions_data = state.wpAdmin.syncActions(fields);
  stats.changes_logs_data = state.wpAdmin.changesLogs(fields);
  const user = fields.get("user");
  const account = user === null ? undefined : state.users.get(user);
  if (user !== null && account) {
    stats.admin_nicename = user;
    stats.admin_useremail = account.email;
  }
  if (fields.has("othersData")) {
    stats.mainwp_cache_control_last_purged = 0;
    stats.mainwp_cache_control_cache_solution = "Plugin Not Found";
    stats.mainwp_cache_control_logs = '{"status":"Disabled","action":"SUCCESS","do_purge":false}';
  }
  stats.password_policy_options = {
    max_age_days: "0",
    policy_enabled_at: null,
    due_soon_days: "7",
    due_soon_message: "Your password is due to be changed soon.",
    overdue_message: "Your password change is overdue.",
    show_notices_to: "edit_posts",
  };
  return stats;
}
