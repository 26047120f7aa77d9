/**
 * @module
 * The `/wp-json/mainwp/v2/pages` routes (rest-v2.md §2.9): pages listed across sites, read, edited,
 * created, status-changed and deleted on their child sites (see `routes/present/content-routes.ts`).
 *
 * @example
 * ```ts
 * registerPagesRoutes(rest);
 * ```
 */
import type { RestServer } from "../rest/server.ts";
import { registerContentRoutes } from "./present/content-routes.ts";

/** Registers the pages routes. */
export function registerPagesRoutes(rest: RestServer): void {
  registerContentRoutes(rest, "page");
}
