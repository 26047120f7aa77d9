/**
 * @module
 * Registers every route module in MainWP's registration order (routes are tried in order and the first
 * match wins).
 *
 * @example
 * ```ts
 * registerAllRoutes(rest);
 * ```
 */
import type { RestServer } from "../rest/server.ts";
import { registerSitesRoutes } from "./sites.ts";
import { registerClientsRoutes } from "./clients.ts";
import { registerTagsRoutes } from "./tags.ts";
import { registerCostsRoutes } from "./costs.ts";
import { registerUpdatesRoutes } from "./updates.ts";
import { registerBatchRoutes } from "./batch.ts";
import { registerPostsRoutes } from "./posts.ts";
import { registerPagesRoutes } from "./pages.ts";
import { registerUsersRoutes } from "./users.ts";
import { registerApiKeysRoutes } from "./api-keys.ts";
import { registerSettingsRoutes } from "./settings/index.ts";
import { registerAbilityRoutes } from "./abilities.ts";
import { registerJobsRoutes } from "./jobs.ts";
import { registerMonitorsRoutes } from "./monitors.ts";
import { registerMonitoringSettingsRoutes } from "./monitoring-settings.ts";
import { registerWebhookRoutes } from "./webhooks.ts";
import { mainwpRestErrorOf } from "./errors.ts";

/** The MainWP REST namespace. */
export const MAINWP_NS = "mainwp/v2";

/** Registers all built-in routes. */
export function registerAllRoutes(rest: RestServer): void {
  rest.mapErrors(MAINWP_NS, mainwpRestErrorOf);
  registerSitesRoutes(rest);
  registerClientsRoutes(rest);
  registerTagsRoutes(rest);
  registerCostsRoutes(rest);
  registerUpdatesRoutes(rest);
  registerPostsRoutes(rest);
  registerPagesRoutes(rest);
  registerBatchRoutes(rest);
  registerMonitorsRoutes(rest);
  registerMonitoringSettingsRoutes(rest);
  registerApiKeysRoutes(rest);
  registerSettingsRoutes(rest);
  // MainWP's namespace order: … batch, monitors, rest_api_keys, settings, posts, pages, users.
  registerUsersRoutes(rest);
  registerJobsRoutes(rest);
  registerAbilityRoutes(rest);
  registerWebhookRoutes(rest);
}
