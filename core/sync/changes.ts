/**
 * @module
 * The change log ("non-MainWP changes"): what happened on a child site outside the Dashboard (plugins
 * activated in wp-admin, themes switched…), as the MainWP Child reports it in `child_site_actions_data` of a sync
 * reply (or of a register reply, or of an action reply's `sync` object) and, since Child 5.4, in its newer
 * change log `changes_logs_data` (sent only when the sync asks with `params_logs[events_count]`; MainWP
 * Child 6.1 reports wp-admin activations only there). The rows are kept with the
 * site's stored sync data, as the site option {@link SITE_CHANGES_OPTION} (a JSON list, newest
 * {@link MAX_SITE_CHANGES} kept), so they go away with the site and need no key of their own.
 *
 * Each row has the columns of MainWP's `wp_actions` table, as strings: `action_id` (unique per site, in
 * arrival order), `wpid`, `object_id` (the child's key of the entry; an entry already stored is not added
 * twice; change-log rows are `log-<id>`), `context`, `action`, `action_user`, `created` (unix seconds),
 * `meta_data` (JSON, the acting user moved into `user_meta_json` as MainWP does), `dismiss` ("0") and
 * `summary` ("<name> Plugin" with the name from `extra_info`, "WP Core WordPress"…). The times of the
 * newest entries taken are kept too, so the next sync asks only for newer ones
 * ({@link changesSyncParams}). Reading them back is `change-list.ts`.
 *
 * @example
 * ```ts
 * mergeSiteChanges(3, storedSiteChanges(sync), reply.child_site_actions_data);
 * ```
 */
import type { FormFields } from "../../child/form.ts";
import type { SiteSyncData } from "../../store/sites.ts";
import { encodeWpJson } from "../../wp/json.ts";
import { escHtml } from "../../wp/format.ts";
import { isPlainObject } from "../../lib/objects.ts";

/** The site option holding the rows (JSON list). */
export const SITE_CHANGES_OPTION = "non_mainwp_actions";

/** Rows kept per site (oldest dropped first). */
export const MAX_SITE_CHANGES = 1000;

/** One stored change (MainWP's `wp_actions` columns, as strings). */
export interface SiteChangeRow {
  action_id: string;
  wpid: string;
  object_id: string;
  context: string;
  action: string;
  action_user: string;
  created: string;
  meta_data: string;
  dismiss: string;
  summary: string;
}

/** The row columns in MainWP's order. */
export const SITE_CHANGE_COLUMNS: readonly (keyof SiteChangeRow)[] = [
  "action_id",
  "wpid",
  "object_id",
  "context",
  "action",
  "action_user",
  "created",
  "meta_data",
  "dismiss",
  "summary",
];

const text = (v: unknown): string =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";

/** A context's label in a summary: "WordPress", else capitalised without a trailing "s" ("Plugin"). */
function contextLabel(context: string): string {
  return context === "wordpress"
    ? "WordPress"
    : escHtml(context.replace(/s+$/, "").replace(/^./, (c) => c.toUpperCase()));
}

/** MainWP's summary: "<item name or WP Core> <Context label>"; the name is `extra_info.name` when sent. */
function summaryOf(context: string, name: string): string {
  return `${name !== "" ? escHtml(name) : "WP Core"} ${contextLabel(context)}`;
}

/** Longest `meta_data` JSON kept per row; longer string values are cut first (bounded storage). */
const MAX_META_CHARS = 4_000;
/** Longest stored row list, as JSON (the oldest rows go first); keeps a sync's commit well below KV limits. */
const MAX_ROWS_CHARS = 300_000;
/** Entries read from one reply. */
const MAX_ENTRIES = 1_000;
/** Times from the child beyond this (year 2286) are not taken: they would break dates and the next sync. */
const MAX_TIME = 10_000_000_000;

function cutStrings(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.length > 200 ? value.slice(0, 200) + "…" : value;
  if (depth > 4 || typeof value !== "object" || value === null) return depth > 4 ? null : value;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => cutStrings(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).slice(0, 40).map(([k, v]) => [k, cutStrings(v, depth + 1)]),
  );
}

