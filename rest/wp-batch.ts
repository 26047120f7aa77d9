/**
 * @module
 * WordPress core's batch framework, `POST /wp-json/batch/v1`: up to `rest_get_max_batch_size` (25)
 * non-GET requests to routes that allow batching, run in order; HTTP 207 with one enveloped response
 * per request. `validation: "require-all-validate"` validates every request first and runs none if one
 * fails.
 *
 * @example
 * ```ts
 * // POST /wp-json/batch/v1
 * // {"requests":[{"method":"POST","path":"/mainwp/v2/tags/add","body":{"name":"VIP"}}]}
 * ```
 */
import { z } from "zod";
import { restError } from "./errors.ts";
import { runSubRequest } from "./dispatcher.ts";
import { refuseNestedBatch } from "./batch.ts";
import { type RestRequest, RestResponse, type RestResult } from "./server.ts";

/** One request of the batch. */
export const wpBatchRequestSchema = z.object({
  method: z.enum(["POST", "PUT", "PATCH", "DELETE"], {
    error: "%s is not one of POST, PUT, PATCH, and DELETE.",
  }).default("POST"),
  path: z.string({ error: "%s is not of type string." }),
  body: z.record(z.string(), z.unknown()).optional(),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});

/** The `/batch/v1` arguments. */
export const wpBatchArgs = z.looseObject({
  validation: z.enum(["normal", "require-all-validate"], {
    error: "%s is not one of normal and require-all-validate.",
  }).default("normal"),
  requests: z.array(wpBatchRequestSchema, { error: "%s is not of type array." }),
});

type WpBatchRequest = z.output<typeof wpBatchRequestSchema>;

function envelope(result: RestResult) {
  return {
    body: result.body,
    status: result.status,
    headers: result.allow.length ? { Allow: result.allow.join(", ") } : {},
  };
}

function run(req: RestRequest, item: WpBatchRequest, validateOnly: boolean): Promise<RestResult> {
  if (!item.path.startsWith("/")) {
    return Promise.resolve({
      status: 400,
      body: restError("parse_path_failed", "Could not parse the path.", 400).toJSON(),
      allow: [],
    });
  }
  const headers = Object.fromEntries(
    Object.entries(item.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]),
  );
  return runSubRequest(req, { method: item.method, path: item.path, body: item.body ?? null }, {
    validateOnly,
    requireBatchable: true,
    headers,
  });
}

/**
 * Runs a `/batch/v1` request whose arguments are validated.
 *
 * @example
 * ```ts
 * return await runWpBatch(req, req.args);
 * ```
 */
export async function runWpBatch(
  req: RestRequest,
  args: z.output<typeof wpBatchArgs>,
): Promise<RestResponse> {
  refuseNestedBatch(req);
  const max = Number(await req.ctx.hooks.applyFilters("rest_get_max_batch_size", 25));
  if (args.requests.length > max) {
    throw restError("rest_invalid_param", "Invalid parameter(s): requests", 400, {
      params: { requests: `requests must contain at most ${max} items.` },
    });
  }
  if (args.validation === "require-all-validate") {
    const checks = [];
    for (const item of args.requests) checks.push(await run(req, item, true));
    if (checks.some((c) => c.status >= 400)) {
      return new RestResponse({
        failed: "validation",
        responses: checks.map((c) => (c.status >= 400 ? envelope(c) : null)),
      }, 207);
    }
  }
  const responses = [];
  for (const item of args.requests) responses.push(envelope(await run(req, item, false)));
  return new RestResponse({ responses }, 207);
}
