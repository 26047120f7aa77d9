/**
 * @module
 * The `/wp-json/mainwp/v2/sites` routes (rest-v2.md). Placeholder until the sites work lands.
 *
 * @example
 * ```ts
 * registerSitesRoutes(rest);
 * ```
 */
import type { RestServer } from "../rest/server.ts";

/** Registers the sites routes in MainWP's order. */
export function registerSitesRoutes(_rest: RestServer): void {
}
