/**
 * @module
 * The shared parts of the generated OpenAPI document: the WordPress error envelope (`{code, message,
 * data: {status}}`) as one schema and the error responses that refer to it.
 *
 * @example
 * ```ts
 * const doc = { components: { schemas: ERROR_SCHEMAS, responses: ERROR_RESPONSES } };
 * ```
 */

/** `components.schemas`: the WordPress error envelope. */
export const ERROR_SCHEMAS = {
  WpError: {
    type: "object",
    description:
      "WordPress's error envelope (`WP_Error` as the REST API answers it); `code` is machine-readable.",
    required: ["code", "message", "data"],
    properties: {
      code: { type: "string", description: "The error code, e.g. `rest_invalid_param`." },
      message: { type: "string", description: "A human-readable message." },
      data: {
        type: ["object", "null"],
        description: "Details; `status` is the HTTP status. `params` / `details` name invalid parameters.",
        properties: {
          status: { type: "integer" },
          params: { type: "object", additionalProperties: { type: "string" } },
          details: { type: "object" },
        },
      },
      additional_errors: { type: "array", items: { $ref: "#/components/schemas/WpError" } },
    },
  },
} as const;

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/WpError" } } },
});

/** `components.responses`: the error answers every operation may give. */
export const ERROR_RESPONSES = {
  BadRequest: error("Invalid or missing parameters (`rest_invalid_param`, `rest_missing_callback_param`)."),
  Unauthorized: error(
    "Not authenticated, bad credentials, or a key without the permission this method needs.",
  ),
  Forbidden: error("Authenticated but not allowed."),
  NotFound: error("No such route or record."),
  Error: error("Any other error, in WordPress's envelope."),
} as const;

/** A `$ref` to one of {@link ERROR_RESPONSES}. */
export function errorRef(name: keyof typeof ERROR_RESPONSES): { $ref: string } {
  return { $ref: `#/components/responses/${name}` };
}
