/**
 * @module
 * Reading monitors: the monitor list with its filters (ids, status, search), one monitor with its
 * statistics (uptime ratios over 7 and 30 days from the hourly statistics, the last 24 hours hour by
 * hour, response times, incident counts), its heartbeats in a time window, and its incidents.
 *
 * @example
 * ```ts
 * const monitors = await listMonitors(ctx, { status: UP });
 * const stats = await monitorStats(ctx, monitors[0].siteId, Date.now());
 * ```
 */
import type { StoreDeps } from "../deps.ts";
import { NotFound } from "../errors.ts";
import { findSiteByDomain, getSite, type SiteRecord } from "../../store/sites.ts";
import { fleetSnapshot } from "../sites/fleet.ts";
import {
  DEFAULT_OVERRIDES,
  getGlobalMonitorSettings,
  getMonitorOverrides,
  getMonitorState,
  type Heartbeat,
  hourOf,
  type Incident,
  listHeartbeats,
  listHourlyStats,
  listIncidents,
  listMonitorOverrides,
  listMonitorStates,
  type MonitorState,
  newMonitorState,
  type TimeRange,
} from "../../store/monitors.ts";
import { type EffectiveSettings, resolveSettings } from "./settings.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Most heartbeats one read scans (a count or a page); a 1-minute monitor makes 43,200 in 30 days. */
export const MAX_HEARTBEAT_SCAN = 50_000;

/** A monitor as listed: its site, state and resolved settings. */
export interface MonitorView {
  siteId: number;
  name: string;
  url: string;
  state: MonitorState;
  settings: EffectiveSettings;
}

/** List filters; `status` -1 = paused (inactive) monitors. */
export interface MonitorFilter {
  include?: number[];
  exclude?: number[];
  status?: number;
  search?: string;
}

async function viewOf(
  kv: Deno.Kv,
  site: SiteRecord,
  global?: Awaited<ReturnType<typeof getGlobalMonitorSettings>>,
) {
  const [state, own, glob] = await Promise.all([
    getMonitorState(kv, site.id),
    getMonitorOverrides(kv, site.id),
    global ?? getGlobalMonitorSettings(kv),
  ]);
  return {
    siteId: site.id,
    name: site.name,
    url: site.url,
    state: state ?? newMonitorState(site.id),
    settings: resolveSettings(glob, own),
  };
}

/**
 * The monitors (one per site, in site id order) matching `filter`.
 *
 * @example
 * ```ts
 * await listMonitors(ctx, { search: "shop", exclude: [4] });
 * ```
 */
export async function listMonitors({ kv }: StoreDeps, filter: MonitorFilter = {}): Promise<MonitorView[]> {
  // The sites from the fleet's listing rows (no site record is read); states and overrides in one list each.
  const [global, snap, states, overrides] = await Promise.all([
    getGlobalMonitorSettings(kv),
    fleetSnapshot(kv),
    listMonitorStates(kv),
    listMonitorOverrides(kv),
  ]);
  const sites = [...snap.byId.values()].map((entry) => entry.site).sort((a, b) => a.id - b.id);
  const stateOf = new Map(states.map((s) => [s.siteId, s]));
  const search = filter.search?.toLowerCase() ?? "";
  const out: MonitorView[] = [];
  for (const site of sites) {
    if (filter.include?.length && !filter.include.includes(site.id)) continue;
    if (filter.exclude?.includes(site.id)) continue;
    if (search && !site.name.toLowerCase().includes(search) && !site.url.toLowerCase().includes(search)) {
      continue;
    }
    const view: MonitorView = {
      siteId: site.id,
      name: site.name,
      url: site.url,
      state: stateOf.get(site.id) ?? newMonitorState(site.id),
      settings: resolveSettings(global, overrides.get(site.id) ?? DEFAULT_OVERRIDES),
    };
    if (filter.status === -1 && view.settings.active) continue;
    if (filter.status !== undefined && filter.status !== -1 && view.state.lastStatus !== filter.status) {
      continue;
    }
    out.push(view);
  }
  return out;
}

/**
 * One monitor, by its id (= the site's) or the site's domain; `NotFound("monitor")` when none.
 *
 * @example
 * ```ts
 * await getMonitor(ctx, { by: "domain", domain: "shop.example" });
 * ```
 */
export async function getMonitor(
  { kv }: StoreDeps,
  ref: { by: "id"; id: number } | { by: "domain"; domain: string },
): Promise<MonitorView> {
  const site = ref.by === "id"
    ? (ref.id > 0 ? await getSite(kv, ref.id) : null)
    : await findSiteByDomain(kv, ref.domain);
  if (!site) throw new NotFound("monitor", ref.by === "id" ? ref.id : ref.domain);
  return await viewOf(kv, site);
}

