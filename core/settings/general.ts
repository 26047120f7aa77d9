/**
 * @module
 * MainWP's General settings (updates, automatic updates, date/time, dashboard widgets, backups): the edit
 * body's zod schema (MainWP's validators and messages), MainWP's defaults for anything never set, and
 * the read and edit operations. The scheduler reads them through `automation.ts`.
 *
 * @example
 * ```ts
 * await editGeneralSettings({ kv }, generalEditSchema.parse({ frequency_daily_update: 4 }));
 * (await getGeneralSettings({ kv })).frequency_daily_update; // 4
 * ```
 */
import { z } from "zod";
import type { StoreDeps } from "../deps.ts";
import { getSettingsSection, updateSettingsSection } from "../../store/settings.ts";
import { sanitizeTextField } from "../../wp/format.ts";
import { absInt, fail, flag, intEnum, range, strEnum, toggles } from "./fields.ts";
import { InvalidInput } from "../errors.ts";

/** MainWP's dashboard widgets (the keys `mainwp_widgets` may name), all shown by default. */
export const DASHBOARD_WIDGETS = [
  "overview",
  "recent_posts",
  "recent_pages",
  "plugins",
  "themes",
  "connection_status",
  "security_issues",
  "notes",
  "clients",
  "child_site_info",
  "client_info",
  "non_mainwp_changes",
  "get-started",
  "uptime_monitoring_status",
  "uptime_monitoring_response_time",
] as const;

const TIME_RE = /^(?:[01]?\d|2[0-3]):[0-5]\d$/;
const TIME_MESSAGE = "Invalid time. Use whole hours in 24h format like 0:00, 9:00, 23:00, etc...";
const TZ_UTC_RE = /^UTC(?:([+-])(0?\d|1[0-4])(?::(00|30))?)?$/i;
const TZ_MESSAGE =
  'Invalid timezone. Use a valid format like UTC+0 or its equivalent name, e.g. "Europe/London".';

/** `HH:MM` (24 h), or "" to clear. */
const timeOfDay = z.unknown().transform((value, ctx): string => {
  const s = typeof value === "string"
    ? sanitizeTextField(value.trim())
    : typeof value === "number"
    ? ""
    : null;
  if (s === null) return fail(ctx, "invalid_time_update", TIME_MESSAGE);
  return s === "" || TIME_RE.test(s) ? s : fail(ctx, "invalid_time_update", TIME_MESSAGE);
}).meta({ type: "string", description: "HH:MM, 24 h" });

function formatField(kind: "date" | "time") {
  const allowed = kind === "date"
    ? /^[dDjlNSwzWFmMntLoYyaABgGhHisueIOPTZcrU\-.,:/\s\\]+$/
    : /^[gGhHisAa\-.,:/\s\\]+$/;
  const example = kind === "date" ? "F j, Y" : "g:i a";
  return z.unknown().transform((value, ctx): string => {
    const s = typeof value === "string" ? sanitizeTextField(value) : null;
    if (s === null || s.length > 64) return fail(ctx, `invalid_${kind}_format`, `Invalid ${kind} format.`);
    if (s === "") return s;
    if (/\d/.test(s)) {
      return fail(
        ctx,
        `invalid_${kind}_format_numeric`,
        `Invalid ${kind} format: should not contain digits. Use format characters like ${example}.`,
      );
    }
    if (!allowed.test(s)) {
      const what = kind === "date" ? "F j, Y" : "g:i a or H:i";
      return fail(
        ctx,
        `invalid_${kind}_format`,
        `Invalid ${kind} format. Use valid PHP ${kind} format characters like ${what}.`,
      );
    }
    return s;
  }).meta({ type: "string", maxLength: 64 });
}

/** The UTC offset in hours a timezone names right now, or `null` when it names none. */
export function timezoneOffset(name: string, now = new Date()): number | null {
  const m = TZ_UTC_RE.exec(name);
  if (m) {
    const sign = m[1] === "-" ? -1 : 1;
    return Math.round(sign * (Number(m[2] ?? 0) + Number(m[3] ?? 0) / 60) * 100) / 100;
  }
  // Region/City names (PHP's identifier list), as the time zone database knows them (aliases included).
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){1,2}$/.test(name)) return null;
  let part: string;
  try {
    part = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" })
      .formatToParts(now).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  } catch {
    return null;
  }
  const o = /GMT([+-])(\d{2}):(\d{2})/.exec(part);
  if (!o) return 0;
  return Math.round((o[1] === "-" ? -1 : 1) * (Number(o[2]) + Number(o[3]) / 60) * 100) / 100;
}

