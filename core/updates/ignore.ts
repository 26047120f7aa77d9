/**
 * @module
 * Ignoring updates: a site's "ignore all core / plugin / theme updates" flags, its per-site ignore lists
 * (`ignored_plugins` / `ignored_themes` on the site record, JSON strings keyed by the real slug, as
 * MainWP stores them), its ignored core versions (the `ignored_wp_upgrades` option), and the global
 * ignore lists (`store/settings.ts`). Ignored updates drop out of the lists and of update runs.
 *
 * @example
 * ```ts
 * const { added } = await ignoreSiteItems(ctx, site, "plugins", ["akismet/akismet.php"]);
 * ```
 */
import type { HookDeps, StoreDeps } from "../deps.ts";
import { encodeWpJson } from "../../wp/json.ts";
import { type IgnoreKind, updateGlobalIgnored } from "../../store/settings.ts";
import {
  getSiteSync,
  type SiteRecord,
  type SiteSyncData,
  updateSite,
  writeSiteSync,
} from "../../store/sites.ts";
import { asMap, IGNORED_CORE_OPTION, parseJsonText, siteIgnoreList, storedUpdates } from "./pending.ts";

const IGNORE_COLUMN = { plugins: "ignored_plugins", themes: "ignored_themes" } as const;
const NOUN = { plugins: "plugin", themes: "theme" } as const;
const FLAG = {
  core: "is_ignoreCoreUpdates",
  plugins: "is_ignorePluginUpdates",
  themes: "is_ignoreThemeUpdates",
} as const;

/**
 * Sets the site's "ignore every update of this kind" flag; `true` when the site has it afterwards
 * (`false`: the write did not take, e.g. the site is gone).
 *
 * @example
 * ```ts
 * await ignoreAllUpdates(ctx, site, "core");
 * ```
 */
export async function ignoreAllUpdates(
  { kv }: StoreDeps,
  site: SiteRecord,
  kind: "core" | IgnoreKind,
): Promise<boolean> {
  const flag = FLAG[kind];
  const updated = await updateSite(kv, site.id, (s) => s[flag] ? null : { ...s, [flag]: 1 });
  return !!updated && "id" in updated && updated[flag] === 1;
}

/** Display names of a site's plugins/themes by slug: update entries first, then the installed list. */
function knownNames(sync: SiteSyncData | null, kind: IgnoreKind): Map<string, string> {
  const names = new Map<string, string>();
  const installed = parseJsonText(kind === "plugins" ? sync?.plugins : sync?.themes);
  for (const item of Array.isArray(installed) ? installed : []) {
    const map = asMap(item);
    if (typeof map.slug === "string" && typeof map.name === "string") names.set(map.slug, map.name);
  }
  for (const [slug, item] of Object.entries(storedUpdates(sync)[kind])) {
    const name = asMap(item).Name;
    if (typeof name === "string" && name !== "") names.set(slug, name);
  }
  return names;
}

/**
 * Adds slugs to the site's ignore list (`{slug: {Name, ignored_versions:["all_versions"]}}`), between
 * `mainwp_before_{plugin|theme}_ignore` and `mainwp_after_…_ignore` (site, slugs). Returns the slugs
 * newly added and the site as it is afterwards.
 *
 * @example
 * ```ts
 * (await ignoreSiteItems(ctx, site, "themes", ["astra"])).added; // ["astra"]
 * ```
 */
export async function ignoreSiteItems(
  { kv, hooks }: HookDeps,
  site: SiteRecord,
  kind: IgnoreKind,
  slugs: readonly string[],
): Promise<{ added: string[]; site: SiteRecord }> {
  const names = knownNames(await getSiteSync(kv, site.id), kind);
  await hooks.doAction(`mainwp_before_${NOUN[kind]}_ignore`, site, [...slugs]);
  let added: string[] = [];
  const updated = await updateSite(kv, site.id, (s) => {
    const list = { ...siteIgnoreList(s, kind) };
    added = slugs.filter((slug) => !Object.hasOwn(list, slug));
    if (added.length === 0) return null;
    for (const slug of added) {
      list[slug] = { Name: names.get(slug) ?? slug, ignored_versions: ["all_versions"] };
    }
    return { ...s, [IGNORE_COLUMN[kind]]: encodeWpJson(list) };
  });
  const after = updated && "id" in updated ? updated : site;
  await hooks.doAction(`mainwp_after_${NOUN[kind]}_ignore`, after, [...slugs]);
  return { added, site: after };
}

