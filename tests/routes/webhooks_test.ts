/**
 * `/wp-json/fleetpress/v1/webhooks`: API-key authentication with the method permissions, the wire
 * shapes, the address guard on URLs, hostile input (400/404, never 5xx) and nothing changed when refused.
 */
import { DEFAULT_AUTOMATION_SETTINGS } from "../../core/settings/automation.ts";
import { assert, assertEquals } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";

const BASE = "/wp-json/fleetpress/v1/webhooks";
/** A loopback URL nobody listens on (no delivery runs in these tests). */
const URL_OK = "http://127.0.0.1:9/hook";

/** Allows loopback webhook URLs, as tests with a local receiver do. */
function allowLoopback(t: TestApp): void {
  t.ctx.hooks.addFilter(
    "fleetpress_allow_site_address",
    (allowed, check) => allowed || check.addressClass === "loopback",
  );
}

/** Every KV entry, for "nothing changed" checks. */
async function dump(kv: Deno.Kv): Promise<string> {
  const entries = await Array.fromAsync(kv.list({ prefix: [] }));
  return JSON.stringify(
    entries.filter((e) => e.key[0] !== "api_keys" && e.key[1] !== "api_key_hash").map((
      e,
    ) => [e.key, e.value]),
    (_k, v) => typeof v === "bigint" ? String(v) : v,
  );
}

Deno.test("create, list, read, change and delete a webhook; the secret is shown once", async () => {
  const t = await testApp();
  try {
    allowLoopback(t);
    const token = await t.key("read_write");
    const created = await t.call("POST", BASE, {
      token,
      json: { url: URL_OK, events: ["site.down", "site.down"] },
    });
    assertEquals(created.status, 201, created.text);
    assertEquals(Object.keys(created.body).sort(), [
      "active",
      "created",
      "events",
      "id",
      "secret",
      "updated",
      "url",
    ]);
    assertEquals([created.body.url, created.body.events, created.body.active], [URL_OK, ["site.down"], true]);
    const id = created.body.id;

    const one = await t.call("GET", `${BASE}/${id}`, { token });
    assertEquals(one.status, 200);
    assert(!("secret" in one.body));
    assert(
      !JSON.stringify(await dump(t.ctx.kv)).includes(created.body.secret.slice(6)),
      "stored only encrypted",
    );

    const patched = await t.call("PATCH", `${BASE}/${id}`, {
      token,
      json: { active: false, events: ["site.up", "job.failed"] },
    });
    assertEquals([patched.status, patched.body.active, patched.body.events], [200, false, [
      "site.up",
      "job.failed",
    ]]);
    assertEquals(patched.body.url, URL_OK);

    const deliveries = await t.call("GET", `${BASE}/${id}/deliveries?per_page=1000`, { token });
    assertEquals([deliveries.status, deliveries.body], [200, []]);

    const deleted = await t.call("DELETE", `${BASE}/${id}`, { token });
    assertEquals([deleted.status, deleted.body.deleted, deleted.body.previous.id], [200, true, id]);
    const gone = await t.call("GET", `${BASE}/${id}`, { token });
    assertEquals([gone.status, gone.body.code, gone.body.data.status], [
      404,
      "fleetpress_webhook_not_found",
      404,
    ]);
  } finally {
    await t.close();
  }
});

Deno.test("keys: none is 401, read-only cannot write or delete, plain HTTP from afar is refused", async () => {
  const t = await testApp();
  try {
    allowLoopback(t);
    const writer = await t.key("read_write");
    const reader = await t.key("read");
    const id =
      (await t.call("POST", BASE, { token: writer, json: { url: URL_OK, events: ["site.up"] } })).body.id;
    const before = await dump(t.ctx.kv);
    const none = await t.call("GET", BASE);
    assertEquals([none.status, none.body.code], [401, "mainwp_rest_authentication_error"]);
    const post = await t.call("POST", BASE, { token: reader, json: { url: URL_OK, events: ["site.up"] } });
    assertEquals(post.status, 401);
    assertEquals(
      (await t.call("PATCH", `${BASE}/${id}`, { token: reader, json: { active: false } })).status,
      401,
    );
    assertEquals((await t.call("DELETE", `${BASE}/${id}`, { token: reader })).status, 401);
    const remote = await t.call("GET", BASE, { token: writer, peer: "203.0.113.9" });
    assertEquals([remote.status, remote.body.code], [400, "mainwp_rest_authentication_bad_request"]);
    assertEquals(await dump(t.ctx.kv), before);
    assertEquals((await t.call("GET", BASE, { token: reader })).body.length, 1);
  } finally {
    await t.close();
  }
});

