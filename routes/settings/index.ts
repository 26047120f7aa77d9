/**
 * @module
 * The settings controller (`/wp-json/mainwp/v2/settings/…`) in MainWP's registration order. The
 * monitoring settings (`/settings/monitoring`, `…/edit`) belong to the monitors routes, which share their
 * storage with `/monitors/settings`.
 *
 * @example
 * ```ts
 * registerSettingsRoutes(rest);
 * ```
 */
import type { RestServer } from "../../rest/server.ts";
import { registerSettingsSectionRoutes } from "./sections.ts";
import { registerCostTrackerSettingsRoutes } from "./cost-tracker.ts";
import { registerToolsRoutes } from "./tools.ts";

/** Registers the settings routes. */
export function registerSettingsRoutes(rest: RestServer): void {
  registerSettingsSectionRoutes(rest, "general");
  registerSettingsSectionRoutes(rest, "emails");
  registerCostTrackerSettingsRoutes(rest);
  registerSettingsSectionRoutes(rest, "others");
  registerToolsRoutes(rest);
}
