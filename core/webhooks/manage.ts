/**
 * @module
 * Webhook endpoints as the API manages them: subscribe (the secret is shown once, then kept only
 * encrypted), list, read, change, delete; an endpoint's deliveries and their attempts; redelivery. URLs go
 * through the site-address guard with loopback refused by default (`fleetpress_allow_site_address` may
 * allow it). Everything is validated before anything is written: a refused request changes nothing.
 *
 * @example
 * ```ts
 * const created = await createWebhookEndpoint(ctx, { url: "https://hooks.example/fp", events: ["site.down"] });
 * created.secret; // "whsec_…" (only here)
 * ```
 */
import type { ChildDeps } from "../deps.ts";
import { Conflict, InvalidInput, NotFound } from "../errors.ts";
import { assertSiteAddressAllowed, parseSiteUrl } from "../../child/address-guard.ts";
import { ChildError } from "../../child/errors.ts";
import { encryptPrivateKey } from "../../child/keys.ts";
import {
  createWebhook,
  deleteWebhook,
  type DeliveryRecord,
  getWebhook,
  listDeliveries,
  listWebhooks,
  updateWebhook,
  type WebhookRecord,
} from "../../store/webhooks.ts";
import type { WebhookDispatcher } from "./dispatcher.ts";
import type { WebhookEvent } from "./events.ts";
import { newWebhookSecret } from "./signing.ts";

/** What webhook management needs: the store, hooks, the server's secret key and the dispatcher. */
export interface WebhookDeps extends Pick<ChildDeps, "kv" | "hooks" | "secretKey"> {
  webhooks: WebhookDispatcher;
}

/** A new endpoint. */
export interface WebhookInput {
  url: string;
  events: readonly WebhookEvent[];
}

/** Changes to an endpoint (absent fields stay). */
export interface WebhookPatch {
  url?: string;
  events?: readonly WebhookEvent[];
  active?: boolean;
}

/** An endpoint as shown (never its secret). */
export interface WebhookView {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  /** ISO 8601. */
  created: string;
  updated: string;
}

/** One attempt as shown. */
export interface AttemptView {
  attempt: number;
  /** ISO 8601. */
  time: string;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
}

/** A delivery as shown. */
export interface DeliveryView {
  id: string;
  event_id: string;
  type: string;
  status: DeliveryRecord["status"];
  created: string;
  /** When the next attempt is due (pending only). */
  next_attempt: string | null;
  attempts: AttemptView[];
}

/** Most endpoints one dashboard keeps. */
export const MAX_WEBHOOKS = 100;
/** Most deliveries one listing returns. */
export const MAX_DELIVERIES_LISTED = 100;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The view of an endpoint.
 *
 * @example
 * ```ts
 * webhookView(record).active;
 * ```
 */
export function webhookView(record: WebhookRecord): WebhookView {
  return {
    id: record.id,
    url: record.url,
    events: [...record.events],
    active: record.active,
    created: iso(record.created * 1000),
    updated: iso(record.updated * 1000),
  };
}

/**
 * The view of a delivery.
 *
 * @example
 * ```ts
 * deliveryView(delivery).attempts.length;
 * ```
 */
export function deliveryView(delivery: DeliveryRecord): DeliveryView {
  return {
    id: delivery.id,
    event_id: delivery.event_id,
    type: delivery.type,
    status: delivery.status,
    created: iso(delivery.created),
    next_attempt: delivery.status === "pending" ? iso(delivery.due) : null,
    attempts: delivery.attempts.map((a) => ({
      attempt: a.attempt,
      time: iso(a.at),
      http_status: a.http_status,
      error: a.error,
      duration_ms: a.duration_ms,
    })),
  };
}

/** The URL, checked by the address guard (loopback refused unless a filter allows it). */
async function checkedUrl({ hooks }: WebhookDeps, url: string): Promise<string> {
  try {
    const parsed = parseSiteUrl(url.trim());
    await assertSiteAddressAllowed(parsed, hooks, { allowLoopback: false });
    return parsed.href;
  } catch (error) {
    if (error instanceof ChildError) throw new InvalidInput("url", error.message, "webhook");
    throw error;
  }
}

const uniqueEvents = (events: readonly WebhookEvent[]) => [...new Set(events)];

