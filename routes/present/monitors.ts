/**
 * @module
 * MainWP's wire shapes of the monitors controller (`class-mainwp-rest-monitors-controller.php`) and of
 * the monitoring settings (`/settings/monitoring`): field order of each view context, `''` for what
 * MainWP's field filter finds unset, dates as MainWP formats them, and its interval / timeout labels.
 *
 * @example
 * ```ts
 * monitorListItem(view, stats); // { id, url, type, last_status, check_frequency, … }
 * ```
 */
import type { MonitorStats, MonitorView } from "../../core/monitors/read.ts";
import { INTERVAL_LABELS, TIMEOUT_LABELS } from "../../core/monitors/settings.ts";
import type {
  GlobalMonitorSettings,
  Heartbeat,
  Incident,
  MonitorOverrides,
} from "../../core/monitors/types.ts";
import { mysqlDate } from "../../wp/dates.ts";

/** MainWP's `STATUS_MAP` (`paused` = inactive monitors). */
export const STATUS_MAP: Readonly<Record<string, number>> = Object.freeze({
  up: 1,
  down: 0,
  pending: 2,
  first: 3,
  paused: -1,
});

/** MainWP's known HTTP codes (`MainWP_Utility::get_http_codes`), the only valid up-codes. */
export const HTTP_CODES: readonly number[] = Object.freeze([
  100,
  101,
  ...[200, 201, 202, 203, 204, 205, 206],
  ...[300, 301, 302, 303, 304, 305, 306, 307],
  ...Array.from({ length: 18 }, (_, i) => 400 + i),
  ...[500, 501, 502, 503, 504, 505],
]);

/** MainWP's `uptime_status`. */
export function uptimeStatus(status: number): string {
  return ["down", "up", "pending", "first"][status] ?? "unknown";
}

/** A label → value lookup of MainWP's choices (`useglobal` → -1 where allowed). */
function lookup(labels: ReadonlyMap<number, string>, value: string, individual: boolean): number | undefined {
  if (individual && value === "useglobal") return -1;
  for (const [key, label] of labels) if (label === value) return key;
  return undefined;
}

/** `"5m"` … `"24h"` (and `useglobal` for one monitor) → minutes; `undefined` when not a choice. */
export const intervalOf = (label: string, individual: boolean) => lookup(INTERVAL_LABELS, label, individual);
/** `"30s"` … `"90min"`, `"No limit"` (and `useglobal`) → seconds; `undefined` when not a choice. */
export const timeoutOf = (label: string, individual: boolean) => lookup(TIMEOUT_LABELS, label, individual);

/** The label of an interval in minutes (`"1h"`), `${n}m` when not one of the choices. */
export function intervalLabel(minutes: number): string {
  return INTERVAL_LABELS.get(minutes) ?? `${minutes}m`;
}

/** Unix ms → `Y-m-d\TH:i:s\Z`. */
const isoZ = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z";

/** The fields `view` and `monitor_view` share, in MainWP's schema order after `url`. */
function common(view: MonitorView, stats: MonitorStats) {
  const { state, settings } = view;
  return {
    type: settings.type,
    last_status: uptimeStatus(state.lastStatus),
    check_frequency: `${settings.intervalMinutes}m`,
    last_check_at: state.lastCheck > 0 ? mysqlDate(Math.floor(state.lastCheck / 1000)) : "",
    last_status_code: state.lastHttpCode > 0 ? state.lastHttpCode : "",
    uptime_24h: stats.last24h,
    uptime_ratio_7d: stats.ratio7d,
    uptime_ratio_30d: stats.ratio30d,
    incidents_count_7d: stats.incidents7d,
    incidents_count_30d: stats.incidents30d,
    response_time_avg_ms: stats.avgMs,
    response_time_min_ms: stats.minMs,
    response_time_max_ms: stats.maxMs,
  };
}

/** A monitor in `GET /monitors` (`view` context). */
export function monitorListItem(view: MonitorView, stats: MonitorStats) {
  return { id: view.siteId, url: view.url, ...common(view, stats) };
}

/** `GET /monitors/basic` and `/monitors/{id}/basic` (`simple_view`). */
export function monitorBasic(view: MonitorView) {
  return { id: view.siteId, url: view.url, last_status: uptimeStatus(view.state.lastStatus) };
}

