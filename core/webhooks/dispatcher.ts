/**
 * @module
 * Webhook delivery from a durable outbox in KV. An event becomes one delivery record per subscribed,
 * active endpoint, written with its outbox entry (and, with queues, a queue message) in one commit. An
 * attempt: **claim** the delivery (a checked commit setting a lease), **send** it signed (Standard
 * Webhooks, `signing.ts`) to the endpoint's guarded address with a timeout, **record** the attempt in a
 * commit that checks the claim is still ours — delivered on a 2xx, else due again after the next delay of
 * `fleetpress_webhook_retry_delays` (default 30 s, 2 min, 10 min, 1 h, 6 h), or failed when they are used
 * up. Each delivery is retried on its own, so one endpoint's retries never hold back another's.
 *
 * Queue mode (local KV): messages with a delay wake each attempt (`jobs/queue-listener.ts`); a recovery
 * timer sends attempts overdue by more than its period (a process stopped holding them). Poll mode (remote
 * KV): a timer reads the outbox entries that are due. Sends run at most `maxConcurrent` at once per process.
 *
 * @example
 * ```ts
 * const dispatcher = new WebhookDispatcher(ctx, { mode: "queue" });
 * const stop = dispatcher.start();
 * await dispatcher.emit("site.down", { site_id: 3 });
 * await stop();
 * ```
 */
import { everyMinute } from "../../lib/cron.ts";
import type { ChildDeps } from "../deps.ts";
import { Conflict, NotFound } from "../errors.ts";
import { onQueueMessage } from "../../jobs/queue-listener.ts";
import {
  clearDue,
  type DeliveryAttempt,
  type DeliveryRecord,
  dueDeliveries,
  getDeliveryEntry,
  getWebhook,
  listWebhooks,
  MAX_ATTEMPTS_KEPT,
  MAX_DELIVERIES_KEPT,
  newDeliveryId,
  pruneDeliveries,
  putDelivery,
  type WebhookRecord,
} from "../../store/webhooks.ts";
import { keys } from "../../store/keys.ts";
import { eventBody, type WebhookEvent } from "./events.ts";
import { type AttemptResult, sendDelivery, webhookRetryDelays, webhookTimeoutMs } from "./send.ts";

/** Outbox entries read per pass. */
const PUMP_BATCH = 100;
/** How long the list of endpoints is reused before it is read again (other processes' changes). */
const CACHE_MS = 2_000;
const PRUNE_MS = 3_600_000;

/** The queue message of one attempt. */
export interface DeliveryMessage {
  fleetpress_webhook: string;
  webhook: number;
}

const isDeliveryMessage = (m: unknown): m is DeliveryMessage =>
  typeof m === "object" && m !== null && typeof (m as DeliveryMessage).fleetpress_webhook === "string" &&
  typeof (m as DeliveryMessage).webhook === "number";

/** How the dispatcher runs. */
export interface WebhookDispatcherOptions {
  mode: "queue" | "poll";
  /** Poll mode: how often the outbox is read (default 1 s). */
  tickMs?: number;
  /** Queue mode: attempts overdue by this much are sent again (default 30 s), checked as often. */
  recoveryMs?: number;
  /** Sends at once per process (default 8). */
  maxConcurrent?: number;
}

/** Sends webhook events. */
export class WebhookDispatcher {
  readonly #deps: ChildDeps;
  readonly #options: Required<WebhookDispatcherOptions>;
  #cache: { at: number; list: Promise<WebhookRecord[]> } | null = null;
  #inFlight = new Set<string>();
  #running = new Set<Promise<void>>();
  #active = 0;
  #waiters: (() => void)[] = [];
  #stopped = true;
  #pumping = false;

  constructor(deps: ChildDeps, options: WebhookDispatcherOptions) {
    this.#deps = deps;
    this.#options = { tickMs: 1_000, recoveryMs: 30_000, maxConcurrent: 8, ...options };
  }

  /** Forgets the cached endpoint list (after this process changed an endpoint). */
  invalidate(): void {
    this.#cache = null;
  }

