/**
 * @module
 * When monitors are checked. Each monitor's state holds its next due time and a schedule sequence; a
 * due-time index lists the scheduled ones. A check is **claimed** by one atomic commit that checks the
 * state's versionstamp and moves `due` one interval on (so across every process a due time is checked
 * at most once), and with queues (local KV) enqueues the next run in that same commit; without queues
 * (remote KV) a tick claims what the index shows due. A stale or duplicated queue message carries an
 * old sequence and does nothing. Monitors are created with their site and removed with it.
 *
 * @example
 * ```ts
 * await createMonitor(ctx, site.id);
 * const claimed = await claimDueCheck(ctx, site.id, null, Date.now());
 * ```
 */
import type { ChildDeps } from "../deps.ts";
import { isDatabaseLocked } from "../../store/kv.ts";
import { keys } from "../../store/keys.ts";
import { getSite, listSites } from "../../store/sites.ts";
import {
  deleteMonitorData,
  getGlobalMonitorSettings,
  getMonitorOverrides,
  getMonitorStateEntry,
  listMonitorStates,
  type MonitorState,
  newMonitorState,
  putMonitorState,
} from "../../store/monitors.ts";
import { type EffectiveSettings, intervalMs, resolveSettings } from "./settings.ts";

/** Commits `op`; `false` when another write won, or another process held the store's write lock. */
export async function tryCommit(op: Deno.AtomicOperation): Promise<boolean> {
  try {
    return (await op.commit()).ok;
  } catch (error) {
    if (isDatabaseLocked(error)) return false;
    throw error;
  }
}

/** Spreads first checks evenly over an interval (the golden ratio's fractional steps). */
const GOLDEN = 0.6180339887498949;

/** A queue message that runs one scheduled check. */
export interface MonitorMessage {
  fleetpress_monitor: number;
  seq: number;
}

/** Whether a queue message is a {@link MonitorMessage}. */
export function isMonitorMessage(value: unknown): value is MonitorMessage {
  if (!value || typeof value !== "object") return false;
  const m = value as Record<string, unknown>;
  return Number.isInteger(m.fleetpress_monitor) && Number.isInteger(m.seq);
}

/**
 * With queues, adds the run of `state`'s due time to `op` (poll mode reads the due index instead).
 *
 * @example
 * ```ts
 * sendMonitorMessage(ctx, op, state);
 * ```
 */
export function sendMonitorMessage(
  deps: Pick<ChildDeps, "config">,
  op: Deno.AtomicOperation,
  state: MonitorState,
) {
  if (deps.config.jobsMode !== "queue" || state.due === null) return;
  const message: MonitorMessage = { fleetpress_monitor: state.siteId, seq: state.seq };
  op.enqueue(message, { delay: Math.max(0, Math.min(state.due - Date.now(), 2_592_000_000)) });
}

/**
 * Brings monitors' schedules in line with their settings: an active monitor that is not scheduled is
 * due one interval after its last check (if sooner than its current due time), or — never checked — now
 * when it is the only one, else spread over its first interval; an inactive one is unscheduled.
 * `siteIds` limits it to those monitors; missing states are created.
 *
 * @example
 * ```ts
 * await rescheduleMonitors(ctx); // after the global settings changed
 * ```
 */
export async function rescheduleMonitors(deps: ChildDeps, siteIds?: number[]): Promise<void> {
  const global = await getGlobalMonitorSettings(deps.kv);
  const ids = siteIds ?? (await listMonitorStates(deps.kv)).map((s) => s.siteId);
  for (const siteId of ids) {
    for (let attempt = 0; attempt < 10; attempt++) {
      const entry = await getMonitorStateEntry(deps.kv, siteId);
      const site = await getSite(deps.kv, siteId);
      if (!site) break;
      const state = entry.value ?? newMonitorState(siteId);
      const settings = resolveSettings(global, await getMonitorOverrides(deps.kv, siteId));
      const now = Date.now();
      let due: number | null = null;
      if (settings.active) {
        const every = await intervalMs(deps, { siteId, url: site.url }, settings.intervalMinutes);
        // Many monitors switched on at once are spread over one interval (no burst every interval);
        // one monitor alone is checked at once.
        const first = ids.length > 1 ? now + Math.floor(((siteId * GOLDEN) % 1) * every) : now;
        const byInterval = state.lastCheck > 0 ? Math.max(now, state.lastCheck + every) : first;
        due = state.due === null ? byInterval : Math.min(state.due, byInterval);
      }
      if (entry.value && due === state.due) break;
      const next: MonitorState = { ...state, due, seq: state.seq + 1 };
      const op = deps.kv.atomic().check(entry);
      putMonitorState(op, next, state.due);
      sendMonitorMessage(deps, op, next);
      if (await tryCommit(op)) break;
    }
  }
}

