/**
 * @module
 * The `/wp-json/mainwp/v2/clients` routes (rest-v2.md). Placeholder until the clients work lands.
 *
 * @example
 * ```ts
 * registerClientsRoutes(rest);
 * ```
 */
import type { RestServer } from "../rest/server.ts";

/** Registers the clients routes in MainWP's order. */
export function registerClientsRoutes(_rest: RestServer): void {
}
