/**
 * @module
 * Benchmark (issue 14): `GET /wp-json/mainwp/v2/sites?page=1&per_page=20` (and `per_page=100`) against a
 * server started exactly as `deno task start` (512 MB heap cap), on a fleet of `sites` sites each stored
 * with a realistic sync payload (`plugins` plugins, default 40 ≈ 24 KB), a read key, 4 connections for
 * 10 s each. With `writes`, a writer process of its own rewrites sites' sync data through the store at
 * 100 sites/s while the load runs. Prints the cold first page, req/s, p50/p99, errors and the server's
 * peak RSS next to the issue's targets; a server that dies is reported as such, and the run ends.
 *
 * @example
 * ```sh
 * deno task bench sites-list --sites 5000 --writes
 * ```
 */
import { createApiKey } from "../store/api-keys.ts";
import { createSite } from "../store/sites.ts";
import { hasWrk } from "./wrk.ts";
import { runLoad } from "./load.ts";
import { seedRealisticSites, spawnSyncWriter } from "./realistic.ts";
import { type ServerProcess, startServerProcess } from "./server.ts";

/** Seeds `count` sites without sync data and returns a read key's token (other scenarios' light fleets). */
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
  /** Sites stored (default 1,000). */
  sites?: number;
  /** Plugins per site, MainWP Child included (default 40; 0 = no sync data at all, as before issue 14). */
  plugins?: number;
  /** Rewrite sync data at 100 sites/s while the load runs. */
  writes?: boolean;
  connections?: number;
  durationMs?: number;
}

/** The issue's targets for `per_page=20`. */
export const TARGETS = {
  coldMs: 1000,
  idle: { rps: 1000, p99Ms: 25, rssMb: 300 },
  writes: { rps: 300, p99Ms: 100, rssMb: 300 },
} as const;

const WRITES_PER_SECOND = 100;

const mark = (ok: boolean) => ok ? "ok" : "MISSED";

function deathText(server: ServerProcess, afterMs: number): string {
  const s = server.exitStatus;
  if (!s) return "";
  return `SERVER DIED (exit code ${s.code}${s.signal ? `, signal ${s.signal}` : ""}) ` +
    `${(afterMs / 1000).toFixed(1)} s after it started listening`;
}

/** Fetches one page, bounded in time; returns its latency or the failure. */
async function timedGet(url: string, token: string): Promise<{ ms: number; status: number | string }> {
  const start = performance.now();
  try {
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    return { ms: performance.now() - start, status: res.status };
  } catch (error) {
    return { ms: performance.now() - start, status: error instanceof Error ? error.name : String(error) };
  }
}

/**
 * Runs the scenario and prints its figures with the targets.
 *
 * @example
 * ```ts
 * await benchSitesList({ sites: 1000, durationMs: 2000 });
 * ```
 */
export async function benchSitesList(options: SitesListBenchOptions = {}): Promise<void> {
  const sites = options.sites ?? 1000;
  const plugins = options.plugins ?? 40;
  const connections = options.connections ?? 4;
  const durationMs = options.durationMs ?? 10_000;
  const writes = options.writes ?? false;
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-bench-" });
  try {
    const kvPath = `${dir}/bench.kv`;
    const seedStart = performance.now();
    const fleet = plugins > 0
      ? await seedRealisticSites(kvPath, { sites, plugins })
      : { token: await seedSites(kvPath, sites), siteIds: [], syncBytes: 0 };
    console.log(
      `sites-list: ${sites} sites, ` +
        (plugins > 0
          ? `${plugins} plugins each (${(fleet.syncBytes / 1024).toFixed(1)} KB sync data), `
          : "no sync data, ") +
        `${writes ? `writer at ${WRITES_PER_SECOND} sites/s, ` : ""}${connections} connections ` +
        `(${
          (await hasWrk()) ? "wrk" : "Deno fetch workers; install wrk for figures of the server alone"
        }), ` +
        `${durationMs / 1000} s per run (seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s)`,
    );
    const spawned = performance.now();
    await using server = await startServerProcess({ KV_PATH: kvPath });
    const listening = performance.now() - spawned;
    const page = (perPage: number) => `${server.base}/mainwp/v2/sites?page=1&per_page=${perPage}`;
    const cold = await timedGet(page(20), fleet.token);
    const coldOk = cold.status === 200 && cold.ms <= TARGETS.coldMs;
    console.log(
      `  server listening after ${listening.toFixed(0)} ms; cold first page (per_page=20): ${
        cold.ms.toFixed(0)
      } ms, ` +
        `status ${cold.status} [target ≤ ${TARGETS.coldMs} ms: ${mark(coldOk)}]`,
    );
    const died = new AbortController();
    let diedAfterMs = Number.NaN;
    server.exited.then(() => {
      diedAfterMs = performance.now() - spawned - listening;
      died.abort();
    });
    const target = writes ? TARGETS.writes : TARGETS.idle;
    for (const perPage of [20, 100]) {
      if (server.exitStatus) break;
      const sync = writes
        ? await spawnSyncWriter(kvPath, fleet.siteIds, {
          perSecond: WRITES_PER_SECOND,
          plugins: Math.max(plugins, 1),
          maxMs: durationMs + 5_000,
        })
        : null;
      const r = await runLoad({
        url: page(perPage),
        connections,
        durationMs,
        warmupMs: 1000,
        headers: { Authorization: `Bearer ${fleet.token}` },
        signal: died.signal,
      });
      const w = await sync?.stop();
      const line = `  GET /sites?page=1&per_page=${perPage}: ${r.requestsPerSecond.toFixed(0)} req/s, ` +
        `p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(1)} ms, ` +
        `errors ${r.errors}${r.warmupErrors ? ` (+${r.warmupErrors} in the warm-up)` : ""}`;
      const dead = server.exitStatus !== null;
      const verdict = perPage !== 20
        ? ""
        : dead
        ? " [targets MISSED: the server died]"
        : ` [target ≥ ${target.rps} req/s: ${mark(r.requestsPerSecond >= target.rps)}, ` +
          `p99 ≤ ${target.p99Ms} ms: ${mark(r.p99Ms <= target.p99Ms)}` +
          `${writes ? `, no errors: ${mark(r.errors + r.warmupErrors === 0)}` : ""}]`;
      console.log(line + verdict);
      if (w) {
        console.log(
          `    writer: ${w.written} sites rewritten (${
            w.sitesPerSecond.toFixed(0)
          } sites/s), ${w.failed} failed, ` +
            `${w.lateTicks} late ticks [target ≥ ${WRITES_PER_SECOND} sites/s: ${
              mark(w.sitesPerSecond >= WRITES_PER_SECOND * 0.95)
            }]`,
        );
      }
      if (dead) {
        console.log(`  ${deathText(server, diedAfterMs)}, during per_page=${perPage} (warm-up included)`);
      }
    }
    const rss = await server.peakRssMb();
    console.log(
      `  server peak RSS: ${rss.toFixed(1)} MB [target ≤ ${target.rssMb} MB: ${mark(rss <= target.rssMb)}]` +
        (server.exitStatus ? ` (sampled every 200 ms until it died); ${deathText(server, diedAfterMs)}` : ""),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
