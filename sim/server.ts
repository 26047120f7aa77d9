/**
 * @module
 * A child-site simulator: a real HTTP server on 127.0.0.1 serving any number of simulated MainWP Child
 * sites under `http://127.0.0.1:PORT/site-N/` (N from 1). Each site answers the child protocol on any
 * POST with a `function` field (like the child, which hooks WordPress `init` on every URL — normally
 * `wp-admin/admin-ajax.php`), and an HTML page on GET/HEAD or other POSTs (what check-site sees).
 * Per-site controls make a site slow, offline (HTTP 503), fail with an HTTP status, answer garbage, or
 * report an old child version; `POST /site-N/__sim/wp-admin` (or `site(N).wpAdminPluginAction`) makes a
 * plugin change in wp-admin, outside the Dashboard. The server counts requests in flight (for concurrency tests) and calls by
 * function per site. `close()` cancels pending delays and open streams and waits for the server to stop.
 *
 * @example
 * ```ts
 * const sim = await startChildSimulator({ count: 3 });
 * try {
 *   await connector.register(sim.url(1), { adminUser: "admin", adminPassword: "admin-password" });
 *   sim.site(2).controls.offline = true;
 *   sim.calls(1); // { register: 1 }
 * } finally {
 *   await sim.close();
 * }
 * ```
 */
import { encodeEnvelope } from "../child/envelope.ts";
import { readBodyCapped } from "../child/http.ts";
import { type GarbageMode, type SimAnswer, SimSite, type SimSiteOptions } from "./site.ts";
import { siteContent } from "./catalog.ts";

export type { GarbageMode, SimAnswer, SimSite, SimSiteOptions, SiteControls } from "./site.ts";

/** Options of {@link startChildSimulator}. */
export interface ChildSimulatorOptions extends SimSiteOptions {
  /** Number of sites (1 – 10 000). */
  count: number;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Latency added to every request, in ms (default 0). */
  latencyMs?: number;
  /** Interface to bind; only `127.0.0.1` is allowed. */
  hostname?: "127.0.0.1";
}

/** Request counters of the whole server. */
export interface SimulatorMetrics {
  /** Requests being handled now. */
  inFlight: number;
  /** Most requests handled at the same time since start or the last `resetMetrics()`. */
  maxInFlight: number;
  /** Requests received since start or the last `resetMetrics()`. */
  requests: number;
}

/** A running simulator. */
export interface ChildSimulator {
  /** The bound port. */
  readonly port: number;
  /** Number of sites. */
  readonly count: number;
  /** URL of site `i` (1-based), with a trailing slash. */
  url(i: number): string;
  /** Site `i`: its `controls`, `pendingUpdates`, `connected`, `reactivate()`. */
  site(i: number): SimSite;
  /** Protocol requests site `i` received, by function name (`#page` for non-protocol requests). */
  calls(i: number): Record<string, number>;
  /** Request counters of the server. */
  metrics(): SimulatorMetrics;
  /** Resets `maxInFlight` (to the current in-flight count) and `requests`. */
  resetMetrics(): void;
  /** Stops the server; resolves when it is closed. */
  close(): Promise<void>;
}

const MAX_SITES = 10_000;
const MAX_REQUEST_BYTES = 1024 * 1024;
const STREAM_CHUNK_BYTES = 64 * 1024;
const SITE_PATH = /^\/site-(\d+)(\/.*)?$/;
const WP_ADMIN_PATH = "/__sim/wp-admin";

