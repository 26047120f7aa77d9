/**
 * @module
 * Benchmark and crash-test plugin: every bulk operation becomes a background job
 * (`mainwp_abilities_batch_threshold` 0) that starts at once and runs its chunks back to back (initial and
 * reschedule delays 0); chunks hold `FAST_JOBS_CHUNK` sites (default 20). Registered at priority 20 so
 * it wins over `connector-64.ts`'s threshold.
 *
 * @example
 * ```sh
 * PLUGINS=./bench/plugins/connector-64.ts,./bench/plugins/fast-jobs.ts deno task start
 * ```
 */
import type { PluginHost } from "../../plugins/host.ts";

/** Registers the job filters. */
export function register(host: PluginHost): void {
  const chunk = Number(Deno.env.get("FAST_JOBS_CHUNK") ?? 20) || 20;
  host.addFilter("mainwp_abilities_batch_threshold", () => 0, 20);
  host.addFilter("mainwp_abilities_cron_initial_delay", () => 0, 20);
  host.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0, 20);
  host.addFilter("mainwp_abilities_cron_chunk_size", () => chunk, 20);
}
