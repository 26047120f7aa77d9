/**
 * @module
 * `GET /wp-json/fleetpress/v1/openapi.json`: the generated OpenAPI document, public like discovery. The
 * route is registered with the others (so discovery lists it) and serves the document built once the
 * route table is complete.
 *
 * @example
 * ```ts
 * const openApi = registerOpenApiRoute(rest);
 * registerDiscoveryRoutes(rest);
 * openApi.publish(buildOpenApiDocument({ rest, abilities, publicUrl }));
 * ```
 */
import { READABLE, type RestServer } from "../rest/server.ts";
import { restError } from "../rest/errors.ts";
import { publicAccess } from "../routes/discovery.ts";

/** Fleetpress's own namespace. */
export const FLEETPRESS_NS = "fleetpress/v1";

/**
 * Registers the route; `publish` hands it the document to serve.
 *
 * @example
 * ```ts
 * registerOpenApiRoute(rest).publish({ openapi: "3.1.0" });
 * ```
 */
export function registerOpenApiRoute(rest: RestServer): { publish(document: Record<string, unknown>): void } {
  let published: Record<string, unknown> | null = null;
  rest.register(FLEETPRESS_NS, "/openapi.json", {
    methods: READABLE,
    permission: publicAccess,
    handler: () => {
      if (!published) {
        throw restError("fleetpress_openapi_unavailable", "The API document is not ready yet.", 503);
      }
      return published;
    },
  });
  return {
    publish(document) {
      published = document;
    },
  };
}