function html(
  status: number,
  title: string,
  text: string,
  extraHeaders: Record<string, string> = {},
): Response {
  const body = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body><h1>${title}</h1><p>${text}</p></body></html>\n`;
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=UTF-8", ...extraHeaders },
  });
}

/** The request body as text, at most `MAX_REQUEST_BYTES` (read at once when its length is declared). */
function requestText(request: Request): Promise<string> {
  const declared = request.headers.get("content-length");
  return declared !== null && Number(declared) <= MAX_REQUEST_BYTES
    ? request.text()
    : readBodyCapped(request, MAX_REQUEST_BYTES);
}

/** Waits `ms`, or less when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A body of `bytes` bytes of filler, produced chunk by chunk and stopped when the server closes. */
function fillerStream(bytes: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode("<mainwp>".padEnd(STREAM_CHUNK_BYTES, "A"));
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0 || signal.aborted) return controller.close();
      const size = Math.min(left, chunk.byteLength);
      controller.enqueue(chunk.subarray(0, size));
      left -= size;
    },
  });
}

function garbageResponse(mode: GarbageMode, oversizeBytes: number, signal: AbortSignal): Response {
  const text = { "content-type": "text/html; charset=UTF-8" };
  switch (mode) {
    case "html":
      return html(200, "Welcome", "Just another WordPress site");
    case "invalid-base64":
      return new Response("<mainwp>%%% this is not base64 %%%</mainwp>", { headers: text });
    case "invalid-json":
      return new Response(`<mainwp>${btoa("{not json")}</mainwp>`, { headers: text });
    case "truncated":
      return new Response(encodeEnvelope({ result: "success", padding: "x".repeat(200) }).slice(0, 120), {
        headers: text,
      });
    case "oversized":
      return new Response(fillerStream(oversizeBytes, signal), { headers: text });
  }
}

function answerResponse(answer: SimAnswer, isAjax: boolean, site: SimSite): Response {
  if (answer.kind === "envelope") {
    return new Response(encodeEnvelope(answer.value), {
      headers: { "content-type": "text/html; charset=UTF-8" },
    });
  }
  if (answer.kind === "fatal") {
    return html(500, "WordPress &rsaquo; Error", "There has been a critical error on this website.");
  }
  // WordPress without the child: admin-ajax.php answers "0" with 400 to an unknown action.
  if (isAjax) {
    return new Response("0", { status: 400, headers: { "content-type": "text/html; charset=UTF-8" } });
  }
  return html(200, `Sim Site ${site.index}`, "Just another WordPress site");
}

/**
 * The control endpoint `POST /site-N/__sim/wp-admin` (`plugin=<file>&action=activate|deactivate`): a change
 * made in wp-admin, outside the Dashboard, which the next sync reports. 200 when the plugin changed, 409
 * when it is not installed or already in that state, 400 for a bad action.
 */
function wpAdminControl(site: SimSite, fields: URLSearchParams): Response {
  const action = fields.get("action");
  if (action !== "activate" && action !== "deactivate") return html(400, "Bad Request", "Unknown action.");
  const changed = site.wpAdminPluginAction(fields.get("plugin") ?? "", action);
  return changed ? Response.json({ changed: true }) : Response.json({ changed: false }, { status: 409 });
}

/**
 * Starts the simulator.
 *
 * @example
 * ```ts
 * const sim = await startChildSimulator({ count: 50, latencyMs: 20 });
 * console.log(sim.url(1)); // http://127.0.0.1:PORT/site-1/
 * await sim.close();
 * ```
 */
// deno-lint-ignore require-await -- async so that invalid options reject like every other failure.
export async function startChildSimulator(options: ChildSimulatorOptions): Promise<ChildSimulator> {
  const { count, port = 0, latencyMs = 0, hostname = "127.0.0.1" } = options;
  if (hostname !== "127.0.0.1") throw new TypeError("the child simulator only listens on 127.0.0.1");
  if (!Number.isInteger(count) || count < 1 || count > MAX_SITES) {
    throw new RangeError(`count must be an integer from 1 to ${MAX_SITES}`);
  }
  siteContent(1, { plugins: options.plugins, themes: options.themes }); // throws on bad sizes, before listening
  const stopping = new AbortController();
  const metrics: SimulatorMetrics = { inFlight: 0, maxInFlight: 0, requests: 0 };
  const sites: SimSite[] = [];

  const siteAt = (i: number): SimSite => {
    const site = sites[i - 1];
    if (!site) throw new RangeError(`no simulated site ${i} (1–${count})`);
    return site;
  };

  const handleSite = async (request: Request, site: SimSite, rest: string): Promise<Response> => {
    await delay(latencyMs + site.controls.latencyMs, stopping.signal);
    const { controls } = site;
    if (controls.offline) {
      return html(503, "Service Unavailable", "The site is down for maintenance.", { "retry-after": "60" });
    }
    if (controls.httpStatus !== null) {
      return html(controls.httpStatus, `Error ${controls.httpStatus}`, "The server failed.");
    }
    if (request.method !== "POST") {
      site.recordCall(null);
      return html(200, `Sim Site ${site.index}`, "Just another WordPress site");
    }
    const fields = new URLSearchParams(await requestText(request));
    if (rest === WP_ADMIN_PATH) return wpAdminControl(site, fields);
    if (fields.has("function") && controls.garbage !== null && site.pluginActive) {
      site.recordCall(fields.get("function"));
      return garbageResponse(controls.garbage, controls.oversizeBytes, stopping.signal);
    }
    return answerResponse(site.handle(fields), rest.endsWith("/admin-ajax.php"), site);
  };

  const handler = async (request: Request): Promise<Response> => {
    metrics.requests++;
    metrics.inFlight++;
    metrics.maxInFlight = Math.max(metrics.maxInFlight, metrics.inFlight);
    try {
      const { pathname } = new URL(request.url);
      const match = SITE_PATH.exec(pathname);
      const site = match ? sites[Number(match[1]) - 1] : undefined;
      if (site) return await handleSite(request, site, match?.[2] ?? "/");
      if (pathname === "/") return Response.json({ sites: sites.map((s) => s.url) });
      return html(404, "Not Found", "No such site.");
    } catch {
      return html(500, "Internal Server Error", "The simulator could not handle the request.");
    } finally {
      metrics.inFlight--;
    }
  };

  const server = Deno.serve({
    hostname,
    port,
    signal: stopping.signal,
    onListen: () => {},
    onError: () => html(500, "Internal Server Error", "The simulator failed."),
  }, handler);
  const base = `http://${hostname}:${server.addr.port}`;
  for (let i = 1; i <= count; i++) sites.push(new SimSite(i, `${base}/site-${i}/`, options));
  return {
    port: server.addr.port,
    count,
    url: (i) => siteAt(i).url,
    site: siteAt,
    calls: (i) => Object.fromEntries(siteAt(i).calls),
    metrics: () => ({ ...metrics }),
    resetMetrics: () => {
      metrics.maxInFlight = metrics.inFlight;
      metrics.requests = 0;
    },
    close: async () => {
      stopping.abort();
      await server.finished;
    },
  };
}