/** `meta_data` as stored: JSON, `""` when none, cut down when too long. */
function metaJson(meta: Record<string, unknown> | null): string {
  if (meta === null) return "";
  const full = encodeWpJson(meta);
  if (full.length <= MAX_META_CHARS) return full;
  const cut = encodeWpJson(cutStrings(meta));
  return cut.length <= MAX_META_CHARS ? cut : "";
}

/**
 * MainWP's handling of an entry's `meta_data`: the acting user's details (`user_meta`, or the newer
 * `meta_data.meta_data`) move out into `user_meta_json`; the rest is kept.
 */
function splitUserMeta(raw: unknown, dropped: readonly string[] = []): {
  meta: Record<string, unknown> | null;
  user: Record<string, unknown>;
} {
  if (!isPlainObject(raw)) {
    return { meta: raw === undefined || raw === null || raw === "" ? null : { value: raw }, user: {} };
  }
  const meta: Record<string, unknown> = {};
  let user: Record<string, unknown> = {};
  if (isPlainObject(raw.user_meta)) user = raw.user_meta;
  else if (isPlainObject(raw.meta_data)) user = raw.meta_data;
  for (const [k, v] of Object.entries(raw)) {
    if (v === user || dropped.includes(k)) continue;
    meta[k] = v;
  }
  meta.user_meta_json = Object.keys(user).length > 0 ? encodeWpJson(user) : "[]"; // PHP: an empty array
  return { meta, user };
}

/**
 * The stored rows of a site (oldest first); `[]` when none or unreadable.
 *
 * @example
 * ```ts
 * storedSiteChanges(await getSiteSync(kv, 3)).length;
 * ```
 */
export function storedSiteChanges(sync: SiteSyncData | null): SiteChangeRow[] {
  const raw = sync?.options?.[SITE_CHANGES_OPTION];
  if (!raw) return [];
  try {
    const rows = JSON.parse(raw);
    return Array.isArray(rows) ? rows.filter(isPlainObject) as unknown as SiteChangeRow[] : [];
  } catch {
    return [];
  }
}

/**
 * Merges the child's `child_site_actions_data` (a map `object id → {context, action, action_user,
 * created, meta_data}`, or a list) into the stored rows: entries without a user or time, the
 * `connected_admin` key, and entries already stored are skipped; the newest {@link MAX_SITE_CHANGES} are kept.
 *
 * @example
 * ```ts
 * mergeSiteChanges(3, [], { "17": { context: "plugins", action: "activated", action_user: "bob", created: 1700000000 } });
 * ```
 */
export function mergeSiteChanges(siteId: number, existing: SiteChangeRow[], raw: unknown): SiteChangeRow[] {
  const entries: [string, unknown][] =
    (Array.isArray(raw)
      ? raw.map((v, i) => [isPlainObject(v) && text(v.object_id) !== "" ? text(v.object_id) : String(i), v])
      : isPlainObject(raw)
      ? Object.entries(raw)
      : []).slice(0, MAX_ENTRIES) as [string, unknown][];
  const known = new Set(existing.map((r) => r.object_id));
  const fresh: Omit<SiteChangeRow, "action_id">[] = [];
  for (const [objectId, data] of entries) {
    if (objectId === "connected_admin" || !isPlainObject(data) || known.has(objectId)) continue;
    const user = text(data.action_user);
    const created = Math.trunc(Number(data.created) || 0);
    if (user === "" || created <= 0 || created >= MAX_TIME) continue;
    const context = text(data.context);
    const { meta } = splitUserMeta(data.meta_data);
    // MainWP Child 6.1 names the item in `extra_info` (fixture 58); older children in `name`.
    const extra = meta !== null && isPlainObject(meta.extra_info) ? meta.extra_info : null;
    const name = text(extra ? extra.name : meta?.name);
    if (meta !== null && extra && context === "themes" && !meta.slug && text(extra.slug) !== "") {
      meta.slug = extra.slug;
    }
    fresh.push({
      wpid: String(siteId),
      object_id: objectId.slice(0, 100),
      context: context.slice(0, 100),
      action: text(data.action).slice(0, 100),
      action_user: user.slice(0, 200),
      created: String(created),
      meta_data: metaJson(meta),
      dismiss: "0",
      summary: summaryOf(context, name.slice(0, 500)),
    });
    known.add(objectId);
  }
  return appendRows(existing, fresh);
}

