/**
 * @module
 * Monitor settings: the global defaults, each monitor's own values ("use global" = -1 / `useglobal`),
 * how the two resolve into what a check uses (MainWP's `get_apply_setting`), MainWP's interval and
 * timeout vocabularies (`5m`…`24h`, `30s`…`90min`, `No limit`), and the updates of both. An update
 * reschedules the monitors it concerns (see `schedule.ts`).
 *
 * @example
 * ```ts
 * const global = await updateGlobalMonitorSettings(ctx, { active: true, interval: 5 });
 * const effective = resolveSettings(global, await getMonitorOverrides(ctx.kv, 3));
 * ```
 */
import type { ChildDeps, HookDeps, StoreDeps } from "../deps.ts";
import {
  DEFAULT_GLOBAL_SETTINGS,
  getGlobalMonitorSettings,
  getMonitorOverrides,
  type GlobalMonitorSettings,
  type MonitorMethod,
  type MonitorOverrides,
  type MonitorType,
  putGlobalMonitorSettings,
  putMonitorOverrides,
} from "../../store/monitors.ts";
import { rescheduleMonitors } from "./schedule.ts";

/** Interval choices: minutes → MainWP's label (`get_interval_values`). */
export const INTERVAL_LABELS: ReadonlyMap<number, string> = new Map([
  [5, "5m"],
  [10, "10m"],
  [15, "15m"],
  [30, "30m"],
  [45, "45m"],
  ...Array.from({ length: 24 }, (_, i) => [(i + 1) * 60, `${i + 1}h`] as [number, string]),
]);

/** Timeout choices: seconds → MainWP's label (`get_timeout_values`); 0 = no limit. */
export const TIMEOUT_LABELS: ReadonlyMap<number, string> = new Map([
  [30, "30s"],
  [45, "45s"],
  [60, "60s"],
  [90, "90s"],
  ...Array.from({ length: 9 }, (_, i) => [(i + 2) * 60, `${i + 2}min`] as [number, string]),
  [15 * 60, "15min"],
  [30 * 60, "30min"],
  [45 * 60, "45min"],
  [60 * 60, "60min"],
  [90 * 60, "90min"],
  [0, "No limit"],
]);

/** What a check of one monitor uses. */
export interface EffectiveSettings {
  active: boolean;
  type: MonitorType;
  method: MonitorMethod;
  intervalMinutes: number;
  /** Seconds; 0 = no limit. */
  timeoutSeconds: number;
  maxretries: number;
  upCodes: number[];
  keyword: string;
}

/** Parses a comma list of HTTP codes (numbers only). */
export function parseCodes(list: string): number[] {
  return list.split(",").map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * A monitor's settings with "use global" resolved (MainWP's `get_apply_setting`: `useglobal` inside
 * the up-codes stands for the global list; the keyword is the global one when the type is).
 *
 * @example
 * ```ts
 * resolveSettings(DEFAULT_GLOBAL_SETTINGS, DEFAULT_OVERRIDES).intervalMinutes; // 60
 * ```
 */
export function resolveSettings(global: GlobalMonitorSettings, own: MonitorOverrides): EffectiveSettings {
  const codes = own.up_status_codes === "useglobal" || own.up_status_codes === ""
    ? global.up_status_codes
    : own.up_status_codes.replaceAll("useglobal", global.up_status_codes);
  const interval = own.interval === -1 ? global.interval : own.interval;
  return {
    active: (own.active === -1 ? global.active : own.active) === 1,
    type: own.type === "useglobal" ? global.type : own.type,
    method: own.method === "useglobal" ? global.method : own.method,
    intervalMinutes: interval > 0 ? interval : DEFAULT_GLOBAL_SETTINGS.interval,
    timeoutSeconds: own.timeout === -1 ? global.timeout : own.timeout,
    maxretries: Math.max(0, own.maxretries === -1 ? global.maxretries : own.maxretries),
    upCodes: parseCodes(codes),
    keyword: own.type === "useglobal" ? global.keyword : own.keyword,
  };
}

