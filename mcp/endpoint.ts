/**
 * @module
 * `POST|GET|DELETE /wp-json/fleetpress/v1/mcp`: the Model Context Protocol over Streamable HTTP
 * (`@modelcontextprotocol/sdk`'s web-standard transport, stateless). Callers authenticate as on the
 * Abilities API — an application password (HTTP Basic) or a Bearer API key acting as its owner — and get
 * 401 without credentials; a browser request from another origin is refused (403). POST carries the JSON-RPC messages; as a stateless server it offers no
 * standalone event stream and no sessions, so GET and DELETE answer 405 (what the transport's
 * specification asks of such a server).
 *
 * @example
 * ```ts
 * app.all(MCP_PATH, mcpEndpoint(ctx, (req) => "127.0.0.1"));
 * ```
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Context } from "hono";
import type { AppContext } from "../app-context.ts";
import { RestError, restError } from "../rest/errors.ts";
import { RestRequest } from "../rest/server.ts";
import { parsePhpParams } from "../rest/php-params.ts";
import { encodeWpJson } from "../rest/json.ts";
import { MAX_BODY_BYTES } from "../rest/body.ts";
import { requireRead, wpUserGuard } from "../auth/wp-users.ts";
import { mcpServerFor } from "./server.ts";

/** The endpoint's URL path. */
export const MCP_PATH = "/wp-json/fleetpress/v1/mcp";

function wpError(error: RestError): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=UTF-8" };
  // A Bearer challenge only: a Basic one would make browsers prompt for, and then replay, credentials.
  if (error.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="Fleetpress"';
  return new Response(encodeWpJson(error.toJSON()), { status: error.status, headers });
}

function methodNotAllowed(): Response {
  const body = { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null };
  return new Response(JSON.stringify(body), {
    status: 405,
    headers: { "Content-Type": "application/json", "Allow": "POST" },
  });
}

/**
 * Whether a browser's `Origin` (when sent) is this server itself — the public URL's or the request's own
 * host — as MCP asks servers to check against DNS rebinding. Clients outside a browser send none.
 *
 * @example
 * ```ts
 * sameOrigin(new Request("http://127.0.0.1:8080/x", { headers: { Origin: "https://evil.example" } }), "http://127.0.0.1:8080"); // false
 * ```
 */
export function sameOrigin(raw: Request, publicUrl: string): boolean {
  const origin = raw.headers.get("origin");
  if (origin === null) return true;
  try {
    const host = new URL(origin).host.toLowerCase();
    return host === new URL(publicUrl).host.toLowerCase() ||
      host === (raw.headers.get("host") ?? "").toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Authenticates a request as the Abilities API does; the request whose `auth` the tools run with.
 *
 * @example
 * ```ts
 * const req = await authenticateMcp(ctx, raw, "127.0.0.1");
 * ```
 */
export async function authenticateMcp(
  ctx: AppContext,
  raw: Request,
  peer: string | null,
): Promise<RestRequest> {
  const url = new URL(raw.url);
  const path = "/fleetpress/v1/mcp";
  const req = new RestRequest(ctx, raw, raw.method, path, url, parsePhpParams(url.searchParams), null, null, {
    remoteAddr: peer,
  });
  await wpUserGuard.authenticate(req);
  requireRead(req);
  return req;
}

/**
 * The Hono handler of the endpoint.
 *
 * @example
 * ```ts
 * app.all(MCP_PATH, mcpEndpoint(ctx, (c) => c.env?.remoteAddr?.hostname ?? null));
 * ```
 */
// deno-lint-ignore no-explicit-any
export function mcpEndpoint(ctx: AppContext, peerOf: (c: Context<any>) => string | null) {
  // deno-lint-ignore no-explicit-any
  return async (c: Context<any>): Promise<Response> => {
    if (!sameOrigin(c.req.raw, ctx.config.publicUrl)) {
      return wpError(
        restError("rest_forbidden", "Cross-origin requests to the MCP endpoint are not allowed.", 403),
      );
    }
    let req: RestRequest;
    try {
      req = await authenticateMcp(ctx, c.req.raw, peerOf(c));
    } catch (error) {
      if (error instanceof RestError) return wpError(error);
      throw error;
    }
    if (c.req.method !== "POST") return methodNotAllowed();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      maxRequestBodySize: MAX_BODY_BYTES,
    });
    await mcpServerFor({ ctx, req }).connect(transport);
    return await transport.handleRequest(c.req.raw);
  };
}