  /** The endpoints, read at most every {@link CACHE_MS}. */
  webhooks(): Promise<WebhookRecord[]> {
    const now = Date.now();
    if (!this.#cache || now - this.#cache.at > CACHE_MS) {
      const list = listWebhooks(this.#deps.kv);
      list.catch(() => this.invalidate());
      this.#cache = { at: now, list };
    }
    return this.#cache.list;
  }

  /** Whether an active endpoint subscribes to `type` (so producers can skip costly work). */
  async wants(type: WebhookEvent): Promise<boolean> {
    return (await this.webhooks()).some((w) => w.active && w.events.includes(type));
  }

  /** The retry delays in seconds (`fleetpress_webhook_retry_delays`, see `send.ts`). */
  retryDelays(): Promise<number[]> {
    return webhookRetryDelays(this.#deps.hooks);
  }

  /** The receiver timeout in ms (`fleetpress_webhook_timeout_seconds`). */
  timeoutMs(): Promise<number> {
    return webhookTimeoutMs(this.#deps.hooks);
  }

  /**
   * Queues an event for every active endpoint that subscribes to its type; returns how many deliveries
   * were stored.
   *
   * @example
   * ```ts
   * await dispatcher.emit("job.completed", { job_id: "sync_…" });
   * ```
   */
  async emit(type: WebhookEvent, data: Record<string, unknown>): Promise<number> {
    const targets = (await this.webhooks()).filter((w) => w.active && w.events.includes(type));
    if (targets.length === 0) return 0;
    const now = Date.now();
    const eventId = `evt_${crypto.randomUUID().replaceAll("-", "")}`;
    const body = eventBody(type, now, data);
    for (const webhook of targets) {
      const delivery: DeliveryRecord = {
        id: newDeliveryId(now),
        webhook_id: webhook.id,
        event_id: eventId,
        type,
        created: now,
        body,
        status: "pending",
        round_attempts: 0,
        due: now,
        lease_until: 0,
        attempts: [],
        expires_at: 0,
      };
      const op = this.#deps.kv.atomic().check({
        key: keys.webhookDelivery(webhook.id, delivery.id),
        versionstamp: null,
      });
      putDelivery(op, delivery, now);
      this.#send(op, delivery, 0);
      await op.commit();
    }
    this.#kick();
    return targets.length;
  }

  /** Adds the wake-up of a delivery's next attempt to `op` (queue mode; poll mode reads the outbox). */
  #send(op: Deno.AtomicOperation, delivery: DeliveryRecord, delayMs: number): void {
    if (this.#options.mode !== "queue") return;
    const message: DeliveryMessage = { fleetpress_webhook: delivery.id, webhook: delivery.webhook_id };
    op.enqueue(message, { delay: Math.max(0, Math.round(delayMs)) });
  }

  /**
   * Sends a delivery again (a failed or delivered one): its attempts go on being logged.
   * Throws `NotFound` (no such delivery) or `Conflict` (it is still pending).
   *
   * @example
   * ```ts
   * await dispatcher.redeliver(1, "msg_…");
   * ```
   */
  async redeliver(webhookId: number, deliveryId: string): Promise<DeliveryRecord> {
    const kv = this.#deps.kv;
    for (let attempt = 0; attempt < 10; attempt++) {
      const entry = await getDeliveryEntry(kv, webhookId, deliveryId);
      if (!entry.value) throw new NotFound("delivery", deliveryId);
      if (entry.value.status === "pending") {
        throw new Conflict("delivery", null, "The delivery is still pending; it will be attempted again.");
      }
      const now = Date.now();
      const next: DeliveryRecord = {
        ...entry.value,
        status: "pending",
        round_attempts: 0,
        due: now,
        lease_until: 0,
      };
      const op = kv.atomic().check(entry);
      putDelivery(op, next, now);
      this.#send(op, next, 0);
      if ((await op.commit()).ok) {
        this.#kick();
        return next;
      }
    }
    throw new Conflict("delivery", null, "The delivery is being changed; try again.");
  }

  /**
   * One attempt of a delivery, if it is due and nobody else holds it; records the outcome. Safe to call
   * for a duplicated or stale message (it then does nothing).
   *
   * @example
   * ```ts
   * await dispatcher.runDelivery(1, "msg_…");
   * ```
   */
  async runDelivery(webhookId: number, deliveryId: string, dueKey?: Deno.KvKey): Promise<void> {
    const flight = `${webhookId}/${deliveryId}`;
    if (this.#inFlight.has(flight)) return;
    this.#inFlight.add(flight);
    await this.#acquire();
    try {
      await this.#attemptOnce(webhookId, deliveryId, dueKey);
    } finally {
      this.#release();
      this.#inFlight.delete(flight);
    }
  }

  async #attemptOnce(webhookId: number, deliveryId: string, dueKey?: Deno.KvKey): Promise<void> {
    const kv = this.#deps.kv;
    const entry = await getDeliveryEntry(kv, webhookId, deliveryId);
    const delivery = entry.value;
    const now = Date.now();
    if (!delivery || delivery.status !== "pending") {
      if (dueKey) await kv.delete(dueKey); // an outbox entry left by a delivery that moved on or expired
      return;
    }
    if (dueKey && (dueKey[2] !== delivery.due)) await kv.delete(dueKey);
    if (delivery.due > now + 1_000 || delivery.lease_until > now) return; // early message, or held elsewhere
    const webhook = await getWebhook(kv, webhookId);
    if (!webhook) {
      await clearDue(kv.atomic().check(entry), delivery).delete(keys.webhookDelivery(webhookId, deliveryId))
        .commit();
      return;
    }
    const timeout = await this.timeoutMs();
    const claim = kv.atomic().check(entry);
    putDelivery(claim, { ...delivery, lease_until: now + timeout + 15_000 }, now);
    const claimed = await claim.commit();
    if (!claimed.ok) return;
    const result = webhook.active ? await sendDelivery(this.#deps, webhook, delivery, timeout) : {
      http_status: null,
      error: "The endpoint is disabled.",
      duration_ms: 0,
      at: Date.now(),
      permanent: true,
    };
    await this.#record(webhookId, deliveryId, claimed.versionstamp, result);
  }

  /** Records an attempt unless the claim was lost; schedules the next one or ends the delivery. */
  async #record(
    webhookId: number,
    deliveryId: string,
    versionstamp: string,
    result: AttemptResult,
  ): Promise<void> {
    const kv = this.#deps.kv;
    const delays = await this.retryDelays();
    for (let attempt = 0; attempt < 10; attempt++) {
      const entry = await getDeliveryEntry(kv, webhookId, deliveryId);
      const current = entry.value;
      if (!current || entry.versionstamp !== versionstamp) return; // taken over or redelivered meanwhile
      const now = Date.now();
      const ok = result.http_status !== null && result.http_status >= 200 && result.http_status < 300;
      const round = current.round_attempts + 1;
      const number = (current.attempts.at(-1)?.attempt ?? 0) + 1;
      const logged: DeliveryAttempt = {
        attempt: number,
        at: result.at,
        http_status: result.http_status,
        error: ok ? null : result.error,
        duration_ms: result.duration_ms,
      };
      const retry = !ok && !result.permanent && round <= delays.length;
      const next: DeliveryRecord = {
        ...current,
        status: ok ? "delivered" : retry ? "pending" : "failed",
        round_attempts: round,
        due: retry ? now + delays[round - 1] * 1000 : current.due,
        lease_until: 0,
        attempts: [...current.attempts, logged].slice(-MAX_ATTEMPTS_KEPT),
      };
      const op = kv.atomic().check(entry);
      clearDue(op, current);
      putDelivery(op, next, now);
      if (retry) this.#send(op, next, next.due - now);
      if ((await op.commit()).ok) return;
    }
  }

