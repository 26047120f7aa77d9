/**
 * @module
 * Pending confirmations of destructive MCP tool calls: one record per issued token, keyed by the token's
 * SHA-256 (the token itself is never stored), expiring on its own. Taking one is a single atomic
 * check-and-delete, so of two processes redeeming the same token only one succeeds.
 *
 * @example
 * ```ts
 * await saveConfirmation(kv, hash, { tool: "delete_tag_v1", digest, principal: "user:1", expiresAt }, 300_000);
 * const record = await takeConfirmation(kv, hash); // null the second time
 * ```
 */
import { keys } from "./keys.ts";
import { atomicRetry } from "./kv.ts";

/** What a confirmation token is bound to. */
export interface ConfirmationRecord {
  /** The tool it confirms. */
  tool: string;
  /** SHA-256 of the canonical input it confirms. */
  digest: string;
  /** Who may redeem it (`key:<id>` or `user:<id>`). */
  principal: string;
  /** Unix milliseconds after which it is void (KV expiry is lazy, so this is checked on read). */
  expiresAt: number;
}

/**
 * Stores a pending confirmation.
 *
 * @example
 * ```ts
 * await saveConfirmation(kv, tokenHash, record, 300_000);
 * ```
 */
export async function saveConfirmation(
  kv: Deno.Kv,
  tokenHash: string,
  record: ConfirmationRecord,
  ttlMs: number,
): Promise<void> {
  await atomicRetry(kv, (op) => {
    op.set(keys.mcpConfirmation(tokenHash), record, { expireIn: ttlMs });
    return Promise.resolve();
  });
}

/**
 * Removes and returns a pending confirmation, or `null` when there is none (never issued, expired from
 * the store, or already taken — by this process or another).
 *
 * @example
 * ```ts
 * const record = await takeConfirmation(kv, tokenHash);
 * ```
 */
export async function takeConfirmation(kv: Deno.Kv, tokenHash: string): Promise<ConfirmationRecord | null> {
  const key = keys.mcpConfirmation(tokenHash);
  // Checked against the version read: of two takers, the second finds it gone on its retry.
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<ConfirmationRecord>(key);
    if (!entry.value) return null;
    op.check(entry).delete(key);
    return entry.value;
  });
}
