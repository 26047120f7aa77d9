/**
 * @module
 * MainWP REST API keys on Deno KV. A key is a `ck_` consumer key and a `cs_` consumer secret (each 40
 * hex characters, 160 random bits). The consumer key is stored only as HMAC-SHA256(key "mainwp-api"),
 * MainWP's lookup hash; the secret only as a salted HMAC-SHA256 compared in constant time (the secret is
 * random, so a slow password hash buys nothing and costs ~67 ms a request in MainWP).
 *
 * @example
 * ```ts
 * const { token } = await createApiKey(kv, { permissions: "read_write", description: "CI" });
 * // token = "<secret hex>==<key hex>", the Bearer token
 * ```
 */
import { createHmac, randomBytes } from "node:crypto";
import { hashNewSecret, verifySecret } from "../lib/secret-hash.ts";
import { keys } from "./keys.ts";
import { allocateId, atomicRetry, isDatabaseLocked, listValues } from "./kv.ts";

/** Key scopes, as MainWP stores them. */
export const KEY_PERMISSIONS = ["read", "write", "delete", "read_write"] as const;
/** One key scope. */
export type KeyPermission = typeof KEY_PERMISSIONS[number];

/** A stored API key. No plaintext secret is ever stored. */
export interface ApiKeyRecord {
  id: number;
  /** The user the key acts as on the Abilities API; `0` (or a user that does not exist): none, so the
   * key works on `/mainwp/v2` only, where the owner plays no part. */
  user_id: number;
  description: string;
  permissions: KeyPermission;
  /** HMAC-SHA256(`ck_…`, "mainwp-api"), lowercase hex. */
  consumer_key_hash: string;
  /** Random salt and HMAC-SHA256(`cs_…`, salt), hex. */
  secret_salt: string;
  secret_hash: string;
  /** Last 7 characters of the consumer key, for display. */
  truncated_key: string;
  enabled: boolean;
  /** `YYYY-MM-DD HH:MM:SS` (UTC) or `null`. */
  last_access: string | null;
  created: string;
}

/** MainWP's key-lookup hash of a full `ck_…` consumer key. */
export function hashConsumerKey(consumerKey: string): string {
  return createHmac("sha256", "mainwp-api").update(consumerKey).digest("hex");
}

/**
 * Whether `secret` (a full `cs_…` string) is the key's secret; constant time.
 *
 * @example
 * ```ts
 * verifyConsumerSecret(record, "cs_" + hex); // true | false
 * ```
 */
export function verifyConsumerSecret(record: ApiKeyRecord, secret: string): boolean {
  return verifySecret(secret, { salt: record.secret_salt, hash: record.secret_hash });
}

/** `YYYY-MM-DD HH:MM:SS` in UTC (MainWP's `last_access` format). */
export function mysqlDateTime(date = new Date()): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** Options for a new key. */
export interface NewApiKey {
  permissions: KeyPermission;
  description?: string;
  /** The owner user; default `0`, no owner. */
  userId?: number;
  enabled?: boolean;
}

/**
 * Creates a key. The returned `token`, `consumerKey` and `consumerSecret` are shown once and never stored.
 *
 * @example
 * ```ts
 * const { record, token } = await createApiKey(kv, { permissions: "read" });
 * ```
 */
export async function createApiKey(
  kv: Deno.Kv,
  input: NewApiKey,
): Promise<{ record: ApiKeyRecord; token: string; consumerKey: string; consumerSecret: string }> {
  const keyHex = randomBytes(20).toString("hex");
  const secretHex = randomBytes(20).toString("hex");
  const consumerKey = `ck_${keyHex}`;
  const consumerSecret = `cs_${secretHex}`;
  const stored = hashNewSecret(consumerSecret);
  const hash = hashConsumerKey(consumerKey);
  const record = await atomicRetry(kv, async (op) => {
    const id = await allocateId(kv, op, "api_keys");
    const record: ApiKeyRecord = {
      id,
      user_id: input.userId ?? 0,
      description: input.description ?? "",
      permissions: input.permissions,
      consumer_key_hash: hash,
      secret_salt: stored.salt,
      secret_hash: stored.hash,
      truncated_key: consumerKey.slice(-7),
      enabled: input.enabled ?? true,
      last_access: null,
      created: mysqlDateTime(),
    };
    op.check({ key: keys.apiKeyByHash(hash), versionstamp: null })
      .set(keys.apiKey(id), record)
      .set(keys.apiKeyByHash(hash), record);
    return record;
  });
  return { record, token: `${secretHex}==${keyHex}`, consumerKey, consumerSecret };
}

