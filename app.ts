/**
 * @module
 * Builds the Fleetpress application: the hook registry, the WordPress-style REST route table with
 * MainWP's key authentication, every route module, the plugins, and the Hono app that serves it all.
 * Kept apart from `main.ts` so tests can call `app.request()` without listening.
 *
 * @example
 * ```ts
 * const { app } = await createApp({ config: loadConfig({ KV_PATH: ":memory:" }), kv: await Deno.openKv(":memory:") });
 * const res = await app.request("/wp-json/", {}, { remoteAddr: { hostname: "127.0.0.1" } });
 * ```
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { Context, Next } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { Config } from "./lib/config.ts";
import type { AppContext } from "./app-context.ts";
import { HookRegistry } from "./hooks/registry.ts";
import { RestServer } from "./rest/server.ts";
import { encodeWpJson } from "./rest/json.ts";
import { bodyTooLarge, declaresTooLarge, MAX_BODY_BYTES } from "./rest/body.ts";
import { internalError, noRoute } from "./rest/errors.ts";
import { fleetpressKeyGuard, mainwpKeyGuard } from "./auth/mainwp-keys.ts";
import { wpUserGuard } from "./auth/wp-users.ts";
import { installSettingsLimits } from "./core/settings/advanced.ts";
import { registerAllRoutes } from "./routes/index.ts";
import { registerDiscoveryRoutes } from "./routes/discovery.ts";
import { createPluginHost, loadPlugins, type PluginModule } from "./plugins/host.ts";
import { ChildConnector, type ChildConnectorOptions } from "./child/connector.ts";
import { resolveSecretKey } from "./lib/secret.ts";
import { AbilityRegistry, registerAbilityFiltered } from "./abilities/registry.ts";
import { coreAbilityDefinitions, registerBuiltInCategories } from "./abilities/core.ts";
import { mainwpAbilityDefinitions } from "./abilities/mainwp/index.ts";
import { JobEngine } from "./jobs/engine.ts";
import { runSiteOperation } from "./jobs/operations.ts";
import { MonitorRunner } from "./core/monitors/runner.ts";
import { reindexSites } from "./store/site-identity.ts";
import { registerOpenApiRoute } from "./openapi/route.ts";
import { buildOpenApiDocument } from "./openapi/document.ts";
import { docsApp } from "./openapi/docs.ts";
import { MCP_PATH, mcpEndpoint } from "./mcp/endpoint.ts";
import { mcpPathItem } from "./mcp/openapi-path.ts";
import { registerConsoleRoutes } from "./console/routes.ts";
import { FleetScheduler } from "./core/schedule/fleet-sync.ts";
import { recordSeenUpdates } from "./core/schedule/seen.ts";
import { WebhookDispatcher } from "./core/webhooks/dispatcher.ts";
import { subscribeWebhookEvents } from "./core/webhooks/events.ts";
import { ensureSiteRows } from "./store/site-rows.ts";

/** Bindings passed to `app.fetch` by the server: the peer address. */
export interface Bindings {
  remoteAddr?: { hostname?: string };
}

/** Options for {@link createApp}. */
export interface CreateAppOptions {
  config: Config;
  kv: Deno.Kv;
  /** Plugin modules to register directly (tests); `config.plugins` are imported as well. */
  plugins?: PluginModule[];
  /** A hook registry to use (tests that add hooks before routes exist). */
  hooks?: HookRegistry;
  /** Child connector options (timeouts, limits). */
  child?: ChildConnectorOptions;
}

export { MAX_BODY_BYTES };

function wpJson(body: unknown, status: number): Response {
  return new Response(encodeWpJson(body), {
    status,
    headers: { "Content-Type": "application/json; charset=UTF-8" },
  });
}

