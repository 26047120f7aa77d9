/**
 * @module
 * Benchmark: a global `POST /wp-json/mainwp/v2/batch` of 100 `sites.sync` items against simulated sites
 * answering in 50 ms; prints the wall time (MainWP runs the items one after another: ≥ 5 s).
 *
 * @example
 * ```sh
 * deno task bench batch-sync
 * ```
 */
import { simulatedFleet } from "./fleet.ts";
import { startServerProcess } from "./server.ts";

/**
 * Runs the scenario and prints its figures.
 *
 * @example
 * ```ts
 * await benchBatchSync();
 * ```
 */
export async function benchBatchSync(options: { sites?: number; latencyMs?: number } = {}): Promise<void> {
  const sites = options.sites ?? 100;
  const latencyMs = options.latencyMs ?? 50;
  await using fleet = await simulatedFleet({ sites, latencyMs });
  await using server = await startServerProcess(fleet.serverEnv);
  const start = performance.now();
  const res = await fetch(`${server.base}/mainwp/v2/batch`, {
    method: "POST",
    headers: { Authorization: `Bearer ${fleet.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ sites: { sync: fleet.siteIds } }),
  });
  const body = await res.json();
  const wall = performance.now() - start;
  const items: { success?: number }[] = body?.sites?.sync ?? [];
  const ok = items.filter((i) => i.success === 1).length;
  console.log(`batch-sync: global batch of ${sites} sites.sync items, child latency ${latencyMs} ms`);
  console.log(`  HTTP ${res.status}, ${ok}/${items.length} synced, wall time ${(wall / 1000).toFixed(2)} s`);
  console.log(`  MainWP runs them one after another: ≥ ${(sites * latencyMs / 1000).toFixed(1)} s`);
  console.log(`  server peak RSS: ${(await server.peakRssMb()).toFixed(1)} MB`);
}
