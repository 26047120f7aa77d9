/**
 * @module
 * Example plugin: hides each site's IP address from API answers (a privacy policy some agencies want),
 * by filtering `mainwp_rest_prepare_site`, and adds one route of its own. Enable it with
 * `PLUGINS=./plugins/redact-ip.ts`.
 *
 * @example
 * ```sh
 * PLUGINS=./plugins/redact-ip.ts deno task start
 * curl -H "Authorization: Bearer …" http://127.0.0.1:8080/wp-json/mainwp/v2/sites/1   # "ip": ""
 * ```
 */
import type { PluginHost } from "./host.ts";
import { READABLE } from "../rest/server.ts";

/** Registers the filter and the plugin's status route. */
export function register(host: PluginHost): void {
  host.addFilter("mainwp_rest_prepare_site", (site: Record<string, unknown>) => ({ ...site, ip: "" }));
  host.registerRoute("fleetpress-redact-ip/v1", "/status", {
    methods: READABLE,
    handler: () => ({ plugin: "redact-ip", active: true }),
  });
}
