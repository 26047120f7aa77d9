/**
 * @module
 * Benchmark: `GET /wp-json/wp-abilities/v1/abilities/mainwp/list-sites-v1/run?input[per_page]=20` with an
 * application password (HTTP Basic), 1,000 sites, 4 connections; prints requests/s and p50/p99
 * (MainWP 6.1.2 on this machine: 53 req/s).
 *
 * @example
 * ```sh
 * deno task bench abilities-list
 * ```
 */
import { seedSites } from "./sites_list.ts";
import { runLoad } from "./load.ts";
import { startServerProcess } from "./server.ts";
import { createAppPassword, createUser } from "../store/users.ts";

/**
 * Runs the scenario and prints one line.
 *
 * @example
 * ```ts
 * await benchAbilitiesList({ durationMs: 3000 });
 * ```
 */
export async function benchAbilitiesList(options: { durationMs?: number } = {}): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-bench-" });
  try {
    const kvPath = `${dir}/bench.kv`;
    await seedSites(kvPath, 1000);
    const kv = await Deno.openKv(kvPath);
    const user = (await createUser(kv, { login: "admin" }))!;
    const { password } = await createAppPassword(kv, user.id, "bench");
    kv.close();
    await using server = await startServerProcess({ KV_PATH: kvPath });
    const r = await runLoad({
      url: `${server.base}/wp-abilities/v1/abilities/mainwp/list-sites-v1/run?input[per_page]=20`,
      connections: 4,
      durationMs: options.durationMs ?? 10_000,
      warmupMs: 1000,
      headers: { Authorization: `Basic ${btoa(`admin:${password}`)}` },
    });
    console.log(`abilities-list: 1000 sites, 4 connections, application password`);
    console.log(
      `  GET …/mainwp/list-sites-v1/run?input[per_page]=20: ${r.requestsPerSecond.toFixed(0)} req/s, ` +
        `p50 ${r.p50Ms.toFixed(2)} ms, p99 ${
          r.p99Ms.toFixed(2)
        } ms, errors ${r.errors} (MainWP 6.1.2: 53 req/s)`,
    );
    console.log(`  server peak RSS: ${(await server.peakRssMb()).toFixed(1)} MB`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