async function requireWebhook({ kv }: WebhookDeps, id: number): Promise<WebhookRecord> {
  const record = Number.isSafeInteger(id) ? await getWebhook(kv, id) : null;
  if (!record) throw new NotFound("webhook", id);
  return record;
}

/**
 * Subscribes a URL to events; returns the endpoint with its new secret (the only time it is shown).
 *
 * @example
 * ```ts
 * await createWebhookEndpoint(ctx, { url: "https://hooks.example/fp", events: ["site.down", "site.up"] });
 * ```
 */
export async function createWebhookEndpoint(
  deps: WebhookDeps,
  input: WebhookInput,
): Promise<WebhookView & { secret: string }> {
  const url = await checkedUrl(deps, input.url);
  if ((await listWebhooks(deps.kv)).length >= MAX_WEBHOOKS) {
    throw new Conflict("webhook", null, `A dashboard keeps at most ${MAX_WEBHOOKS} webhooks.`);
  }
  const secret = newWebhookSecret();
  const record = await createWebhook(deps.kv, {
    url,
    events: uniqueEvents(input.events),
    active: true,
    secret: await encryptPrivateKey(secret, deps.secretKey),
  });
  deps.webhooks.invalidate();
  return { ...webhookView(record), secret };
}

/**
 * Every endpoint.
 *
 * @example
 * ```ts
 * await listWebhookEndpoints(ctx);
 * ```
 */
export async function listWebhookEndpoints({ kv }: WebhookDeps): Promise<WebhookView[]> {
  return (await listWebhooks(kv)).map(webhookView);
}

/**
 * One endpoint; `NotFound` when there is none.
 *
 * @example
 * ```ts
 * await getWebhookEndpoint(ctx, 1);
 * ```
 */
export async function getWebhookEndpoint(deps: WebhookDeps, id: number): Promise<WebhookView> {
  return webhookView(await requireWebhook(deps, id));
}

/**
 * Changes an endpoint's URL, events or active flag.
 *
 * @example
 * ```ts
 * await updateWebhookEndpoint(ctx, 1, { active: false });
 * ```
 */
export async function updateWebhookEndpoint(
  deps: WebhookDeps,
  id: number,
  patch: WebhookPatch,
): Promise<WebhookView> {
  await requireWebhook(deps, id);
  const url = patch.url === undefined ? undefined : await checkedUrl(deps, patch.url);
  const updated = await updateWebhook(deps.kv, id, (record) => ({
    ...record,
    ...(url !== undefined ? { url } : {}),
    ...(patch.events !== undefined ? { events: uniqueEvents(patch.events) } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  }));
  if (!updated) throw new NotFound("webhook", id);
  deps.webhooks.invalidate();
  return webhookView(updated);
}

/**
 * Deletes an endpoint and its deliveries; returns it as it was.
 *
 * @example
 * ```ts
 * await deleteWebhookEndpoint(ctx, 1);
 * ```
 */
export async function deleteWebhookEndpoint(deps: WebhookDeps, id: number): Promise<WebhookView> {
  await requireWebhook(deps, id);
  const removed = await deleteWebhook(deps.kv, id);
  if (!removed) throw new NotFound("webhook", id);
  deps.webhooks.invalidate();
  return webhookView(removed);
}

/**
 * An endpoint's deliveries, newest first, each with its attempts.
 *
 * @example
 * ```ts
 * await webhookDeliveries(ctx, 1, 20);
 * ```
 */
export async function webhookDeliveries(
  deps: WebhookDeps,
  id: number,
  limit: number,
): Promise<DeliveryView[]> {
  await requireWebhook(deps, id);
  const bounded = Math.min(MAX_DELIVERIES_LISTED, Math.max(1, Math.trunc(limit)));
  return (await listDeliveries(deps.kv, id, bounded)).map(deliveryView);
}

/**
 * Sends a delivery again.
 *
 * @example
 * ```ts
 * await redeliverWebhook(ctx, 1, "msg_…");
 * ```
 */
export async function redeliverWebhook(
  deps: WebhookDeps,
  id: number,
  deliveryId: string,
): Promise<DeliveryView> {
  await requireWebhook(deps, id);
  if (!/^msg_[0-9a-z]{10,40}$/.test(deliveryId)) throw new NotFound("delivery", deliveryId);
  return deliveryView(await deps.webhooks.redeliver(id, deliveryId));
}
