/**
 * @module
 * `GET /settings/monitoring` and `PUT|PATCH /settings/monitoring/edit` (MainWP's settings controller):
 * the same global monitoring defaults as `PUT /monitors/settings`, under MainWP's
 * `mainwp_uptime_monitoring_*` names, plus the site health settings MainWP keeps beside them.
 *
 * @example
 * ```ts
 * registerMonitoringSettingsRoutes(rest);
 * ```
 */
import { z } from "zod";
import { PUT_PATCH, READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import { restError } from "../rest/errors.ts";
import { globalMonitorSettings, updateGlobalMonitorSettings } from "../core/monitors/settings.ts";
import { monitoringSettingsView } from "./present/monitors.ts";
import { monitoringEditOf } from "./monitor-input.ts";

const NS = "mainwp/v2";

/** The body is read as MainWP reads it (`monitor-input.ts`). */
export const monitoringSettingsArgs = z.looseObject({});

/** `PUT /settings/monitoring/edit`: JSON only (MainWP's `invalid_content_type`), then the changes. */
async function editRoute(req: RestRequest) {
  const type = (req.raw.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw restError("invalid_content_type", "Invalid content type. Expected application/json.", 400);
  }
  const stored = await updateGlobalMonitorSettings(req.ctx, monitoringEditOf(req.json ?? {}));
  return { success: 1, data: monitoringSettingsView(stored) };
}

/** Registers the two monitoring settings routes. */
export function registerMonitoringSettingsRoutes(rest: RestServer): void {
  rest.register(NS, "/settings/monitoring", {
    methods: READABLE,
    args: monitoringSettingsArgs,
    handler: async (req) => ({
      success: 1,
      data: monitoringSettingsView(await globalMonitorSettings(req.ctx)),
    }),
  });
  rest.register(NS, "/settings/monitoring/edit", {
    methods: PUT_PATCH,
    args: monitoringSettingsArgs,
    handler: editRoute,
  });
}
