/**
 * @module
 * The monitors controller's inputs, read as MainWP's validate callbacks read them: list filters
 * (`status`, `include`, `exclude`, `search`, paging), heartbeat windows (`period`, `since`), and the
 * settings bodies of `PUT /monitors/settings`, `PUT /monitors/{id}/settings` and
 * `PUT /settings/monitoring/edit`. Every value is checked before anything is stored; a refusal is
 * WordPress's `400 rest_invalid_param` carrying MainWP's own code and message per parameter.
 *
 * @example
 * ```ts
 * const change = globalChangeOf({ interval: "5m", active: true }); // { interval: 5, active: true }
 * ```
 */
import { parseIdList } from "../rest/args.ts";
import { RestError, restError } from "../rest/errors.ts";
import type { GlobalSettingsChange, MonitorSettingsChange } from "../core/monitors/settings.ts";
import {
  MONITOR_METHODS,
  MONITOR_TYPES,
  type MonitorMethod,
  type MonitorType,
} from "../core/monitors/types.ts";
import { HTTP_CODES, intervalOf, STATUS_MAP, timeoutOf } from "./present/monitors.ts";

/** MainWP's `keyword` column holds 255 characters. */
const KEYWORD_MAX = 255;

/** WordPress's answer for one invalid parameter, with MainWP's code for it. */
export function paramError(param: string, code: string, message: string): RestError {
  return restError("rest_invalid_param", `Invalid parameter(s): ${param}`, 400, {
    params: { [param]: message },
    details: { [param]: { code, message, data: null } },
  });
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === "" || v === 0 || v === "0" || v === false;
const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

/** `status`: a name of MainWP's `STATUS_MAP` or one of its numbers; `undefined` when absent. */
export function statusOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && Object.hasOwn(STATUS_MAP, value)) return STATUS_MAP[value];
  const n = typeof value === "number" ? value : /^-?\d+$/.test(text(value)) ? Number(text(value)) : NaN;
  if (Object.values(STATUS_MAP).includes(n)) return n;
  throw paramError("status", "invalid_status", "Invalid status value.");
}

/** The list filters of `GET /monitors`, `/basic` and `/count`. */
export function listFilterOf(
  args: { status?: unknown; include?: unknown; exclude?: unknown; search?: unknown },
) {
  return {
    status: statusOf(args.status),
    include: parseIdList(args.include),
    exclude: parseIdList(args.exclude),
    search: text(args.search),
  };
}

