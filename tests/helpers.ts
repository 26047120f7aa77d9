/**
 * @module
 * Test helpers: an app on an in-memory KV, API keys, and a `call` helper that sends requests through
 * `app.request` from a chosen peer (loopback by default, so MainWP's HTTPS rule is satisfied).
 *
 * @example
 * ```ts
 * const t = await testApp();
 * const token = await t.key("read_write");
 * const res = await t.call("GET", "/wp-json/mainwp/v2/tags", { token });
 * ```
 */
import { assert } from "@std/assert";
import { createApp } from "../app.ts";
import { loadConfig } from "../lib/config.ts";
import type { AppContext } from "../app-context.ts";
import type { PluginModule } from "../plugins/host.ts";
import type { ChildConnectorOptions } from "../child/connector.ts";
import { type ChildSimulator, startChildSimulator } from "../sim/server.ts";
import { createApiKey, type KeyPermission } from "../store/api-keys.ts";

/** Options of one test request. */
export interface CallOptions {
  /** Bearer token (`secret==key`). */
  token?: string;
  /** JSON body. */
  json?: unknown;
  /** Form body (URL-encoded). */
  form?: Record<string, string> | [string, string][];
  headers?: Record<string, string>;
  /** A raw body (set the content type in `headers`). */
  body?: string;
  /** Peer address; default `127.0.0.1`. */
  peer?: string;
}

/** A test app. */
export interface TestApp {
  ctx: AppContext;
  /** Sends a request; returns status, parsed JSON body (or text) and headers. */
  call(
    method: string,
    path: string,
    options?: CallOptions,
    // deno-lint-ignore no-explicit-any
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  /** Creates an API key and returns its Bearer token. */
  key(permissions?: KeyPermission): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds an app on a fresh in-memory KV.
 *
 * @example
 * ```ts
 * const t = await testApp({ env: { TRUST_PROXY: "1" } });
 * ```
 */
export async function testApp(
  options: {
    env?: Record<string, string>;
    plugins?: PluginModule[];
    child?: ChildConnectorOptions;
    /** A KV file to share with other processes (default: a fresh in-memory KV). */
    kvPath?: string;
  } = {},
): Promise<TestApp> {
  const kvPath = options.kvPath ?? ":memory:";
  const config = loadConfig({ KV_PATH: kvPath, PUBLIC_URL: "https://dashboard.test", ...options.env });
  const kv = await Deno.openKv(kvPath);
  const { app, ctx } = await createApp({
    config,
    kv,
    plugins: options.plugins,
    child: { timeoutMs: 5000, ...options.child },
  }).catch((error) => {
    kv.close();
    throw error;
  });
  return {
    ctx,
    async call(method, path, opts = {}) {
      const headers = new Headers(opts.headers);
      if (opts.token) headers.set("Authorization", `Bearer ${opts.token}`);
      let body: BodyInit | undefined = opts.body;
      if (opts.json !== undefined) {
        headers.set("Content-Type", "application/json");
        body = JSON.stringify(opts.json);
      } else if (opts.form) {
        headers.set("Content-Type", "application/x-www-form-urlencoded");
        body = new URLSearchParams(opts.form).toString();
      }
      const url = path.startsWith("http") ? path : `http://dashboard.test${path}`;
      const res = await app.request(url, { method, headers, body }, {
        remoteAddr: { hostname: opts.peer ?? "127.0.0.1" },
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (JSONP, HEAD)
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async key(permissions = "read_write") {
      return (await createApiKey(kv, { permissions })).token;
    },
    close: () => Promise.resolve(kv.close()),
  };
}

/** A test app wired to a started child-site simulator. */
export interface SimulatedApp {
  t: TestApp;
  sim: ChildSimulator;
  /** A read_write Bearer token. */
  token: string;
  close(): Promise<void>;
}

/**
 * Starts the simulator with `count` sites and an app whose connector may reach them quickly; with
 * `add`, the sites are added through `POST /sites/add` (ids 1…count).
 *
 * @example
 * ```ts
 * const { t, sim, token, close } = await simulatedApp(2, { add: true });
 * ```
 */
export async function simulatedApp(
  count: number,
  options: { add?: boolean; env?: Record<string, string> } = {},
): Promise<SimulatedApp> {
  const sim = await startChildSimulator({ count });
  const t = await testApp({
    env: { SECRET_KEY: "0123456789abcdef0123", ...options.env },
    child: { maxPerHost: 16, maxConcurrent: 16, timeoutMs: 1500 },
  });
  const token = await t.key("read_write");
  const close = async () => {
    await t.close();
    await sim.close();
  };
  for (let i = 1; options.add && i <= count; i++) {
    const res = await t.call("POST", "/wp-json/mainwp/v2/sites/add", {
      token,
      json: { url: sim.url(i), admin: "admin", adminpassword: "admin-password" },
    });
    if (res.body.success !== 1) {
      await close();
      throw new Error(`could not add simulated site ${i}: ${res.text}`);
    }
  }
  return { t, sim, token, close };
}

/**
 * Waits for `promise`, failing the test when it takes longer than `ms` (for waits that end only when a
 * job or stream ends, so a bug fails the test instead of hanging it).
 *
 * @example
 * ```ts
 * const res = await withDeadline(t.call("GET", eventsUrl, { token }), 15_000, "the event stream");
 * ```
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a started server's banner line from its stdout and returns the port it listens on (asserted);
 * reads at most 50 chunks, and releases the reader so the caller may go on draining the stream.
 */
export async function readServerPort(stdout: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stdout.pipeThrough(new TextDecoderStream()).getReader();
  let banner = "";
  for (let i = 0; i < 50 && !banner.includes("\n"); i++) {
    const { value, done } = await reader.read();
    if (done) break;
    banner += value;
  }
  reader.releaseLock();
  const port = Number(banner.match(/:(\d+)\/wp-json/)?.[1]);
  assert(port > 0, `no port in banner: ${banner}`);
  return port;
}
