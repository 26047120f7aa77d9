/**
 * @module
 * Uptime monitors on Deno KV: one monitor per site (its id is the site's), stored as the site's
 * settings overrides, its check state and schedule, its heartbeats (one per check, expiring after the
 * retention period) and its incidents; plus the global monitoring defaults. Key layout in `keys.ts`.
 * A check's heartbeat, the monitor's new state and the incident it opens or closes are written in one
 * atomic commit that checks the state's versionstamp (see `core/monitors/check.ts`).
 *
 * @example
 * ```ts
 * const state = await getMonitorState(kv, 3);
 * const beats = await listHeartbeats(kv, 3, { from: Date.now() - 86_400_000, to: Date.now() });
 * ```
 */
import { keys } from "./keys.ts";

/** MainWP's uptime statuses (`MainWP_Uptime_Monitoring_Connect`); 99 = never checked. */
export const DOWN = 0;
export const UP = 1;
export const PENDING = 2;
export const FIRST = 3;
export const NEVER = 99;

/** A heartbeat's status. */
export type BeatStatus = typeof DOWN | typeof UP | typeof PENDING;
/** A monitor's last status. */
export type MonitorStatus = BeatStatus | typeof FIRST | typeof NEVER;

/** Monitor types. */
export const MONITOR_TYPES = ["http", "ping", "keyword"] as const;
export type MonitorType = (typeof MONITOR_TYPES)[number];
/** Monitor methods as MainWP accepts them (`push`, `patch` and `delete` are checked with GET). */
export const MONITOR_METHODS = ["head", "get", "post", "push", "patch", "delete"] as const;
export type MonitorMethod = (typeof MONITOR_METHODS)[number];

/** The global monitoring defaults (MainWP's `mainwp_global_uptime_monitoring_settings`). */
export interface GlobalMonitorSettings {
  /** Monitoring on (1) or off (0) for monitors that follow the global setting. */
  active: 0 | 1;
  type: MonitorType;
  method: MonitorMethod;
  /** Minutes between checks. */
  interval: number;
  /** Request time limit in seconds; 0 = no limit. */
  timeout: number;
  /** Checks retried before a site is declared down. */
  maxretries: number;
  /** Up status codes, comma-separated (`"200,201"`). */
  up_status_codes: string;
  keyword: string;
  /** Site health monitoring off (1, MainWP's default) or on (0) — kept for `/settings/monitoring`. */
  sites_health_disabled: 0 | 1;
  /** Site health threshold (80 or 100). */
  sitehealth_threshold: 80 | 100;
}

/** MainWP's global defaults (`get_default_monitoring_settings(false)`). */
export const DEFAULT_GLOBAL_SETTINGS: Readonly<GlobalMonitorSettings> = Object.freeze({
  active: 0,
  type: "http",
  method: "head",
  interval: 60,
  timeout: 60,
  maxretries: 1,
  up_status_codes: "200,201,202,203,204,205,206",
  keyword: "",
  sites_health_disabled: 1,
  sitehealth_threshold: 80,
});

/** A monitor's own settings; -1 / `"useglobal"` follow the global value. */
export interface MonitorOverrides {
  active: -1 | 0 | 1;
  type: MonitorType | "useglobal";
  method: MonitorMethod | "useglobal";
  interval: number;
  timeout: number;
  maxretries: number;
  /** `"useglobal"`, or comma codes where `useglobal` may stand for the global list. */
  up_status_codes: string;
  keyword: string;
}

/** A new monitor's settings: everything follows the global settings. */
export const DEFAULT_OVERRIDES: Readonly<MonitorOverrides> = Object.freeze({
  active: -1,
  type: "useglobal",
  method: "useglobal",
  interval: -1,
  timeout: -1,
  maxretries: -1,
  up_status_codes: "useglobal",
  keyword: "",
});

/** A monitor's check state and schedule. */
export interface MonitorState {
  siteId: number;
  lastStatus: MonitorStatus;
  /** The last UP or DOWN (what incidents follow). */
  lastMainStatus: MonitorStatus;
  lastHttpCode: number;
  /** Last check, unix ms; 0 = never. */
  lastCheck: number;
  /** Retries spent on the current failure. */
  retries: number;
  /** When the next check is due (unix ms); `null` while the monitor is inactive. */
  due: number | null;
  /** Schedule sequence: bumped by every (re)scheduling, so stale queue messages do nothing. */
  seq: number;
  /** Last heartbeat number. */
  beats: number;
  /** Start (unix ms) of the open incident, `null` when none. */
  openIncident: number | null;
}

/** One check's record. */
export interface Heartbeat {
  /** Per-monitor number. */
  id: number;
  status: BeatStatus;
  /** 1 when the status changed in a way that matters (UP→DOWN, PENDING→DOWN, DOWN→UP). */
  importance: 0 | 1;
  httpCode: number;
  /** Response time. */
  pingMs: number;
  /** Unix ms. */
  time: number;
  /** MainWP's message: `"200 - up! OK"`, `"0 - down. Error: …"`. */
  msg: string;
  /** How late the scheduled check started (ms), `null` for a check asked for by a client. */
  lateMs: number | null;
}

