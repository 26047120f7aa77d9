/**
 * @module
 * A simulated fleet for benchmarks: starts the child-site simulator and registers its sites into a KV
 * file (one shared RSA key pair, since generating 1,000 keys would dominate the set-up), with a
 * read_write API key, ready for a server process started on the same file.
 *
 * @example
 * ```ts
 * await using fleet = await simulatedFleet({ sites: 100, latencyMs: 50 });
 * console.log(fleet.kvPath, fleet.token);
 * ```
 */
import { HookRegistry } from "../hooks/registry.ts";
import { ChildConnector, encryptPrivateKey, generateSiteKeys } from "../child/index.ts";
import { type ChildSimulator, startChildSimulator } from "../sim/server.ts";
import { createApiKey } from "../store/api-keys.ts";
import { createSite } from "../store/sites.ts";
import { mapConcurrent } from "../lib/concurrency.ts";

/** The secret the benchmark server runs with (`SECRET_KEY`). */
export const BENCH_SECRET = "fleetpress-benchmark-secret-key";

/** A seeded fleet; disposing it stops the simulator and deletes the KV folder. */
export interface SimulatedFleet extends AsyncDisposable {
  sim: ChildSimulator;
  kvPath: string;
  token: string;
  siteIds: number[];
  /** Environment for `startServerProcess`. */
  serverEnv: Record<string, string>;
}

/**
 * Starts the simulator with `sites` sites (each with `plugins` plugins and `themes` themes when given,
 * see `deno task child-sim --plugins`) and registers them all.
 *
 * @example
 * ```ts
 * const fleet = await simulatedFleet({ sites: 1000, latencyMs: 50 });
 * ```
 */
export async function simulatedFleet(
  options: { sites: number; latencyMs: number; plugins?: number; themes?: number },
): Promise<SimulatedFleet> {
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-fleet-" });
  const kvPath = `${dir}/bench.kv`;
  const sim = await startChildSimulator({
    count: options.sites,
    latencyMs: options.latencyMs,
    plugins: options.plugins,
    themes: options.themes,
  });
  const kv = await Deno.openKv(kvPath);
  try {
    const keys = await generateSiteKeys();
    const privkey = await encryptPrivateKey(keys.privateKeyPem, BENCH_SECRET);
    const connector = new ChildConnector(new HookRegistry(), { maxConcurrent: 64, maxPerHost: 64 });
    const numbers = Array.from({ length: options.sites }, (_, i) => i + 1);
    const siteIds = await mapConcurrent(numbers, 64, async (i) => {
      await connector.register(sim.url(i), { adminUser: "admin", adminPassword: "admin-password", keys });
      const created = await createSite(kv, {
        url: sim.url(i),
        name: `Sim ${i}`,
        adminname: "admin",
        pubkey: keys.publicKeyPem,
        privkey,
      });
      if (!("site" in created)) throw new Error(`site ${i} already stored`);
      return created.site.id;
    });
    const token = (await createApiKey(kv, { permissions: "read_write", description: "bench" })).token;
    return {
      sim,
      kvPath,
      token,
      siteIds,
      serverEnv: { KV_PATH: kvPath, SECRET_KEY: BENCH_SECRET, PLUGINS: "./bench/plugins/connector-64.ts" },
      async [Symbol.asyncDispose]() {
        await sim.close();
        await Deno.remove(dir, { recursive: true });
      },
    };
  } catch (error) {
    await sim.close();
    throw error;
  } finally {
    kv.close();
  }
}
