/**
 * Webhooks end to end: subscribed through the REST API, delivered to a real HTTP receiver on 127.0.0.1
 * that verifies the Standard Webhooks signature; a 500 retried (the delivery log shows both attempts), a
 * slow receiver timed out, a failed delivery redelivered; queue mode and poll mode; events from the hooks
 * the rest of Fleetpress fires.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { simulatedApp, type TestApp, testApp, withDeadline } from "../../helpers.ts";
import { verifyWebhook } from "../../../core/webhooks/signing.ts";
import { syncSite } from "../../../core/sync/sync.ts";
import { markSiteDisconnected } from "../../../core/sites/connection.ts";
import { getSite, getSiteSync } from "../../../store/sites.ts";
import { storedUpdates } from "../../../core/updates/pending.ts";
import { applyItemUpdates } from "../../../core/updates/run.ts";
import { WebhookDispatcher } from "../../../core/webhooks/dispatcher.ts";
import { getDeliveryEntry, listDeliveries, putDelivery } from "../../../store/webhooks.ts";

/** A webhook receiver on 127.0.0.1: records every request, answers with `answer(n)` (n from 1). */
function receiver(answer: (n: number) => Response | Promise<Response> = () => new Response("ok")) {
  const got: { headers: Headers; body: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    got.push({ headers: req.headers, body: await req.text() });
    return await answer(got.length);
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook`,
    got,
    close: () => server.shutdown(),
  };
}

/** Waits (polling, bounded) until `check` holds. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  await withDeadline(
    (async () => {
      while (!(await check())) await new Promise((r) => setTimeout(r, 25));
    })(),
    ms,
    what,
  );
}

/** Lets webhooks reach loopback (the guard refuses it by default) and shortens the retries. */
function allowLoopback(t: TestApp, delays: number[]): void {
  t.ctx.hooks.addFilter(
    "fleetpress_allow_site_address",
    (allowed, check) => allowed || check.addressClass === "loopback",
  );
  t.ctx.hooks.addFilter("fleetpress_webhook_retry_delays", () => delays);
}

/** Subscribes `url` through the API; returns the answer (with the secret). */
async function subscribe(t: TestApp, token: string, url: string, events: string[]) {
  const res = await t.call("POST", "/wp-json/fleetpress/v1/webhooks", { token, json: { url, events } });
  assertEquals(res.status, 201, res.text);
  return res.body as { id: number; url: string; events: string[]; active: boolean; secret: string };
}

const headersOf = (h: Headers) => ({
  id: h.get("webhook-id"),
  timestamp: h.get("webhook-timestamp"),
  signature: h.get("webhook-signature"),
});

const incident = {
  siteId: 7,
  url: "https://site.example/",
  incidentId: "inc-1",
  startedAt: "2026-12-06T07:00:00.000Z",
  endedAt: null,
  cause: "HTTP 503",
};

Deno.test("queue mode: a signed event reaches the receiver; a 500 is retried and the log shows both", async () => {
  const t = await testApp();
  const hook = receiver((n) => new Response(n === 1 ? "boom" : "ok", { status: n === 1 ? 500 : 200 }));
  const stop = t.ctx.webhooks.start();
  try {
    allowLoopback(t, [0.2, 0.2]);
    const token = await t.key("read_write");
    const created = await subscribe(t, token, hook.url, ["site.down", "site.up"]);
    assertEquals([created.url, created.events, created.active], [hook.url, ["site.down", "site.up"], true]);
    assertMatch(created.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert(atob(created.secret.slice(6)).length >= 24, "at least 24 random bytes");

    await t.ctx.hooks.doAction("fleetpress_incident_opened", incident);
    await until("two attempts", () => hook.got.length >= 2);
    const deliveries = async () =>
      (await t.call("GET", `/wp-json/fleetpress/v1/webhooks/${created.id}/deliveries`, { token })).body;
    await until(
      "the delivery to be recorded as delivered",
      async () => (await deliveries())[0]?.status === "delivered",
    );

    for (const request of hook.got) {
      assert(
        await verifyWebhook(created.secret, headersOf(request.headers), request.body),
        "signature verifies",
      );
      assert(
        !(await verifyWebhook(created.secret, headersOf(request.headers), request.body + " ")),
        "body bound",
      );
    }
    assertEquals(hook.got[0].headers.get("webhook-id"), hook.got[1].headers.get("webhook-id"));
    const body = JSON.parse(hook.got[1].body);
    assertEquals([body.type, body.data.site_id, body.data.cause], ["site.down", 7, "HTTP 503"]);
    assert(!Number.isNaN(Date.parse(body.timestamp)));

    const [delivery] = await deliveries();
    assertEquals(delivery.id, hook.got[0].headers.get("webhook-id"));
    assertEquals(delivery.type, "site.down");
    assertMatch(delivery.event_id, /^evt_/);
    assertEquals(
      delivery.attempts.map((a: { http_status: number; error: string | null }) => [a.http_status, a.error]),
      [[500, "HTTP 500"], [200, null]],
    );
    assert(
      delivery.attempts.every((a: { duration_ms: number; time: string }) => a.duration_ms >= 0 && a.time),
    );
    // The secret is shown only once.
    const listed = await t.call("GET", "/wp-json/fleetpress/v1/webhooks", { token });
    assertEquals(listed.body.length, 1);
    assert(!("secret" in listed.body[0]) && !listed.text.includes(created.secret.slice(6)));
    // An event nobody subscribed to makes no delivery.
    await t.ctx.hooks.doAction("fleetpress_job_finished", {
      job_id: "x",
      job_type: "sync",
      status: "completed",
      total: 0,
      succeeded: 0,
      failed: 0,
      scheduled: false,
    });
    assertEquals((await deliveries()).length, 1);
  } finally {
    await stop();
    await hook.close();
    await t.close();
  }
});

Deno.test("poll mode: a finished job is delivered from the outbox, retried after a 500", async () => {
  const t = await testApp({ env: { JOBS_MODE: "poll" } });
  const hook = receiver((n) => new Response(null, { status: n === 1 ? 500 : 204 }));
  t.ctx.hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0);
  const stopJobs = t.ctx.jobs.start();
  const stop = t.ctx.webhooks.start();
  try {
    allowLoopback(t, [0.1]);
    const token = await t.key("read_write");
    const created = await subscribe(t, token, hook.url, ["job.completed", "job.failed"]);
    const job = await t.ctx.jobs.queue({ type: "check", sites: [] });
    await until("two attempts", () => hook.got.length >= 2);
    for (const request of hook.got) {
      assert(await verifyWebhook(created.secret, headersOf(request.headers), request.body));
    }
    const body = JSON.parse(hook.got[1].body);
    assertEquals([body.type, body.data.job_id, body.data.status], ["job.completed", job.job_id, "completed"]);
    await until("the log", async () => {
      const res = await t.call("GET", `/wp-json/fleetpress/v1/webhooks/${created.id}/deliveries`, { token });
      return res.body[0]?.status === "delivered" && res.body[0].attempts.length === 2;
    });
  } finally {
    await stop();
    await stopJobs();
    await hook.close();
    await t.close();
  }
});

Deno.test("a slow receiver times out; the failed delivery is redelivered on request", async () => {
  const t = await testApp();
  const release = Promise.withResolvers<void>();
  const hook = receiver(async (n) => {
    if (n === 1) await release.promise; // answers only after the test is done with it
    return new Response("ok");
  });
  const stop = t.ctx.webhooks.start();
  try {
    allowLoopback(t, []);
    t.ctx.hooks.addFilter("fleetpress_webhook_timeout_seconds", () => 0.2);
    const token = await t.key("read_write");
    const created = await subscribe(t, token, hook.url, ["site.up"]);
    await t.ctx.hooks.doAction("fleetpress_incident_closed", {
      ...incident,
      endedAt: "2026-12-06T07:05:00.000Z",
    });
    const url = `/wp-json/fleetpress/v1/webhooks/${created.id}/deliveries`;
    await until(
      "the delivery to fail",
      async () => (await t.call("GET", url, { token })).body[0]?.status === "failed",
    );
    const [failed] = (await t.call("GET", url, { token })).body;
    assertEquals(failed.attempts.length, 1);
    assertEquals(failed.attempts[0].http_status, null);
    assertMatch(failed.attempts[0].error, /timed out/);

    const again = await t.call("POST", `${url}/${failed.id}/redeliver`, { token });
    assertEquals([again.status, again.body.status, again.body.id], [202, "pending", failed.id]);
    await until(
      "the redelivery",
      async () => (await t.call("GET", url, { token })).body[0]?.status === "delivered",
    );
    const [delivered] = (await t.call("GET", url, { token })).body;
    assertEquals(delivered.attempts.map((a: { attempt: number }) => a.attempt), [1, 2]);
    assertEquals(delivered.attempts[1].http_status, 200);
  } finally {
    release.resolve();
    await stop();
    await hook.close();
    await t.close();
  }
});

Deno.test("events from the fleet: sync failed / disconnected / reconnected, updates available and applied, changes", async () => {
  const { t, sim, token, close } = await simulatedApp(1, { add: true });
  const hook = receiver();
  const stop = t.ctx.webhooks.start();
  try {
    allowLoopback(t, [0.1]);
    const events = [
      "sync.failed",
      "site.disconnected",
      "site.reconnected",
      "updates.available",
      "update.applied",
      "changes.detected",
    ];
    const created = await subscribe(t, token, hook.url, events);
    const types = () => hook.got.map((r) => JSON.parse(r.body).type as string);

    await syncSite(t.ctx, 1); // connected; the first seen updates are news; the change baseline is set
    await until("updates.available", () => types().includes("updates.available"));
    sim.site(1).controls.offline = true;
    await syncSite(t.ctx, 1);
    await syncSite(t.ctx, 1); // a second failure: no second "disconnected"
    sim.site(1).controls.offline = false;
    const file = Object.keys(storedUpdates(await getSiteSync(t.ctx.kv, 1)).plugins)[0];
    assert(
      sim.site(1).wpAdminPluginAction(file, "deactivate") ||
        sim.site(1).wpAdminPluginAction(file, "activate"),
    );
    await syncSite(t.ctx, 1);
    await applyItemUpdates(t.ctx, (await getSite(t.ctx.kv, 1))!, "plugins", [file]);
    await until("every event", () => events.every((e) => types().includes(e)));
    const count = (type: string) => types().filter((x) => x === type).length;
    assertEquals([count("sync.failed"), count("site.disconnected"), count("site.reconnected")], [2, 1, 1]);
    assertEquals(count("updates.available"), 1);
    const applied = hook.got.map((r) => JSON.parse(r.body)).find((b) => b.type === "update.applied");
    assertEquals([applied.data.site_id, applied.data.type, applied.data.items], [1, "plugins", [file]]);
    const changes = hook.got.map((r) => JSON.parse(r.body)).find((b) => b.type === "changes.detected");
    assert(changes.data.count >= 1 && changes.data.changes.length >= 1);
    // A disconnect from the dashboard side is a disconnection too.
    await markSiteDisconnected(t.ctx, (await getSite(t.ctx.kv, 1))!);
    await until("the second disconnection", () => count("site.disconnected") === 2);
    const manual = hook.got.map((r) => JSON.parse(r.body)).filter((b) => b.type === "site.disconnected")[1];
    assertEquals([manual.data.site_id, manual.data.error], [1, "Manually disconnected"]);
    for (const request of hook.got) {
      assert(await verifyWebhook(created.secret, headersOf(request.headers), request.body));
    }
  } finally {
    await stop();
    await hook.close();
    await close();
  }
});

Deno.test("the outbox is durable: an event stored with no dispatcher running, and a claim left by a dead one, are delivered once", async () => {
  const t = await testApp({ env: { JOBS_MODE: "poll" } });
  const hook = receiver();
  const dispatcher = new WebhookDispatcher(t.ctx, { mode: "poll", tickMs: 50 });
  let stop: (() => Promise<void>) | undefined;
  try {
    allowLoopback(t, [0.1]);
    const token = await t.key("read_write");
    const created = await subscribe(t, token, hook.url, ["site.down"]);
    assertEquals(await dispatcher.emit("site.down", { site_id: 1 }), 1);
    assertEquals(await dispatcher.emit("site.down", { site_id: 2 }), 1);
    const [second, first] = await listDeliveries(t.ctx.kv, created.id, 10);
    // A dispatcher claimed the first delivery and died: its lease holds for a moment more.
    const entry = await getDeliveryEntry(t.ctx.kv, created.id, first.id);
    const op = t.ctx.kv.atomic().check(entry);
    const leaseUntil = Date.now() + 400;
    putDelivery(op, { ...entry.value!, lease_until: leaseUntil });
    assert((await op.commit()).ok);
    stop = dispatcher.start();
    await until(
      "both deliveries",
      async () => (await listDeliveries(t.ctx.kv, created.id, 10)).every((d) => d.status === "delivered"),
    );
    assertEquals(hook.got.map((r) => r.headers.get("webhook-id")).sort(), [first.id, second.id].sort());
    for (const d of await listDeliveries(t.ctx.kv, created.id, 10)) assertEquals(d.attempts.length, 1);
    const taken = (await getDeliveryEntry(t.ctx.kv, created.id, first.id)).value!;
    assert(taken.attempts[0].at >= leaseUntil, "the dead claim's lease was honoured");
    assertEquals(await Array.fromAsync(t.ctx.kv.list({ prefix: ["idx", "webhook_due"] })), []);
  } finally {
    await stop?.();
    await hook.close();
    await t.close();
  }
});
