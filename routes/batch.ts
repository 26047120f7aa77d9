/**
 * @module
 * Batch routes: the per-controller `/{sites,clients,tags,costs}/batch`, MainWP's global
 * `POST|PUT|PATCH /mainwp/v2/batch`, the fan-out `GET /mainwp/v2/batch?urls[]=…`, and WordPress core's
 * `POST /batch/v1`. Registered after the controllers' own routes, as MainWP does.
 *
 * @example
 * ```ts
 * registerBatchRoutes(rest);
 * ```
 */
import { EDITABLE, READABLE, type RestServer } from "../rest/server.ts";
import { batchBody, type BatchController, runControllerBatch, runGlobalBatch } from "../rest/batch.ts";
import { runFanout } from "../rest/fanout.ts";
import { runWpBatch, wpBatchArgs } from "../rest/wp-batch.ts";

const NS = "mainwp/v2";
const CONTROLLERS: BatchController[] = ["sites", "clients", "tags", "costs"];

/** Registers every batch route and marks the write routes of `mainwp/v2` as allowed in `/batch/v1`. */
export function registerBatchRoutes(rest: RestServer): void {
  for (const controller of CONTROLLERS) {
    rest.register(NS, `/${controller}/batch`, {
      methods: EDITABLE,
      handler: (req) => runControllerBatch(req, controller, batchBody(req)),
    });
  }
  rest.register(NS, "/batch", {
    methods: READABLE,
    handler: (req) => runFanout(req),
  }, {
    methods: EDITABLE,
    handler: (req) => runGlobalBatch(req, batchBody(req)),
  });
  for (const route of rest.routes(NS)) {
    if (/\/batch$/i.test(route.pattern)) continue;
    for (const endpoint of route.endpoints) if (!endpoint.methods.includes("GET")) endpoint.allowBatch = true;
  }
  rest.register("batch/v1", "", {
    methods: ["POST"],
    args: wpBatchArgs,
    permission: () => {},
    handler: (req) => runWpBatch(req, req.args as never),
  });
}