/**
 * A monitor's resolved settings, read from the store.
 *
 * @example
 * ```ts
 * (await effectiveSettings(ctx.kv, 3)).active; // false until monitoring is switched on
 * ```
 */
export async function effectiveSettings(kv: Deno.Kv, siteId: number): Promise<EffectiveSettings> {
  const [global, own] = await Promise.all([getGlobalMonitorSettings(kv), getMonitorOverrides(kv, siteId)]);
  return resolveSettings(global, own);
}

/**
 * Milliseconds between a monitor's checks: its interval, through `fleetpress_monitor_interval_seconds`.
 *
 * @example
 * ```ts
 * await intervalMs(ctx, { siteId: 3, url: "https://a.example/" }, 5); // 300000
 * ```
 */
export async function intervalMs(
  deps: HookDeps,
  monitor: { siteId: number; url: string },
  minutes: number,
): Promise<number> {
  const fallback = minutes * 60;
  const value = Number(
    await deps.hooks.applyFilters("fleetpress_monitor_interval_seconds", fallback, monitor),
  );
  return Math.round((Number.isFinite(value) && value > 0 ? value : fallback) * 1000);
}

/**
 * The global monitoring settings.
 *
 * @example
 * ```ts
 * (await globalMonitorSettings(ctx)).active; // 0 until switched on
 * ```
 */
export async function globalMonitorSettings({ kv }: StoreDeps): Promise<GlobalMonitorSettings> {
  return await getGlobalMonitorSettings(kv);
}

/** A change of the global settings (only the fields given change). */
export interface GlobalSettingsChange {
  active?: boolean;
  type?: MonitorType;
  method?: MonitorMethod;
  /** Minutes (one of {@link INTERVAL_LABELS}). */
  interval?: number;
  /** Seconds (one of {@link TIMEOUT_LABELS}). */
  timeout?: number;
  maxretries?: number;
  /** Comma list of HTTP codes. */
  up_status_codes?: string;
  keyword?: string;
  sites_health_disabled?: 0 | 1;
  sitehealth_threshold?: 80 | 100;
}

/**
 * Changes the global monitoring defaults and reschedules every monitor (one switched on is checked
 * at once; one switched off stops). Answers the stored settings.
 *
 * @example
 * ```ts
 * await updateGlobalMonitorSettings(ctx, { active: true, maxretries: 1 });
 * ```
 */
export async function updateGlobalMonitorSettings(
  deps: ChildDeps,
  change: GlobalSettingsChange,
): Promise<GlobalMonitorSettings> {
  const current = await getGlobalMonitorSettings(deps.kv);
  const { active, ...rest } = change;
  const next: GlobalMonitorSettings = {
    ...current,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    ...(active === undefined ? {} : { active: active ? 1 : 0 }),
  };
  // Nothing changes, nothing is written (a request that sets what is stored already).
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  await putGlobalMonitorSettings(deps.kv, next);
  await rescheduleMonitors(deps);
  return next;
}

/** A change of one monitor's own settings (-1 / `useglobal` = follow the global value). */
export type MonitorSettingsChange = Partial<MonitorOverrides>;

/**
 * Changes one monitor's own settings and reschedules it. Answers the stored settings.
 *
 * @example
 * ```ts
 * await updateMonitorSettings(ctx, 3, { interval: 5, active: 1 });
 * ```
 */
export async function updateMonitorSettings(
  deps: ChildDeps,
  siteId: number,
  change: MonitorSettingsChange,
): Promise<MonitorOverrides> {
  const current = await getMonitorOverrides(deps.kv, siteId);
  const next: MonitorOverrides = {
    ...current,
    ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
  };
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  await putMonitorOverrides(deps.kv, siteId, next);
  await rescheduleMonitors(deps, [siteId]);
  return next;
}
