/**
 * @module
 * The settings that drive what the dashboard does by itself: how often the fleet syncs and which kinds of
 * update it applies automatically (MainWP's General settings `frequency_daily_update`,
 * `plugin_automatic_daily_update`, `theme_automatic_daily_update`, `automatic_daily_update`,
 * `delay_autoupdate`). The scheduler reads them here; the settings controller stores them.
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv(":memory:");
 * const { syncsPerDay } = await getAutomationSettings({ kv });
 * ```
 */
import type { StoreDeps } from "../deps.ts";

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

/** MainWP's defaults: a daily sync, no automatic updates. */
export const DEFAULT_AUTOMATION_SETTINGS: Readonly<AutomationSettings> = Object.freeze({
  syncsPerDay: 1,
  autoUpdatePlugins: false,
  autoUpdateThemes: false,
  autoUpdateCore: false,
  autoUpdateTranslations: false,
  autoUpdateDelayDays: 0,
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
export function getAutomationSettings(_deps: StoreDeps): Promise<AutomationSettings> {
  // The settings controller replaces this with a read of the stored General settings.
  return Promise.resolve({ ...DEFAULT_AUTOMATION_SETTINGS });
}
