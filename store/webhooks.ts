/**
 * @module
 * Webhook endpoints and their deliveries in Deno KV. An endpoint (`["webhooks", id]`) holds its URL, the
 * event types it subscribes to and its signing secret, encrypted. A delivery (`["webhook_deliveries",
 * webhookId, deliveryId]`) is one event for one endpoint: the body as sent, its state and its attempts;
 * delivery ids sort by creation time, so a reverse listing is newest first. A pending delivery also has a
 * due-index key (`["idx", "webhook_due", dueMs, …]`) — the durable outbox pollers scan. Deliveries expire
 * after {@link DELIVERY_RETENTION_MS} (checked on read; `expireIn` collects them).
 *
 * @example
 * ```ts
 * const hook = await createWebhook(kv, { url: "https://example.com/hook", events: ["site.down"], active: true, secret: blob });
 * await listDeliveries(kv, hook.id, 20);
 * ```
 */
import { keys } from "./keys.ts";
import { allocateId, atomicRetry } from "./kv.ts";

/** A webhook endpoint. */
export interface WebhookRecord {
  id: number;
  url: string;
  /** Event types, e.g. `site.down`. */
  events: string[];
  active: boolean;
  /** The `whsec_…` secret, encrypted with the server's secret key. */
  secret: string;
  /** Unix seconds. */
  created: number;
  updated: number;
}

/** One delivery attempt. */
export interface DeliveryAttempt {
  /** 1-based, counted over the delivery's life (redeliveries continue the count). */
  attempt: number;
  /** When it was sent (ms since epoch). */
  at: number;
  /** The receiver's HTTP status, `null` when none came. */
  http_status: number | null;
  /** Why it failed (network error, timeout, non-2xx), `null` when delivered. */
  error: string | null;
  duration_ms: number;
}

/** One event for one endpoint. */
export interface DeliveryRecord {
  /** `msg_…`: the `webhook-id` header (the same on every attempt). */
  id: string;
  webhook_id: number;
  /** `evt_…`: the event (shared by the deliveries of one event to several endpoints). */
  event_id: string;
  type: string;
  /** ms since epoch. */
  created: number;
  /** The JSON body as sent. */
  body: string;
  status: "pending" | "delivered" | "failed";
  /** Attempts since the delivery was created or last redelivered. */
  round_attempts: number;
  /** When the next attempt is due (ms; pending only). */
  due: number;
  /** While an attempt is running: until when its claim holds (ms). */
  lease_until: number;
  /** The newest {@link MAX_ATTEMPTS_KEPT} attempts, oldest first. */
  attempts: DeliveryAttempt[];
  expires_at: number;
}

/** How long deliveries (and their attempt logs) are kept. */
export const DELIVERY_RETENTION_MS = 7 * 86_400_000;
/** Attempts kept per delivery (with 16 KiB of body and 300-character errors, well under KV's 64 KiB). */
export const MAX_ATTEMPTS_KEPT = 30;
/** Deliveries kept per endpoint (the oldest beyond this are pruned). */
export const MAX_DELIVERIES_KEPT = 1000;

const alive = <T extends { expires_at: number }>(value: T | null, now = Date.now()): value is T =>
  value !== null && value.expires_at > now;

/**
 * A new delivery id: `msg_` + the creation time (base 36, fixed width, so ids sort by time) + randomness.
 *
 * @example
 * ```ts
 * newDeliveryId(Date.now()); // "msg_0mh2k9x1c3f0a9b2c4d5e6f7"
 * ```
 */
