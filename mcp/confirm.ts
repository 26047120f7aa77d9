/**
 * @module
 * MainWP's MCP safety model for destructive tools, served by the dashboard itself: a call without the
 * user's confirmation never acts — it runs the ability as a dry run (when the ability has one) and
 * answers `CONFIRMATION_REQUIRED` with the preview and a `confirmation_token`; the same call again with
 * `user_confirmed: true` and that token performs it (with `confirm: true`). Tokens are bound to the tool,
 * the exact arguments and the caller, valid once for five minutes, and kept in KV (`core/confirmations.ts`)
 * so every process agrees.
 *
 * @example
 * ```ts
 * const outcome = await confirmationFlow(session, ability, "delete_tag_v1", args, run);
 * ```
 */
import type { AppContext } from "../app-context.ts";
import type { Ability } from "../abilities/registry.ts";
import { issueConfirmation, redeemConfirmation } from "../core/confirmations.ts";
import { declaresFlag } from "./tools.ts";

type Json = Record<string, unknown>;

/** What the flow decided: answer now (`error` marks a refusal), or run with the input it gives. */
export type FlowOutcome =
  | { answer: Json; error: boolean }
  | { run: Json };

/** The flow's own parameters: never part of what a token is bound to, never sent to the ability. */
const CONTROL = ["user_confirmed", "confirmation_token", "confirm", "dry_run"] as const;

function refusal(
  code: string,
  message: string,
  tool: string,
  ability: Ability,
  resolution: string,
): FlowOutcome {
  return {
    answer: { error: code, message, details: { tool, ability: ability.name, resolution } },
    error: true,
  };
}

/** The arguments without the flow's parameters. */
function boundInput(args: Json): Json {
  const input: Json = {};
  for (const [key, value] of Object.entries(args)) {
    if (!(CONTROL as readonly string[]).includes(key)) input[key] = value;
  }
  return input;
}

/**
 * Decides a destructive tool call: a refusal, a preview (run `preview` first, then answer), or the
 * confirmed run.
 *
 * @example
 * ```ts
 * const outcome = await confirmationFlow(ctx, "user:1", ability, "delete_tag_v1", { tag_id: 7 }, runPreview);
 * ```
 */
export async function confirmationFlow(
  ctx: AppContext,
  principal: string,
  ability: Ability,
  tool: string,
  args: Json,
  runPreview: (input: Json) => Promise<{ ok: true; result: unknown } | { ok: false; error: Json }>,
): Promise<FlowOutcome> {
  const input = boundInput(args);
  const subject = { operation: tool, input, principal };
  const token = typeof args.confirmation_token === "string" ? args.confirmation_token : undefined;
  const confirming = args.user_confirmed === true || (args.confirm === true && token !== undefined);
  if (args.user_confirmed === true && args.dry_run === true) {
    return refusal(
      "CONFLICTING_PARAMETERS",
      "Cannot use user_confirmed and dry_run together",
      tool,
      ability,
      "Remove dry_run to execute with confirmation, or remove user_confirmed to preview only.",
    );
  }
  if (confirming) {
    const outcome = token === undefined ? "unknown" : await redeemConfirmation(ctx, { ...subject, token });
    if (outcome === "expired") {
      return refusal(
        "PREVIEW_EXPIRED",
        "Preview has expired. Please request a new preview.",
        tool,
        ability,
        "Call the tool again without user_confirmed to get a fresh preview and token.",
      );
    }
    if (outcome !== "ok") {
      return refusal(
        "PREVIEW_REQUIRED",
        "No matching preview found: user_confirmed:true needs the confirmation_token of a preview of these same " +
          "arguments (each token works once).",
        tool,
        ability,
        "Call the tool without user_confirmed to get a preview and its confirmation_token first.",
      );
    }
    return { run: declaresFlag(ability, "confirm") ? { ...input, confirm: true } : input };
  }
  let preview: unknown = null;
  if (declaresFlag(ability, "dry_run")) {
    const dry = await runPreview({ ...input, dry_run: true });
    if (!dry.ok) return { answer: dry.error, error: true };
    preview = dry.result;
  }
  const issued = await issueConfirmation(ctx, subject);
  return {
    answer: {
      status: "CONFIRMATION_REQUIRED",
      next_action: "show_preview_and_confirm",
      message: preview === null
        ? "Nothing was changed. This ability has no dry run; confirm to proceed."
        : "Preview generated; nothing was changed. Review the changes below and confirm to proceed.",
      preview,
      instructions: "To execute this operation, call the tool again with the same arguments plus " +
        "user_confirmed: true and the confirmation_token.",
      metadata: { tool, ability: ability.name, expiresIn: "5 minutes", confirmation_token: issued },
    },
    error: false,
  };
}
