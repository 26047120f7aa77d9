/**
 * @module
 * Dashboard-wide settings on Deno KV: the settings sections (one record each, holding only what was
 * saved) and the global ignore lists of plugin and theme updates (MainWP keeps them in the user extension
 * row as `ignored_plugins` / `ignored_themes`). A list maps a plugin file or theme stylesheet to
 * `{Name, ignored_versions}`; a bare string value is MainWP's older form (the name) and means "every
 * version".
 *
 * @example
 * ```ts
 * await updateGlobalIgnored(kv, "plugins", (list) => ({ ...list, "akismet/akismet.php": { Name: "Akismet", ignored_versions: ["all_versions"] } }));
 * const { plugins } = await getGlobalIgnoredLists(kv);
 * ```
 */
import { keys } from "./keys.ts";
import { atomicRetry } from "./kv.ts";

/** One ignore-list entry: the item's name and the versions ignored (`all_versions` = every one). */
export interface IgnoreEntry {
  /** The plugin or theme name shown in lists. */
  Name: string;
  /** Versions whose update is ignored; `all_versions` = every one. */
  ignored_versions: string[];
}

/** An ignore list: slug (plugin file / theme stylesheet) → entry, or the name alone (older form). */
export type IgnoreList = Record<string, IgnoreEntry | string>;

/** The kinds that have ignore lists. */
export type IgnoreKind = "plugins" | "themes";

function asList(value: unknown): IgnoreList {
  return value && typeof value === "object" && !Array.isArray(value) ? value as IgnoreList : {};
}

/**
 * The global ignore list of one kind (`{}` when none was stored).
 *
 * @example
 * ```ts
 * await getGlobalIgnored(kv, "themes");
 * ```
 */
export async function getGlobalIgnored(kv: Deno.Kv, kind: IgnoreKind): Promise<IgnoreList> {
  return asList((await kv.get(keys.globalIgnored(kind))).value);
}

/**
 * Both global ignore lists in one read.
 *
 * @example
 * ```ts
 * const { plugins, themes } = await getGlobalIgnoredLists(kv);
 * ```
 */
export async function getGlobalIgnoredLists(kv: Deno.Kv): Promise<Record<IgnoreKind, IgnoreList>> {
  const [plugins, themes] = await kv.getMany([keys.globalIgnored("plugins"), keys.globalIgnored("themes")]);
  return { plugins: asList(plugins.value), themes: asList(themes.value) };
}

/**
 * Changes the global ignore list of one kind atomically; `change` returns the new list, or `null` to
 * leave it as it is. An empty list deletes the key. Returns the list as stored afterwards.
 *
 * @example
 * ```ts
 * await updateGlobalIgnored(kv, "plugins", (list) => {
 *   const { ["hello.php"]: _gone, ...rest } = list;
 *   return rest;
 * });
 * ```
 */
export async function updateGlobalIgnored(
  kv: Deno.Kv,
  kind: IgnoreKind,
  change: (list: IgnoreList) => IgnoreList | null,
): Promise<IgnoreList> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get(keys.globalIgnored(kind));
    const current = asList(entry.value);
    const next = change({ ...current });
    if (next === null) {
      op.check(entry);
      return current;
    }
    op.check(entry);
    if (Object.keys(next).length === 0) op.delete(keys.globalIgnored(kind));
    else op.set(keys.globalIgnored(kind), next);
    return next;
  });
}

/** The settings sections stored as one record each (MainWP keeps them as separate options). */
export const SETTINGS_SECTIONS = [
  "general",
  "advanced",
  "emails",
  "cost_tracker",
  "insights",
  "api_backups",
  "tools",
  "activation",
  "notices",
] as const;
/** One settings section. */
export type SettingsSection = typeof SETTINGS_SECTIONS[number];

/** A section's stored values: only what was ever set (defaults live with the section's schema). */
export type SectionValues = Record<string, unknown>;

function asValues(value: unknown): SectionValues {
  return value && typeof value === "object" && !Array.isArray(value) ? { ...value as SectionValues } : {};
}

/**
 * A section's stored values (`{}` when nothing was ever set).
 *
 * @example
 * ```ts
 * const stored = await getSettingsSection(kv, "advanced");
 * ```
 */
export async function getSettingsSection(kv: Deno.Kv, section: SettingsSection): Promise<SectionValues> {
  return asValues((await kv.get(keys.settingsSection(section))).value);
}

/**
 * Changes a section atomically: `change` gets the stored values and returns the new ones, or `null` to
 * leave them; nothing is written when they did not change. Returns the values as stored afterwards.
 *
 * @example
 * ```ts
 * await updateSettingsSection(kv, "advanced", (v) => ({ ...v, mainwp_maximumRequests: 2 }));
 * ```
 */
export async function updateSettingsSection(
  kv: Deno.Kv,
  section: SettingsSection,
  change: (values: SectionValues) => SectionValues | null,
): Promise<SectionValues> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get(keys.settingsSection(section));
    const current = asValues(entry.value);
    const next = change({ ...current });
    op.check(entry);
    // Nothing to change (a refused or empty edit) writes nothing.
    if (next === null || JSON.stringify(next) === JSON.stringify(current)) return current;
    op.set(keys.settingsSection(section), next);
    return next;
  });
}