/** An HTTP method token (RFC 9110) other than CONNECT, TRACE and TRACK, which a `Request` cannot carry. */
const METHOD_TOKEN = /^(?!(?:connect|trace|track)$)[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/**
 * WordPress's method override on POST: `?_method=` or else `X-HTTP-Method-Override` (upper-cased), served
 * again as a request of that method. The new request is built from the URL, the headers and the unread
 * body stream — never copied from the request, since a copy subscribes to its abort signal and makes
 * Deno.serve print its legacy-abort notice. A value that is no method token (or CONNECT, TRACE, TRACK)
 * matches no route (404).
 */
function methodOverride(app: Hono<{ Bindings: Bindings }>) {
  return async (c: Context<{ Bindings: Bindings }>, next: Next) => {
    if (c.req.method !== "POST") return await next();
    const url = new URL(c.req.url);
    const headers = new Headers(c.req.raw.headers);
    let method = url.searchParams.get("_method");
    if (method) url.searchParams.delete("_method");
    else {
      method = headers.get("X-HTTP-Method-Override");
      headers.delete("X-HTTP-Method-Override");
    }
    if (!method) return await next();
    if (!METHOD_TOKEN.test(method)) return wpJson(noRoute().toJSON(), 404);
    method = method.toUpperCase();
    const bodiless = method === "GET" || method === "HEAD";
    if (bodiless) { for (const name of ["content-type", "content-length"]) headers.delete(name); }
    const body = bodiless ? null : c.req.raw.body;
    const init: RequestInit = { method, headers, body, ...(body ? { duplex: "half" } : {}) };
    return await app.fetch(new Request(url, init), c.env);
  };
}

/** The peer address: the socket's, or with `TRUST_PROXY` the last `X-Forwarded-For` hop. */
export function peerAddress(req: Request, env: Bindings | undefined, trustProxy: boolean): string | null {
  if (trustProxy) {
    const hops = req.headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
    if (hops?.length) return hops[hops.length - 1];
  }
  return env?.remoteAddr?.hostname ?? null;
}

/**
 * Creates the app and its context.
 *
 * @example
 * ```ts
 * const { app, ctx } = await createApp({ config, kv });
 * Deno.serve((req, info) => app.fetch(req, { remoteAddr: info.remoteAddr }));
 * ```
 */
export async function createApp(
  options: CreateAppOptions,
): Promise<{ app: Hono<{ Bindings: Bindings }>; ctx: AppContext }> {
  const { config, kv } = options;
  const rest = new RestServer();
  const hooks = options.hooks ?? new HookRegistry();
  const secretKey = await resolveSecretKey(config);
  await reindexSites(kv);
  const child = new ChildConnector(hooks, { dashboardUrl: `${config.publicUrl}/`, ...options.child });
  // A job's site operations need the whole app (they sync, update, reconnect); they run only once a
  // job is claimed, after `ctx` exists.
  const jobs = new JobEngine(
    { kv, hooks, runSite: (job, siteId, starts) => runSiteOperation(ctx, job, siteId, starts) },
    { mode: config.jobsMode, workers: config.jobWorkers, leaseMs: config.jobLeaseSeconds * 1000 },
  );
  await ensureSiteRows(kv);
  const ctx: AppContext = {
    config,
    kv,
    hooks,
    rest,
    child,
    secretKey,
    abilities: new AbilityRegistry(),
    monitors: new MonitorRunner(() => ctx, { mode: config.jobsMode }),
    jobs,
    schedule: new FleetScheduler({ kv, hooks, jobs }, { mode: config.jobsMode }),
    webhooks: new WebhookDispatcher({ kv, hooks, child, secretKey, config }, { mode: config.jobsMode }),
  };
  // Before the plugins, so that their callbacks on these hooks run after the first-seen times are stored.
  hooks.addAction("mainwp_site_synced", async (site, values) => {
    try {
      await recordSeenUpdates(ctx, site, values);
    } catch (error) {
      // Bookkeeping for the auto-update delay and updates.available: never a reason for a sync to fail.
      console.error(`[fleetpress] could not record site ${site.id}'s new updates:`, error);
    }
  });
  subscribeWebhookEvents(ctx, ctx.webhooks);
  // The stored Advanced settings set the child connector's limits (plugins' filters still override them).
  installSettingsLimits(ctx);
  registerBuiltInCategories(ctx.abilities);
  rest.addGuard(mainwpKeyGuard);
  rest.addGuard(fleetpressKeyGuard);
  rest.addGuard(wpUserGuard);
  registerAllRoutes(rest);
  const host = createPluginHost(ctx);
  for (const plugin of options.plugins ?? []) await plugin.register(host);
  await loadPlugins(ctx, options.config.plugins);
  await hooks.doAction("wp_abilities_api_categories_init", ctx.abilities);
  // As on `wp_abilities_api_init`: core's, MainWP's, then the plugins' abilities, all through
  // `wp_register_ability_args`; plugins may still add abilities in that action.
  const held = ctx.abilities.open();
  for (const definition of [...coreAbilityDefinitions(), ...mainwpAbilityDefinitions(), ...held]) {
    await registerAbilityFiltered(ctx, definition);
  }
  await hooks.doAction("wp_abilities_api_init", ctx.abilities);
  const openApi = registerOpenApiRoute(rest);
  registerDiscoveryRoutes(rest);
  // Once, now that every route (plugins' included) and ability is registered.
  openApi.publish(buildOpenApiDocument({
    rest,
    abilities: ctx.abilities,
    publicUrl: config.publicUrl,
    extraPaths: { [MCP_PATH]: mcpPathItem() },
  }));

  const app = new Hono<{ Bindings: Bindings }>();
  app.use(requestId());
  app.use(secureHeaders({ xFrameOptions: false, crossOriginResourcePolicy: false }));
  app.use(
    "/wp-json/*",
    cors({
      origin: (origin) => origin,
      credentials: true,
      exposeHeaders: ["X-WP-Total", "X-WP-TotalPages", "Link"],
    }),
  );
  // A declared body over the limit is refused here; one without Content-Length is capped where it is
  // read (rest/body.ts). The request is never copied: a copy subscribes to its abort signal, which
  // makes Deno.serve print its legacy-abort notice.
  app.use("/wp-json/*", async (c, next) => {
    if (declaresTooLarge(c.req.raw.headers)) return wpJson(bodyTooLarge().toJSON(), 413);
    await next();
  });
  // WordPress honours `_method` and `X-HTTP-Method-Override` on POST only.
  app.use("/wp-json/*", methodOverride(app));
  const serve = (c: { req: { raw: Request }; env: Bindings | undefined }) =>
    rest.dispatch(ctx, c.req.raw, { remoteAddr: peerAddress(c.req.raw, c.env, ctx.config.trustProxy) });
  app.route("/docs", docsApp("/wp-json/fleetpress/v1/openapi.json"));
  // MCP beside the route table: its own transport, the Abilities API's credentials.
  app.all(MCP_PATH, mcpEndpoint(ctx, (c) => peerAddress(c.req.raw, c.env, ctx.config.trustProxy)));
  app.all("/wp-json", serve);
  app.all("/wp-json/*", serve);
  registerConsoleRoutes(app);
  app.notFound(() => wpJson(noRoute().toJSON(), 404));
  app.onError((error) => {
    console.error("[fleetpress] unhandled error:", error);
    return wpJson(internalError().toJSON(), 500);
  });
  return { app, ctx };
}