const timezone = z.unknown().transform((value, ctx): number | null => {
  if (value === null || value === "") return null;
  const s = typeof value === "string" ? sanitizeTextField(value) : "";
  const offset = s.length <= 64 ? timezoneOffset(s) : null;
  return offset === null ? fail(ctx, "invalid_timezone_string", TZ_MESSAGE) : offset;
}).meta({ type: "string", description: "UTC±H[:MM] or a Region/City time zone" });

/** `PUT|PATCH /settings/general/edit`: every field optional; unknown fields are ignored as in MainWP. */
export const generalEditSchema = z.object({
  time_daily_update: timeOfDay.optional(),
  frequency_daily_update: intEnum("frequency_daily_update", range(1, 12)).optional(),
  date_format: formatField("date").optional(),
  time_format: formatField("time").optional(),
  timezone_string: timezone.optional(),
  sidebar_position: flag("sidebar_position").optional(),
  hide_update_everything: flag("hide_update_everything").optional(),
  mainwp_widgets: toggles(DASHBOARD_WIDGETS, {
    type: "invalid_mainwp_widgets_type",
    keys: "invalid_mainwp_widgets_keys",
    value: "invalid_mainwp_widgets_value",
    valueType: "invalid_mainwp_widgets_value_type",
  }, { object: "mainwp_widgets", keys: "widget" }).optional(),
  plugin_automatic_daily_update: flag("plugin_automatic_daily_update").optional(),
  theme_automatic_daily_update: flag("theme_automatic_daily_update").optional(),
  trans_automatic_daily_update: flag("trans_automatic_daily_update").optional(),
  automatic_daily_update: flag("automatic_daily_update").optional(),
  frequency_auto_update: strEnum("frequency_auto_update", ["daily", "weekly", "monthly"]).optional(),
  time_auto_update: timeOfDay.optional(),
  show_language_updates: flag("show_language_updates").optional(),
  disable_update_confirmations: intEnum("disable_update_confirmations", [0, 1, 2]).optional(),
  check_http_response: flag("check_http_response").optional(),
  check_http_response_method: strEnum("check_http_response_method", ["head", "get"]).optional(),
  backup_before_upgrade: flag("backup_before_upgrade").optional(),
  backup_before_upgrade_days: absInt("backup_before_upgrade_days").optional(),
  numberdays_outdate_plugin_theme: absInt("numberdays_outdate_plugin_theme").optional(),
  dayinweek_auto_update: intEnum("dayinweek_auto_update", range(0, 6)).optional(),
  dayinmonth_auto_update: intEnum("dayinmonth_auto_update", range(0, 31)).optional(),
  delay_autoupdate: intEnum("delay_autoupdate", [0, 1, 2, 3, 4, 5, 6, 7, 14, 30]).optional(),
  mainwp_primary_backup: strEnum("mainwp_primary_backup", ["", "module-api-backups"]).optional(),
  mainwp_enable_legacy_backup_feature: flag("mainwp_enable_legacy_backup_feature").optional(),
  mainwp_backups_on_server: absInt("mainwp_backups_on_server", 1_000).optional(),
  mainwp_backup_on_external_sources: absInt("mainwp_backup_on_external_sources", 1_000).optional(),
  mainwp_archive_format: strEnum("mainwp_archive_format", ["zip", "tar.gz", "tar.bz2", "tar"]).optional(),
  mainwp_notification_on_backup_fail: flag("mainwp_notification_on_backup_fail").optional(),
  mainwp_notification_on_backup_start: flag("mainwp_notification_on_backup_start").optional(),
  mainwp_chunked_backup_tasks: flag("mainwp_chunked_backup_tasks").optional(),
});

/** A General settings edit (only the fields given change). */
export type GeneralEdit = z.output<typeof generalEditSchema>;

/** The General settings with MainWP's defaults filled in (`timezone_string` as a UTC offset in hours). */
export interface GeneralSettings {
  time_daily_update: string;
  frequency_daily_update: number;
  date_format: string;
  time_format: string;
  /** UTC offset in hours (MainWP's `gmt_offset`). */
  timezone_string: number;
  sidebar_position: number;
  hide_update_everything: number;
  mainwp_widgets: Record<string, 0 | 1>;
  plugin_automatic_daily_update: number;
  theme_automatic_daily_update: number;
  trans_automatic_daily_update: number;
  automatic_daily_update: number;
  frequency_auto_update: string;
  time_auto_update: string;
  show_language_updates: number;
  disable_update_confirmations: number;
  check_http_response: number;
  check_http_response_method: string;
  backup_before_upgrade: number;
  backup_before_upgrade_days: number;
  numberdays_outdate_plugin_theme: number;
  dayinweek_auto_update: number;
  dayinmonth_auto_update: number;
  delay_autoupdate: number;
  mainwp_primary_backup: string;
  mainwp_enable_legacy_backup_feature: number;
  mainwp_backups_on_server: number;
  mainwp_backup_on_external_sources: number;
  mainwp_archive_format: string;
  mainwp_notification_on_backup_fail: number;
  mainwp_notification_on_backup_start: number;
  mainwp_chunked_backup_tasks: number;
}

