/**
 * @module
 * Fixtures of the site-action tests: an app wired to a started child-site simulator, sites added through
 * the add service with one shared key pair (RSA generation is the slow part of `register`), and a
 * loopback proxy that rewrites the simulator's replies (e.g. to add a child's change log).
 *
 * @example
 * ```ts
 * const env = await siteApp(3, { add: [1, 2] });
 * try {
 *   await env.t.call("POST", `${V2}/sites/1/sync`, { token: env.token });
 * } finally {
 *   await env.close();
 * }
 * ```
 */
import type { ChildConnectorOptions } from "../../child/connector.ts";
import { encodeEnvelope, parseEnvelope } from "../../child/envelope.ts";
import { addSite } from "../../core/sites/add.ts";
import { type AddSiteArgs, insertItemOf } from "../../routes/present/sites.ts";
import { type ChildSimulator, type ChildSimulatorOptions, startChildSimulator } from "../../sim/server.ts";
import { testKeys } from "../child/_fixtures.ts";
import { type TestApp, testApp } from "../helpers.ts";

/** The REST prefix of the MainWP routes. */
export const V2 = "/wp-json/mainwp/v2";

/** The secret the test apps encrypt private keys with. */
export const TEST_SECRET = "0123456789abcdef0123";

/** A test app, a simulator and a read_write token. */
export interface SiteApp {
  t: TestApp;
  sim: ChildSimulator;
  token: string;
  /** Adds simulated site `i` through the add service (shared key pair); returns the new site id. */
  add(i: number, extra?: AddSiteArgs): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the simulator with `count` sites and an app whose connector reaches them with limits of 16 and
 * a 1.5 s time limit (override with `child`); `add` lists the sites to add at once (ids in that order).
 *
 * @example
 * ```ts
 * const env = await siteApp(2, { add: [1, 2], child: { maxBodyBytes: 65536 } });
 * ```
 */
export async function siteApp(
  count: number,
  options: { add?: number[]; child?: ChildConnectorOptions; sim?: Partial<ChildSimulatorOptions> } = {},
): Promise<SiteApp> {
  const sim = await startChildSimulator({ ...options.sim, count });
  let t: TestApp;
  try {
    t = await testApp({
      env: { SECRET_KEY: TEST_SECRET },
      child: { maxPerHost: 16, maxConcurrent: 16, timeoutMs: 1500, ...options.child },
    });
  } catch (error) {
    await sim.close();
    throw error;
  }
  const token = await t.key("read_write");
  const keys = await testKeys();
  const env: SiteApp = {
    t,
    sim,
    token,
    async add(i, extra = {}) {
      const item = insertItemOf({
        url: sim.url(i),
        name: `Sim ${i}`,
        admin: "admin",
        adminpassword: "admin-password",
        ...extra,
      });
      try {
        return (await addSite(t.ctx, item, { keys })).id;
      } catch (error) {
        throw new Error(`could not add simulated site ${i}: ${error}`);
      }
    },
    async close() {
      await t.close();
      await sim.close();
    },
  };
  try {
    for (const i of options.add ?? []) await env.add(i);
  } catch (error) {
    await env.close();
    throw error;
  }
  return env;
}

/** A loopback proxy in front of the simulator. */
export interface ReplyProxy {
  /** URL of simulated site `i` through the proxy. */
  url(i: number): string;
  close(): Promise<void>;
}

/**
 * Forwards every request to the simulator and lets `rewrite` change decoded `<mainwp>` replies (by the
 * request's `function`) before they go back.
 *
 * @example
 * ```ts
 * const proxy = await replyProxy(sim, (fn, reply) => fn === "stats" ? { ...reply, extra: 1 } : reply);
 * ```
 */
export function replyProxy(
  sim: ChildSimulator,
  rewrite: (fn: string, reply: Record<string, unknown>) => Record<string, unknown>,
): ReplyProxy {
  const stop = new AbortController();
  const target = new URL(sim.url(1)).origin;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: stop.signal, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.text();
      const res = await fetch(`${target}${url.pathname}${url.search}`, {
        method: req.method,
        headers: req.headers,
        body,
        redirect: "manual",
      });
      const text = await res.text();
      const fn = body ? new URLSearchParams(body).get("function") ?? "" : "";
      let out = text;
      try {
        const reply = parseEnvelope(text);
        if (reply && typeof reply === "object" && !Array.isArray(reply)) {
          out = encodeEnvelope(rewrite(fn, reply as Record<string, unknown>));
        }
      } catch {
        // not a MainWP reply: passed on unchanged
      }
      return new Response(out, {
        status: res.status,
        headers: { "content-type": "text/html; charset=UTF-8" },
      });
    },
  );
  return {
    url: (i) => `http://127.0.0.1:${server.addr.port}/site-${i}/`,
    async close() {
      stop.abort();
      await server.finished;
    },
  };
}