Deno.test("hostile input is 400 or 404, never 5xx, and changes nothing", async () => {
  const t = await testApp();
  try {
    const token = await t.key("read_write");
    allowLoopback(t);
    const id = (await t.call("POST", BASE, { token, json: { url: URL_OK, events: ["site.up"] } })).body.id;
    const before = await dump(t.ctx.kv);
    const bodies: unknown[] = [
      {},
      { url: URL_OK },
      { events: ["site.up"] },
      { url: 5, events: ["site.up"] },
      { url: [URL_OK], events: ["site.up"] },
      { url: { href: URL_OK }, events: ["site.up"] },
      { url: "x".repeat(5000), events: ["site.up"] },
      { url: `http://127.0.0.1/${"a".repeat(70_000)}`, events: ["site.up"] },
      { url: "ftp://127.0.0.1/hook", events: ["site.up"] },
      { url: "not a url", events: ["site.up"] },
      { url: "http://user:pw@127.0.0.1/hook", events: ["site.up"] },
      { url: "http://169.254.169.254/latest/meta-data", events: ["site.up"] },
      { url: "http://[fd00:ec2::254]/", events: ["site.up"] },
      { url: "http://0.0.0.0/", events: ["site.up"] },
      { url: URL_OK, events: "site.up" },
      { url: URL_OK, events: [] },
      { url: URL_OK, events: ["site.exploded"] },
      { url: URL_OK, events: [1] },
      { url: URL_OK, events: [{ type: "site.up" }] },
      { url: URL_OK, events: Array(10_000).fill("site.up") },
    ];
    for (const json of bodies) {
      const res = await t.call("POST", BASE, { token, json });
      assertEquals(res.status, 400, `${JSON.stringify(json).slice(0, 120)}: ${res.text.slice(0, 200)}`);
      assert(typeof res.body.code === "string" && res.body.data.status === 400);
    }
    const raw = [
      "{",
      "null",
      "[]",
      '"x"',
      "\u0000",
      `{"url":"${URL_OK}","__proto__":{"events":["site.up"]}}`,
    ];
    for (const body of raw) {
      const res = await t.call("POST", BASE, {
        token,
        body,
        headers: { "Content-Type": "application/json" },
      });
      assert(res.status >= 400 && res.status < 500, `${body}: ${res.status}`);
    }
    const patches: unknown[] = [
      { url: "http://169.254.169.254/" },
      { url: 7 },
      { events: ["nope"] },
      { events: [] },
      { active: "maybe" },
      { active: [true] },
    ];
    for (const json of patches) {
      const res = await t.call("PATCH", `${BASE}/${id}`, { token, json });
      assertEquals(res.status, 400, `${JSON.stringify(json)}: ${res.text.slice(0, 200)}`);
    }
    const paths = [
      [`${BASE}/999`, 404, "fleetpress_webhook_not_found"],
      [`${BASE}/${"9".repeat(400)}`, 404, "fleetpress_webhook_not_found"],
      [`${BASE}/0`, 404, "fleetpress_webhook_not_found"],
      [`${BASE}/abc`, 404, "rest_no_route"],
      [`${BASE}/-1`, 404, "rest_no_route"],
      [`${BASE}/999/deliveries`, 404, "fleetpress_webhook_not_found"],
      [`${BASE}/${id}/deliveries?per_page=abc`, 400, "rest_invalid_param"],
    ] as const;
    for (const [path, status, code] of paths) {
      const res = await t.call("GET", path, { token });
      assertEquals([res.status, res.body.code], [status, code], path);
    }
    for (const delivery of ["msg_nope0000000000", "x", "msg_" + "a".repeat(5000), "msg_..%2F..%2F"]) {
      const res = await t.call("POST", `${BASE}/${id}/deliveries/${delivery}/redeliver`, { token });
      assertEquals(res.status, 404, `${delivery.slice(0, 40)}: ${res.text.slice(0, 200)}`);
    }
    assertEquals((await t.call("DELETE", `${BASE}/999`, { token })).status, 404);
    assertEquals(await dump(t.ctx.kv), before);
    assert(!Object.hasOwn(Object.prototype, "polluted"));
  } finally {
    await t.close();
  }
});

