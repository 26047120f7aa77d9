/**
 * @module
 * `deno task bench [scenario…] [--duration-ms N]`: runs the shipped benchmarks and prints their figures.
 * Scenarios: `sites-list`, `fanout`, `batch-sync`, `sync-fanout`, `abilities-list`, `sync-job`. With no
 * scenario, all run.
 *
 * @example
 * ```sh
 * deno task bench sites-list --duration-ms 3000
 * ```
 */
import { parseArgs } from "node:util";
import { benchSitesList } from "./sites_list.ts";
import { benchFanout } from "./fanout.ts";
import { benchBatchSync } from "./batch_sync.ts";
import { benchSyncFanout } from "./sync_fanout.ts";
import { benchAbilitiesList } from "./abilities_list.ts";
import { benchSyncJob } from "./sync_job.ts";

const SCENARIOS: Record<string, (durationMs?: number) => Promise<void>> = {
  "sites-list": (durationMs) => benchSitesList({ durationMs }),
  "fanout": () => benchFanout(),
  "batch-sync": () => benchBatchSync(),
  "sync-fanout": () => benchSyncFanout(),
  "abilities-list": (durationMs) => benchAbilitiesList({ durationMs }),
  "sync-job": () => benchSyncJob(),
};

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { "duration-ms": { type: "string" } },
  });
  const durationMs = values["duration-ms"] ? Number(values["duration-ms"]) : undefined;
  const names = positionals.length ? positionals : Object.keys(SCENARIOS);
  for (const name of names) {
    const run = SCENARIOS[name];
    if (!run) {
      console.error(`Unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
      Deno.exit(2);
    }
    await run(durationMs);
  }
}
