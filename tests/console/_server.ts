/**
 * @module
 * A Fleetpress server on a 127.0.0.1 port of its own choosing, wired to the child-site simulator with its
 * sites added and the job engine running, for the console's browser test and its screenshot. Jobs are
 * made small (threshold 1, one site per chunk, no delays) so that "Sync all sites" becomes a job whose
 * progress the page can follow.
 *
 * @example
 * ```ts
 * const server = await startConsoleServer(3);
 * console.log(server.origin, server.token);
 * await server.close();
 * ```
 */
import { createApp } from "../../app.ts";
import { loadConfig } from "../../lib/config.ts";
import { startChildSimulator } from "../../sim/server.ts";
import { createApiKey } from "../../store/api-keys.ts";
import { createAppPassword, createUser } from "../../store/users.ts";

/** A started console server. */
export interface ConsoleServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** A read_write Bearer token (`secret==key`). */
  token: string;
  /** An administrator's login and application password. */
  user: { login: string; password: string };
  /** Closes the server, the job engine, the KV and the simulator. */
  close(): Promise<void>;
}

/**
 * Starts the simulator with `count` sites and a served app with them added (ids 1…count).
 *
 * @example
 * ```ts
 * const { origin, close } = await startConsoleServer(2, { latencyMs: 50 });
 * ```
 */
export async function startConsoleServer(
  count: number,
  options: { latencyMs?: number } = {},
): Promise<ConsoleServer> {
  const sim = await startChildSimulator({ count, latencyMs: options.latencyMs ?? 0 });
  const kv = await Deno.openKv(":memory:");
  const config = loadConfig({
    KV_PATH: ":memory:",
    PUBLIC_URL: "https://dashboard.test",
    SECRET_KEY: "0123456789abcdef0123",
  });
  const cleanups: (() => Promise<void> | void)[] = [() => sim.close(), () => kv.close()];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const { app, ctx } = await createApp({
      config,
      kv,
      child: { maxPerHost: 16, maxConcurrent: 16, timeoutMs: 10_000 },
    });
    ctx.hooks.addFilter("mainwp_abilities_batch_threshold", () => 1);
    ctx.hooks.addFilter("mainwp_abilities_cron_chunk_size", () => 1);
    ctx.hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0);
    ctx.hooks.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0);
    const { token } = await createApiKey(kv, { permissions: "read_write" });
    const admin = await createUser(kv, { login: "admin" });
    if (!admin) throw new Error("could not create the admin user");
    const { password } = await createAppPassword(kv, admin.id, "console test");
    for (let i = 1; i <= count; i++) {
      const res = await app.request("http://dashboard.test/wp-json/mainwp/v2/sites/add", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ url: sim.url(i), admin: "admin", adminpassword: "admin-password" }),
      }, { remoteAddr: { hostname: "127.0.0.1" } });
      const text = await res.text();
      if (!text.includes('"success":1')) throw new Error(`could not add simulated site ${i}: ${text}`);
    }
    const stopJobs = ctx.jobs.start();
    cleanups.push(stopJobs);
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req, info) => app.fetch(req, { remoteAddr: info.remoteAddr }),
    );
    cleanups.push(() => server.shutdown());
    const user = { login: admin.login, password };
    return { origin: `http://127.0.0.1:${server.addr.port}`, token, user, close };
  } catch (error) {
    await close();
    throw error;
  }
}