Deno.test("the address guard refuses loopback webhook URLs unless fleetpress_allow_site_address allows them", async () => {
  const t = await testApp();
  try {
    const token = await t.key("read_write");
    for (const url of ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook"]) {
      const res = await t.call("POST", BASE, { token, json: { url, events: ["site.up"] } });
      assertEquals([res.status, res.body.code], [400, "rest_invalid_param"], url);
    }
    assertEquals((await t.call("GET", BASE, { token })).body, []);
    allowLoopback(t);
    assertEquals(
      (await t.call("POST", BASE, { token, json: { url: URL_OK, events: ["site.up"] } })).status,
      201,
    );
  } finally {
    await t.close();
  }
});

Deno.test("redelivering a pending delivery is 409 and changes nothing", async () => {
  const t = await testApp();
  try {
    allowLoopback(t);
    const token = await t.key("read_write");
    const id = (await t.call("POST", BASE, { token, json: { url: URL_OK, events: ["job.failed"] } })).body.id;
    // The dispatcher is not started: the event waits in the outbox.
    assertEquals(await t.ctx.webhooks.emit("job.failed", { job_id: "sync_1" }), 1);
    const [pending] = (await t.call("GET", `${BASE}/${id}/deliveries`, { token })).body;
    assertEquals([pending.status, pending.attempts], ["pending", []]);
    const before = await dump(t.ctx.kv);
    const res = await t.call("POST", `${BASE}/${id}/deliveries/${pending.id}/redeliver`, { token });
    assertEquals([res.status, res.body.code], [409, "fleetpress_conflict"]);
    assertEquals(await dump(t.ctx.kv), before);
  } finally {
    await t.close();
  }
});

Deno.test("GET /schedule shows the interval and the stored schedule; a read key suffices", async () => {
  const t = await testApp();
  try {
    const reader = await t.key("read");
    const before = await t.call("GET", "/wp-json/fleetpress/v1/schedule", { token: reader });
    assertEquals(before.status, 200);
    assertEquals(before.body, {
      interval_seconds: 86400 / DEFAULT_AUTOMATION_SETTINGS.syncsPerDay,
      next_run: null,
      current_run: null,
      last_run: null,
    });
    t.ctx.hooks.addFilter("fleetpress_auto_sync_interval_seconds", () => 90);
    await t.ctx.schedule.tick();
    const after = (await t.call("GET", "/wp-json/fleetpress/v1/schedule", { token: reader })).body;
    assertEquals(after.interval_seconds, 90);
    const due = Date.parse(after.next_run) - Date.now();
    assert(due > 0 && due <= 90_000, `next run in ${due} ms`);
    // The key's method permission is checked before routing (as on /mainwp/); a writer finds no POST route.
    assertEquals((await t.call("POST", "/wp-json/fleetpress/v1/schedule", { token: reader })).status, 401);
    const writer = await t.key("read_write");
    const post = await t.call("POST", "/wp-json/fleetpress/v1/schedule", { token: writer });
    assertEquals([post.status, post.body.code], [404, "rest_no_route"]);
  } finally {
    await t.close();
  }
});
