/**
 * @module
 * The application context handed to routes, services and plugins: configuration, the KV handle, the
 * hook registry and the REST route table. One per running app; tests build their own.
 *
 * @example
 * ```ts
 * const limit = await ctx.hooks.applyFilters("mainwp_rest_batch_items_limit", 100, "sites");
 * ```
 */
import type { Config } from "./config.ts";
import type { HookRegistry } from "../hooks/registry.ts";
import type { RestServer } from "../rest/server.ts";

/** Shared services of one running app. */
export interface AppContext {
  config: Config;
  kv: Deno.Kv;
  hooks: HookRegistry;
  rest: RestServer;
}