/** Numbers new rows in time order after the existing ones, as MainWP does; keeps the newest. */
function appendRows(existing: SiteChangeRow[], fresh: Omit<SiteChangeRow, "action_id">[]): SiteChangeRow[] {
  if (fresh.length === 0) return existing;
  fresh.sort((a, b) => Number(a.created) - Number(b.created));
  let next = existing.reduce((max, r) => Math.max(max, Number(r.action_id) || 0), 0) + 1;
  const added = fresh.map((row) => ({ action_id: String(next++), ...row }));
  const rows = [...existing, ...added].slice(-MAX_SITE_CHANGES);
  let size = JSON.stringify(rows).length;
  while (rows.length > 1 && size > MAX_ROWS_CHARS) size -= JSON.stringify(rows.shift()).length + 1;
  return rows;
}

/** Log types MainWP leaves out by default (cron events), sent as `params_logs[ignore_sync_changes_logs]`. */
export const IGNORED_LOG_TYPES: readonly number[] = [1925, 1930, 1935, 1940, 1945, 1950, 1955];

/** Change-log rows asked for per sync (`params_logs[events_count]`, MainWP's default). */
export const CHANGES_LOGS_EVENTS_COUNT = 100;

/** Site option: time of the newest change-log row taken (sent back as `params_logs[newer_than]`). */
export const CHANGES_LOGS_LAST_OPTION = "changes_logs_sync_last_created";

/** Site option: time of the newest actions entry taken (sent back as `child_actions_last_created`). */
export const ACTIONS_LAST_OPTION = "non_mainwp_changes_sync_last_created";

/** Change-log contexts in the vocabulary of the stored rows (the actions data says "plugins", "themes"). */
const LOG_CONTEXTS: Record<string, string> = { plugin: "plugins", theme: "themes", "cron-job": "cron" };

/** Rounded as MainWP compares these float times. */
const time4 = (v: unknown) => {
  const t = Math.round((Number(v) || 0) * 10_000) / 10_000;
  return t > 0 && t < MAX_TIME ? t : 0;
};

function logItemName(meta: Record<string, unknown> | null): string {
  if (meta === null) return "";
  for (const key of ["extra_info", "plugindata", "themedata"]) {
    const data = meta[key];
    if (isPlainObject(data) && text(data.name) !== "") return text(data.name);
  }
  return text(meta.name);
}

/**
 * Merges the child's newer change log (`changes_logs_data`: `{"1":{id, log_type_id, created_on, context,
 * action_name, username, user_id, meta_data…}, …}`) into the stored rows, as MainWP's
 * `sync_changes_logs` takes it: rows not newer than `lastCreated`, without a user, or of an ignored type
 * are skipped; a row already stored is not added twice. Returns the rows and the newest time seen.
 *
 * @example
 * ```ts
 * const { rows, lastCreated } = mergeChangesLogs(3, [], reply.changes_logs_data, 0);
 * ```
 */
