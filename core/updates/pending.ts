/**
 * @module
 * A site's pending updates as MainWP computes them from its stored sync data (per-site "ignore all"
 * flags, per-site and global ignore lists with their `ignored_versions`, the `ignored_wp_upgrades`
 * option for core), rollback entries, and what a child's update reply reports. No I/O here.
 *
 * @example
 * ```ts
 * const pending = pendingUpdates(site, sync, { plugins: {}, themes: {} });
 * Object.keys(pending.plugins); // plugin files with a non-ignored update
 * ```
 */
import type { SiteRecord, SiteSyncData } from "../../store/sites.ts";
import type { IgnoreEntry, IgnoreKind, IgnoreList } from "../../store/settings.ts";

/** A JSON object. */
export type Json = Record<string, unknown>;

/** The kinds updated through `upgradeplugintheme` / `upgradetranslation`. */
export type ItemKind = "plugins" | "themes" | "translations";

/** What a site's stored sync data says is pending, before any ignore rule. */
export interface StoredUpdates {
  /** `{current, new}` when a core update is pending, else `null`. */
  wp: Json | null;
  /** Plugin file → plugin header + `update`. */
  plugins: Json;
  /** Theme stylesheet → theme data + `update`. */
  themes: Json;
  /** `{type, slug, language, version, name}` items. */
  translations: Json[];
  /** The site option `rollback_updates_data`: `{plugin|theme: {slug: {version: item}}}`. */
  rollback: Json;
}

/** A site's pending updates after the ignore rules. */
export interface PendingUpdates {
  /** `{current, new}`, or `null` (none, or the site ignores core updates). */
  wp: Json | null;
  /** Plugin file → update entry. */
  plugins: Json;
  /** Theme stylesheet → update entry. */
  themes: Json;
  /** Translation items (never ignored). */
  translations: Json[];
}

/**
 * `JSON.parse` that yields `null` for empty or broken text.
 *
 * @example
 * ```ts
 * parseJsonText('{"a":1}'); // { a: 1 }
 * parseJsonText(""); // null
 * ```
 */
