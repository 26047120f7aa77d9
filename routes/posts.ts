/**
 * @module
 * The `/wp-json/mainwp/v2/posts` routes (rest-v2.md §2.9): posts listed across sites, read, edited,
 * created, status-changed and deleted on their child sites (see `routes/present/content-routes.ts`).
 *
 * @example
 * ```ts
 * registerPostsRoutes(rest);
 * ```
 */
import type { RestServer } from "../rest/server.ts";
import { registerContentRoutes } from "./present/content-routes.ts";

/** Registers the posts routes. */
export function registerPostsRoutes(rest: RestServer): void {
  registerContentRoutes(rest, "post");
}
