/**
 * @module
 * One webhook attempt and the filters that shape attempts: the signed POST to the endpoint's guarded
 * address (loopback refused unless `fleetpress_allow_site_address` allows it; no redirects followed; the
 * answer's body is not read), the receiver timeout (`fleetpress_webhook_timeout_seconds`) and the retry
 * delays (`fleetpress_webhook_retry_delays`).
 *
 * @example
 * ```ts
 * const result = await sendDelivery(ctx, webhook, delivery, await webhookTimeoutMs(ctx.hooks));
 * result.http_status; // 200
 * ```
 */
import type { ChildDeps } from "../deps.ts";
import type { HookRegistry } from "../../hooks/registry.ts";
import { sendHttp } from "../../child/http.ts";
import { checkSiteAddresses, parseSiteUrl } from "../../child/address-guard.ts";
import { ChildError } from "../../child/errors.ts";
import { decryptPrivateKey } from "../../child/keys.ts";
import type { DeliveryRecord, WebhookRecord } from "../../store/webhooks.ts";
import { signWebhook } from "./signing.ts";

/** The default retry delays in seconds (Standard Webhooks' usual schedule, shortened at the end). */
export const DEFAULT_RETRY_DELAYS = [30, 120, 600, 3600, 21600] as const;
/** The default receiver timeout in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 10;
/** Most retries a filter may ask for, and the longest delay (the KV queue's limit). */
const MAX_RETRIES = 20;
const MAX_DELAY_SECONDS = 30 * 86_400;

/** What one attempt gave. */
export interface AttemptResult {
  http_status: number | null;
  error: string | null;
  duration_ms: number;
  /** When it was sent (ms since epoch). */
  at: number;
  /** No retry can help (the address is refused, the secret unreadable, the endpoint disabled). */
  permanent: boolean;
}

/**
 * The retry delays in seconds (`fleetpress_webhook_retry_delays`): a list of at most 20 numbers from 0
 * to 30 days, else the default.
 *
 * @example
 * ```ts
 * await webhookRetryDelays(hooks); // [30, 120, 600, 3600, 21600]
 * ```
 */
export async function webhookRetryDelays(hooks: HookRegistry): Promise<number[]> {
  const value = await hooks.applyFilters("fleetpress_webhook_retry_delays", [...DEFAULT_RETRY_DELAYS]);
  const valid = Array.isArray(value) && value.length <= MAX_RETRIES &&
    value.every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= MAX_DELAY_SECONDS);
  return valid ? value.map(Number) : [...DEFAULT_RETRY_DELAYS];
}

/**
 * The receiver timeout in ms (`fleetpress_webhook_timeout_seconds`, 0.1 s – 60 s).
 *
 * @example
 * ```ts
 * await webhookTimeoutMs(hooks); // 10_000
 * ```
 */
export async function webhookTimeoutMs(hooks: HookRegistry): Promise<number> {
  const value = Number(
    await hooks.applyFilters("fleetpress_webhook_timeout_seconds", DEFAULT_TIMEOUT_SECONDS),
  );
  const seconds = Number.isFinite(value) && value > 0
    ? Math.min(60, Math.max(0.1, value))
    : DEFAULT_TIMEOUT_SECONDS;
  return Math.round(seconds * 1000);
}

/**
 * Sends one signed attempt of a delivery; never throws (a failure is the result's `error`).
 *
 * @example
 * ```ts
 * await sendDelivery(ctx, webhook, delivery, 10_000);
 * ```
 */
export async function sendDelivery(
  deps: Pick<ChildDeps, "hooks" | "secretKey">,
  webhook: WebhookRecord,
  delivery: DeliveryRecord,
  timeoutMs: number,
): Promise<AttemptResult> {
  const at = Date.now();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const secret = await decryptPrivateKey(webhook.secret, deps.secretKey);
    const url = parseSiteUrl(webhook.url);
    const addresses = await checkSiteAddresses(url, deps.hooks, { allowLoopback: false });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = new Headers({
      "content-type": "application/json",
      "user-agent": "Fleetpress-Webhooks/1.0",
      "webhook-id": delivery.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": await signWebhook(secret, delivery.id, timestamp, delivery.body),
    });
    const response = await sendHttp({
      url,
      addresses,
      method: "POST",
      headers,
      body: delivery.body,
      timeoutMs,
      maxBodyBytes: 0,
      followRedirects: false,
      maxRedirects: 0,
      readBody: false,
      guard: () => Promise.reject(new Error("redirects are not followed")),
    });
    const ok = response.status >= 200 && response.status < 300;
    return {
      http_status: response.status,
      error: ok ? null : `HTTP ${response.status}`,
      duration_ms: elapsed(),
      at,
      permanent: false,
    };
  } catch (error) {
    const refused = error instanceof ChildError &&
      (error.code === "URL_NOT_ALLOWED" || error.code === "PRIVKEY_UNREADABLE");
    const message = error instanceof Error ? error.message : String(error);
    return {
      http_status: null,
      error: message.slice(0, 300),
      duration_ms: elapsed(),
      at,
      permanent: refused,
    };
  }
}