export function parseJsonText(text: string | undefined | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The value when it is a plain object, else `{}` (PHP's empty `[]` included).
 *
 * @example
 * ```ts
 * asMap([]); // {}
 * ```
 */
export function asMap(value: unknown): Json {
  return value && typeof value === "object" && !Array.isArray(value) ? value as Json : {};
}

function asList(value: unknown): Json[] {
  const items = Array.isArray(value) ? value : Object.values(asMap(value));
  return items.filter((item): item is Json => !!item && typeof item === "object" && !Array.isArray(item));
}

const parsedCache = new WeakMap<SiteSyncData, StoredUpdates>();

/**
 * The update lists stored with a site's sync data, parsed once per stored version (the fleet snapshot
 * shares unchanged sync objects between requests).
 *
 * @example
 * ```ts
 * storedUpdates({ wp_upgrades: '{"current":"6.4","new":"6.5"}' }).wp; // { current: "6.4", new: "6.5" }
 * ```
 */
export function storedUpdates(sync: SiteSyncData | null): StoredUpdates {
  if (!sync) return { wp: null, plugins: {}, themes: {}, translations: [], rollback: {} };
  const cached = parsedCache.get(sync);
  if (cached) return cached;
  const wp = asMap(parseJsonText(sync.wp_upgrades));
  const parsed: StoredUpdates = {
    wp: wp.new ? wp : null,
    plugins: asMap(parseJsonText(sync.plugin_upgrades)),
    themes: asMap(parseJsonText(sync.theme_upgrades)),
    translations: asList(parseJsonText(sync.translation_upgrades)),
    rollback: asMap(parseJsonText(sync.options?.rollback_updates_data)),
  };
  parsedCache.set(sync, parsed);
  return parsed;
}

/**
 * The new version an update item offers (`update.new_version`, else `new_version`), or `""`.
 *
 * @example
 * ```ts
 * newVersionOf({ update: { new_version: "5.1" } }); // "5.1"
 * ```
 */
export function newVersionOf(item: unknown): string {
  const map = asMap(item);
  const version = asMap(map.update).new_version ?? map.new_version;
  return typeof version === "string" || typeof version === "number" ? String(version) : "";
}

/**
 * Whether an ignore-list entry covers an update to `newVersion`: an older string entry always does; an
 * entry does when its `ignored_versions` holds `all_versions` or that version.
 *
 * @example
 * ```ts
 * isIgnoredVersion({ Name: "A", ignored_versions: ["5.1"] }, "5.1"); // true
 * isIgnoredVersion({ Name: "A", ignored_versions: ["5.1"] }, "5.2"); // false
 * ```
 */
export function isIgnoredVersion(entry: IgnoreEntry | string | undefined, newVersion: string): boolean {
  if (entry === undefined || entry === null) return false;
  if (typeof entry === "string") return true;
  const versions = Array.isArray(entry.ignored_versions) ? entry.ignored_versions.map(String) : [];
  return versions.includes("all_versions") || (newVersion !== "" && versions.includes(newVersion));
}

/**
 * The updates of `all` that no list in `lists` ignores.
 *
 * @example
 * ```ts
 * withoutIgnored({ "a/a.php": { update: { new_version: "2" } } }, [{ "a/a.php": "A" }]); // {}
 * ```
 */
export function withoutIgnored(all: Json, lists: readonly IgnoreList[]): Json {
  const out: Json = {};
  for (const [slug, item] of Object.entries(all)) {
    const version = newVersionOf(item);
    if (!lists.some((list) => Object.hasOwn(list, slug) && isIgnoredVersion(list[slug], version))) {
      out[slug] = item;
    }
  }
  return out;
}

/**
 * A site's per-site ignore list of one kind (stored on the site record as a JSON string).
 *
 * @example
 * ```ts
 * siteIgnoreList(site, "plugins");
 * ```
 */
export function siteIgnoreList(
  site: Pick<SiteRecord, "ignored_plugins" | "ignored_themes">,
  kind: IgnoreKind,
): IgnoreList {
  return asMap(parseJsonText(kind === "plugins" ? site.ignored_plugins : site.ignored_themes)) as IgnoreList;
}

/**
 * A site's pending updates with every ignore rule applied: the per-site "ignore core/plugins/themes"
 * flags, then the site's own and the global ignore lists. Translations are never ignored.
 *
 * @example
 * ```ts
 * pendingUpdates(site, sync, await getGlobalIgnoredLists(kv)).themes;
 * ```
 */
export function pendingUpdates(
  site: SiteRecord,
  sync: SiteSyncData | null,
  global: Record<IgnoreKind, IgnoreList>,
): PendingUpdates {
  const stored = storedUpdates(sync);
  const filter = (kind: IgnoreKind, ignoreAll: number) =>
    ignoreAll ? {} : withoutIgnored(stored[kind], [siteIgnoreList(site, kind), global[kind]]);
  return {
    wp: site.is_ignoreCoreUpdates ? null : stored.wp,
    plugins: filter("plugins", site.is_ignorePluginUpdates),
    themes: filter("themes", site.is_ignoreThemeUpdates),
    translations: stored.translations,
  };
}

/**
 * Whether anything is pending.
 *
 * @example
 * ```ts
 * hasPending({ wp: null, plugins: {}, themes: {}, translations: [] }); // false
 * ```
 */
export function hasPending(p: PendingUpdates): boolean {
  return p.wp !== null || Object.keys(p.plugins).length > 0 || Object.keys(p.themes).length > 0 ||
    p.translations.length > 0;
}

/**
 * The slugs of the pending items of one kind (translations: their `slug`, each once).
 *
 * @example
 * ```ts
 * pendingSlugs(pending, "plugins"); // ["akismet/akismet.php"]
 * ```
 */
export function pendingSlugs(p: PendingUpdates, kind: ItemKind): string[] {
  if (kind !== "translations") return Object.keys(p[kind]);
  return [...new Set(p.translations.map((t) => String(t.slug ?? "")).filter((s) => s !== ""))];
}

/**
 * The rollback entries of the pending updates: MainWP shows an update whose version failed before and was
 * rolled back (`rollback_plugins` / `rollback_themes`).
 *
 * @example
 * ```ts
 * rollbackItems(storedUpdates(sync), "plugins"); // { "a/a.php": { name, old_version, version, created } }
 * ```
 */
export function rollbackItems(stored: StoredUpdates, kind: IgnoreKind): Json {
  const saved = asMap(stored.rollback[kind === "plugins" ? "plugin" : "theme"]);
  const out: Json = {};
  for (const [slug, item] of Object.entries(stored[kind])) {
    const entry = asMap(saved[slug])[newVersionOf(item)];
    if (entry !== undefined) out[slug] = entry;
  }
  return out;
}

/**
 * Counts of a child's update reply: items it reports updated (`upgrades[slug]` truthy) and failed
 * (`upgrades_error`, or `upgrades[slug]` false), over the slugs that were asked for.
 *
 * @example
 * ```ts
 * updateCounts({ upgrades: { a: true, b: false } }, ["a", "b"]); // { updated: 1, errors: 1 }
 * ```
 */
export function updateCounts(reply: Json, requested: readonly string[]): { updated: number; errors: number } {
  const upgrades = asMap(reply.upgrades);
  const failed = asMap(reply.upgrades_error);
  let updated = 0;
  let errors = 0;
  for (const slug of requested) {
    if (upgrades[slug] && !(slug in failed)) updated++;
    else if (slug in failed || slug in upgrades) errors++;
  }
  // A child that answers without per-item results: count what `updated_data` says.
  if (updated + errors === 0) {
    for (const item of Object.values(asMap(asMap(reply.other_data).updated_data))) {
      if (asMap(item).success) updated++;
      else errors++;
    }
  }
  return { updated, errors };
}

/**
 * The rollback data after an update reply: an item the child rolled back (`rollback`) is remembered under
 * its key in `updated_data` (the plugin file / stylesheet, as the upgrade lists are keyed) and the failed
 * version; a successful update forgets that version. `null` when nothing changed.
 *
 * @example
 * ```ts
 * rollbackAfterUpdate({}, "plugin", { other_data: { updated_data: { a: { slug: "a", version: "2", old_version: "1", rollback: 1, name: "A" } } } }, 0);
 * // { plugin: { a: { "2": { name: "A", old_version: "1", version: "2", created: 0 } } } }
 * ```
 */
export function rollbackAfterUpdate(
  saved: Json,
  type: "plugin" | "theme",
  reply: Json,
  now: number,
): Json | null {
  const next: Json = structuredClone(saved);
  const byType = asMap(next[type]);
  let changed = false;
  for (const [key, raw] of Object.entries(asMap(asMap(reply.other_data).updated_data))) {
    const item = asMap(raw);
    // Keyed like the upgrade lists (plugin file / stylesheet); a list-shaped answer falls back to `slug`.
    const slug = /^\d+$/.test(key) ? String(item.slug ?? "") : key;
    const version = String(item.version ?? "");
    if (!slug || !version) continue;
    if (item.rollback) {
      const entry: Json = {
        name: item.name ?? "",
        old_version: item.old_version ?? "",
        version,
        created: now,
      };
      if (item.error) entry.error = item.error;
      byType[slug] = { ...asMap(byType[slug]), [version]: entry };
      changed = true;
    } else if (item.success && asMap(byType[slug])[version] !== undefined) {
      const { [version]: _gone, ...rest } = asMap(byType[slug]);
      byType[slug] = rest;
      changed = true;
    }
  }
  if (!changed) return null;
  next[type] = byType;
  return next;
}

/** The site option holding a site's ignored core versions (`{"ignored_versions":[…]}`, JSON). */
export const IGNORED_CORE_OPTION = "ignored_wp_upgrades";

/**
 * The core versions a site ignores through its `ignored_wp_upgrades` option (`all_versions` = every
 * version); `[]` when none.
 *
 * @example
 * ```ts
 * ignoredCoreVersions({ options: { ignored_wp_upgrades: '{"ignored_versions":["all_versions"]}' } }); // ["all_versions"]
 * ```
 */
export function ignoredCoreVersions(sync: SiteSyncData | null): string[] {
  const versions = asMap(parseJsonText(sync?.options?.[IGNORED_CORE_OPTION])).ignored_versions;
  return Array.isArray(versions) ? versions.map(String) : [];
}

/**
 * Whether the site's `ignored_wp_upgrades` option covers a core update to `newVersion`.
 *
 * @example
 * ```ts
 * isCoreVersionIgnored(sync, "6.7.1");
 * ```
 */
export function isCoreVersionIgnored(sync: SiteSyncData | null, newVersion: string): boolean {
  const versions = ignoredCoreVersions(sync);
  return versions.includes("all_versions") || (newVersion !== "" && versions.includes(newVersion));
}

/**
 * A scalar as text (`""` for anything else): versions and names in sync data arrive as strings or numbers.
 *
 * @example
 * ```ts
 * scalarText(6.5); // "6.5"
 * ```
 */
export const scalarText = (value: unknown): string =>
  typeof value === "string" || typeof value === "number" ? String(value) : "";

/**
 * The site's pending updates under the abilities' ignore rules: {@link pendingUpdates} plus the site's
 * `ignored_wp_upgrades` option for core.
 *
 * @example
 * ```ts
 * availableUpdates(site, sync, { plugins: {}, themes: {} }).plugins;
 * ```
 */
export function availableUpdates(
  site: SiteRecord,
  sync: SiteSyncData | null,
  global: Record<IgnoreKind, IgnoreList>,
): PendingUpdates {
  const pending = pendingUpdates(site, sync, global);
  if (pending.wp && isCoreVersionIgnored(sync, scalarText(pending.wp.new))) return { ...pending, wp: null };
  return pending;
}