export function newDeliveryId(now: number): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  return `msg_${now.toString(36).padStart(10, "0")}${
    Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}

/**
 * Stores a new endpoint with the next id.
 *
 * @example
 * ```ts
 * await createWebhook(kv, { url, events: ["site.up"], active: true, secret: blob });
 * ```
 */
export async function createWebhook(
  kv: Deno.Kv,
  input: Pick<WebhookRecord, "url" | "events" | "active" | "secret">,
): Promise<WebhookRecord> {
  return await atomicRetry(kv, async (op) => {
    const id = await allocateId(kv, op, "webhooks");
    const now = Math.floor(Date.now() / 1000);
    const record: WebhookRecord = { id, ...input, created: now, updated: now };
    op.check({ key: keys.webhook(id), versionstamp: null }).set(keys.webhook(id), record);
    return record;
  });
}

/**
 * One endpoint, or `null`.
 *
 * @example
 * ```ts
 * await getWebhook(kv, 1);
 * ```
 */
export async function getWebhook(kv: Deno.Kv, id: number): Promise<WebhookRecord | null> {
  return (await kv.get<WebhookRecord>(keys.webhook(id))).value;
}

/**
 * Every endpoint, by id.
 *
 * @example
 * ```ts
 * (await listWebhooks(kv)).length;
 * ```
 */
export async function listWebhooks(kv: Deno.Kv): Promise<WebhookRecord[]> {
  const out: WebhookRecord[] = [];
  for await (const entry of kv.list<WebhookRecord>({ prefix: keys.webhooks() })) out.push(entry.value);
  return out;
}

/**
 * Changes an endpoint in one checked commit; `null` when it does not exist.
 *
 * @example
 * ```ts
 * await updateWebhook(kv, 1, (w) => ({ ...w, active: false }));
 * ```
 */
export async function updateWebhook(
  kv: Deno.Kv,
  id: number,
  change: (record: WebhookRecord) => WebhookRecord,
): Promise<WebhookRecord | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<WebhookRecord>(keys.webhook(id));
    if (!entry.value) return null;
    const next = { ...change(entry.value), id, updated: Math.floor(Date.now() / 1000) };
    op.check(entry).set(keys.webhook(id), next);
    return next;
  });
}

/**
 * Deletes an endpoint, then its deliveries and their outbox entries; returns what was deleted.
 *
 * @example
 * ```ts
 * await deleteWebhook(kv, 1);
 * ```
 */
export async function deleteWebhook(kv: Deno.Kv, id: number): Promise<WebhookRecord | null> {
  const removed = await atomicRetry(kv, async (op) => {
    const entry = await kv.get<WebhookRecord>(keys.webhook(id));
    if (!entry.value) return null;
    op.check(entry).delete(keys.webhook(id));
    return entry.value;
  });
  if (removed) await pruneDeliveries(kv, id, 0);
  return removed;
}

/**
 * Adds a delivery write (with its retention) to `op`, and its outbox entry while pending.
 *
 * @example
 * ```ts
 * putDelivery(kv.atomic(), delivery).commit();
 * ```
 */
export function putDelivery(
  op: Deno.AtomicOperation,
  delivery: DeliveryRecord,
  now = Date.now(),
): Deno.AtomicOperation {
  delivery.expires_at = now + DELIVERY_RETENTION_MS;
  op.set(keys.webhookDelivery(delivery.webhook_id, delivery.id), delivery, {
    expireIn: DELIVERY_RETENTION_MS,
  });
  if (delivery.status === "pending") {
    op.set(keys.webhookDue(delivery.due, delivery.webhook_id, delivery.id), true, {
      expireIn: DELIVERY_RETENTION_MS,
    });
  }
  return op;
}

/**
 * Adds the removal of a delivery's outbox entry (as it was when read) to `op`.
 *
 * @example
 * ```ts
 * clearDue(op, delivery);
 * ```
 */
export function clearDue(op: Deno.AtomicOperation, delivery: DeliveryRecord): Deno.AtomicOperation {
  return op.delete(keys.webhookDue(delivery.due, delivery.webhook_id, delivery.id));
}

/**
 * A delivery with its versionstamp (`null` value when missing or past its retention).
 *
 * @example
 * ```ts
 * const entry = await getDeliveryEntry(kv, 1, "msg_…");
 * ```
 */
export async function getDeliveryEntry(
  kv: Deno.Kv,
  webhookId: number,
  id: string,
): Promise<Deno.KvEntryMaybe<DeliveryRecord>> {
  const entry = await kv.get<DeliveryRecord>(keys.webhookDelivery(webhookId, id));
  return alive(entry.value) ? entry : { ...entry, value: null } as Deno.KvEntryMaybe<DeliveryRecord>;
}

/**
 * An endpoint's deliveries, newest first (at most `limit`).
 *
 * @example
 * ```ts
 * await listDeliveries(kv, 1, 20);
 * ```
 */
export async function listDeliveries(
  kv: Deno.Kv,
  webhookId: number,
  limit: number,
): Promise<DeliveryRecord[]> {
  const out: DeliveryRecord[] = [];
  const now = Date.now();
  const entries = kv.list<DeliveryRecord>({ prefix: keys.webhookDeliveries(webhookId) }, {
    reverse: true,
    batchSize: Math.min(500, Math.max(1, limit)),
  });
  for await (const entry of entries) {
    if (!alive(entry.value, now)) continue;
    out.push(entry.value);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The outbox entries due by `until` (ms), oldest first: `[dueMs, webhookId, deliveryId]`.
 *
 * @example
 * ```ts
 * await dueDeliveries(kv, Date.now(), 100);
 * ```
 */
export async function dueDeliveries(
  kv: Deno.Kv,
  until: number,
  limit: number,
): Promise<[number, number, string][]> {
  const out: [number, number, string][] = [];
  const selector = { prefix: keys.webhookDues(), end: [...keys.webhookDues(), until + 1] };
  for await (const entry of kv.list(selector, { limit, batchSize: Math.min(500, limit) })) {
    const [due, webhookId, deliveryId] = entry.key.slice(2);
    if (typeof due === "number" && typeof webhookId === "number" && typeof deliveryId === "string") {
      out.push([due, webhookId, deliveryId]);
    } else await kv.delete(entry.key);
  }
  return out;
}

/**
 * Deletes an endpoint's deliveries beyond the newest `keep` (and their outbox entries).
 *
 * @example
 * ```ts
 * await pruneDeliveries(kv, 1, MAX_DELIVERIES_KEPT);
 * ```
 */
export async function pruneDeliveries(kv: Deno.Kv, webhookId: number, keep: number): Promise<number> {
  let seen = 0;
  let removed = 0;
  let op = kv.atomic();
  let pending = 0;
  const entries = kv.list<DeliveryRecord>({ prefix: keys.webhookDeliveries(webhookId) }, {
    reverse: true,
    batchSize: 500,
  });
  for await (const entry of entries) {
    if (++seen <= keep) continue;
    op.delete(entry.key);
    if (entry.value?.status === "pending") clearDue(op, entry.value);
    removed++;
    if (++pending >= 200) {
      await op.commit();
      op = kv.atomic();
      pending = 0;
    }
  }
  if (pending > 0) await op.commit();
  return removed;
}