/**
 * Finds a key by its full `ck_…` consumer key: one read, since the lookup index holds a copy of the
 * record (every write updates both in one commit).
 *
 * @example
 * ```ts
 * const record = await findApiKey(kv, "ck_" + hex);
 * ```
 */
export async function findApiKey(kv: Deno.Kv, consumerKey: string): Promise<ApiKeyRecord | null> {
  return (await kv.get<ApiKeyRecord>(keys.apiKeyByHash(hashConsumerKey(consumerKey)))).value;
}

/** All keys, newest first (as MainWP lists them). */
export async function listApiKeys(kv: Deno.Kv): Promise<ApiKeyRecord[]> {
  return (await listValues<ApiKeyRecord>(kv, keys.apiKeys())).reverse();
}

/** One key by id. */
export async function getApiKey(kv: Deno.Kv, id: number): Promise<ApiKeyRecord | null> {
  return (await kv.get<ApiKeyRecord>(keys.apiKey(id))).value;
}

/**
 * Deletes a key and its lookup index in one commit; returns the deleted record or `null`.
 *
 * @example
 * ```ts
 * await revokeApiKey(kv, 3);
 * ```
 */
export async function revokeApiKey(kv: Deno.Kv, id: number): Promise<ApiKeyRecord | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<ApiKeyRecord>(keys.apiKey(id));
    if (!entry.value) return null;
    op.check(entry).delete(keys.apiKey(id)).delete(keys.apiKeyByHash(entry.value.consumer_key_hash));
    return entry.value;
  });
}

/**
 * Applies `change` to a key atomically; returns the updated record or `null` when absent.
 *
 * @example
 * ```ts
 * await updateApiKey(kv, 3, (k) => ({ ...k, enabled: false }));
 * ```
 */
export async function updateApiKey(
  kv: Deno.Kv,
  id: number,
  change: (record: ApiKeyRecord) => ApiKeyRecord,
): Promise<ApiKeyRecord | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<ApiKeyRecord>(keys.apiKey(id));
    if (!entry.value) return null;
    const next = { ...change(entry.value), id, consumer_key_hash: entry.value.consumer_key_hash };
    op.check(entry).set(keys.apiKey(id), next).set(keys.apiKeyByHash(next.consumer_key_hash), next);
    return next;
  });
}

/** `last_access` is written at most this often per key, so reads stay reads. */
export const LAST_ACCESS_INTERVAL_MS = 60_000;

/**
 * Records that a key was used, unless it was recorded within the last minute. A lost race is fine (the
 * other writer recorded the same minute), so this makes one attempt.
 *
 * @example
 * ```ts
 * await touchApiKey(kv, record);
 * ```
 */
export async function touchApiKey(kv: Deno.Kv, record: ApiKeyRecord, now = new Date()): Promise<void> {
  if (
    record.last_access &&
    now.getTime() - Date.parse(record.last_access.replace(" ", "T") + "Z") < LAST_ACCESS_INTERVAL_MS
  ) {
    return;
  }
  try {
    await writeLastAccess(kv, record.id, now);
  } catch (error) {
    // Recording access never fails a request; a locked database just skips this minute.
    if (!isDatabaseLocked(error)) throw error;
  }
}

async function writeLastAccess(kv: Deno.Kv, id: number, now: Date): Promise<void> {
  const entry = await kv.get<ApiKeyRecord>(keys.apiKey(id));
  if (!entry.value) return;
  const next = { ...entry.value, last_access: mysqlDateTime(now) };
  await kv.atomic().check(entry).set(keys.apiKey(id), next).set(
    keys.apiKeyByHash(next.consumer_key_hash),
    next,
  )
    .commit();
}
