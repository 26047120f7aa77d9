/**
 * @module
 * Command line for the child-site simulator:
 *
 * ```sh
 * deno run --allow-net sim/main.ts --count 100 --port 8090 [--latency-ms 50] [--plugins 40] [--themes 5]
 * ```
 *
 * `--plugins N` / `--themes N` give every site exactly that many (MainWP Child counted among the
 * plugins; 40 plugins ≈ the 24 KB of sync data a real site stores); by default sites vary.
 *
 * Prints the first and last site URL, then serves until SIGINT/SIGTERM. A plugin change made "in
 * wp-admin" (reported at the next sync as a non-MainWP change):
 * `curl -d plugin=hello.php -d action=deactivate http://127.0.0.1:8090/site-1/__sim/wp-admin`.
 *
 * @example
 * ```sh
 * deno task child-sim --count 10 --port 8090
 * ```
 */
import { parseArgs } from "node:util";
import { startChildSimulator } from "./server.ts";
import { MAX_SIZED_ITEMS } from "./sized.ts";

/** Parsed command-line options. */
export interface SimCliOptions {
  /** Number of sites. */
  count: number;
  /** TCP port (0 = any free one). */
  port: number;
  /** Latency added to every request, in ms. */
  latencyMs: number;
  /** Plugins per site, MainWP Child included (undefined: a few, varying by site). */
  plugins?: number;
  /** Themes per site (undefined: 2–4, varying by site). */
  themes?: number;
}

const USAGE = "usage: sim/main.ts --count N [--port P] [--latency-ms L] [--plugins N] [--themes N]";

function integerOption<F extends number | undefined>(
  name: string,
  value: string | undefined,
  fallback: F,
  min: number,
  max: number,
): number | F {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new RangeError(`--${name} must be an integer from ${min} to ${max}`);
  }
  return parsed;
}

/**
 * Parses `--count`, `--port`, `--latency-ms`, `--plugins` and `--themes`.
 *
 * @example
 * ```ts
 * parseSimArgs(["--count", "5", "--port", "0"]); // { count: 5, port: 0, latencyMs: 0 }
 * ```
 */
export function parseSimArgs(args: string[]): SimCliOptions {
  const { values } = parseArgs({
    args,
    options: {
      count: { type: "string" },
      port: { type: "string" },
      "latency-ms": { type: "string" },
      plugins: { type: "string" },
      themes: { type: "string" },
    },
    strict: true,
  });
  if (values.count === undefined) throw new RangeError("--count is required");
  const options: SimCliOptions = {
    count: integerOption("count", values.count, 1, 1, 10_000),
    port: integerOption("port", values.port, 0, 0, 65_535),
    latencyMs: integerOption("latency-ms", values["latency-ms"], 0, 0, 600_000),
  };
  const plugins = integerOption("plugins", values.plugins, undefined, 1, MAX_SIZED_ITEMS);
  const themes = integerOption("themes", values.themes, undefined, 1, MAX_SIZED_ITEMS);
  if (plugins !== undefined) options.plugins = plugins;
  if (themes !== undefined) options.themes = themes;
  return options;
}

if (import.meta.main) {
  let options: SimCliOptions;
  try {
    options = parseSimArgs(Deno.args);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    Deno.exit(2);
  }
  const sim = await startChildSimulator({ ...options, hostname: "127.0.0.1" });
  console.log(`child simulator: ${sim.count} site(s) on port ${sim.port}`);
  console.log(`  ${sim.url(1)}${sim.count > 1 ? ` … ${sim.url(sim.count)}` : ""}`);
  console.log(`  admin user "admin", password "admin-password"`);
  const stop = async () => {
    await sim.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
