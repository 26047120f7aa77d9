/**
 * @module
 * A small closed-loop HTTP load generator: `connections` workers each send the next request as soon as
 * the previous answer is read, for a fixed duration. Reports requests/s and latency percentiles. Every
 * loop stops by itself when the time is up; only loopback URLs are accepted.
 *
 * @example
 * ```ts
 * const r = await runLoad({ url: "http://127.0.0.1:8080/wp-json/", connections: 4, durationMs: 10_000 });
 * console.log(r.requestsPerSecond, r.p50Ms, r.p99Ms);
 * ```
 */

import { runWrk } from "./wrk.ts";

/** Load parameters. */
export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  headers?: Record<string, string>;
  /** Short warm-up before measuring (not counted). */
  warmupMs?: number;
  /** Ends the run early (e.g. when the server died); requests in flight are aborted. */
  signal?: AbortSignal;
  /** `wrk` when installed (the default: it leaves the server the CPU), or always the Deno workers. */
  generator?: "auto" | "deno";
}

/** Load results. */
export interface LoadResult {
  requests: number;
  errors: number;
  /** Failed requests during the warm-up (not in `errors`). */
  warmupErrors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The value at quantile `q` (0–1) of sorted numbers. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(host)) {
    throw new Error(`load only targets loopback, not ${host}`);
  }
}

async function worker(
  options: LoadOptions,
  until: number,
  latencies: number[] | null,
): Promise<{ ok: number; errors: number }> {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 1 });
  // A server that stops answering must not hold the run past its end.
  const guard = AbortSignal.timeout(Math.max(0, until - performance.now()) + 5_000);
  const signal = options.signal ? AbortSignal.any([options.signal, guard]) : guard;
  let ok = 0;
  let errors = 0;
  try {
    while (performance.now() < until && !signal.aborted) {
      const start = performance.now();
      try {
        const res = await fetch(options.url, { headers: options.headers, client, signal });
        await res.arrayBuffer();
        if (res.status === 200) ok++;
        else errors++;
      } catch {
        errors++;
        if (signal.aborted) break;
      }
      latencies?.push(performance.now() - start);
    }
  } finally {
    client.close();
  }
  return { ok, errors };
}

/**
 * Runs the load and returns the figures.
 *
 * @example
 * ```ts
 * await runLoad({ url, connections: 4, durationMs: 2000 });
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  assertLoopback(options.url);
  if (options.generator !== "deno") {
    const viaWrk = await runWrk(options);
    if (viaWrk) return viaWrk;
  }
  let warmupErrors = 0;
  if (options.warmupMs) {
    const until = performance.now() + options.warmupMs;
    const warm = await Promise.all(
      Array.from({ length: options.connections }, () => worker(options, until, null)),
    );
    warmupErrors = warm.reduce((n, r) => n + r.errors, 0);
  }
  const latencies: number[] = [];
  const start = performance.now();
  const until = start + options.durationMs;
  const results = await Promise.all(
    Array.from({ length: options.connections }, () => worker(options, until, latencies)),
  );
  const elapsed = (Math.min(performance.now(), until) - start) / 1000;
  latencies.sort((a, b) => a - b);
  const requests = results.reduce((n, r) => n + r.ok, 0);
  return {
    requests,
    errors: results.reduce((n, r) => n + r.errors, 0),
    warmupErrors,
    requestsPerSecond: requests / elapsed,
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? 0,
  };
}
