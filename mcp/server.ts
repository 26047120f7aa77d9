/**
 * @module
 * The MCP server of one request (the endpoint is stateless: every POST gets its own, so any process on
 * the shared KV can answer any request): `tools/list` offers the registered abilities as tools,
 * `tools/call` runs one (`call.ts`), forwarding progress notifications when the client sent a
 * `progressToken`.
 *
 * @example
 * ```ts
 * const server = mcpServerFor(session);
 * await server.connect(transport);
 * ```
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { isExposed, toolOf } from "./tools.ts";
import { callTool, type McpSession, UnknownTool } from "./call.ts";

const INSTRUCTIONS =
  "Fleetpress, a MainWP-compatible dashboard: each tool is one of its abilities (the MainWP MCP " +
  "server's names). Read-only tools are safe. Destructive tools never act on the first call: they answer " +
  "CONFIRMATION_REQUIRED with a preview and a confirmation_token; call again with the same arguments plus " +
  "user_confirmed:true and the token only after the user agreed. Batch tools over many sites queue a job; " +
  "send a progressToken to follow it to the end, or poll get_batch_job_status_v1.";

/**
 * A server for one authenticated request.
 *
 * @example
 * ```ts
 * mcpServerFor({ ctx, req });
 * ```
 */
export function mcpServerFor(session: McpSession): Server {
  const server = new Server(
    { name: "fleetpress", title: "Fleetpress", version: "1.0.0" },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: session.ctx.abilities.list().filter(isExposed).map(toolOf),
  }));
  const call = async (
    request: CallToolRequest,
    extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  ): Promise<CallToolResult> => {
    const token = request.params._meta?.progressToken;
    const progress = token === undefined
      ? undefined
      : async (progress: number, total: number, message: string) => {
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken: token, progress, total, message },
        });
      };
    try {
      return await callTool(session, request.params.name, request.params.arguments ?? {}, {
        signal: extra.signal,
        progress,
      });
    } catch (error) {
      if (error instanceof UnknownTool) throw new McpError(ErrorCode.InvalidParams, error.message);
      throw error;
    }
  };
  server.setRequestHandler(CallToolRequestSchema, call);
  return server;
}
