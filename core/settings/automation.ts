/**
 * @module
 * The settings that drive what the dashboard does by itself: how often the fleet syncs and which kinds of
 * update it applies automatically (MainWP's General settings `frequency_daily_update`,
 * `plugin_automatic_daily_update`, `theme_automatic_daily_update`, `automatic_daily_update`,
 * `trans_automatic_daily_update`, `delay_autoupdate`), read from the stored General settings
 * (`general.ts`). The scheduler reads them here.
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv(":memory:");
 * const { syncsPerDay } = await getAutomationSettings({ kv });
 * ```
 */
import type { StoreDeps } from "../deps.ts";
import { getGeneralSettings } from "./general.ts";

/** What the scheduler needs from the General settings. */
export interface AutomationSettings {
  /** Automatic syncs per day (MainWP's `frequency_daily_update`, 1–12; 1 = daily). */
  syncsPerDay: number;
  /** Apply plugin updates automatically after a scheduled sync (`plugin_automatic_daily_update`). */
  autoUpdatePlugins: boolean;
  /** Apply theme updates automatically (`theme_automatic_daily_update`). */
  autoUpdateThemes: boolean;
  /** Apply WordPress core updates automatically (`automatic_daily_update`). */
  autoUpdateCore: boolean;
  /** Apply translation updates automatically. */
  autoUpdateTranslations: boolean;
  /** Days an update must be available before it is applied automatically (`delay_autoupdate`). */
  autoUpdateDelayDays: number;
}

/**
 * MainWP's defaults: two syncs a day (`mainwp_frequencyDailyUpdate` defaults to 2 in its cron), no
 * automatic updates, and updates applied once they have waited a day (`mainwp_delay_autoupdate`, 1).
 */
export const DEFAULT_AUTOMATION_SETTINGS: Readonly<AutomationSettings> = Object.freeze({
  syncsPerDay: 2,
  autoUpdatePlugins: false,
  autoUpdateThemes: false,
  autoUpdateCore: false,
  autoUpdateTranslations: false,
  autoUpdateDelayDays: 1,
});

/**
 * The automation settings as stored (MainWP's defaults for anything never set).
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv(":memory:");
 * (await getAutomationSettings({ kv })).autoUpdatePlugins; // false
 * ```
 */
export async function getAutomationSettings(deps: StoreDeps): Promise<AutomationSettings> {
  const general = await getGeneralSettings(deps);
  // As MainWP's crons read them: a frequency below 1 counts as 1, and an automatic update is on only
  // when its option is exactly 1.
  return {
    syncsPerDay: Math.min(12, Math.max(1, general.frequency_daily_update)),
    autoUpdatePlugins: general.plugin_automatic_daily_update === 1,
    autoUpdateThemes: general.theme_automatic_daily_update === 1,
    autoUpdateCore: general.automatic_daily_update === 1,
    autoUpdateTranslations: general.trans_automatic_daily_update === 1,
    autoUpdateDelayDays: Math.max(0, general.delay_autoupdate),
  };
}
