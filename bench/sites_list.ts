/**
 * @module
 * Benchmark: `GET /wp-json/mainwp/v2/sites?page=1&per_page=20` and `…per_page=100` with 1,000 sites
 * stored, a Bearer key, 4 connections for 10 s each; prints requests/s, p50/p99 and the server's peak
 * RSS. Target (issue 2) for per_page=20 on 2 cores: ≥ 3,000 req/s, p99 ≤ 10 ms, RSS ≤ 150 MB.
 *
 * @example
 * ```sh
 * deno task bench sites-list
 * ```
 */
import { createApiKey } from "../store/api-keys.ts";
import { createSite } from "../store/sites.ts";
import { runLoad } from "./load.ts";
import { startServerProcess } from "./server.ts";

/** Seeds `count` sites (spread over 10 clients' ids and 5 tag ids) and returns a read key's token. */
export async function seedSites(kvPath: string, count: number): Promise<string> {
  const kv = await Deno.openKv(kvPath);
  try {
    for (let i = 1; i <= count; i++) {
      await createSite(kv, {
        url: `https://site-${String(i).padStart(4, "0")}.example.test/`,
        name: `Site ${i}`,
        adminname: "admin",
        ip: `192.0.2.${i % 250}`,
      });
    }
    return (await createApiKey(kv, { permissions: "read", description: "bench" })).token;
  } finally {
    kv.close();
  }
}

/** Options for the scenario. */
export interface SitesListBenchOptions {
  sites?: number;
  connections?: number;
  durationMs?: number;
}

/**
 * Runs the scenario and prints one line per page size.
 *
 * @example
 * ```ts
 * await benchSitesList({ durationMs: 2000 });
 * ```
 */
export async function benchSitesList(options: SitesListBenchOptions = {}): Promise<void> {
  const sites = options.sites ?? 1000;
  const connections = options.connections ?? 4;
  const durationMs = options.durationMs ?? 10_000;
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-bench-" });
  try {
    const kvPath = `${dir}/bench.kv`;
    const token = await seedSites(kvPath, sites);
    await using server = await startServerProcess({ KV_PATH: kvPath });
    console.log(`sites-list: ${sites} sites, ${connections} connections, ${durationMs / 1000} s per run`);
    for (const perPage of [20, 100]) {
      const r = await runLoad({
        url: `${server.base}/mainwp/v2/sites?page=1&per_page=${perPage}`,
        connections,
        durationMs,
        warmupMs: 1000,
        headers: { Authorization: `Bearer ${token}` },
      });
      console.log(
        `  GET /sites?page=1&per_page=${perPage}: ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${
          r.p50Ms.toFixed(2)
        } ms, ` +
          `p99 ${r.p99Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(1)} ms, errors ${r.errors}`,
      );
    }
    console.log(`  server peak RSS: ${(await server.peakRssMb()).toFixed(1)} MB`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
