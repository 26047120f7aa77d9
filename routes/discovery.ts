/**
 * @module
 * WordPress discovery documents: `GET /wp-json/` (site index with every namespace and route) and
 * `GET /wp-json/<namespace>` (one namespace's routes), built from the live route table.
 *
 * @example
 * ```ts
 * registerDiscoveryRoutes(ctx.rest); // after every other route is registered
 * ```
 */
import { READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import { describeArgs } from "../rest/args.ts";

function describeRoutes(req: RestRequest, namespace?: string): Record<string, unknown> {
  const base = `${req.ctx.config.publicUrl}/wp-json`;
  const out: Record<string, unknown> = {};
  for (const route of req.ctx.rest.routes(namespace)) {
    const methods = [...new Set(route.endpoints.flatMap((e) => e.methods))];
    const entry: Record<string, unknown> = {
      namespace: route.namespace,
      methods,
      endpoints: route.endpoints.map((e) => ({
        methods: [...e.methods],
        args: e.args ? describeArgs(e.args) : {},
      })),
    };
    if (!route.pattern.includes("(")) {
      entry._links = { self: [{ href: `${base}${route.pattern === "/" ? "/" : route.pattern}` }] };
    }
    out[route.pattern] = entry;
  }
  return out;
}

/** Allows anyone: discovery is public, as in WordPress. */
const publicAccess = () => {};

/**
 * Registers `/` and one index route per namespace known so far.
 *
 * @example
 * ```ts
 * registerDiscoveryRoutes(rest);
 * ```
 */
export function registerDiscoveryRoutes(rest: RestServer): void {
  for (const namespace of [...rest.namespaces]) {
    if (namespace === "") continue;
    rest.register(namespace, "", {
      methods: READABLE,
      permission: publicAccess,
      handler: (req) => ({
        namespace,
        routes: describeRoutes(req, namespace),
        _links: { up: [{ href: `${req.ctx.config.publicUrl}/wp-json/` }] },
      }),
    });
  }
  rest.register("", "/", {
    methods: READABLE,
    permission: publicAccess,
    handler: (req) => ({
      name: "Fleetpress",
      description: "MainWP-compatible dashboard API",
      url: req.ctx.config.publicUrl,
      home: req.ctx.config.publicUrl,
      gmt_offset: 0,
      timezone_string: "UTC",
      namespaces: req.ctx.rest.namespaces.filter((n) => n !== ""),
      authentication: {},
      routes: describeRoutes(req),
      _links: { help: [{ href: "https://developer.wordpress.org/rest-api/" }] },
    }),
  });
}
