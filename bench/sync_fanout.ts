/**
 * @module
 * Benchmark `sync-fanout`: one `POST /wp-json/mainwp/v2/sites/sync` for 1,000 simulated child sites that
 * answer in 50 ms, run immediately (no job queue), against a server process whose child connector is
 * raised to 64 requests in flight overall and per host (`PLUGINS=./bench/plugins/connector-64.ts`; every
 * simulated site shares 127.0.0.1, where MainWP's default of one request per IP would serialise them).
 * Prints the wall time, the ratio to the ideal (1,000 × 50 ms / 64 ≈ 0.78 s), the server's CPU time and
 * its peak RSS. Target (issue 3): within 2× of ideal, RSS ≤ 200 MB.
 *
 * Set-up (not timed): the sites are registered with the simulator through the child connector and stored
 * directly (`bench/fleet.ts`), all with ONE shared RSA key pair — generating 1,000 key pairs would take
 * minutes and says nothing about syncing. Signing still happens once per request, as with distinct keys.
 * The simulator runs in this process, the server in its own, so the RSS is the server's alone; on a
 * small machine both compete for the same cores.
 *
 * @example
 * ```sh
 * deno task bench sync-fanout
 * ```
 */
import { simulatedFleet } from "./fleet.ts";
import { startServerProcess } from "./server.ts";

/** The connector limit set by `bench/plugins/connector-64.ts`. */
const CONCURRENCY = 64;

/**
 * CPU time (user + system) of a process in seconds, from `/proc`; NaN where unavailable.
 *
 * @example
 * ```ts
 * await cpuSeconds(Deno.pid);
 * ```
 */
export async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** What one run measured. */
export interface SyncFanoutResult {
  sites: number;
  latencyMs: number;
  status: number;
  synced: number;
  failed: number;
  wallSeconds: number;
  idealSeconds: number;
  ratio: number;
  serverCpuSeconds: number;
  peakRssMb: number;
}

/**
 * Runs the scenario, prints its figures and returns them.
 *
 * @example
 * ```ts
 * const { ratio } = await runSyncFanout({ sites: 200 });
 * ```
 */
export async function runSyncFanout(
  options: { sites?: number; latencyMs?: number } = {},
): Promise<SyncFanoutResult> {
  const sites = options.sites ?? 1000;
  const latencyMs = options.latencyMs ?? 50;
  await using fleet = await simulatedFleet({ sites, latencyMs });
  await using server = await startServerProcess(fleet.serverEnv);
  const cpuBefore = await cpuSeconds(server.pid);
  const simCpuBefore = await cpuSeconds(Deno.pid);
  const start = performance.now();
  const res = await fetch(`${server.base}/mainwp/v2/sites/sync`, {
    method: "POST",
    headers: { Authorization: `Bearer ${fleet.token}` },
  });
  const body = await res.json();
  const wallSeconds = (performance.now() - start) / 1000;
  const serverCpuSeconds = (await cpuSeconds(server.pid)) - cpuBefore;
  const simulatorCpuSeconds = (await cpuSeconds(Deno.pid)) - simCpuBefore;
  const results = Object.values(body?.data ?? {}) as { result?: string; sync_errors?: string }[];
  const synced = results.filter((r) => r.result === "success").length;
  const idealSeconds = (sites * latencyMs) / 1000 / CONCURRENCY;
  const result: SyncFanoutResult = {
    sites,
    latencyMs,
    status: res.status,
    synced,
    failed: results.length - synced,
    wallSeconds,
    idealSeconds,
    ratio: wallSeconds / idealSeconds,
    serverCpuSeconds,
    peakRssMb: await server.peakRssMb(),
  };
  console.log(
    `sync-fanout: POST /sites/sync for ${sites} sites, child latency ${latencyMs} ms, connector limit ${CONCURRENCY}`,
  );
  console.log(`  HTTP ${res.status}, ${synced}/${sites} synced, wall time ${wallSeconds.toFixed(2)} s`);
  console.log(`  ideal ${idealSeconds.toFixed(2)} s, ratio ${result.ratio.toFixed(2)}× (target ≤ 2×)`);
  console.log(
    `  server CPU ${serverCpuSeconds.toFixed(2)} s (${(serverCpuSeconds * 1000 / sites).toFixed(2)} ms/site)`,
  );
  console.log(`  simulator (this process) CPU ${simulatorCpuSeconds.toFixed(2)} s`);
  console.log(`  server peak RSS: ${result.peakRssMb.toFixed(1)} MB (target ≤ 200 MB)`);
  const firstError = results.find((r) => r.result !== "success")?.sync_errors;
  if (firstError) console.log(`  first failure: ${firstError}`);
  return result;
}

/**
 * The `sync-fanout` scenario of `deno task bench`: {@link runSyncFanout} with 1,000 sites at 50 ms.
 *
 * @example
 * ```ts
 * await benchSyncFanout();
 * ```
 */
export async function benchSyncFanout(options: { sites?: number; latencyMs?: number } = {}): Promise<void> {
  await runSyncFanout(options);
}

if (import.meta.main) await benchSyncFanout();
