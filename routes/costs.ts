/**
 * @module
 * The `/wp-json/mainwp/v2/costs` routes (rest-v2.md). Placeholder until the costs work lands.
 *
 * @example
 * ```ts
 * registerCostsRoutes(rest);
 * ```
 */
import type { RestServer } from "../rest/server.ts";

/** Registers the costs routes in MainWP's order. */
export function registerCostsRoutes(_rest: RestServer): void {
}