/** A down period: opened by a DOWN check, closed by the next UP. */
export interface Incident {
  /** Unix ms. */
  started: number;
  /** Unix ms, `null` while open. */
  ended: number | null;
  /** The first DOWN check's message. */
  cause: string;
  /** DOWN checks during the incident. */
  downCount: number;
}

/** One UTC hour of a monitor's checks (MainWP's `monitor_stat_hourly`). */
export interface HourlyStat {
  up: number;
  down: number;
  /** Checks with a response time. */
  timed: number;
  pingSum: number;
  pingMin: number;
  pingMax: number;
}

/** The start of the UTC hour of `ms`. */
export const hourOf = (ms: number): number => ms - (ms % 3_600_000);

/**
 * Hourly statistics of a monitor from `from` (unix ms) on, oldest first, keyed by hour start.
 *
 * @example
 * ```ts
 * const hours = await listHourlyStats(kv, 3, Date.now() - 7 * 86_400_000);
 * ```
 */
export async function listHourlyStats(
  kv: Deno.Kv,
  siteId: number,
  from: number,
): Promise<Map<number, HourlyStat>> {
  const out = new Map<number, HourlyStat>();
  const iter = kv.list<HourlyStat>({
    start: keys.monitorHourly(siteId, hourOf(from)),
    end: [...keys.monitorHourlies(siteId), Number.MAX_SAFE_INTEGER],
  }, { limit: 24 * 400, batchSize: 500 });
  for await (const entry of iter) out.set(Number(entry.key[2]), entry.value);
  return out;
}

/** A new monitor's state. */
export function newMonitorState(siteId: number): MonitorState {
  return {
    siteId,
    lastStatus: NEVER,
    lastMainStatus: NEVER,
    lastHttpCode: 0,
    lastCheck: 0,
    retries: 0,
    due: null,
    seq: 0,
    beats: 0,
    openIncident: null,
  };
}

/**
 * The global monitoring settings (MainWP's defaults until saved).
 *
 * @example
 * ```ts
 * (await getGlobalMonitorSettings(kv)).interval; // 60
 * ```
 */
export async function getGlobalMonitorSettings(kv: Deno.Kv): Promise<GlobalMonitorSettings> {
  const stored = (await kv.get<Partial<GlobalMonitorSettings>>(keys.monitorGlobalSettings())).value;
  return { ...DEFAULT_GLOBAL_SETTINGS, ...(stored ?? {}) };
}

/**
 * Stores the global monitoring settings.
 *
 * @example
 * ```ts
 * await putGlobalMonitorSettings(kv, { ...settings, active: 1 });
 * ```
 */
export async function putGlobalMonitorSettings(kv: Deno.Kv, settings: GlobalMonitorSettings): Promise<void> {
  await kv.set(keys.monitorGlobalSettings(), settings);
}

/**
 * A monitor's own settings (all "use global" when never edited).
 *
 * @example
 * ```ts
 * (await getMonitorOverrides(kv, 3)).interval; // -1
 * ```
 */
export async function getMonitorOverrides(kv: Deno.Kv, siteId: number): Promise<MonitorOverrides> {
  const stored = (await kv.get<MonitorOverrides>(keys.monitor(siteId))).value;
  return { ...DEFAULT_OVERRIDES, ...(stored ?? {}) };
}

/**
 * Stores a monitor's own settings.
 *
 * @example
 * ```ts
 * await putMonitorOverrides(kv, 3, { ...overrides, interval: 5 });
 * ```
 */
export async function putMonitorOverrides(
  kv: Deno.Kv,
  siteId: number,
  value: MonitorOverrides,
): Promise<void> {
  await kv.set(keys.monitor(siteId), value);
}

/**
 * A monitor's state entry (value `null` when the monitor was never created).
 *
 * @example
 * ```ts
 * const entry = await getMonitorStateEntry(kv, 3);
 * ```
 */
export function getMonitorStateEntry(kv: Deno.Kv, siteId: number): Promise<Deno.KvEntryMaybe<MonitorState>> {
  return kv.get<MonitorState>(keys.monitorState(siteId));
}

/**
 * A monitor's state, `null` when it was never created.
 *
 * @example
 * ```ts
 * (await getMonitorState(kv, 3))?.lastStatus; // 1
 * ```
 */
export async function getMonitorState(kv: Deno.Kv, siteId: number): Promise<MonitorState | null> {
  return (await getMonitorStateEntry(kv, siteId)).value;
}

/**
 * Every monitor's state, in site id order (read in batches).
 *
 * @example
 * ```ts
 * const states = await listMonitorStates(kv);
 * ```
 */
export async function listMonitorStates(kv: Deno.Kv): Promise<MonitorState[]> {
  const out: MonitorState[] = [];
  for await (const entry of kv.list<MonitorState>({ prefix: keys.monitorStates() }, { batchSize: 500 })) {
    out.push(entry.value);
  }
  return out;
}

