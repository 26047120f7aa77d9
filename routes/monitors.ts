/**
 * @module
 * The `/wp-json/mainwp/v2/monitors` routes (MainWP's monitors controller, 13 operations) in MainWP's
 * order: each parses its request (`monitor-input.ts`), calls `core/monitors/` and answers MainWP's wire
 * shape (`present/monitors.ts`). A monitor is named by its id (= its site's id) or its site's domain;
 * one that does not exist is MainWP's `200 {"success":0,"message":"Monitor not found."}`.
 *
 * @example
 * ```ts
 * registerMonitorsRoutes(rest);
 * ```
 */
import { z } from "zod";
import { opt, wp } from "../rest/args.ts";
import { CREATABLE, PUT_PATCH, READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import { ChildUnavailable, NotFound } from "../core/errors.ts";
import {
  getMonitor,
  heartbeatPage,
  listMonitors,
  monitorIncidents,
  monitorStats,
  type MonitorView,
  recentHeartbeats,
} from "../core/monitors/read.ts";
import { checkMonitor, retentionDays } from "../core/monitors/check.ts";
import { updateGlobalMonitorSettings, updateMonitorSettings } from "../core/monitors/settings.ts";
import { UP } from "../core/monitors/types.ts";
import {
  globalSettingsData,
  heartbeatItem,
  incidentItem,
  monitorBasic,
  monitorDetail,
  monitorListItem,
  monitorSettingsData,
} from "./present/monitors.ts";
import {
  bodyOf,
  globalChangeOf,
  listFilterOf,
  monitorChangeOf,
  statusOf,
  windowOf,
} from "./monitor-input.ts";

const NS = "mainwp/v2";
/** MainWP's `id_domain`: digits (a monitor id) or a domain. */
const ID_DOMAIN = String.raw`(?P<id_domain>(\d+|[A-Za-z0-9-\.]*[A-Za-z0-9-]{1,63}\.[A-Za-z]{2,6}))`;
/** Heartbeats in `GET /monitors/{id}` (MainWP sends all of 30 days). */
const DETAIL_HEARTBEATS = 1000;
/** Heartbeats one page carries at most (MainWP: all of them when `limit` is 0). */
const HEARTBEAT_PAGE_MAX = 5000;
const NOT_FOUND = { success: 0, message: "Monitor not found." } as const;
const NO_HEARTBEATS = { success: 0, message: "No heartbeats found." } as const;

const intMin = (min: number, max?: number) => {
  const range = max === undefined
    ? `%s must be greater than or equal to ${min}`
    : `%s must be between ${min} (inclusive) and ${max} (inclusive)`;
  let schema = z.int({ error: "%s is not of type integer." }).min(min, { error: range });
  if (max !== undefined) schema = schema.max(max, { error: range });
  return z.preprocess(
    (v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
    schema,
  );
};

/** `GET /monitors` and `/monitors/basic`. */
export const monitorListArgs = z.looseObject({
  status: opt(),
  search: wp.str().optional(),
  include: opt(),
  exclude: opt(),
  page: intMin(1).optional(),
  per_page: intMin(1, 200).optional(),
});

/** `GET /monitors/count`. */
export const monitorCountArgs = z.looseObject({
  status: opt(),
  search: wp.str().optional(),
  include: opt(),
  exclude: opt(),
});

/** Routes naming one monitor. */
export const monitorItemArgs = z.looseObject({ id_domain: wp.str().optional() });

/** `GET /monitors/{id}/heartbeat`. */
export const heartbeatArgs = z.looseObject({
  id_domain: wp.str().optional(),
  limit: wp.int().optional(),
  period: wp.str().optional(),
  since: wp.str().optional(),
  status: opt(),
  page: intMin(1).optional(),
});

/** `GET /monitors/{id}/incidents` and `/incidents/count`. */
export const incidentArgs = z.looseObject({
  id_domain: wp.str().optional(),
  page: intMin(1).optional(),
  per_page: intMin(1, 200).optional(),
});

/** Settings routes: the body is read as MainWP reads it (`monitor-input.ts`). */
export const settingsArgs = z.looseObject({});

/** The monitor `id_domain` names: digits are a monitor id, anything else a site domain. */
async function monitorOf(req: RestRequest<{ id_domain?: string }>): Promise<MonitorView | null> {
  const raw = (req.args.id_domain ?? "").trim();
  try {
    if (/^\d+$/.test(raw)) return await getMonitor(req.ctx, { by: "id", id: Number(raw) });
    return await getMonitor(req.ctx, { by: "domain", domain: raw.toLowerCase().replace(/\/+$/, "") });
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

const pageArgs = (args: { page?: number; per_page?: number }) => ({
  page: args.page ?? 1,
  perPage: args.per_page ?? 20,
});

async function listRoute(req: RestRequest<z.output<typeof monitorListArgs>>, basic: boolean) {
  const { page, perPage } = pageArgs(req.args);
  const all = await listMonitors(req.ctx, listFilterOf(req.args));
  const views = all.slice((page - 1) * perPage, page * perPage);
  const now = Date.now();
  const data = basic ? views.map(monitorBasic) : await Promise.all(
    views.map(async (v) => monitorListItem(v, await monitorStats(req.ctx, v.siteId, now))),
  );
  return { success: 1, total: data.length, data };
}

async function detailRoute(req: RestRequest<{ id_domain?: string }>) {
  const view = await monitorOf(req);
  if (!view) return NOT_FOUND;
  const now = Date.now();
  const [stats, beats] = await Promise.all([
    monitorStats(req.ctx, view.siteId, now),
    recentHeartbeats(req.ctx, view.siteId, now, DETAIL_HEARTBEATS),
  ]);
  return { success: 1, data: monitorDetail(view, stats, beats) };
}

async function heartbeatRoute(req: RestRequest<z.output<typeof heartbeatArgs>>) {
  const view = await monitorOf(req);
  if (!view) return NOT_FOUND;
  const status = statusOf(req.args.status);
  const range = windowOf(req.args.period, req.args.since, Date.now());
  const limit = Math.abs(req.args.limit ?? 0);
  const page = req.args.page ?? 1;
  const found = await heartbeatPage(req.ctx, view.siteId, range, {
    status,
    page,
    perPage: limit,
    cap: HEARTBEAT_PAGE_MAX,
  });
  if (found.total === 0 || found.items.length === 0) return NO_HEARTBEATS;
  return {
    success: 1,
    data: found.items.map((h) => heartbeatItem(view.siteId, h)),
    meta: {
      page,
      per_page: limit,
      total: found.total,
      total_pages: limit > 0 ? Math.ceil(found.total / limit) : 1,
    },
  };
}

async function incidentsOf(req: RestRequest<z.output<typeof incidentArgs>>) {
  const view = await monitorOf(req);
  if (!view) return { answer: NOT_FOUND } as const;
  if (view.state.beats === 0) return { answer: NO_HEARTBEATS } as const;
  const { page, perPage } = pageArgs(req.args);
  const incidents = await monitorIncidents(req.ctx, view.siteId);
  return { page: incidents.slice((page - 1) * perPage, page * perPage) } as const;
}

async function checkRoute(req: RestRequest<{ id_domain?: string }>) {
  const view = await monitorOf(req);
  if (!view) return NOT_FOUND;
  let heartbeat;
  try {
    ({ heartbeat } = await checkMonitor(req.ctx, view.siteId));
  } catch (error) {
    // MainWP answers a check that threw with its message (here: the site-address guard's refusal).
    if (error instanceof ChildUnavailable) return { success: 0, message: error.message };
    throw error;
  }
  if (!heartbeat) return { success: 0, message: "Website not found." };
  return {
    success: 1,
    data: { http_code: heartbeat.httpCode, uptime_status: heartbeat.status === UP ? "up" : "down" },
  };
}

async function globalSettingsRoute(req: RestRequest) {
  const change = globalChangeOf(bodyOf(req.json));
  const stored = await updateGlobalMonitorSettings(req.ctx, change);
  return { success: 1, data: globalSettingsData(stored, await retentionDays(req.ctx)) };
}

async function monitorSettingsRoute(req: RestRequest<{ id_domain?: string }>) {
  const view = await monitorOf(req);
  if (!view) return NOT_FOUND;
  const change = monitorChangeOf(bodyOf(req.json));
  await updateMonitorSettings(req.ctx, view.siteId, change);
  return { success: 1, data: monitorSettingsData(view.siteId, change) };
}

/** Registers the monitors routes in MainWP's order. */
export function registerMonitorsRoutes(rest: RestServer): void {
  rest.register(NS, "/monitors", {
    methods: READABLE,
    args: monitorListArgs,
    handler: (r) => listRoute(r, false),
  });
  rest.register(NS, "/monitors/basic", {
    methods: READABLE,
    args: monitorListArgs,
    handler: (r) => listRoute(r, true),
  });
  rest.register(NS, "/monitors/count", {
    methods: READABLE,
    args: monitorCountArgs,
    handler: async (req) => ({
      success: 1,
      count: (await listMonitors(req.ctx, listFilterOf(req.args))).length,
    }),
  });
  rest.register(NS, `/monitors/${ID_DOMAIN}`, {
    methods: READABLE,
    args: monitorItemArgs,
    handler: detailRoute,
  });
  rest.register(NS, `/monitors/${ID_DOMAIN}/basic`, {
    methods: READABLE,
    args: monitorItemArgs,
    handler: async (req) => {
      const view = await monitorOf(req);
      return view ? { success: 1, data: monitorBasic(view) } : NOT_FOUND;
    },
  });
  rest.register(NS, `/monitors/${ID_DOMAIN}/heartbeat`, {
    methods: READABLE,
    args: heartbeatArgs,
    handler: heartbeatRoute,
  });
  rest.register(NS, `/monitors/${ID_DOMAIN}/incidents`, {
    methods: READABLE,
    args: incidentArgs,
    handler: async (req) => {
      const found = await incidentsOf(req);
      return "answer" in found ? found.answer : { success: 1, data: found.page.map(incidentItem) };
    },
  });
  rest.register(NS, `/monitors/${ID_DOMAIN}/incidents/count`, {
    methods: READABLE,
    args: incidentArgs,
    handler: async (req) => {
      const found = await incidentsOf(req);
      if ("answer" in found) return found.answer;
      return { success: 1, count: found.page.reduce((n, i) => n + i.downCount, 0) };
    },
  });
  rest.register(NS, `/monitors/${ID_DOMAIN}/settings`, {
    methods: PUT_PATCH,
    args: monitorItemArgs,
    handler: monitorSettingsRoute,
  });
  rest.register(NS, `/monitors/${ID_DOMAIN}/check`, {
    methods: CREATABLE,
    args: monitorItemArgs,
    handler: checkRoute,
  });
  rest.register(NS, "/monitors/settings", {
    methods: PUT_PATCH,
    args: settingsArgs,
    handler: globalSettingsRoute,
  });
}
