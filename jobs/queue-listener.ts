/**
 * @module
 * One `kv.listenQueue` per KV store, shared by everything that enqueues (jobs, monitors, schedules,
 * webhooks): Deno allows a single queue listener per `Deno.Kv`, so each consumer registers a handler for
 * the messages it recognises and the listener hands every message to the first handler that claims it.
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv(":memory:");
 * const stop = onQueueMessage(kv, (m): m is { ping: number } => typeof m === "object" && m !== null && "ping" in m, async (m) => {
 *   console.log("ping", m.ping);
 * });
 * await kv.enqueue({ ping: 1 });
 * stop();
 * ```
 */

/** A consumer: a guard saying whether a message is its own, and what to do with it. */
interface QueueHandler {
  accepts: (message: unknown) => boolean;
  handle: (message: unknown) => Promise<void>;
}

const handlersByKv = new WeakMap<Deno.Kv, Set<QueueHandler>>();

/**
 * Registers a handler for the queue messages `accepts` recognises (the listener starts with the first
 * handler of a store). Returns a function that unregisters it; messages nobody claims are dropped.
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv(":memory:");
 * const off = onQueueMessage(kv, (m): m is string => typeof m === "string", async (m) => console.log(m));
 * off();
 * ```
 */
export function onQueueMessage<T>(
  kv: Deno.Kv,
  accepts: (message: unknown) => message is T,
  handle: (message: T) => Promise<void>,
): () => void {
  let handlers = handlersByKv.get(kv);
  if (!handlers) {
    const set = new Set<QueueHandler>();
    handlers = set;
    handlersByKv.set(kv, set);
    kv.listenQueue(async (message: unknown) => {
      for (const handler of set) {
        if (handler.accepts(message)) return await handler.handle(message);
      }
    }).catch(() => {});
  }
  const handler: QueueHandler = { accepts, handle: (message) => handle(message as T) };
  handlers.add(handler);
  return () => handlers.delete(handler);
}