/** MainWP's defaults (`MainWP_Settings_Indicator::get_defaults_value` and the options' own defaults). */
export const GENERAL_DEFAULTS: Readonly<GeneralSettings> = Object.freeze({
  time_daily_update: "",
  frequency_daily_update: 2,
  date_format: "F j, Y",
  time_format: "g:i a",
  timezone_string: 0,
  sidebar_position: 1,
  hide_update_everything: 0,
  mainwp_widgets: Object.fromEntries(DASHBOARD_WIDGETS.map((w) => [w, 1])) as Record<string, 0 | 1>,
  plugin_automatic_daily_update: 0,
  theme_automatic_daily_update: 0,
  trans_automatic_daily_update: 0,
  automatic_daily_update: 0,
  frequency_auto_update: "daily",
  time_auto_update: "00:00",
  show_language_updates: 1,
  disable_update_confirmations: 0,
  check_http_response: 0,
  check_http_response_method: "head",
  backup_before_upgrade: 0,
  backup_before_upgrade_days: 7,
  numberdays_outdate_plugin_theme: 365,
  dayinweek_auto_update: 0,
  dayinmonth_auto_update: 1,
  delay_autoupdate: 1,
  mainwp_primary_backup: "",
  mainwp_enable_legacy_backup_feature: 0,
  mainwp_backups_on_server: 1,
  mainwp_backup_on_external_sources: 1,
  mainwp_archive_format: "tar.gz",
  mainwp_notification_on_backup_fail: 1,
  mainwp_notification_on_backup_start: 1,
  mainwp_chunked_backup_tasks: 1,
});

/** The stored values over the defaults, each kept only when it has the default's type. */
function withDefaults<T extends object>(defaults: Readonly<T>, stored: Record<string, unknown>): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(defaults)) {
    if (!Object.hasOwn(stored, k)) continue;
    const value = stored[k];
    if (typeof value === typeof v && (typeof v !== "object" || (value && !Array.isArray(value)))) {
      out[k] = typeof v === "object" ? { ...v, ...(value as object) } : value;
    }
  }
  return out as T;
}

/**
 * The General settings (MainWP's defaults for anything never set).
 *
 * @example
 * ```ts
 * (await getGeneralSettings({ kv })).delay_autoupdate; // 1
 * ```
 */
export async function getGeneralSettings({ kv }: StoreDeps): Promise<GeneralSettings> {
  return withDefaults(GENERAL_DEFAULTS, await getSettingsSection(kv, "general"));
}

/** The legacy backup feature must be off with API backups as the primary method, and on otherwise. */
const BACKUP_RULES = {
  apiNeedsLegacyOff: 'When mainwp_primary_backup is "module-api-backups", ' +
    "mainwp_enable_legacy_backup_feature must be disabled (0).",
  nativeNeedsLegacyOn: 'When mainwp_primary_backup is not "module-api-backups", ' +
    "mainwp_enable_legacy_backup_feature must be enabled (1).",
};

/**
 * Changes the given General settings in one commit and returns them all. Checks MainWP's rule tying the
 * primary backup method to the legacy backup feature ({@link InvalidInput} on `mainwp_primary_backup`,
 * nothing written).
 *
 * @example
 * ```ts
 * await editGeneralSettings({ kv }, { plugin_automatic_daily_update: 1 });
 * ```
 */
export async function editGeneralSettings({ kv }: StoreDeps, edit: GeneralEdit): Promise<GeneralSettings> {
  const given = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined && v !== null));
  const stored = await updateSettingsSection(kv, "general", (values) => {
    const current = withDefaults(GENERAL_DEFAULTS, values);
    if (edit.mainwp_primary_backup !== undefined || edit.mainwp_enable_legacy_backup_feature !== undefined) {
      const primary = edit.mainwp_primary_backup ?? current.mainwp_primary_backup;
      const legacy = edit.mainwp_enable_legacy_backup_feature ?? current.mainwp_enable_legacy_backup_feature;
      if (primary === "module-api-backups" && legacy !== 0) {
        throw new InvalidInput("mainwp_primary_backup", BACKUP_RULES.apiNeedsLegacyOff, "settings");
      }
      if (primary === "" && legacy !== 1) {
        throw new InvalidInput("mainwp_primary_backup", BACKUP_RULES.nativeNeedsLegacyOn, "settings");
      }
    }
    const next = { ...values, ...given };
    if (edit.mainwp_widgets) next.mainwp_widgets = { ...current.mainwp_widgets, ...edit.mainwp_widgets };
    return next;
  });
  return withDefaults(GENERAL_DEFAULTS, stored);
}