export function mergeChangesLogs(
  siteId: number,
  existing: SiteChangeRow[],
  raw: unknown,
  lastCreated: number,
): { rows: SiteChangeRow[]; lastCreated: number } {
  const entries = (isPlainObject(raw) ? Object.values(raw) : Array.isArray(raw) ? raw : []).slice(
    0,
    MAX_ENTRIES,
  );
  const known = new Set(existing.map((r) => `${r.object_id}@${r.created}`));
  let newest = lastCreated;
  const fresh: Omit<SiteChangeRow, "action_id">[] = [];
  for (const data of entries) {
    if (!isPlainObject(data)) continue;
    const created = time4(data.created_on);
    const type = Math.trunc(Number(data.log_type_id) || 0);
    if (!(created > lastCreated) || type <= 0) continue;
    newest = Math.max(newest, created);
    const user = text(data.username);
    if (IGNORED_LOG_TYPES.includes(type) || user === "") continue;
    const objectId = `log-${text(data.id).slice(0, 40) || `${type}-${created}`}`;
    const seconds = String(Math.trunc(created));
    if (known.has(`${objectId}@${seconds}`)) continue;
    known.add(`${objectId}@${seconds}`);
    const { meta } = splitUserMeta(data.meta_data ?? {}, ["userdata"]);
    const stored = { ...(meta ?? {}), client_ip: text(data.client_ip), log_type_id: type };
    const childContext = text(data.context);
    const context = LOG_CONTEXTS[childContext] ?? childContext;
    const name = logItemName(meta).slice(0, 500);
    fresh.push({
      wpid: String(siteId),
      object_id: objectId,
      context: context.slice(0, 100),
      action: text(data.action_name).slice(0, 100),
      action_user: user.slice(0, 200),
      created: seconds,
      meta_data: metaJson(stored),
      dismiss: "0",
      summary: name !== "" ? `${escHtml(name)} ${contextLabel(context)}` : contextLabel(context),
    });
  }
  return { rows: appendRows(existing, fresh), lastCreated: newest };
}

/**
 * The site options a sync reply's change reports update (the stored rows and the two "newest taken"
 * times), given the sync data before it; `{}` when nothing changes.
 *
 * @example
 * ```ts
 * Object.assign(options, siteChangesOptions(3, previous, reply.child_site_actions_data, reply.changes_logs_data));
 * ```
 */
export function siteChangesOptions(
  siteId: number,
  previous: SiteSyncData | null,
  actions: unknown,
  logs?: unknown,
): Record<string, string> {
  const out: Record<string, string> = {};
  const existing = storedSiteChanges(previous);
  const withActions = mergeSiteChanges(siteId, existing, actions);
  const actionsLast = Number(previous?.options?.[ACTIONS_LAST_OPTION]) || 0;
  const actionTimes =
    (isPlainObject(actions) ? Object.values(actions) : Array.isArray(actions) ? actions : [])
      .slice(0, MAX_ENTRIES).map((a) => (isPlainObject(a) ? time4(a.created) : 0));
  const newestAction = Math.max(actionsLast, ...actionTimes);
  if (newestAction > actionsLast) out[ACTIONS_LAST_OPTION] = String(newestAction);
  const logsLast = Number(previous?.options?.[CHANGES_LOGS_LAST_OPTION]) || 0;
  const merged = mergeChangesLogs(siteId, withActions, logs, logsLast);
  if (merged.lastCreated > logsLast) out[CHANGES_LOGS_LAST_OPTION] = String(merged.lastCreated);
  if (merged.rows !== existing) out[SITE_CHANGES_OPTION] = JSON.stringify(merged.rows);
  return out;
}

/**
 * The sync request fields that ask for change reports, as MainWP's `MainWP_Sync` and Logs module send
 * them on a manual sync: `params_logs[...]` (newer than the last row taken, or than a day ago) and
 * `child_actions_last_created`.
 *
 * @example
 * ```ts
 * await ctx.child.sync(site, { siteId: "3", ...changesSyncParams(await getSiteSync(kv, 3), nowSeconds()) });
 * ```
 */
export function changesSyncParams(previous: SiteSyncData | null, now: number): FormFields {
  const dayAgo = now - 86_400;
  return {
    params_logs: {
      newer_than: Number(previous?.options?.[CHANGES_LOGS_LAST_OPTION]) || dayAgo,
      events_count: CHANGES_LOGS_EVENTS_COUNT,
      ignore_sync_changes_logs: [...IGNORED_LOG_TYPES],
      ignore_sync_nonmainwp_actions: -1,
      child_logs_ttl: 7,
      child_logs_enabled: 1,
    },
    child_actions_last_created: Number(previous?.options?.[ACTIONS_LAST_OPTION]) || dayAgo,
  };
}
