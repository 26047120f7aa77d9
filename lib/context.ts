/**
 * @module
 * The application context handed to routes, services and plugins: configuration, the KV handle, the
 * hook registry, the REST route table, the child connector and the secret key. One per running app; tests build their own.
 *
 * @example
 * ```ts
 * const limit = await ctx.hooks.applyFilters("mainwp_rest_batch_items_limit", 100, "sites");
 * ```
 */
import type { Config } from "./config.ts";
import type { HookRegistry } from "../hooks/registry.ts";
import type { RestServer } from "../rest/server.ts";
import type { ChildConnector } from "../child/connector.ts";
import type { AbilityRegistry } from "../abilities/registry.ts";
import type { JobEngine } from "../jobs/engine.ts";

/** Shared services of one running app. */
export interface AppContext {
  config: Config;
  kv: Deno.Kv;
  hooks: HookRegistry;
  rest: RestServer;
  /** Talks to MainWP Child sites (signed calls, limits). */
  child: ChildConnector;
  /** Encrypts site private keys at rest. */
  secretKey: string;
  /** The WordPress Abilities API registry. */
  abilities: AbilityRegistry;
  /** Background batch jobs (queued above `mainwp_abilities_batch_threshold`); started by `main.ts`. */
  jobs: JobEngine;
}
