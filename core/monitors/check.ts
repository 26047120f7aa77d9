/**
 * @module
 * One uptime check of a monitor, as MainWP's `MainWP_Uptime_Monitoring_Connect` does it: request the
 * site URL (through the connector's `checkSite`, so the site-address guard applies) with the monitor's
 * method, time limit, up-codes and keyword; then decide the status — UP, or PENDING while retries are
 * left (MainWP's `maxretries`; a retry follows min(60 s, interval) later), else DOWN — and record, in one
 * atomic commit checked against the monitor's state, the heartbeat, the new state and the incident a
 * change opens (UP/PENDING → DOWN) or closes (DOWN → UP). `fleetpress_incident_opened` /
 * `fleetpress_incident_closed` fire after that commit.
 *
 * @example
 * ```ts
 * const { heartbeat } = await checkMonitor(ctx, 3);
 * heartbeat?.status; // 1 (UP)
 * ```
 */
import type { ChildDeps, HookDeps } from "../deps.ts";
import type { IncidentEvent } from "../../hooks/types.ts";
import { ChildError } from "../../child/errors.ts";
import { ChildUnavailable } from "../errors.ts";
import { keys } from "../../store/keys.ts";
import { atomicRetry } from "../../store/kv.ts";
import { getSite } from "../../store/sites.ts";
import {
  type BeatStatus,
  DOWN,
  getMonitorStateEntry,
  type Heartbeat,
  type HourlyStat,
  hourOf,
  type Incident,
  type MonitorState,
  NEVER,
  PENDING,
  putMonitorState,
  UP,
} from "../../store/monitors.ts";
import { type EffectiveSettings, effectiveSettings, intervalMs } from "./settings.ts";
import { sendMonitorMessage } from "./schedule.ts";

/** HTTP codes MainWP retries before anything else (`is_http_code_type('retry')`). */
const RETRY_CODES = [429, 502, 503, 504];
/** MainWP retries a failed check one minute later (`retry_interval`). */
const RETRY_DELAY_MS = 60_000;
const DAY_MS = 86_400_000;

/** What a request found. */
export interface ProbeResult {
  httpCode: number;
  httpCodeString: string;
  responseTimeMs: number;
  /** `false` when a keyword was asked for and not found. */
  keywordFound?: boolean;
  /** Why no HTTP status came back. */
  error?: string;
}

/** The status a check gives, and what it does to the retry count. */
export interface Verdict {
  status: BeatStatus;
  retries: number;
  /** A retry is due (min(60 s, interval) later). */
  retry: boolean;
  msg: string;
}

/**
 * MainWP's status decision for one check: UP when the code is an up-code (and the keyword was found);
 * otherwise PENDING while retries are left, else DOWN. No answer at all counts as down (MainWP leaves
 * such a site PENDING).
 *
 * @example
 * ```ts
 * decide({ httpCode: 500, httpCodeString: "Internal Server Error", responseTimeMs: 3 }, settings, 0).status; // 2
 * ```
 */
export function decide(result: ProbeResult, settings: EffectiveSettings, retries: number): Verdict {
  const up = result.httpCode > 0 && settings.upCodes.includes(result.httpCode) &&
    result.keywordFound !== false;
  const canRetry = settings.maxretries > 0 && retries < settings.maxretries;
  const status: BeatStatus = up ? UP : canRetry ? PENDING : DOWN;
  let msg = `${result.httpCode} - ${status === UP ? "up!" : status === PENDING ? "pending." : "down."}`;
  if (result.httpCodeString) msg += ` ${result.httpCodeString}`;
  if (result.keywordFound !== undefined) msg += `. Keyword ${result.keywordFound ? "is" : "not"} found.`;
  if (result.error) msg += ` Error: ${result.error}`;
  // A retry code is retried as any failure is; the code only changes the message.
  if (!up && RETRY_CODES.includes(result.httpCode) && canRetry) msg += " (retrying)";
  return {
    status,
    retries: up ? 0 : canRetry ? retries + 1 : retries,
    retry: status === PENDING,
    msg,
  };
}

