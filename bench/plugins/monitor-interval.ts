/**
 * @module
 * Benchmark plugin: every monitor is checked every `MONITOR_INTERVAL_SECONDS` seconds (default 60), through
 * `fleetpress_monitor_interval_seconds`.
 *
 * @example
 * ```sh
 * PLUGINS=./bench/plugins/monitor-interval.ts MONITOR_INTERVAL_SECONDS=60 deno task start
 * ```
 */
import type { PluginHost } from "../../plugins/host.ts";

/** Registers the interval filter. */
export function register(host: PluginHost): void {
  const seconds = Number(Deno.env.get("MONITOR_INTERVAL_SECONDS") ?? 60) || 60;
  host.addFilter("fleetpress_monitor_interval_seconds", () => seconds);
}