/** A monitor's statistics. */
export interface MonitorStats {
  /** Percent of UP among UP and DOWN checks, 2 decimals (0 when none). */
  ratio7d: number;
  ratio30d: number;
  /** The last 24 hours, oldest first: hour start (unix s) and 1 when any check in it was UP. */
  last24h: { timestamp: number; status: 0 | 1 }[];
  incidents7d: number;
  incidents30d: number;
  /** Response times over 30 days (0 when none). */
  avgMs: number;
  minMs: number;
  maxMs: number;
}

/**
 * A monitor's statistics at `now` (unix ms).
 *
 * @example
 * ```ts
 * (await monitorStats(ctx, 3, Date.now())).ratio7d; // 99.5
 * ```
 */
export async function monitorStats({ kv }: StoreDeps, siteId: number, now: number): Promise<MonitorStats> {
  const [hours, incidents] = await Promise.all([
    listHourlyStats(kv, siteId, now - 30 * DAY_MS),
    listIncidents(kv, siteId, 10_000),
  ]);
  const ratioSince = (from: number) => {
    let up = 0, total = 0;
    for (const [hour, s] of hours) {
      if (hour + HOUR_MS <= from) continue;
      up += s.up;
      total += s.up + s.down;
    }
    return total ? Math.round(up / total * 10_000) / 100 : 0;
  };
  let timed = 0, sum = 0, min = 0, max = 0;
  for (const s of hours.values()) {
    if (!s.timed) continue;
    min = timed ? Math.min(min, s.pingMin) : s.pingMin;
    max = Math.max(max, s.pingMax);
    timed += s.timed;
    sum += s.pingSum;
  }
  const firstHour = hourOf(now - DAY_MS);
  const last24h = Array.from({ length: 24 }, (_, i) => {
    const hour = firstHour + i * HOUR_MS;
    return { timestamp: hour / 1000, status: (hours.get(hour)?.up ?? 0) > 0 ? 1 as const : 0 as const };
  });
  const dayStart = (days: number) => new Date(now - days * DAY_MS).setUTCHours(0, 0, 0, 0);
  return {
    ratio7d: ratioSince(now - 7 * DAY_MS),
    ratio30d: ratioSince(now - 30 * DAY_MS),
    last24h,
    incidents7d: incidents.filter((i) => i.started >= dayStart(7)).length,
    incidents30d: incidents.filter((i) => i.started >= dayStart(30)).length,
    avgMs: timed ? Math.round(sum / timed) : 0,
    minMs: min,
    maxMs: max,
  };
}

/**
 * A monitor's most recent heartbeats within 30 days, oldest first, at most `max`.
 *
 * @example
 * ```ts
 * await recentHeartbeats(ctx, 3, Date.now(), 1000);
 * ```
 */
export async function recentHeartbeats(
  { kv }: StoreDeps,
  siteId: number,
  now: number,
  max: number,
): Promise<Heartbeat[]> {
  return (await listHeartbeats(kv, siteId, { from: now - 30 * DAY_MS, to: now }, max, true)).reverse();
}

/** A page of heartbeats and how many matched. */
export interface HeartbeatPage {
  total: number;
  items: Heartbeat[];
}

/**
 * A monitor's heartbeats in `range`, oldest first, with status `status` when given, the page `page` of
 * `perPage` (0 = all, up to `cap`). Scans at most {@link MAX_HEARTBEAT_SCAN} heartbeats.
 *
 * @example
 * ```ts
 * await heartbeatPage(ctx, 3, { from: 0, to: Date.now() }, { status: 0, page: 1, perPage: 50, cap: 5000 });
 * ```
 */
export async function heartbeatPage(
  { kv }: StoreDeps,
  siteId: number,
  range: TimeRange,
  query: { status?: number; page: number; perPage: number; cap: number },
): Promise<HeartbeatPage> {
  const all = (await listHeartbeats(kv, siteId, range, MAX_HEARTBEAT_SCAN))
    .filter((h) => query.status === undefined || h.status === query.status);
  const size = Math.min(query.perPage > 0 ? query.perPage : query.cap, query.cap);
  const offset = query.perPage > 0 ? (query.page - 1) * query.perPage : 0;
  return { total: all.length, items: all.slice(offset, offset + size) };
}

/**
 * A monitor's incidents, most recent first.
 *
 * @example
 * ```ts
 * const [latest] = await monitorIncidents(ctx, 3);
 * ```
 */
export async function monitorIncidents({ kv }: StoreDeps, siteId: number): Promise<Incident[]> {
  return await listIncidents(kv, siteId, 10_000);
}
