/** Standard Webhooks signatures: the specification's example, tolerance, tampering and secret format. */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { newWebhookSecret, signWebhook, verifyWebhook } from "../../../core/webhooks/signing.ts";
import { eventBody, MAX_BODY_BYTES } from "../../../core/webhooks/events.ts";

// The example of the Standard Webhooks specification (and Svix's documentation).
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

Deno.test("the specification's example signature", async () => {
  assertEquals(await signWebhook(SECRET, ID, TIMESTAMP, BODY), EXPECTED);
  const headers = { id: ID, timestamp: String(TIMESTAMP), signature: `v1,bm90IGl0 ${EXPECTED}` };
  assert(await verifyWebhook(SECRET, headers, BODY, TIMESTAMP + 10));
});

Deno.test("verification refuses a changed body, id or timestamp, an old timestamp and another secret", async () => {
  const ok = { id: ID, timestamp: String(TIMESTAMP), signature: EXPECTED };
  assert(!(await verifyWebhook(SECRET, ok, BODY + " ", TIMESTAMP)));
  assert(!(await verifyWebhook(SECRET, { ...ok, id: "msg_other" }, BODY, TIMESTAMP)));
  assert(!(await verifyWebhook(SECRET, { ...ok, timestamp: String(TIMESTAMP + 1) }, BODY, TIMESTAMP)));
  assert(!(await verifyWebhook(SECRET, ok, BODY, TIMESTAMP + 301)));
  assert(!(await verifyWebhook(newWebhookSecret(), ok, BODY, TIMESTAMP)));
  assert(!(await verifyWebhook(SECRET, { ...ok, signature: null }, BODY, TIMESTAMP)));
  assert(!(await verifyWebhook(SECRET, { ...ok, timestamp: "1e9" }, BODY, TIMESTAMP)));
});

Deno.test("a new secret is whsec_ and 32 random bytes in base64", () => {
  const a = newWebhookSecret();
  assertMatch(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assertEquals(atob(a.slice(6)).length, 32);
  assert(a !== newWebhookSecret());
});

Deno.test("event bodies are bounded: long lists are cut, oversized data keeps its scalars", () => {
  const body = JSON.parse(
    eventBody("updates.available", 0, { site_id: 1, updates: Array(500).fill({ a: 1 }) }),
  );
  assertEquals([body.type, body.timestamp, body.data.updates.length], [
    "updates.available",
    "1970-01-01T00:00:00.000Z",
    100,
  ]);
  const huge = eventBody("changes.detected", 0, {
    site_id: 2,
    note: "n",
    blob: "x".repeat(100_000),
    list: ["y".repeat(20_000)],
  });
  assert(new TextEncoder().encode(huge).byteLength <= MAX_BODY_BYTES);
  assertEquals(JSON.parse(huge).data, { site_id: 2, note: "n", truncated: true });
});