  async #acquire(): Promise<void> {
    if (this.#active < this.#options.maxConcurrent) {
      this.#active++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  #release(): void {
    const next = this.#waiters.shift();
    if (next) next(); // the slot passes to the next waiter
    else this.#active--;
  }

  /**
   * Runs the attempts that are due (poll mode) or overdue by more than the recovery period (queue mode).
   *
   * @example
   * ```ts
   * await dispatcher.pump();
   * ```
   */
  async pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      const grace = this.#options.mode === "poll" ? 0 : this.#options.recoveryMs;
      const due = await dueDeliveries(this.#deps.kv, Date.now() - grace, PUMP_BATCH);
      for (const [dueAt, webhookId, deliveryId] of due) {
        this.#spawn(webhookId, deliveryId, keys.webhookDue(dueAt, webhookId, deliveryId));
      }
    } finally {
      this.#pumping = false;
    }
  }

  #spawn(webhookId: number, deliveryId: string, dueKey?: Deno.KvKey): void {
    const run = this.runDelivery(webhookId, deliveryId, dueKey)
      .catch((error) => console.error(`[fleetpress] webhook delivery ${deliveryId} failed:`, error))
      .finally(() => this.#running.delete(run));
    this.#running.add(run);
  }

  /** Poll mode: look at the outbox soon (an event was stored). */
  #kick(): void {
    if (this.#stopped || this.#options.mode !== "poll") return;
    setTimeout(() => void this.pump().catch(() => {}), 0);
  }

  /** Deletes each endpoint's deliveries beyond the newest {@link MAX_DELIVERIES_KEPT}. */
  async prune(): Promise<void> {
    for (const webhook of await listWebhooks(this.#deps.kv)) {
      await pruneDeliveries(this.#deps.kv, webhook.id, MAX_DELIVERIES_KEPT);
    }
  }

  /** Poll mode on Deno Deploy, where idle instances sleep: `Deno.cron` wakes one every minute. */
  #cron(pump: () => void): void {
    everyMinute("fleetpress-webhooks", pump);
  }

  /**
   * Starts delivering: queue messages and the recovery timer (queue mode) or the poll timer; prunes old
   * deliveries hourly. Returns a function that stops and waits for running attempts.
   *
   * @example
   * ```ts
   * const stop = dispatcher.start();
   * ```
   */
  start(): () => Promise<void> {
    this.#stopped = false;
    const unlisten = this.#options.mode === "queue"
      ? onQueueMessage(this.#deps.kv, isDeliveryMessage, async (message) => {
        if (!this.#stopped) await this.runDelivery(message.webhook, message.fleetpress_webhook);
      })
      : undefined;
    const period = this.#options.mode === "queue" ? this.#options.recoveryMs : this.#options.tickMs;
    const pump = () =>
      void this.pump().catch((error) => console.error("[fleetpress] webhook outbox:", error));
    const timer = setInterval(pump, period);
    const pruner = setInterval(() => void this.prune().catch(() => {}), PRUNE_MS);
    if (this.#options.mode === "poll") this.#cron(pump);
    pump();
    return async () => {
      this.#stopped = true;
      unlisten?.();
      clearInterval(timer);
      clearInterval(pruner);
      await Promise.allSettled([...this.#running]);
    };
  }
}
