/**
 * @module
 * One MCP tool call: find the ability, apply the caller's API-key permission as `/run` does (the method
 * the ability's annotations dictate), send destructive tools through the confirmation flow, run the
 * ability exactly as `/run` runs it (`runAbility`: input coercion and validation, permission callback,
 * hooks, output validation), and, for a queued batch whose client sent a `progressToken`, report the
 * job's progress until it ends.
 *
 * @example
 * ```ts
 * const result = await callTool(session, "list_sites_v1", { page: 1 }, { signal, progress: undefined });
 * ```
 */
import type { AppContext } from "../app-context.ts";
import type { RestRequest } from "../rest/server.ts";
import { RestError, restError } from "../rest/errors.ts";
import { type Ability, expectedMethod } from "../abilities/registry.ts";
import { runAbility } from "../abilities/run.ts";
import { keyShortfall } from "../auth/key-permissions.ts";
import { isPlainObject } from "../lib/objects.ts";
import type { JobStatusView } from "../jobs/status.ts";
import { isDestructive, isExposed, toolName, toolOf } from "./tools.ts";
import { confirmationFlow } from "./confirm.ts";
import { followJob } from "./progress.ts";

type Json = Record<string, unknown>;

/** An authenticated MCP request: the app, and the REST request whose credentials it carries. */
export interface McpSession {
  ctx: AppContext;
  /** Authenticated (`auth` set) by the Abilities API's guard; abilities see it as their `req`. */
  req: RestRequest;
}

/** How the call may talk back while it runs. */
export interface CallExtras {
  signal: AbortSignal;
  /** Present when the client sent `_meta.progressToken`. */
  progress?: (progress: number, total: number, message: string) => Promise<void>;
}

/** A tool result as MCP's `tools/call` answers it. */
export interface ToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  structuredContent?: Json;
  isError?: boolean;
}

/** A tool name that names no tool (MCP's `-32602`, thrown as a protocol error by the server). */
export class UnknownTool extends Error {}

/**
 * The ability behind a tool name, or `undefined`.
 *
 * @example
 * ```ts
 * abilityOfTool(ctx, "list_sites_v1")?.name; // "mainwp/list-sites-v1"
 * ```
 */
export function abilityOfTool(ctx: AppContext, name: string): Ability | undefined {
  return ctx.abilities.list().find((a) => isExposed(a) && toolName(a.name) === name);
}

/** Who is calling, for binding confirmation tokens. */
export function principalOf(req: RestRequest): string {
  return req.auth.key ? `key:${req.auth.key.id}` : `user:${req.auth.user?.id ?? 0}`;
}

function errorResult(body: Json): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(body) }], isError: true };
}

function successResult(ability: Ability, result: unknown, extra: unknown[] = []): ToolResult {
  const out: ToolResult = {
    content: [result, ...extra].map((value) => ({
      type: "text" as const,
      text: JSON.stringify(value ?? null),
    })),
  };
  if (toolOf(ability).outputSchema && isPlainObject(result)) out.structuredContent = result;
  return out;
}

/** Runs the ability as `/run` would; a refusal or failure is its WordPress error body. */
async function run(
  session: McpSession,
  ability: Ability,
  args: Json,
): Promise<{ ok: true; result: unknown } | { ok: false; error: Json }> {
  // MCP always sends an object; "no arguments" is no input for an ability without an input schema.
  const input = !ability.input && Object.keys(args).length === 0 ? null : args;
  try {
    const method = expectedMethod(ability.annotations);
    return { ok: true, result: await runAbility(session.ctx, ability, { method, input, req: session.req }) };
  } catch (error) {
    if (error instanceof RestError) return { ok: false, error: error.toJSON() };
    console.error(`[fleetpress] MCP tool ${ability.name} failed:`, error);
    return {
      ok: false,
      error: { code: "internal_error", message: "The tool failed.", data: { status: 500 } },
    };
  }
}

/** A queued batch answer (`{queued: true, job_id}`), as the batch abilities give it. */
function queuedJobId(result: unknown): string | null {
  return isPlainObject(result) && result.queued === true && typeof result.job_id === "string"
    ? result.job_id
    : null;
}

/**
 * Calls a tool for an authenticated session.
 *
 * @example
 * ```ts
 * await callTool(session, "delete_tag_v1", { tag_id: 7, confirm: true }, { signal });
 * ```
 */
export async function callTool(
  session: McpSession,
  name: string,
  args: Json,
  extras: CallExtras,
): Promise<ToolResult> {
  const ability = abilityOfTool(session.ctx, name);
  if (!ability) throw new UnknownTool(`Unknown tool: ${name}`);
  const key = session.req.auth.key;
  if (key && keyShortfall(key.permissions, expectedMethod(ability.annotations))) {
    const refused = restError(
      "rest_ability_cannot_execute",
      "Sorry, you are not allowed to execute this ability.",
      403,
    );
    return errorResult(refused.toJSON());
  }
  let input = args;
  if (isDestructive(ability)) {
    const flow = await confirmationFlow(
      session.ctx,
      principalOf(session.req),
      ability,
      name,
      args,
      (preview) => run(session, ability, preview),
    );
    if ("answer" in flow) {
      if (flow.error) return errorResult(flow.answer);
      return {
        content: [{ type: "text", text: JSON.stringify(flow.answer) }],
        structuredContent: flow.answer,
      };
    }
    input = flow.run;
  }
  const outcome = await run(session, ability, input);
  if (!outcome.ok) return errorResult(outcome.error);
  const jobId = queuedJobId(outcome.result);
  if (!jobId || !extras.progress) return successResult(ability, outcome.result);
  const report = extras.progress;
  const final: JobStatusView | null = await followJob(
    session.ctx.kv,
    jobId,
    (status) =>
      report(
        status.processed,
        status.total,
        `${status.type} job ${status.status}: ${status.processed}/${status.total}`,
      ),
    extras.signal,
  );
  return successResult(ability, outcome.result, [{ job_status: final }]);
}