/**
 * Every monitor's own settings, by site id (monitors never edited have none).
 *
 * @example
 * ```ts
 * (await listMonitorOverrides(kv)).get(3)?.interval; // 5
 * ```
 */
export async function listMonitorOverrides(kv: Deno.Kv): Promise<Map<number, MonitorOverrides>> {
  const out = new Map<number, MonitorOverrides>();
  for await (const entry of kv.list<MonitorOverrides>({ prefix: keys.monitors() }, { batchSize: 500 })) {
    out.set(Number(entry.key[1]), { ...DEFAULT_OVERRIDES, ...entry.value });
  }
  return out;
}

/**
 * Writes `state` into `op` with its due-index entry moved from `previousDue` (the index holds one entry
 * per scheduled monitor, what pollers and the recovery pass scan).
 *
 * @example
 * ```ts
 * putMonitorState(kv.atomic().check(entry), state, entry.value?.due ?? null).commit();
 * ```
 */
export function putMonitorState(
  op: Deno.AtomicOperation,
  state: MonitorState,
  previousDue: number | null,
): Deno.AtomicOperation {
  if (previousDue !== null && previousDue !== state.due) {
    op.delete(keys.monitorDue(previousDue, state.siteId));
  }
  if (state.due !== null) op.set(keys.monitorDue(state.due, state.siteId), true);
  return op.set(keys.monitorState(state.siteId), state);
}

/**
 * Monitors due at or before `until` (unix ms), earliest first, at most `limit`.
 *
 * @example
 * ```ts
 * for (const { siteId, due } of await listDueMonitors(kv, Date.now(), 100)) console.log(siteId, due);
 * ```
 */
export async function listDueMonitors(
  kv: Deno.Kv,
  until: number,
  limit: number,
): Promise<{ siteId: number; due: number }[]> {
  const out: { siteId: number; due: number }[] = [];
  const iter = kv.list({ start: keys.monitorDues(), end: keys.monitorDue(until + 1, 0) }, {
    limit,
    batchSize: Math.min(limit, 500),
  });
  for await (const entry of iter) out.push({ due: Number(entry.key[2]), siteId: Number(entry.key[3]) });
  return out;
}

/** Time window of a heartbeat read (unix ms, inclusive). */
export interface TimeRange {
  from: number;
  to: number;
}

/**
 * Heartbeats of a monitor in a time window, oldest first (newest with `reverse`), at most `max` (reads
 * stop there).
 *
 * @example
 * ```ts
 * await listHeartbeats(kv, 3, { from: 0, to: Date.now() }, 10_000);
 * ```
 */
export async function listHeartbeats(
  kv: Deno.Kv,
  siteId: number,
  range: TimeRange,
  max = 50_000,
  reverse = false,
): Promise<Heartbeat[]> {
  const out: Heartbeat[] = [];
  if (range.from > range.to) return out;
  const iter = kv.list<Heartbeat>({
    start: keys.monitorHeartbeatsFrom(siteId, range.from),
    end: keys.monitorHeartbeatsFrom(siteId, range.to + 1),
  }, { limit: max, batchSize: 500, reverse });
  for await (const entry of iter) out.push(entry.value);
  return out;
}

/**
 * Incidents of a monitor, most recent first, at most `max`.
 *
 * @example
 * ```ts
 * const [latest] = await listIncidents(kv, 3);
 * ```
 */
export async function listIncidents(kv: Deno.Kv, siteId: number, max = 10_000): Promise<Incident[]> {
  const out: Incident[] = [];
  const iter = kv.list<Incident>({ prefix: keys.monitorIncidents(siteId) }, {
    reverse: true,
    limit: max,
    batchSize: 500,
  });
  for await (const entry of iter) out.push(entry.value);
  return out;
}

/**
 * Deletes everything of a monitor (settings, state, schedule, heartbeats, incidents), in batches.
 *
 * @example
 * ```ts
 * await deleteMonitorData(kv, 3);
 * ```
 */
export async function deleteMonitorData(kv: Deno.Kv, siteId: number): Promise<void> {
  const state = await getMonitorStateEntry(kv, siteId);
  const op = kv.atomic().delete(keys.monitor(siteId)).delete(keys.monitorState(siteId));
  if (state.value?.due != null) op.delete(keys.monitorDue(state.value.due, siteId));
  await op.commit();
  for (
    const prefix of [
      keys.monitorHeartbeats(siteId),
      keys.monitorIncidents(siteId),
      keys.monitorHourlies(siteId),
    ]
  ) {
    // Bounded: each pass deletes up to 500 entries; a monitor has at most its retention's heartbeats.
    for (let pass = 0; pass < 10_000; pass++) {
      const batch = kv.atomic();
      let n = 0;
      for await (const entry of kv.list({ prefix }, { limit: 500 })) {
        batch.delete(entry.key);
        n++;
      }
      if (n === 0) break;
      await batch.commit();
    }
  }
}
