/**
 * @module
 * `/wp-json/fleetpress/v1/webhooks` — Fleetpress's outbound webhooks (MainWP has none; see
 * COMPATIBILITY.md). API keys as on `/mainwp/` (read for GET, write for POST/PATCH, delete for DELETE):
 * - `POST /webhooks` `{"url","events":[…]}` → 201 with the endpoint and its `secret` (shown only here);
 * - `GET /webhooks`, `GET|PATCH|DELETE /webhooks/{id}`;
 * - `GET /webhooks/{id}/deliveries` (`per_page` 1–100, default 20): newest first, each with its attempts;
 * - `POST /webhooks/{id}/deliveries/{delivery_id}/redeliver` → 202 with the delivery, pending again;
 * - `GET /schedule`: the scheduled fleet sync (interval, next run, the run in progress, the last run).
 *
 * @example
 * ```sh
 * curl -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
 *   -d '{"url":"https://hooks.example/fp","events":["site.down","site.up"]}' \
 *   https://dashboard.example/wp-json/fleetpress/v1/webhooks
 * ```
 */
import { z } from "zod";
import {
  CREATABLE,
  DELETABLE,
  type Endpoint,
  READABLE,
  type RestRequest,
  RestResponse,
  type RestServer,
} from "../rest/server.ts";
import { wp } from "../rest/args.ts";
import { URL_MAX } from "../lib/limits.ts";
import { fleetpressRestErrorOf } from "./errors.ts";
import { WEBHOOK_EVENTS } from "../core/webhooks/events.ts";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  redeliverWebhook,
  updateWebhookEndpoint,
  webhookDeliveries,
} from "../core/webhooks/manage.ts";
import { scheduleStatus } from "../core/schedule/status.ts";

/** The Fleetpress REST namespace. */
export const FLEETPRESS_NS = "fleetpress/v1";

const ID = "(?P<id>[\\d]+)";
const DELIVERY_ID = "(?P<delivery_id>[A-Za-z0-9_]+)";

const url = () => z.string({ error: "%s is not of type string." }).min(1).max(URL_MAX);
const events = () =>
  z.array(z.enum(WEBHOOK_EVENTS, { error: `%s must hold only: ${WEBHOOK_EVENTS.join(", ")}.` }), {
    error: "%s is not of type array.",
  }).min(1).max(WEBHOOK_EVENTS.length * 4);

const createArgs = z.object({ url: url(), events: events() }).loose();
const patchArgs = z.object({
  url: url().optional(),
  events: events().optional(),
  active: wp.bool().optional(),
})
  .loose();
const listArgs = z.object({ per_page: wp.int().optional() }).loose();

/** An endpoint whose handler takes its own parsed arguments (as routes/sites.ts does). */
const typed = <S extends z.ZodObject>(endpoint: Endpoint<S>) => endpoint as unknown as Endpoint;

const idOf = (params: Record<string, string>) => Number(params.id);

async function createRoute(req: RestRequest<z.output<typeof createArgs>>): Promise<RestResponse> {
  const created = await createWebhookEndpoint(req.ctx, { url: req.args.url, events: req.args.events });
  return new RestResponse(created, 201);
}

function patchRoute(req: RestRequest<z.output<typeof patchArgs>>) {
  const { url, events, active } = req.args;
  return updateWebhookEndpoint(req.ctx, idOf(req.urlParams), { url, events, active });
}

function deliveriesRoute(req: RestRequest<z.output<typeof listArgs>>) {
  return webhookDeliveries(req.ctx, idOf(req.urlParams), Number(req.args.per_page ?? 20));
}

/**
 * Registers the webhook routes and the namespace's error mapping.
 *
 * @example
 * ```ts
 * registerWebhookRoutes(rest);
 * ```
 */
export function registerWebhookRoutes(rest: RestServer): void {
  rest.mapErrors(FLEETPRESS_NS, fleetpressRestErrorOf);
  rest.register(FLEETPRESS_NS, "/schedule", { methods: READABLE, handler: (req) => scheduleStatus(req.ctx) });
  rest.register(FLEETPRESS_NS, "/webhooks", {
    methods: READABLE,
    handler: (req) => listWebhookEndpoints(req.ctx),
  }, typed({ methods: CREATABLE, args: createArgs, handler: createRoute }));
  rest.register(
    FLEETPRESS_NS,
    `/webhooks/${ID}`,
    {
      methods: READABLE,
      handler: (req) => getWebhookEndpoint(req.ctx, idOf(req.urlParams)),
    },
    typed({ methods: ["POST", "PUT", "PATCH"], args: patchArgs, handler: patchRoute }),
    {
      methods: DELETABLE,
      handler: async (req) => ({
        deleted: true,
        previous: await deleteWebhookEndpoint(req.ctx, idOf(req.urlParams)),
      }),
    },
  );
  rest.register(
    FLEETPRESS_NS,
    `/webhooks/${ID}/deliveries`,
    typed({ methods: READABLE, args: listArgs, handler: deliveriesRoute }),
  );
  rest.register(FLEETPRESS_NS, `/webhooks/${ID}/deliveries/${DELIVERY_ID}/redeliver`, {
    methods: CREATABLE,
    handler: async (req) => {
      const delivery = await redeliverWebhook(
        req.ctx,
        idOf(req.urlParams),
        String(req.urlParams.delivery_id),
      );
      return new RestResponse(delivery, 202);
    },
  });
}