/** An ISO 8601 date-time (or date) as unix ms; `null` when it is none. Times without a zone are UTC. */
export function isoTime(value: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
    value,
  );
  if (!m) return null;
  const zone = m[3]
    ? (m[3].toUpperCase() === "Z" ? "Z" : m[3].replace(/^([+-]\d{2})(\d{2})$/, "$1:$2"))
    : "Z";
  const ms = Date.parse(m[2] ? `${m[1]}T${m[2]}${zone}` : `${m[1]}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
}

const DAY_MS = 86_400_000;

/** `period` (`24h`, `7d`, `30d` or `start/end`) and `since` → a time window ending now (or at `end`). */
export function windowOf(periodArg: unknown, sinceArg: unknown, now: number): { from: number; to: number } {
  const period = text(periodArg) || "30d";
  const sinceText = text(sinceArg);
  let since: number | null = null;
  if (sinceText) {
    since = isoTime(sinceText);
    if (since === null) {
      throw paramError(
        "since",
        "invalid_datetime",
        "Invalid datetime format. Use ISO8601 format (e.g., 2024-01-01T00:00:00Z)",
      );
    }
  }
  const days = { "24h": 1, "7d": 7, "30d": 30 }[period];
  if (days !== undefined) return { from: since ?? now - days * DAY_MS, to: now };
  if (!period.includes("/")) {
    throw paramError(
      "period",
      "invalid_period",
      "Invalid period format. Allowed values: 24h, 7d, 30d or ISO8601 range (start/end)",
    );
  }
  const parts = period.split("/");
  if (parts.length !== 2) {
    throw paramError(
      "period",
      "invalid_period_format",
      "ISO8601 range must be in format: start/end (e.g., 2024-01-01T00:00:00Z/2024-01-02T00:00:00Z)",
    );
  }
  const start = isoTime(parts[0]);
  const end = isoTime(parts[1]);
  if (start === null) {
    throw paramError(
      "period",
      "invalid_start_datetime",
      "Invalid start datetime format. Use ISO8601 format (e.g., 2024-01-01T00:00:00Z)",
    );
  }
  if (end === null) {
    throw paramError(
      "period",
      "invalid_end_datetime",
      "Invalid end datetime format. Use ISO8601 format (e.g., 2024-01-01T00:00:00Z)",
    );
  }
  if (start >= end) {
    throw paramError("period", "invalid_date_range", "Start datetime must be earlier than end datetime.");
  }
  return { from: since ?? start, to: end };
}

/** Up-codes: a comma list (or array) of MainWP's known HTTP codes → `"200,301"`. */
function codesOf(value: unknown, param: string): string {
  const items = Array.isArray(value) ? value : text(value).split(",");
  const codes: number[] = [];
  for (const item of items) {
    const s = text(item);
    const code = /^\d+$/.test(s) ? Number(s) : 0;
    if (!HTTP_CODES.includes(code)) {
      throw paramError(param, "invalid_status_code", `Invalid HTTP status code: ${code}`);
    }
    if (!codes.includes(code)) codes.push(code);
  }
  return codes.join(",");
}

function keywordOf(value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number") {
    throw paramError("keyword", "rest_invalid_type", "keyword is not of type string.");
  }
  const keyword = text(value);
  if (keyword.length > KEYWORD_MAX) {
    throw paramError(
      "keyword",
      "rest_invalid_param",
      `keyword must be at most ${KEYWORD_MAX} characters long.`,
    );
  }
  return keyword;
}

function choiceOf<T extends string>(value: unknown, choices: readonly T[], param: string, what: string): T {
  const s = text(value);
  const found = choices.find((c) => c === s);
  if (found === undefined) throw paramError(param, `invalid_${param}`, `Invalid ${what} value.`);
  return found;
}

function maxretriesOf(value: unknown): number {
  const s = text(value);
  const n = /^-?\d+$/.test(s) ? Number(s) : NaN;
  if (!(n >= -1 && n <= 1)) {
    throw paramError("maxretries", "invalid_maxretries", "The maxretries value must be -1, 0, or 1.");
  }
  return n;
}

/** The JSON body a settings route needs; MainWP's `empty_body` when there is none. */
export function bodyOf(json: Record<string, unknown> | null): Record<string, unknown> {
  if (!json || Object.keys(json).length === 0) throw restError("empty_body", "Request body is empty.", 400);
  return json;
}

/** `PUT /monitors/settings`'s body → the global change (empty values are ignored, as in MainWP). */
export function globalChangeOf(body: Record<string, unknown>): GlobalSettingsChange {
  const change: GlobalSettingsChange = {};
  const has = (k: string) => Object.hasOwn(body, k) && !isEmpty(body[k]);
  if (Object.hasOwn(body, "active")) {
    const v = body.active;
    const b = v === true || v === 1 || v === "1" || v === "true"
      ? true
      : v === false || v === 0 || v === "0" ||
          v === "false" || v === ""
      ? false
      : null;
    if (b === null) throw paramError("active", "rest_invalid_type", "active is not of type boolean.");
    change.active = b;
  }
  if (has("interval")) {
    const minutes = intervalOf(text(body.interval), false);
    if (minutes === undefined) throw paramError("interval", "invalid_interval", "Invalid interval value.");
    change.interval = minutes;
  }
  if (has("timeout")) {
    const seconds = timeoutOf(text(body.timeout), false);
    if (seconds === undefined) throw paramError("timeout", "invalid_timeout", "Invalid timeout value.");
    change.timeout = seconds;
  }
  if (Object.hasOwn(body, "maxretries") && body.maxretries !== null && body.maxretries !== "") {
    change.maxretries = Math.max(0, maxretriesOf(body.maxretries));
  }
  if (has("type")) change.type = choiceOf<MonitorType>(body.type, MONITOR_TYPES, "type", "type");
  if (has("method")) {
    change.method = choiceOf<MonitorMethod>(body.method, MONITOR_METHODS, "method", "method");
  }
  if (has("expected_status")) change.up_status_codes = codesOf(body.expected_status, "expected_status");
  if (Object.hasOwn(body, "keyword")) change.keyword = keywordOf(body.keyword);
  return change;
}

/** The fields `PUT /monitors/{id}/settings` takes (its body schema has no other property). */
const MONITOR_FIELDS = [
  "active",
  "type",
  "method",
  "maxretries",
  "timeout",
  "interval",
  "expected_status",
  "keyword",
];

/** `PUT /monitors/{id}/settings`'s body → the monitor's change; `useglobal` (or -1) follows the global value. */
export function monitorChangeOf(body: Record<string, unknown>): MonitorSettingsChange {
  for (const key of Object.keys(body)) {
    if (!MONITOR_FIELDS.includes(key)) {
      throw restError(
        "rest_additional_properties_forbidden",
        `${key} is not a valid property of Object.`,
        400,
      );
    }
  }
  const change: MonitorSettingsChange = {};
  const has = (k: string) => Object.hasOwn(body, k) && body[k] !== null && body[k] !== "";
  if (has("active")) {
    const s = text(body.active);
    if (s !== "0" && s !== "1" && s !== "useglobal") {
      throw paramError("active", "invalid_active", "Invalid active value. Must be 0,1 or useglobal");
    }
    change.active = s === "useglobal" ? -1 : s === "1" ? 1 : 0;
  }
  if (has("interval")) {
    const minutes = intervalOf(text(body.interval), true);
    if (minutes === undefined) throw paramError("interval", "invalid_interval", "Invalid interval value.");
    change.interval = minutes;
  }
  if (has("timeout")) {
    const seconds = timeoutOf(text(body.timeout), true);
    if (seconds === undefined) throw paramError("timeout", "invalid_timeout", "Invalid timeout value.");
    change.timeout = seconds;
  }
  if (has("maxretries")) {
    change.maxretries = text(body.maxretries) === "useglobal" ? -1 : maxretriesOf(body.maxretries);
  }
  if (has("type")) {
    change.type = choiceOf(body.type, ["useglobal", ...MONITOR_TYPES] as const, "type", "type");
  }
  if (has("method")) {
    change.method = choiceOf(body.method, ["useglobal", ...MONITOR_METHODS] as const, "method", "method");
  }
  if (has("expected_status")) {
    change.up_status_codes = text(body.expected_status) === "useglobal"
      ? "useglobal"
      : codesOf(body.expected_status, "expected_status");
  }
  if (Object.hasOwn(body, "keyword")) change.keyword = keywordOf(body.keyword ?? "");
  return change;
}

/** `PUT /settings/monitoring/edit`'s body → the global change (MainWP's `mainwp_uptime_monitoring_*`). */
export function monitoringEditOf(body: Record<string, unknown>): GlobalSettingsChange {
  const change: GlobalSettingsChange = {};
  const has = (k: string) => Object.hasOwn(body, k) && body[k] !== null;
  const flag = (k: string): 0 | 1 => {
    const v = body[k];
    if (v === true || v === 1 || v === "1") return 1;
    if (v === false || v === 0 || v === "0") return 0;
    throw paramError(k, "rest_not_in_enum", `${k} is not one of 0 and 1.`);
  };
  if (has("mainwp_uptime_monitoring_active")) change.active = flag("mainwp_uptime_monitoring_active") === 1;
  if (has("mainwp_uptime_monitoring_down_confirmation_check")) {
    change.maxretries = flag("mainwp_uptime_monitoring_down_confirmation_check");
  }
  if (has("mainwp_disable_sites_health_monitoring")) {
    change.sites_health_disabled = flag("mainwp_disable_sites_health_monitoring");
  }
  if (has("mainwp_sitehealth_threshold")) {
    const t = text(body.mainwp_sitehealth_threshold);
    if (t !== "80" && t !== "100") {
      throw paramError(
        "mainwp_sitehealth_threshold",
        "rest_not_in_enum",
        "mainwp_sitehealth_threshold is not one of 80 and 100.",
      );
    }
    change.sitehealth_threshold = t === "80" ? 80 : 100;
  }
  if (has("mainwp_uptime_monitoring_type")) {
    change.type = choiceOf(
      body.mainwp_uptime_monitoring_type,
      MONITOR_TYPES,
      "mainwp_uptime_monitoring_type",
      "type",
    );
  }
  if (has("mainwp_uptime_monitoring_method")) {
    change.method = choiceOf(
      body.mainwp_uptime_monitoring_method,
      MONITOR_METHODS,
      "mainwp_uptime_monitoring_method",
      "method",
    );
  }
  if (has("mainwp_uptime_monitoring_interval")) {
    const minutes = intervalOf(text(body.mainwp_uptime_monitoring_interval), false);
    if (minutes === undefined) {
      throw paramError(
        "mainwp_uptime_monitoring_interval",
        "rest_not_in_enum",
        "mainwp_uptime_monitoring_interval is not one of the interval values.",
      );
    }
    change.interval = minutes;
  }
  if (has("mainwp_uptime_monitoring_timeout")) {
    const seconds = timeoutOf(text(body.mainwp_uptime_monitoring_timeout), false);
    if (seconds === undefined) {
      throw paramError(
        "mainwp_uptime_monitoring_timeout",
        "rest_not_in_enum",
        "mainwp_uptime_monitoring_timeout is not one of the timeout values.",
      );
    }
    change.timeout = seconds;
  }
  if (has("mainwp_uptime_monitoring_up_status_codes")) {
    const codes = body.mainwp_uptime_monitoring_up_status_codes;
    if (!Array.isArray(codes)) {
      throw paramError(
        "mainwp_uptime_monitoring_up_status_codes",
        "invalid_status_codes_type",
        "Status codes must be an array.",
      );
    }
    const list = codesOf(codes, "mainwp_uptime_monitoring_up_status_codes");
    change.up_status_codes = list.split(",").map(Number).sort((a, b) => a - b).join(",");
  }
  if (has("mainwp_uptime_monitoring_keyword")) {
    change.keyword = keywordOf(body.mainwp_uptime_monitoring_keyword);
  }
  return change;
}
