/**
 * @module
 * The load of {@link runLoad} through `wrk` (Debian's `wrk` package) when it is installed: a C load
 * generator costs the shared 2-core machine far less than a Deno one reading 470 KB answers, so the
 * server's figures are the server's. Returns `null` when `wrk` is not on the PATH.
 *
 * @example
 * ```ts
 * const r = await runWrk({ url: "http://127.0.0.1:8080/wp-json/", connections: 4, durationMs: 10_000 });
 * if (r) console.log(r.requestsPerSecond, r.p99Ms);
 * ```
 */
import type { LoadOptions, LoadResult } from "./load.ts";

/** `2.17ms`, `812.00us`, `1.02s` → milliseconds. */
export function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

/** The figures of `wrk --latency` output. */
export function parseWrk(out: string): LoadResult {
  const pick = (re: RegExp) => re.exec(out)?.[1] ?? "";
  const requests = Number(pick(/(\d+) requests in/));
  const non2xx = Number(pick(/Non-2xx or 3xx responses: (\d+)/) || 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0;
  return {
    requests: requests - non2xx,
    errors: non2xx + socketErrors,
    warmupErrors: 0,
    requestsPerSecond: Number(pick(/Requests\/sec:\s+([\d.]+)/)),
    p50Ms: wrkMs(pick(/^\s+50%\s+(\S+)/m)),
    p90Ms: wrkMs(pick(/^\s+90%\s+(\S+)/m)),
    p99Ms: wrkMs(pick(/^\s+99%\s+(\S+)/m)),
    maxMs: wrkMs(pick(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m)),
  };
}

async function wrk(options: LoadOptions, durationMs: number): Promise<string | null> {
  const args = [
    "-t1",
    `-c${options.connections}`,
    `-d${Math.max(1, Math.round(durationMs / 1000))}s`,
    "--latency",
  ];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push("-H", `${k}: ${v}`);
  try {
    const out = await new Deno.Command("wrk", {
      args: [...args, options.url],
      stdout: "piped",
      stderr: "null",
      signal: options.signal,
    })
      .output();
    return new TextDecoder().decode(out.stdout);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Runs the load with `wrk` (warm-up, then the measured run); `null` when `wrk` is not installed.
 *
 * @example
 * ```ts
 * await runWrk({ url: "http://127.0.0.1:8080/wp-json/", connections: 4, durationMs: 2000 });
 * ```
 */
export async function runWrk(options: LoadOptions): Promise<LoadResult | null> {
  if (options.warmupMs && (await wrk(options, options.warmupMs)) === null) return null;
  const out = await wrk(options, options.durationMs);
  return out === null ? null : parseWrk(out);
}

/**
 * Whether `wrk` is installed.
 *
 * @example
 * ```ts
 * if (!(await hasWrk())) console.log("apt-get install wrk");
 * ```
 */
export async function hasWrk(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}
