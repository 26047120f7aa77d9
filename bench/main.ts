/**
 * @module
 * `deno task bench [scenario…] [--duration-ms N] [--seconds N] [--sites N] [--plugins N] [--writes]`: runs
 * the shipped benchmarks and prints their figures. Scenarios: `sites-list`, `fanout`, `batch-sync`,
 * `sync-fanout`, `abilities-list`, `sync-job`, `posts-fanout`, `monitors` (`--seconds`, default 180; `--sites`
 * = monitors, default 1,000). With no scenario, all run. `--sites` (default 1,000), `--plugins`
 * (default 40; 0 = sites without sync data) and `--writes` (a writer rewrites sync data at 100 sites/s
 * during the load) apply to `sites-list`.
 *
 * @example
 * ```sh
 * deno task bench sites-list --sites 5000 --writes --duration-ms 3000
 * ```
 */
import { parseArgs } from "node:util";
import { benchSitesList } from "./sites_list.ts";
import { benchFanout } from "./fanout.ts";
import { benchBatchSync } from "./batch_sync.ts";
import { benchSyncFanout } from "./sync_fanout.ts";
import { benchAbilitiesList } from "./abilities_list.ts";
import { benchSyncJob } from "./sync_job.ts";
import { benchPostsFanout } from "./posts_fanout.ts";
import { benchMonitors } from "./monitors.ts";

/** Command-line settings a scenario may use. */
interface BenchArgs {
  durationMs?: number;
  /** `monitors`: run time in seconds (default 180). */
  seconds?: number;
  sites?: number;
  plugins?: number;
  writes: boolean;
}

const SCENARIOS: Record<string, (args: BenchArgs) => Promise<void>> = {
  "sites-list": (args) => benchSitesList(args),
  "fanout": () => benchFanout(),
  "batch-sync": () => benchBatchSync(),
  "sync-fanout": () => benchSyncFanout(),
  "abilities-list": ({ durationMs }) => benchAbilitiesList({ durationMs }),
  "sync-job": () => benchSyncJob(),
  "posts-fanout": () => benchPostsFanout(),
  "monitors": ({ seconds, sites }) => benchMonitors({ seconds, monitors: sites }),
};

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      "duration-ms": { type: "string" },
      seconds: { type: "string" },
      sites: { type: "string" },
      plugins: { type: "string" },
      writes: { type: "boolean" },
    },
  });
  const integer = (name: string, value: string | undefined, min: number, max: number) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      console.error(`--${name} must be an integer from ${min} to ${max}`);
      Deno.exit(2);
    }
    return n;
  };
  const args: BenchArgs = {
    durationMs: integer("duration-ms", values["duration-ms"], 100, 600_000),
    seconds: integer("seconds", values.seconds, 5, 3600),
    sites: integer("sites", values.sites, 1, 10_000),
    plugins: integer("plugins", values.plugins, 0, 500),
    writes: values.writes ?? false,
  };
  const names = positionals.length ? positionals : Object.keys(SCENARIOS);
  for (const name of names) {
    const run = SCENARIOS[name];
    if (!run) {
      console.error(`Unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
      Deno.exit(2);
    }
    await run(args);
  }
}
