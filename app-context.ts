/**
 * @module
 * The application context handed to routes, services and plugins: configuration, the KV handle, the
 * hook registry, the REST route table, the child connector, the secret key, the abilities and the jobs.
 * One per running app (app.ts builds it); tests build their own. It lives at the application layer
 * because it names every layer's services; core operations take the narrow `core/deps.ts` types instead.
 *
 * @example
 * ```ts
 * const limit = await ctx.hooks.applyFilters("mainwp_rest_batch_items_limit", 100, "sites");
 * ```
 */
import type { ChildDeps } from "./core/deps.ts";
import type { RestServer } from "./rest/server.ts";
import type { AbilityRegistry } from "./abilities/registry.ts";
import type { JobEngine } from "./jobs/engine.ts";
import type { MonitorRunner } from "./core/monitors/runner.ts";
import type { FleetScheduler } from "./core/schedule/fleet-sync.ts";
import type { WebhookDispatcher } from "./core/webhooks/dispatcher.ts";

/** Shared services of one running app: `ChildDeps` (kv, hooks, child, secretKey, config) and more. */
export interface AppContext extends ChildDeps {
  rest: RestServer;
  /** The WordPress Abilities API registry. */
  abilities: AbilityRegistry;
  /** Background batch jobs (queued above `mainwp_abilities_batch_threshold`); started by `main.ts`. */
  jobs: JobEngine;
  /** Scheduled uptime checks; started by `main.ts` beside the jobs. */
  monitors: MonitorRunner;
  /** The scheduled fleet sync and automatic updates (core/schedule/); started by `main.ts`. */
  schedule: FleetScheduler;
  /** Outbound webhooks (core/webhooks/): events are stored at once; delivery starts with `main.ts`. */
  webhooks: WebhookDispatcher;
}
