/**
 * @module
 * What the automatic updates after a scheduled sync apply: per the automation settings (which kinds),
 * each site's and the global ignore rules (never an ignored item, nor an ignored core version, nor
 * anything of a site that ignores that kind), and the delay — an item is applied only once it has been
 * pending for `autoUpdateDelayDays` (counted from when a sync first saw it, `seen.ts`).
 *
 * @example
 * ```ts
 * const plan = autoUpdatePlan(site, sync, global, seen, ["plugins"], 0, Date.now());
 * plan.items.plugins; // ["akismet/akismet.php"]
 * ```
 */
import type { AutomationSettings } from "../settings/automation.ts";
import type { SiteRecord, SiteSyncData } from "../../store/sites.ts";
import type { IgnoreKind, IgnoreList } from "../../store/settings.ts";
import { getGlobalIgnoredLists } from "../../store/settings.ts";
import { getSiteSync, listSites } from "../../store/sites.ts";
import type { StoreDeps } from "../deps.ts";
import { availableUpdates, type ItemKind } from "../updates/pending.ts";
import type { UpdateType } from "../updates/items.ts";
import { seenKey, type SeenUpdates, seenUpdates, updateList } from "./seen.ts";

const DAY_MS = 86_400_000;

/** What to update automatically on one site. */
export interface AutoUpdatePlan {
  core: boolean;
  items: Record<ItemKind, string[]>;
}

/**
 * The kinds the settings update automatically, in MainWP's order.
 *
 * @example
 * ```ts
 * autoUpdateKinds({ ...DEFAULT_AUTOMATION_SETTINGS, autoUpdatePlugins: true }); // ["plugins"]
 * ```
 */
export function autoUpdateKinds(settings: AutomationSettings): UpdateType[] {
  const kinds: UpdateType[] = [];
  if (settings.autoUpdateCore) kinds.push("core");
  if (settings.autoUpdatePlugins) kinds.push("plugins");
  if (settings.autoUpdateThemes) kinds.push("themes");
  if (settings.autoUpdateTranslations) kinds.push("translations");
  return kinds;
}

/**
 * The automatic updates of one site: its available, non-ignored updates of the enabled kinds that were
 * first seen at least `delayDays` before `now` (an update never seen counts as seen now).
 *
 * @example
 * ```ts
 * autoUpdatePlan(site, sync, { plugins: {}, themes: {} }, {}, ["core"], 0, Date.now()).core;
 * ```
 */
export function autoUpdatePlan(
  site: SiteRecord,
  sync: SiteSyncData | null,
  global: Record<IgnoreKind, IgnoreList>,
  seen: SeenUpdates,
  kinds: readonly string[],
  delayDays: number,
  now: number,
): AutoUpdatePlan {
  const plan: AutoUpdatePlan = { core: false, items: { plugins: [], themes: [], translations: [] } };
  if (site.suspended || site.is_staging) return plan; // as "update everything": never staging sites
  const oldest = now - Math.max(0, delayDays) * DAY_MS;
  for (const update of updateList(availableUpdates(site, sync, global))) {
    if (!kinds.includes(update.kind)) continue;
    const key = seenKey(update.kind, update.slug, update.version);
    const firstSeen = Object.hasOwn(seen, key) && typeof seen[key] === "number" ? seen[key] : now;
    if (delayDays > 0 && firstSeen > oldest) continue;
    if (update.kind === "core") plan.core = true;
    else if (!plan.items[update.kind].includes(update.slug)) plan.items[update.kind].push(update.slug);
  }
  return plan;
}

/** Whether a plan updates anything. */
export function planIsEmpty(plan: AutoUpdatePlan): boolean {
  return !plan.core && Object.values(plan.items).every((slugs) => slugs.length === 0);
}

/**
 * The site's automatic updates as stored now (its sync data, the ignore lists and first-seen times).
 *
 * @example
 * ```ts
 * await siteAutoUpdatePlan(ctx, site, ["plugins"], 0);
 * ```
 */
export async function siteAutoUpdatePlan(
  { kv }: StoreDeps,
  site: SiteRecord,
  kinds: readonly string[],
  delayDays: number,
): Promise<AutoUpdatePlan> {
  const [sync, global, seen] = await Promise.all([
    getSiteSync(kv, site.id),
    getGlobalIgnoredLists(kv),
    seenUpdates({ kv }, site.id),
  ]);
  return autoUpdatePlan(site, sync, global, seen, kinds, delayDays, Date.now());
}

/**
 * The sites that have something to update automatically (non-suspended, by {@link autoUpdatePlan}).
 *
 * @example
 * ```ts
 * await sitesForAutoUpdate(ctx, ["plugins", "themes"], 0); // [1, 3]
 * ```
 */
export async function sitesForAutoUpdate(
  { kv }: StoreDeps,
  kinds: readonly string[],
  delayDays: number,
): Promise<number[]> {
  if (kinds.length === 0) return [];
  const [sites, global] = await Promise.all([listSites(kv), getGlobalIgnoredLists(kv)]);
  const now = Date.now();
  const ids: number[] = [];
  for (const site of sites) {
    if (site.suspended || site.is_staging) continue;
    const [sync, seen] = await Promise.all([getSiteSync(kv, site.id), seenUpdates({ kv }, site.id)]);
    if (!planIsEmpty(autoUpdatePlan(site, sync, global, seen, kinds, delayDays, now))) ids.push(site.id);
  }
  return ids;
}