/** A heartbeat row as MainWP's `get_uptime_monitoring_stats` returns it (database strings). */
function heartbeatRow(siteId: number, beat: Heartbeat, previous: Heartbeat | undefined) {
  return {
    heartbeat_id: String(beat.id),
    monitor_id: String(siteId),
    msg: beat.msg,
    importance: String(beat.importance),
    status: String(beat.status),
    time: mysqlDate(Math.floor(beat.time / 1000)),
    ping_ms: String(beat.pingMs),
    duration: String(previous ? Math.round((beat.time - previous.time) / 1000) : 0),
    down_count: beat.status === 2 ? "1" : "0",
    http_code: String(beat.httpCode),
  };
}

/** `GET /monitors/{id}` (`monitor_view`): with the 30 days' heartbeats (the most recent, capped). */
export function monitorDetail(view: MonitorView, stats: MonitorStats, beats: Heartbeat[]) {
  const { type, last_status, check_frequency, last_check_at, last_status_code, ...rest } = common(
    view,
    stats,
  );
  return {
    id: view.siteId,
    name: view.name,
    url: view.url,
    type,
    last_status,
    check_frequency,
    last_check_at,
    last_status_code,
    ...rest,
    heartbeats: beats.map((b, i) => heartbeatRow(view.siteId, b, beats[i - 1])),
  };
}

/** A heartbeat in `GET /monitors/{id}/heartbeat` (`heartbeat_view`; unset values are `''`). */
export function heartbeatItem(siteId: number, beat: Heartbeat) {
  return {
    monitor_id: siteId,
    heartbeat_id: beat.id,
    status: beat.status,
    msg: beat.msg,
    importance: beat.importance,
    time: isoZ(beat.time),
    ping_ms: beat.pingMs > 0 ? beat.pingMs : "",
    http_code: beat.httpCode > 0 ? beat.httpCode : "",
  };
}

/** An incident in `GET /monitors/{id}/incidents` (`incidents_view`). */
export function incidentItem(incident: Incident) {
  return {
    started_at: isoZ(incident.started),
    ended_at: incident.ended === null ? "" : isoZ(incident.ended),
    duration_sec: incident.ended === null ? 0 : Math.round((incident.ended - incident.started) / 1000),
    resolved: incident.ended !== null,
    down_count: incident.downCount,
  };
}

/** The global settings as `PUT /monitors/settings` answers them (MainWP's option array). */
export function globalSettingsData(s: GlobalMonitorSettings, retentionDays: number) {
  return {
    monitor_id: 0,
    wpid: 0,
    type: s.type,
    active: s.active,
    keyword: s.keyword,
    interval: s.interval,
    maxretries: s.maxretries,
    up_status_codes: s.up_status_codes,
    method: s.method,
    timeout: s.timeout,
    retention_limits: retentionDays,
  };
}

/** What `PUT /monitors/{id}/settings` answers: the monitor id and the fields it set. */
export function monitorSettingsData(siteId: number, set: Partial<MonitorOverrides>) {
  const order = [
    "active",
    "interval",
    "timeout",
    "maxretries",
    "up_status_codes",
    "keyword",
    "type",
    "method",
  ];
  const data: Record<string, unknown> = { monitor_id: siteId };
  for (const key of order) {
    const value = set[key as keyof MonitorOverrides];
    if (value !== undefined) data[key] = value;
  }
  return data;
}

/** `GET /settings/monitoring` (`monitoring_view`): labels, codes as strings, health settings. */
export function monitoringSettingsView(s: GlobalMonitorSettings) {
  return {
    mainwp_disable_sites_health_monitoring: s.sites_health_disabled,
    mainwp_sitehealth_threshold: s.sitehealth_threshold,
    mainwp_uptime_monitoring_active: s.active,
    mainwp_uptime_monitoring_interval: INTERVAL_LABELS.get(s.interval) ?? "1h",
    mainwp_uptime_monitoring_method: s.method,
    mainwp_uptime_monitoring_timeout: TIMEOUT_LABELS.get(s.timeout) ?? "60s",
    mainwp_uptime_monitoring_type: s.type,
    mainwp_uptime_monitoring_up_status_codes: s.up_status_codes.split(","),
    mainwp_uptime_monitoring_down_confirmation_check: s.maxretries,
    mainwp_uptime_monitoring_keyword: s.keyword,
  };
}
