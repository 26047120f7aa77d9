/**
 * @module
 * Benchmark `monitors` (issue 16): 1,000 uptime monitors at a 60-second interval against the simulator
 * for 3 minutes (`--seconds` for shorter runs), on a server started exactly as `deno task start` (queue
 * mode on its local KV file). Prints the checks' lateness (start minus due time, from the heartbeats:
 * p50 / p99 / max, target p99 ≤ 2 s), the server's CPU per check, its peak RSS, and the KV growth per
 * day of heartbeats: bytes per heartbeat (key + value) × monitors × checks per day, and the KV file's
 * growth over the run extrapolated to a day.
 *
 * @example
 * ```sh
 * deno task bench monitors --seconds 60
 * ```
 */
import { startChildSimulator } from "../sim/server.ts";
import { createApiKey } from "../store/api-keys.ts";
import { createSite } from "../store/sites.ts";
import type { Heartbeat } from "../store/monitors.ts";
import { startServerProcess } from "./server.ts";
import { cpuSeconds } from "./sync_fanout.ts";

const INTERVAL_SECONDS = 60;

/** Size of the SQLite file and its write-ahead log, in bytes. */
async function fileBytes(path: string): Promise<number> {
  let total = 0;
  for (const suffix of ["", "-wal"]) {
    try {
      total += (await Deno.stat(path + suffix)).size;
    } catch { /* absent */ }
  }
  return total;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : Number.NaN;

/**
 * Runs the scenario and prints its figures.
 *
 * @example
 * ```ts
 * await benchMonitors({ monitors: 100, seconds: 30 });
 * ```
 */
export async function benchMonitors(options: { monitors?: number; seconds?: number } = {}): Promise<void> {
  const monitors = options.monitors ?? 1000;
  const seconds = options.seconds ?? 180;
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-monitors-" });
  const kvPath = `${dir}/bench.kv`;
  const sim = await startChildSimulator({ count: monitors });
  try {
    const kv = await Deno.openKv(kvPath);
    let token: string;
    try {
      for (let i = 1; i <= monitors; i++) await createSite(kv, { url: sim.url(i), name: `Sim ${i}` });
      token = (await createApiKey(kv, { permissions: "read_write", description: "bench" })).token;
    } finally {
      kv.close();
    }
    const sizeBefore = await fileBytes(kvPath);
    await using server = await startServerProcess({
      KV_PATH: kvPath,
      SECRET_KEY: "fleetpress-benchmark-secret-key",
      PLUGINS: "./bench/plugins/connector-64.ts,./bench/plugins/monitor-interval.ts",
      MONITOR_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
    });
    const cpuBefore = await cpuSeconds(server.pid);
    const start = Date.now();
    const res = await fetch(`${server.base}/mainwp/v2/monitors/settings`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ active: true, method: "get", maxretries: 1 }),
    });
    if (!res.ok) throw new Error(`could not switch monitoring on: ${await res.text()}`);
    await res.body?.cancel();
    console.log(
      `monitors: ${monitors} monitors every ${INTERVAL_SECONDS} s against the simulator for ${seconds} s ` +
        "(first checks spread over one interval)",
    );
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = (await cpuSeconds(server.pid)) - cpuBefore;
    const rss = await server.peakRssMb();
    const elapsed = (Date.now() - start) / 1000;
    await server.kill("SIGTERM");
    const sizeAfter = await fileBytes(kvPath);

    const read = await Deno.openKv(kvPath);
    const late: number[] = [];
    let beats = 0, bytes = 0, down = 0;
    try {
      for await (const e of read.list<Heartbeat>({ prefix: ["monitor_heartbeats"] }, { batchSize: 1000 })) {
        beats++;
        bytes += new TextEncoder().encode(JSON.stringify(e.key)).length + JSON.stringify(e.value).length;
        if (e.value.lateMs !== null) late.push(e.value.lateMs);
        if (e.value.status !== 1) down++;
      }
    } finally {
      read.close();
    }
    late.sort((a, b) => a - b);
    const perBeat = beats ? bytes / beats : 0;
    const perDay = monitors * (86_400 / INTERVAL_SECONDS);
    const expected = monitors * elapsed / INTERVAL_SECONDS;
    console.log(
      `  checks: ${beats} in ${elapsed.toFixed(0)} s (expected ≈ ${expected.toFixed(0)}), ${down} not UP`,
    );
    console.log(
      `  lateness: p50 ${percentile(late, 0.5)} ms, p99 ${percentile(late, 0.99)} ms, max ${
        late.at(-1) ?? Number.NaN
      } ms (target p99 ≤ 2000 ms)`,
    );
    console.log(
      `  server CPU ${cpu.toFixed(2)} s = ${(cpu * 1000 / Math.max(1, beats)).toFixed(2)} ms per check; ` +
        `peak RSS ${rss.toFixed(1)} MB`,
    );
    console.log(
      `  heartbeats: ≈ ${perBeat.toFixed(0)} bytes each (key + value) × ${
        perDay.toLocaleString("en")
      } checks/day = ` +
        `${(perBeat * perDay / 1e6).toFixed(1)} MB/day (kept 30 days: ${
          (perBeat * perDay * 30 / 1e9).toFixed(2)
        } GB)`,
    );
    const grown = sizeAfter - sizeBefore;
    console.log(
      `  KV file grew ${(grown / 1e6).toFixed(1)} MB in ${elapsed.toFixed(0)} s → ${
        (grown / elapsed * 86_400 / 1e6).toFixed(0)
      } MB/day extrapolated (SQLite pages and WAL included)`,
    );
  } finally {
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await benchMonitors();