/** Whether a change of status matters (MainWP's `is_importance_status`; never checked counts as UP). */
function isImportant(previous: number, current: BeatStatus): boolean {
  const prev = previous === NEVER ? UP : previous;
  return (prev === UP && current === DOWN) || (prev === PENDING && current === DOWN) ||
    (prev === DOWN && current === UP);
}

/**
 * Days heartbeats are kept (`fleetpress_monitor_retention_days`, default 30).
 *
 * @example
 * ```ts
 * await retentionDays(ctx); // 30
 * ```
 */
export async function retentionDays(deps: HookDeps): Promise<number> {
  const value = Number(await deps.hooks.applyFilters("fleetpress_monitor_retention_days", 30));
  return Number.isFinite(value) && value > 0 ? value : 30;
}

/** Sends the request of one check; a network failure is a result without HTTP code, with its reason. */
async function probe(deps: ChildDeps, url: string, settings: EffectiveSettings, access: {
  httpUser?: string;
  httpPass?: string;
  verifyCertificate: boolean;
}): Promise<ProbeResult> {
  // MainWP sends push/patch/delete as such; the connector speaks GET, HEAD and POST, so they are GETs.
  // A keyword is looked for in a body, which HEAD has not (MainWP then skips the keyword): GET.
  const keywordGet = settings.type === "keyword" && settings.method === "head";
  const method = !keywordGet && (settings.method === "head" || settings.method === "post")
    ? settings.method
    : "get";
  try {
    const result = await deps.child.checkSite(url, {
      method: settings.type === "ping" && method === "get" ? "head" : method,
      keyword: settings.type === "keyword" ? settings.keyword : undefined,
      upCodes: settings.upCodes,
      timeoutMs: settings.timeoutSeconds > 0 ? settings.timeoutSeconds * 1000 : undefined,
      ...access,
    });
    return result;
  } catch (error) {
    // A URL the site-address guard refuses is not checked at all (nothing is recorded), as `checkSite`.
    if (!(error instanceof ChildError) || error.category === "address") throw error;
    return { httpCode: 0, httpCodeString: "", responseTimeMs: 0, error: error.message };
  }
}

/** An hour's statistics with one more heartbeat. */
function addToHour(stat: HourlyStat | null, beat: Heartbeat): HourlyStat {
  const s = stat ?? { up: 0, down: 0, timed: 0, pingSum: 0, pingMin: 0, pingMax: 0 };
  const timed = beat.pingMs > 0;
  return {
    up: s.up + (beat.status === UP ? 1 : 0),
    down: s.down + (beat.status === DOWN ? 1 : 0),
    timed: s.timed + (timed ? 1 : 0),
    pingSum: s.pingSum + (timed ? beat.pingMs : 0),
    pingMin: timed ? (s.timed ? Math.min(s.pingMin, beat.pingMs) : beat.pingMs) : s.pingMin,
    pingMax: timed ? Math.max(s.pingMax, beat.pingMs) : s.pingMax,
  };
}

/** What a check recorded. */
export interface CheckOutcome {
  /** The heartbeat stored; `null` when the monitor or its site was gone. */
  heartbeat: Heartbeat | null;
  /** The incident opened or closed by this check. */
  opened?: IncidentEvent;
  closed?: IncidentEvent;
}

/**
 * Checks a monitor now and records the result. `scheduled` (the due time it was claimed for) marks a
 * scheduled check and gives the heartbeat its lateness; a check asked for by a client has none and
 * leaves the schedule alone, unless it starts a retry. A URL the site-address guard refuses throws
 * `ChildUnavailable` and records nothing.
 *
 * @example
 * ```ts
 * await checkMonitor(ctx, 3); // POST /monitors/3/check
 * ```
 */
