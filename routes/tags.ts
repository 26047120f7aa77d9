/**
 * @module
 * The `/wp-json/mainwp/v2/tags` routes (rest-v2.md). Placeholder until the tags work lands.
 *
 * @example
 * ```ts
 * registerTagsRoutes(rest);
 * ```
 */
import type { RestServer } from "../rest/server.ts";

/** Registers the tags routes in MainWP's order. */
export function registerTagsRoutes(_rest: RestServer): void {
}
