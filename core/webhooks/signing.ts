/**
 * @module
 * Webhook signatures per the Standard Webhooks specification: a secret `whsec_<base64 of 32 random
 * bytes>`; each attempt carries `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature:
 * v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed by the base64-decoded secret>`. Receivers
 * verify with {@link verifyWebhook} (or any Standard Webhooks library).
 *
 * @example
 * ```ts
 * const secret = newWebhookSecret();
 * const signature = await signWebhook(secret, "msg_1", 1764979200, '{"type":"site.down"}');
 * await verifyWebhook(secret, { id: "msg_1", timestamp: "1764979200", signature }, '{"type":"site.down"}', 1764979200); // true
 * ```
 */
import { Buffer } from "node:buffer";
import { timingSafeEqual } from "node:crypto";

/** The prefix of a webhook secret. */
export const SECRET_PREFIX = "whsec_";
/** Random bytes in a new secret. */
export const SECRET_BYTES = 32;
/** How far a receiver accepts a timestamp from its clock, by default (seconds). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * A new random secret.
 *
 * @example
 * ```ts
 * newWebhookSecret().startsWith("whsec_"); // true
 * ```
 */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + Buffer.from(crypto.getRandomValues(new Uint8Array(SECRET_BYTES))).toString("base64");
}

/** The HMAC key of a secret: the base64 after `whsec_` decoded. */
function keyBytes(secret: string): Uint8Array<ArrayBuffer> {
  const text = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const decoded = Buffer.from(text, "base64");
  const bytes = new Uint8Array(new ArrayBuffer(decoded.byteLength));
  bytes.set(decoded);
  return bytes;
}

/**
 * The `webhook-signature` value of one attempt: `v1,<base64 HMAC-SHA256>`.
 *
 * @example
 * ```ts
 * await signWebhook(newWebhookSecret(), "msg_1", 1764979200, "{}"); // "v1,…"
 * ```
 */
export async function signWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    keyBytes(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${Buffer.from(mac).toString("base64")}`;
}

/** The three Standard Webhooks headers as received. */
export interface WebhookHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

/**
 * Whether a received webhook is authentic: the timestamp within `toleranceSeconds` of `nowSeconds`, and
 * one of the space-separated `v1,` signatures matching (compared in constant time).
 *
 * @example
 * ```ts
 * const headers = { id: req.headers.get("webhook-id"), timestamp: req.headers.get("webhook-timestamp"), signature: req.headers.get("webhook-signature") };
 * await verifyWebhook(secret, headers, await req.text());
 * ```
 */
export async function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): Promise<boolean> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  let expected: Buffer;
  try {
    expected = Buffer.from((await signWebhook(secret, id, Number(timestamp), body)).slice(3), "base64");
  } catch {
    return false; // a secret that is no key (empty)
  }
  return signature.split(" ").some((candidate) => {
    if (!candidate.startsWith("v1,")) return false;
    const given = Buffer.from(candidate.slice(3), "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