export async function checkMonitor(
  deps: ChildDeps,
  siteId: number,
  scheduled?: { due: number; settings?: EffectiveSettings },
): Promise<CheckOutcome> {
  const site = await getSite(deps.kv, siteId);
  if (!site) return { heartbeat: null };
  const settings = scheduled?.settings ?? await effectiveSettings(deps.kv, siteId);
  const started = Date.now();
  let result: ProbeResult;
  try {
    result = await probe(deps, site.url, settings, {
      httpUser: site.http_user || undefined,
      httpPass: site.http_pass || undefined,
      verifyCertificate: site.verify_certificate !== 0,
    });
  } catch (error) {
    if (error instanceof ChildError) throw new ChildUnavailable(siteId, error);
    throw error;
  }
  const retention = (await retentionDays(deps)) * DAY_MS;
  const every = await intervalMs(deps, { siteId, url: site.url }, settings.intervalMinutes);
  const outcome = await atomicRetry(deps.kv, async (op): Promise<CheckOutcome> => {
    const entry = await getMonitorStateEntry(deps.kv, siteId);
    const state = entry.value;
    if (!state) return { heartbeat: null };
    op.check(entry);
    const verdict = decide(result, settings, state.retries);
    const importance = isImportant(state.lastMainStatus, verdict.status) ? 1 : 0;
    const heartbeat: Heartbeat = {
      id: state.beats + 1,
      status: verdict.status,
      importance,
      httpCode: result.httpCode,
      pingMs: Math.max(0, Math.round(result.responseTimeMs)),
      time: started,
      msg: verdict.msg,
      lateMs: scheduled ? Math.max(0, started - scheduled.due) : null,
    };
    const next: MonitorState = {
      ...state,
      lastStatus: verdict.status,
      lastHttpCode: result.httpCode,
      lastCheck: started,
      retries: verdict.retries,
      beats: heartbeat.id,
    };
    if (verdict.status !== PENDING) next.lastMainStatus = verdict.status;
    const out: CheckOutcome = { heartbeat };
    const event = (start: number, cause: string, end: number | null): IncidentEvent => ({
      siteId,
      url: site.url,
      incidentId: String(start),
      startedAt: new Date(start).toISOString(),
      endedAt: end === null ? null : new Date(end).toISOString(),
      cause,
    });
    if (verdict.status === DOWN) {
      if (state.openIncident === null) {
        const incident: Incident = { started, ended: null, cause: verdict.msg, downCount: 1 };
        op.set(keys.monitorIncident(siteId, started), incident);
        next.openIncident = started;
        out.opened = event(started, verdict.msg, null);
      } else {
        const open = await deps.kv.get<Incident>(keys.monitorIncident(siteId, state.openIncident));
        if (open.value) {
          op.check(open).set(open.key, { ...open.value, downCount: open.value.downCount + 1 });
        }
      }
    } else if (verdict.status === UP && state.openIncident !== null) {
      const open = await deps.kv.get<Incident>(keys.monitorIncident(siteId, state.openIncident));
      const incident: Incident = open.value
        ? { ...open.value, ended: started }
        : { started: state.openIncident, ended: started, cause: "", downCount: 0 };
      op.check(open).set(open.key, incident, { expireIn: retention });
      next.openIncident = null;
      out.closed = event(incident.started, incident.cause, started);
    }
    // A retry comes sooner than the next interval; the claim already moved `due` to that interval.
    if (verdict.retry && next.due !== null) {
      const retryAt = started + Math.min(RETRY_DELAY_MS, every);
      if (retryAt < next.due) {
        next.due = retryAt;
        next.seq = state.seq + 1;
        sendMonitorMessage(deps, op, next);
      }
    }
    putMonitorState(op, next, state.due);
    op.set(keys.monitorHeartbeat(siteId, started, heartbeat.id), heartbeat, { expireIn: retention });
    const hourly = await deps.kv.get<HourlyStat>(keys.monitorHourly(siteId, hourOf(started)));
    op.check(hourly).set(hourly.key, addToHour(hourly.value, heartbeat), { expireIn: retention });
    return out;
  });
  if (outcome.opened) await deps.hooks.doAction("fleetpress_incident_opened", outcome.opened);
  if (outcome.closed) await deps.hooks.doAction("fleetpress_incident_closed", outcome.closed);
  return outcome;
}
