/**
 * @module
 * The MCP endpoint as the OpenAPI document describes it (it is served beside the route table, so the
 * document takes this path item as given).
 *
 * @example
 * ```ts
 * buildOpenApiDocument({ rest, abilities, publicUrl, extraPaths: { [MCP_PATH]: mcpPathItem() } });
 * ```
 */
import { MCP_SECURITY } from "../openapi/security.ts";
import { errorRef } from "../openapi/components.ts";

const JSON_RPC = { type: "object", description: "A JSON-RPC 2.0 message of the Model Context Protocol." };

/**
 * The path item of `/wp-json/fleetpress/v1/mcp`.
 *
 * @example
 * ```ts
 * mcpPathItem().post.operationId; // "postFleetpressMcp"
 * ```
 */
export function mcpPathItem(): Record<string, Record<string, unknown>> {
  const common = { tags: ["MCP"], security: MCP_SECURITY };
  const notAllowed = { description: "Stateless server: no standalone stream and no sessions." };
  return {
    post: {
      ...common,
      operationId: "postFleetpressMcp",
      summary: "Model Context Protocol (Streamable HTTP)",
      description: "Send MCP JSON-RPC messages (`initialize`, `tools/list`, `tools/call`, …) with " +
        "`Accept: application/json, text/event-stream`; answers stream as server-sent events. Tools are the " +
        "registered abilities; destructive ones answer CONFIRMATION_REQUIRED until confirmed with " +
        "`user_confirmed: true` and the preview's `confirmation_token`.",
      requestBody: { required: true, content: { "application/json": { schema: JSON_RPC } } },
      responses: {
        "200": {
          description: "The answer, as an event stream (or JSON).",
          content: {
            "text/event-stream": { schema: { type: "string" } },
            "application/json": { schema: JSON_RPC },
          },
        },
        "202": { description: "A notification or response was accepted." },
        "401": errorRef("Unauthorized"),
        default: errorRef("Error"),
      },
    },
    get: {
      ...common,
      operationId: "getFleetpressMcp",
      summary: "MCP event stream (not offered)",
      responses: { "405": notAllowed, "401": errorRef("Unauthorized") },
    },
    delete: {
      ...common,
      operationId: "deleteFleetpressMcp",
      summary: "End an MCP session (not offered)",
      responses: { "405": notAllowed, "401": errorRef("Unauthorized") },
    },
  };
}
