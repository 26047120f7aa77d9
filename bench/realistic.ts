/**
 * @module
 * Realistic fleets for benchmarks, seeded through the store: every site stored with the sync data a
 * simulated child's first `stats` reply gives (sim/sample.ts, shaped by the real child's fixture 57),
 * written the way a sync writes it; and a paced writer that rewrites sites' sync data while a load runs.
 *
 * @example
 * ```ts
 * const { token, siteIds } = await seedRealisticSites("/tmp/b/bench.kv", { sites: 1000, plugins: 40 });
 * ```
 */
import { syncValuesFromReply } from "../child/sync.ts";
import type { SyncValues } from "../child/sync.ts";
import { recordSyncValues } from "../core/sync/sync.ts";
import { mapConcurrent } from "../lib/concurrency.ts";
import { sampleStatsReply } from "../sim/sample.ts";
import { createApiKey } from "../store/api-keys.ts";
import { createSite } from "../store/sites.ts";

/** What one sync writes: the values and the change reports. */
interface SyncWrite {
  values: SyncValues;
  actions: unknown;
  logs: unknown;
}

function syncWrite(index: number, url: string, plugins: number): SyncWrite {
  const reply = sampleStatsReply(index, url, { plugins });
  return {
    values: syncValuesFromReply(reply),
    actions: reply.child_site_actions_data,
    logs: reply.changes_logs_data,
  };
}

const siteUrl = (i: number) => `https://site-${String(i).padStart(5, "0")}.example.test/`;

/** A seeded fleet. */
export interface RealisticFleet {
  token: string;
  siteIds: number[];
  /** Mean bytes of one site's stored sync data (JSON). */
  syncBytes: number;
}

/**
 * Stores `sites` sites, each with a simulated site's sync data carrying `plugins` plugins, and a read
 * key.
 *
 * @example
 * ```ts
 * await seedRealisticSites(kvPath, { sites: 100, plugins: 40 });
 * ```
 */
export async function seedRealisticSites(
  kvPath: string,
  options: { sites: number; plugins: number },
): Promise<RealisticFleet> {
  const kv = await Deno.openKv(kvPath);
  try {
    const numbers = Array.from({ length: options.sites }, (_, i) => i + 1);
    let bytes = 0;
    const siteIds = await mapConcurrent(numbers, 16, async (i) => {
      const created = await createSite(kv, {
        url: siteUrl(i),
        name: `Site ${i}`,
        adminname: "admin",
        ip: `192.0.2.${i % 250}`,
      });
      if (!("site" in created)) throw new Error(`site ${i} already stored`);
      const write = syncWrite(i, siteUrl(i), options.plugins);
      await recordSyncValues({ kv }, created.site.id, write.values, write.actions, write.logs);
      if (i <= 20) bytes += JSON.stringify(write).length;
      return created.site.id;
    });
    const token = (await createApiKey(kv, { permissions: "read", description: "bench" })).token;
    return { token, siteIds, syncBytes: bytes / Math.min(20, options.sites) };
  } finally {
    kv.close();
  }
}

/** What a writer did. */
export interface WriterReport {
  written: number;
  failed: number;
  sitesPerSecond: number;
  /** Ticks that started late because the previous batch had not finished. */
  lateTicks: number;
}

/** A running writer; `stop()` ends it and reports. */
export interface SyncWriter {
  stop(): Promise<WriterReport>;
}

/**
 * Rewrites sync data of `siteIds` in turn at `perSecond` sites/s (batches every 100 ms, as a bulk sync's
 * results arrive), from its own KV handle, until stopped or `maxMs` passed. Each write changes the data
 * (the sites rotate through a pool of simulated replies), so every read model must see it.
 *
 * @example
 * ```ts
 * const writer = startSyncWriter(kvPath, fleet.siteIds, { perSecond: 100, plugins: 40, maxMs: 60_000 });
 * console.log(await writer.stop());
 * ```
 */
export async function startSyncWriter(
  kvPath: string,
  siteIds: readonly number[],
  options: { perSecond: number; plugins: number; maxMs: number },
): Promise<SyncWriter> {
  const kv = await Deno.openKv(kvPath);
  const pool = Array.from(
    { length: 16 },
    (_, n) => syncWrite(10_001 + n, siteUrl(10_001 + n), options.plugins),
  );
  const perTick = Math.max(1, Math.round(options.perSecond / 10));
  const report: WriterReport = { written: 0, failed: 0, sitesPerSecond: 0, lateTicks: 0 };
  const started = performance.now();
  let next = 0;
  let running = true;
  const loop = (async () => {
    for (let tick = 0; running && performance.now() - started < options.maxMs; tick++) {
      const due = started + tick * 100;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      else if (tick > 0) report.lateTicks++;
      if (!running) break;
      const batch = Array.from({ length: perTick }, () => {
        const round = Math.floor(next / siteIds.length);
        return { id: siteIds[next++ % siteIds.length], round };
      });
      await Promise.all(batch.map(async ({ id, round }) => {
        const write = pool[(id + round) % pool.length]; // differs from the site's previous write
        try {
          await recordSyncValues({ kv }, id, write.values, write.actions, write.logs);
          report.written++;
        } catch {
          report.failed++;
        }
      }));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      kv.close();
      report.sitesPerSecond = report.written / ((performance.now() - started) / 1000);
      return report;
    },
  };
}

/**
 * Runs {@link startSyncWriter} in a process of its own (`sync_writer_main.ts`), so what else this
 * process does (a load generator) cannot slow the writer down; `stop()` ends it and reads its report.
 *
 * @example
 * ```ts
 * const writer = await spawnSyncWriter(kvPath, fleet.siteIds, { perSecond: 100, plugins: 40, maxMs: 60_000 });
 * console.log(await writer.stop());
 * ```
 */
export async function spawnSyncWriter(
  kvPath: string,
  siteIds: readonly number[],
  options: { perSecond: number; plugins: number; maxMs: number },
): Promise<SyncWriter> {
  const idsFile = `${kvPath}.writer-ids.json`;
  await Deno.writeTextFile(idsFile, JSON.stringify(siteIds));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./sync_writer_main.ts", import.meta.url).pathname,
      kvPath,
      idsFile,
      String(options.perSecond),
      String(options.plugins),
      String(options.maxMs),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stdin = child.stdin.getWriter();
  return {
    async stop() {
      await stdin.close();
      const { stdout } = await child.output();
      const text = new TextDecoder().decode(stdout).trim();
      const report: WriterReport = text
        ? JSON.parse(text)
        : { written: 0, failed: 0, sitesPerSecond: 0, lateTicks: 0 };
      return report;
    },
  };
}