/**
 * Creates a site's monitor (following the global settings) and schedules it when monitoring is on.
 *
 * @example
 * ```ts
 * await createMonitor(ctx, site.id); // called when a site is added
 * ```
 */
export async function createMonitor(deps: ChildDeps, siteId: number): Promise<void> {
  await rescheduleMonitors(deps, [siteId]);
}

/**
 * Removes a site's monitor with its heartbeats and incidents.
 *
 * @example
 * ```ts
 * await removeMonitor(ctx, site.id); // called when a site is removed
 * ```
 */
export async function removeMonitor(deps: Pick<ChildDeps, "kv">, siteId: number): Promise<void> {
  await deleteMonitorData(deps.kv, siteId);
}

/**
 * Creates the monitors of sites that have none (sites stored before monitors existed, or written to the
 * store directly), in batches. Answers how many were created.
 *
 * @example
 * ```ts
 * await ensureMonitors(ctx); // at start
 * ```
 */
export async function ensureMonitors(deps: ChildDeps): Promise<number> {
  const missing: number[] = [];
  for (const site of await listSites(deps.kv)) {
    if (!(await deps.kv.get(keys.monitorState(site.id))).versionstamp) missing.push(site.id);
  }
  await rescheduleMonitors(deps, missing);
  return missing.length;
}

/** A claimed check: the due time it covers and the settings to check with. */
export interface ClaimedCheck {
  due: number;
  settings: EffectiveSettings;
}

/**
 * Claims the check of a monitor due at or before `now`: one commit checked against the state moves
 * `due` one interval on (past `now` when checks were missed) and, with queues, enqueues that run. `seq`
 * (a queue message's) must match the state's; `null` (a poller) takes whatever is due. `null` when
 * nothing is due, another process claimed it, or the monitor is inactive (it is then unscheduled).
 *
 * @example
 * ```ts
 * const claim = await claimDueCheck(ctx, 3, message.seq, Date.now());
 * if (claim) await checkMonitor(ctx, 3, claim);
 * ```
 */
export async function claimDueCheck(
  deps: ChildDeps,
  siteId: number,
  seq: number | null,
  now: number,
): Promise<ClaimedCheck | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const entry = await getMonitorStateEntry(deps.kv, siteId);
    const state = entry.value;
    if (!state || state.due === null || state.due > now) return null;
    if (seq !== null && state.seq !== seq) return null;
    const [global, own, site] = await Promise.all([
      getGlobalMonitorSettings(deps.kv),
      getMonitorOverrides(deps.kv, siteId),
      getSite(deps.kv, siteId),
    ]);
    const settings = resolveSettings(global, own);
    let due: number | null = null;
    if (settings.active && site) {
      const every = await intervalMs(deps, { siteId, url: site.url }, settings.intervalMinutes);
      due = state.due + every;
      // Missed runs (a stopped process) are not made up: the next one is one interval from now.
      if (due <= now) due = now + every;
    }
    const next: MonitorState = { ...state, due, seq: state.seq + 1 };
    const op = deps.kv.atomic().check(entry);
    putMonitorState(op, next, state.due);
    sendMonitorMessage(deps, op, next);
    if (await tryCommit(op)) return due === null ? null : { due: state.due, settings };
  }
  return null;
}
