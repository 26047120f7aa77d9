/**
 * @module
 * An app served on 127.0.0.1 (optionally with simulated child sites) for MCP tests, an administrator
 * with an application password, API keys owned by that user, and MCP clients from the SDK itself
 * (`Client` + `StreamableHTTPClientTransport`) authenticated with any of them.
 *
 * @example
 * ```ts
 * const env = await mcpApp();
 * const client = await env.client(env.basic);
 * await client.listTools();
 * await env.close();
 * ```
 */
import { assert } from "@std/assert";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createApp } from "../../app.ts";
import { loadConfig } from "../../lib/config.ts";
import type { AppContext } from "../../app-context.ts";
import type { PluginModule } from "../../plugins/host.ts";
import { startChildSimulator } from "../../sim/server.ts";
import { createApiKey, type KeyPermission } from "../../store/api-keys.ts";
import { createAppPassword, createUser } from "../../store/users.ts";

/** A served app and ways to call its MCP endpoint. */
export interface McpApp {
  ctx: AppContext;
  /** The endpoint's URL. */
  url: URL;
  /** `Authorization` of the administrator's application password. */
  basic: string;
  /** `Authorization` of a Bearer key owned by the administrator. */
  bearer(permissions: KeyPermission): Promise<string>;
  /** A connected SDK client sending that `Authorization`. */
  client(authorization: string): Promise<Client>;
  close(): Promise<void>;
}

/**
 * Serves an app on a free loopback port; with `sites`, a simulator's sites are added (ids 1…sites).
 *
 * @example
 * ```ts
 * const env = await mcpApp({ sites: 3 });
 * ```
 */
export async function mcpApp(
  options: { sites?: number; kv?: Deno.Kv; plugins?: PluginModule[] } = {},
): Promise<McpApp> {
  const sim = options.sites ? await startChildSimulator({ count: options.sites }) : null;
  const kv = options.kv ?? await Deno.openKv(":memory:");
  const config = loadConfig({
    KV_PATH: ":memory:",
    PUBLIC_URL: "http://127.0.0.1",
    SECRET_KEY: "0123456789abcdef0123",
  });
  const { app, ctx } = await createApp({
    config,
    kv,
    plugins: options.plugins,
    child: { maxPerHost: 16, maxConcurrent: 16, timeoutMs: 1500 },
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => app.fetch(req, { remoteAddr: info.remoteAddr }),
  );
  const url = new URL(`http://127.0.0.1:${server.addr.port}/wp-json/fleetpress/v1/mcp`);
  const admin = (await createUser(kv, { login: "admin" }))!;
  const { password } = await createAppPassword(kv, admin.id, "mcp tests");
  const clients: Client[] = [];
  const close = async () => {
    for (const c of clients) await c.close().catch(() => {});
    await server.shutdown();
    if (!options.kv) kv.close();
    await sim?.close();
  };
  if (sim) {
    const { token } = await createApiKey(kv, { permissions: "read_write" });
    for (let i = 1; i <= sim.count; i++) {
      const res = await app.request("http://127.0.0.1/wp-json/mainwp/v2/sites/add", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ url: sim.url(i), admin: "admin", adminpassword: "admin-password" }),
      }, { remoteAddr: { hostname: "127.0.0.1" } });
      const body = await res.json();
      if (body.success !== 1) {
        await close();
        throw new Error(`could not add simulated site ${i}: ${JSON.stringify(body)}`);
      }
    }
  }
  return {
    ctx,
    url,
    basic: `Basic ${btoa(`admin:${password}`)}`,
    async bearer(permissions) {
      return `Bearer ${(await createApiKey(kv, { permissions, userId: admin.id })).token}`;
    },
    async client(authorization) {
      const client = new Client({ name: "fleetpress-tests", version: "1.0.0" });
      const transport = new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { Authorization: authorization } },
      });
      await client.connect(transport);
      clients.push(client);
      assert(client.getServerCapabilities()?.tools);
      return client;
    },
    close,
  };
}
