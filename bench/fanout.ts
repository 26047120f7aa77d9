/**
 * @module
 * Benchmark: `GET /wp-json/mainwp/v2/batch` with 20 URLs against the same 20 GETs sent one after
 * another over one connection; prints both times and their ratio.
 *
 * @example
 * ```sh
 * deno task bench fanout
 * ```
 */
import { seedSites } from "./sites_list.ts";
import { startServerProcess } from "./server.ts";
import { quantile } from "./load.ts";

async function timeIt(rounds: number, fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return quantile(times.sort((a, b) => a - b), 0.5);
}

/**
 * Runs the scenario and prints the median of each form over `rounds` rounds.
 *
 * @example
 * ```ts
 * await benchFanout({ rounds: 50 });
 * ```
 */
export async function benchFanout(options: { rounds?: number } = {}): Promise<void> {
  const rounds = options.rounds ?? 200;
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-bench-" });
  try {
    const kvPath = `${dir}/bench.kv`;
    const token = await seedSites(kvPath, 100);
    await using server = await startServerProcess({ KV_PATH: kvPath });
    const headers = { Authorization: `Bearer ${token}` };
    const client = Deno.createHttpClient({ poolMaxIdlePerHost: 1 });
    const urls = Array.from({ length: 20 }, (_, i) => `/sites/${i + 1}`);
    const batchUrl = `${server.base}/mainwp/v2/batch?${
      urls.map((u) => `urls[]=${encodeURIComponent(u)}`).join("&")
    }`;
    const get = async (url: string) => {
      const res = await fetch(url, { headers, client });
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      await res.arrayBuffer();
    };
    await timeIt(20, () => get(batchUrl)); // warm-up
    const batched = await timeIt(rounds, () => get(batchUrl));
    const oneByOne = await timeIt(rounds, async () => {
      for (const u of urls) await get(`${server.base}/mainwp/v2${u}`);
    });
    client.close();
    console.log(`fanout: 20 site GETs, median of ${rounds} rounds`);
    console.log(`  GET /batch with 20 urls: ${batched.toFixed(2)} ms`);
    console.log(`  20 GETs one by one (one connection): ${oneByOne.toFixed(2)} ms`);
    console.log(`  ratio one-by-one / batch: ${(oneByOne / batched).toFixed(2)}×`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
