/**
 * @module
 * Two-step confirmation of destructive operations (the MCP endpoint's safety model): a preview issues a
 * random token bound to the operation, its exact input and the caller; redeeming it — once, within five
 * minutes, with the same operation, input and caller — allows the operation. Tokens live in KV, so
 * every process agrees on them.
 *
 * @example
 * ```ts
 * const token = await issueConfirmation(ctx, { operation: "delete_tag_v1", input: { tag_id: 7 }, principal: "user:1" });
 * await redeemConfirmation(ctx, { token, operation: "delete_tag_v1", input: { tag_id: 7 }, principal: "user:1" }); // "ok"
 * ```
 */
import type { StoreDeps } from "./deps.ts";
import { saveConfirmation, takeConfirmation } from "../store/confirmations.ts";

/** How long a preview's token may be redeemed. */
export const CONFIRMATION_TTL_MS = 5 * 60 * 1000;

/** A token's shape: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What a token is bound to. */
export interface ConfirmationSubject {
  /** The operation (an MCP tool name). */
  operation: string;
  /** Its input, without the confirmation's own parameters. */
  input: unknown;
  /** The caller (`key:<id>` or `user:<id>`). */
  principal: string;
}

/** Why a token was not accepted, or `ok`. */
export type RedeemOutcome = "ok" | "unknown" | "expired" | "mismatch";

/** Objects with sorted keys at every depth, so equal inputs serialise equally. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
  return out;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function digestOf(input: unknown): Promise<string> {
  return sha256(JSON.stringify(canonical(input ?? null)) ?? "null");
}

/**
 * Issues a token for one operation, input and caller.
 *
 * @example
 * ```ts
 * const token = await issueConfirmation(ctx, { operation: "delete_site_v1", input: { site_id_or_domain: 3 }, principal: "key:2" });
 * ```
 */
export async function issueConfirmation(deps: StoreDeps, subject: ConfirmationSubject): Promise<string> {
  const token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  await saveConfirmation(deps.kv, await sha256(token), {
    tool: subject.operation,
    digest: await digestOf(subject.input),
    principal: subject.principal,
    expiresAt: Date.now() + CONFIRMATION_TTL_MS,
  }, CONFIRMATION_TTL_MS);
  return token;
}

/**
 * Redeems a token: it is used up whatever the outcome (a token presented with other input or by another
 * caller is void, as MainWP's MCP server voids it), and allows the operation only when it is `ok`.
 *
 * @example
 * ```ts
 * if (await redeemConfirmation(ctx, { token, ...subject }) !== "ok") throw new Error("confirm again");
 * ```
 */
export async function redeemConfirmation(
  deps: StoreDeps,
  subject: ConfirmationSubject & { token: string },
): Promise<RedeemOutcome> {
  if (!TOKEN.test(subject.token)) return "unknown";
  const record = await takeConfirmation(deps.kv, await sha256(subject.token));
  if (!record) return "unknown";
  if (record.expiresAt < Date.now()) return "expired";
  const same = record.tool === subject.operation && record.principal === subject.principal &&
    record.digest === await digestOf(subject.input);
  return same ? "ok" : "mismatch";
}
