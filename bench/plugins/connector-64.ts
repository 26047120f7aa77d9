/**
 * @module
 * Benchmark plugin: raises the child connector's limits to 64 requests in flight overall and per host
 * (every simulated site shares 127.0.0.1, where MainWP's default of one request per IP would serialise
 * them), and lifts `mainwp_abilities_batch_threshold` so the 1,000-site bulk sync runs immediately instead of
 * becoming a background job. Loaded with `PLUGINS=./bench/plugins/connector-64.ts`.
 *
 * @example
 * ```sh
 * PLUGINS=./bench/plugins/connector-64.ts deno task start
 * ```
 */
import type { PluginHost } from "../../plugins/host.ts";

/** Registers the limit filters. */
export function register(host: PluginHost): void {
  host.addFilter("mainwp_abilities_batch_threshold", () => 1_000_000);
  host.addFilter("fleetpress_child_max_concurrent", () => 64);
  host.addFilter("fleetpress_child_max_per_host", () => 64);
}
