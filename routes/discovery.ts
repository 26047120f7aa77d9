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
export const publicAccess = (): void => {};

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
    handler: (req) => siteIndex(req),
  });
}

/**
 * WordPress's site index (`rest_get_server()->get_index()`), keys in its order: the site data, then what
 * WordPress adds before the `rest_index` filter (`site_logo`, `site_icon`, `site_icon_url`). Fleetpress
 * has no front page, logo or icon, so those are WordPress's defaults; `gmt_offset` is the option's string.
 */
function siteIndex(req: RestRequest): Record<string, unknown> {
  const url = req.ctx.config.publicUrl;
  return {
    name: "Fleetpress",
    description: "MainWP-compatible dashboard API",
    url,
    home: url,
    gmt_offset: "0",
    timezone_string: "UTC",
    page_for_posts: 0,
    page_on_front: 0,
    show_on_front: "posts",
    namespaces: req.ctx.rest.namespaces.filter((n) => n !== ""),
    // As WordPress's `rest_add_application_passwords_to_index`: application passwords work on the
    // abilities API. The authorization page itself is not served (passwords come from the CLI).
    authentication: {
      "application-passwords": { endpoints: { authorization: `${url}/wp-admin/authorize-application.php` } },
    },
    routes: describeRoutes(req),
    site_logo: 0,
    site_icon: 0,
    site_icon_url: "",
    _links: { help: [{ href: "https://developer.wordpress.org/rest-api/" }] },
  };
}
