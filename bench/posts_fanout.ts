/**
 * @module
 * Benchmark `posts-fanout`: one `GET /wp-json/mainwp/v2/posts?websites=…&status=publish` over 100
 * simulated child sites that answer in 50 ms, against a server process whose child connector is raised to
 * 64 requests in flight overall and per host (`PLUGINS=./bench/plugins/connector-64.ts`). Every site's
 * `get_all_posts` is read while the request runs, so the bound is the latency over the concurrency
 * (100 × 50 ms / 64 ≈ 0.08 s; two rounds of requests make it 0.1 s in practice). Prints the wall time, the
 * ratio to that bound, the server's CPU time and its peak RSS. Target (issue 15): within 2× of the bound.
 *
 * Set-up (not timed) as `sync-fanout`: sites registered with the simulator and stored directly, one shared
 * key pair (`bench/fleet.ts`). One untimed request warms the server up first (JIT, KV, TLS-free sockets).
 *
 * @example
 * ```sh
 * deno task bench posts-fanout
 * ```
 */
import { simulatedFleet } from "./fleet.ts";
import { startServerProcess } from "./server.ts";
import { cpuSeconds } from "./sync_fanout.ts";

/** The connector limit set by `bench/plugins/connector-64.ts`. */
const CONCURRENCY = 64;

/** What one run measured. */
export interface PostsFanoutResult {
  sites: number;
  latencyMs: number;
  status: number;
  /** Sites that answered with their list (no per-site error). */
  answered: number;
  posts: number;
  wallSeconds: number;
  boundSeconds: number;
  ratio: number;
  serverCpuSeconds: number;
  peakRssMb: number;
}

/**
 * Runs the scenario, prints its figures and returns them.
 *
 * @example
 * ```ts
 * const { ratio } = await runPostsFanout({ sites: 20 });
 * ```
 */
export async function runPostsFanout(
  options: { sites?: number; latencyMs?: number } = {},
): Promise<PostsFanoutResult> {
  const sites = options.sites ?? 100;
  const latencyMs = options.latencyMs ?? 50;
  await using fleet = await simulatedFleet({ sites, latencyMs });
  await using server = await startServerProcess(fleet.serverEnv);
  const url = `${server.base}/mainwp/v2/posts?status=publish&websites=${fleet.siteIds.join(",")}`;
  const get = () => fetch(url, { headers: { Authorization: `Bearer ${fleet.token}` } });
  await (await get()).body?.cancel();
  const cpuBefore = await cpuSeconds(server.pid);
  const start = performance.now();
  const res = await get();
  const body = await res.json();
  const wallSeconds = (performance.now() - start) / 1000;
  const serverCpuSeconds = (await cpuSeconds(server.pid)) - cpuBefore;
  const lists = Object.values(body?.data ?? {}) as unknown[][];
  const failed = Object.keys(body?.errors ?? {}).length;
  const boundSeconds = (sites * latencyMs) / 1000 / CONCURRENCY;
  const result: PostsFanoutResult = {
    sites,
    latencyMs,
    status: res.status,
    answered: sites - failed,
    posts: lists.reduce((n, l) => n + l.length, 0),
    wallSeconds,
    boundSeconds,
    ratio: wallSeconds / boundSeconds,
    serverCpuSeconds,
    peakRssMb: await server.peakRssMb(),
  };
  console.log(
    `posts-fanout: GET /posts over ${sites} sites, child latency ${latencyMs} ms, connector limit ${CONCURRENCY}`,
  );
  console.log(
    `  HTTP ${res.status}, ${result.answered}/${sites} sites answered, ${result.posts} posts, ` +
      `wall time ${wallSeconds.toFixed(3)} s`,
  );
  console.log(`  bound ${boundSeconds.toFixed(3)} s, ratio ${result.ratio.toFixed(2)}× (target ≤ 2×)`);
  console.log(`  server CPU ${serverCpuSeconds.toFixed(3)} s`);
  console.log(`  server peak RSS: ${result.peakRssMb.toFixed(1)} MB`);
  return result;
}

/**
 * The `posts-fanout` scenario of `deno task bench`: {@link runPostsFanout} with 100 sites at 50 ms.
 *
 * @example
 * ```ts
 * await benchPostsFanout();
 * ```
 */
export async function benchPostsFanout(options: { sites?: number; latencyMs?: number } = {}): Promise<void> {
  await runPostsFanout(options);
}

if (import.meta.main) await benchPostsFanout();
