/**
 * @module
 * Benchmark: `POST /wp-json/mainwp/v2/sites/sync` for 1,000 simulated sites answering in 50 ms, run
 * immediately, with the connector's limits raised to 64; prints the wall time, the ratio to the ideal
 * (1,000 × 50 ms / 64 ≈ 0.78 s) and the server's peak RSS. Target (issue 3): within 2× of ideal,
 * RSS ≤ 200 MB.
 *
 * @example
 * ```sh
 * deno task bench sync-fanout
 * ```
 */
import { simulatedFleet } from "./fleet.ts";
import { startServerProcess } from "./server.ts";

/**
 * Runs the scenario and prints its figures.
 *
 * @example
 * ```ts
 * await benchSyncFanout({ sites: 200 });
 * ```
 */
export async function benchSyncFanout(options: { sites?: number; latencyMs?: number } = {}): Promise<void> {
  const sites = options.sites ?? 1000;
  const latencyMs = options.latencyMs ?? 50;
  const concurrency = 64;
  await using fleet = await simulatedFleet({ sites, latencyMs });
  await using server = await startServerProcess(fleet.serverEnv);
  const start = performance.now();
  const res = await fetch(`${server.base}/mainwp/v2/sites/sync`, {
    method: "POST",
    headers: { Authorization: `Bearer ${fleet.token}` },
  });
  const body = await res.json();
  const wall = (performance.now() - start) / 1000;
  const results = Object.values(body?.data ?? {}) as { result?: string }[];
  const ok = results.filter((r) => r.result === "success").length;
  const ideal = (sites * latencyMs) / 1000 / concurrency;
  console.log(
    `sync-fanout: POST /sites/sync for ${sites} sites, child latency ${latencyMs} ms, connector limit ${concurrency}`,
  );
  console.log(`  HTTP ${res.status}, ${ok}/${results.length} synced, wall time ${wall.toFixed(2)} s`);
  console.log(`  ideal ${ideal.toFixed(2)} s, ratio ${(wall / ideal).toFixed(2)}×`);
  console.log(`  server peak RSS: ${(await server.peakRssMb()).toFixed(1)} MB`);
}