/**
 * Removes slugs from the site's ignore list, between `mainwp_before/after_{plugin|theme}_unignore`;
 * returns the slugs removed.
 *
 * @example
 * ```ts
 * await unignoreSiteItems(ctx, site, "themes", ["astra"]); // ["astra"]
 * ```
 */
export async function unignoreSiteItems(
  { kv, hooks }: HookDeps,
  site: SiteRecord,
  kind: IgnoreKind,
  slugs: readonly string[],
): Promise<string[]> {
  await hooks.doAction(`mainwp_before_${NOUN[kind]}_unignore`, site, [...slugs]);
  let removed: string[] = [];
  await updateSite(kv, site.id, (s) => {
    const list = { ...siteIgnoreList(s, kind) };
    removed = slugs.filter((slug) => Object.hasOwn(list, slug));
    if (removed.length === 0) return null;
    for (const slug of removed) delete list[slug];
    return { ...s, [IGNORE_COLUMN[kind]]: Object.keys(list).length > 0 ? encodeWpJson(list) : "" };
  });
  await hooks.doAction(`mainwp_after_${NOUN[kind]}_unignore`, site, [...slugs]);
  return removed;
}

/**
 * Ignores every core version on the site (its `ignored_wp_upgrades` option).
 *
 * @example
 * ```ts
 * await ignoreCoreVersions(ctx, site.id);
 * ```
 */
export async function ignoreCoreVersions({ kv }: StoreDeps, siteId: number): Promise<void> {
  await writeSiteSync(kv, siteId, (previous) => ({
    ...previous,
    options: {
      ...previous?.options,
      [IGNORED_CORE_OPTION]: encodeWpJson({ ignored_versions: ["all_versions"] }),
    },
  }));
}

/**
 * Clears the site's ignored core versions, between `mainwp_before/after_core_unignore`.
 *
 * @example
 * ```ts
 * await unignoreCore(ctx, site);
 * ```
 */
export async function unignoreCore({ kv, hooks }: HookDeps, site: SiteRecord): Promise<void> {
  await hooks.doAction("mainwp_before_core_unignore", [], site);
  await writeSiteSync(kv, site.id, (previous) => {
    const options = { ...previous?.options };
    delete options[IGNORED_CORE_OPTION];
    return { ...previous, options };
  });
  await hooks.doAction("mainwp_after_core_unignore", [], site);
}

/**
 * Adds slugs to (`ignore`) or removes them from (`unignore`) the global ignore list of one kind; returns
 * the slugs that changed. Added entries ignore all versions and carry `names[slug]` (default: the slug).
 *
 * @example
 * ```ts
 * await setGlobalIgnored(ctx, "plugins", "ignore", ["hello.php"], { "hello.php": "Hello Dolly" });
 * ```
 */
export async function setGlobalIgnored(
  { kv }: StoreDeps,
  kind: IgnoreKind,
  action: "ignore" | "unignore",
  slugs: readonly string[],
  names: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  let changed: string[] = [];
  await updateGlobalIgnored(kv, kind, (list) => {
    changed = slugs.filter((slug) => Object.hasOwn(list, slug) === (action === "unignore"));
    if (changed.length === 0) return null;
    for (const slug of changed) {
      if (action === "unignore") delete list[slug];
      else list[slug] = { Name: names[slug] ?? slug, ignored_versions: ["all_versions"] };
    }
    return list;
  });
  return changed;
}
