/**
 * @module
 * The console's browser-side REST layer (`console/assets/api.js`) run in Deno against a stubbed `fetch`:
 * credentials, the normalised update list, the webhook and delivery shapes of issue #16, "not available"
 * errors, and the event-stream reader (events split across chunks).
 *
 * @example
 * ```sh
 * deno test -A tests/console/api_test.ts
 * ```
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import * as api from "../../console/assets/api.js";

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

/** Runs `fn` with `fetch` answered by `handler`; returns the requests seen. */
async function withFetch(
  handler: Handler,
  fn: () => Promise<void>,
): Promise<{ url: string; init: RequestInit }[]> {
  const seen: { url: string; init: RequestInit }[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input);
    seen.push({ url, init });
    return Promise.resolve(handler(url, init));
  };
  try {
    await fn();
  } finally {
    globalThis.fetch = original;
  }
  return seen;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const KEY = { kind: "key", header: "Bearer abc==def", who: "API key" };
const APP = { kind: "app", header: "Basic eDp5", who: "x" };

Deno.test("credentials: a Bearer token must be secret==key; Basic is UTF-8 and refuses a colon in the user", () => {
  assertEquals(api.credentialFrom("key", { token: " abc==def " }), KEY);
  assert(api.credentialFrom("key", { token: "abc" }) instanceof Error);
  assert(api.credentialFrom("key", { token: "a b==c" }) instanceof Error);
  const app = api.credentialFrom("app", { user: "zoë", password: "p ä" });
  assertEquals(app, { kind: "app", header: `Basic ${btoa("zo\u00c3\u00ab:p \u00c3\u00a4")}`, who: "zoë" });
  assert(api.credentialFrom("app", { user: "a:b", password: "p" }) instanceof Error);
  assert(api.credentialFrom("app", { user: "a", password: "" }) instanceof Error);
});

Deno.test("the credential lives in session storage only and a malformed entry reads as signed out", () => {
  api.saveCredential(KEY);
  assertEquals(api.loadCredential(), KEY);
  sessionStorage.setItem("fleetpress.console.credential", '{"kind":"other","header":1}');
  assertEquals(api.loadCredential(), null);
  sessionStorage.setItem("fleetpress.console.credential", "{");
  assertEquals(api.loadCredential(), null);
  api.clearCredential();
  assertEquals(sessionStorage.length, 0);
  assertEquals(localStorage.length, 0);
});

Deno.test("updates: MainWP's per-site map and the ability's flat list give the same items and summary", async () => {
  const v2 = {
    success: 1,
    data: {
      "1": {
        wp: { current: "6.6.2", new: "6.7.1" },
        plugins: { "a/a.php": { Name: "A", Version: "1.0", update: { new_version: "1.1" } } },
        themes: { t: { Name: "T", Version: "2.0", update: { new_version: "2.1" } } },
        translations: [{ type: "plugin", slug: "a", language: "de_DE", version: "1.1", name: "A" }],
      },
      "2": { wp: [], plugins: [], themes: [], translations: [] },
    },
  };
  let result: { updates: unknown[]; summary: unknown } = { updates: [], summary: {} };
  const seen = await withFetch(() => json(v2), async () => {
    result = await api.listUpdates(KEY, new Map([[1, "One"]]));
  });
  assertEquals(seen.map((r) => r.url), ["/wp-json/mainwp/v2/updates"]);
  assertEquals(result.summary, { core: 1, plugin: 1, theme: 1, translation: 1 });
  assertEquals(result.updates[0], {
    siteId: 1,
    siteName: "One",
    kind: "core",
    slug: "wordpress",
    name: "WordPress",
    from: "6.6.2",
    to: "6.7.1",
  });
  assertEquals(result.updates[3], {
    siteId: 1,
    siteName: "One",
    kind: "translation",
    slug: "a",
    name: "A (de_DE)",
    from: "",
    to: "1.1",
  });
  const flat = {
    updates: [{
      site_id: 1,
      site_url: "u",
      site_name: "One",
      type: "plugin",
      slug: "a/a.php",
      name: "A",
      current_version: "1.0",
      new_version: "1.1",
    }],
  };
  const seenApp = await withFetch(() => json(flat), async () => {
    result = await api.listUpdates(APP, new Map());
  });
  assert(seenApp[0].url.startsWith("/wp-json/wp-abilities/v1/abilities/mainwp/list-updates-v1/run?input"));
  assertEquals((seenApp[0].init.headers as Record<string, string>).Authorization, APP.header);
  assertEquals(result.summary, { core: 0, plugin: 1, theme: 0, translation: 0 });
});

Deno.test("webhooks and deliveries: the webhooks API's shapes; 404 is an ApiError", async () => {
  const hooks = [{ id: "wh_1", url: "https://hooks.example/x", events: ["site.down"], active: true }];
  // As GET /fleetpress/v1/webhooks/{id}/deliveries answers (core/webhooks/manage.ts DeliveryView).
  const deliveries = [{
    id: "d1",
    event_id: "e1",
    type: "site.down",
    status: "delivered",
    created: "2026-01-01T00:00:00Z",
    next_attempt: null,
    attempts: [
      { attempt: 1, time: "2026-01-01T00:00:00Z", http_status: 500, error: "HTTP 500", duration_ms: 9 },
      { attempt: 2, time: "2026-01-01T00:00:30Z", http_status: 200, error: null, duration_ms: 12 },
    ],
  }, {
    id: "d2",
    event_id: "e2",
    type: "site.up",
    status: "pending",
    created: "2026-01-01T00:01:00Z",
    next_attempt: "2026-01-01T00:01:30Z",
    attempts: [],
  }];
  await withFetch((url) => (url.endsWith("/deliveries") ? json(deliveries) : json(hooks)), async () => {
    assertEquals(await api.listWebhooks(KEY), [{
      id: "wh_1",
      url: "https://hooks.example/x",
      events: ["site.down"],
      active: true,
    }]);
    assertEquals(await api.listDeliveries(KEY, "wh_1"), [
      { type: "site.down", time: "2026-01-01T00:00:30Z", result: "delivered (200)", duration: 12 },
      { type: "site.up", time: "2026-01-01T00:01:00Z", result: "pending", duration: "" },
    ]);
  });
  const missing = {
    code: "rest_no_route",
    message: "No route was found matching the URL and request method.",
  };
  await withFetch(() => json({ ...missing, data: { status: 404 } }, 404), async () => {
    const error = await assertRejects(() => api.listWebhooks(KEY));
    assertInstanceOf(error, api.ApiError);
    assertEquals([error.status, error.code], [404, "rest_no_route"]);
    assertInstanceOf(await assertRejects(() => api.openIncidents(KEY)), api.ApiError);
  });
  // Monitors are a MainWP v2 route: an application password is not sent there.
  const seen = await withFetch(() => json({ count: 0 }), async () => {
    assertInstanceOf(await assertRejects(() => api.openIncidents(APP)), api.ApiError);
  });
  assertEquals(seen, []);
});

Deno.test("a job's event stream is read with fetch and the Authorization header, events split anywhere", async () => {
  const events = [
    { status: "running", progress: 50, job_id: "sync_1" },
    { status: "completed", progress: 100, job_id: "sync_1" },
  ];
  const text = `event: progress\ndata: ${JSON.stringify(events[0])}\n\n: comment\n\nevent: progress\r\n` +
    `data: ${JSON.stringify(events[1])}\r\n\r\nevent: end\ndata: ${JSON.stringify(events[1])}\n\n`;
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
      controller.close();
    },
  });
  const got: unknown[] = [];
  let last: unknown;
  const seen = await withFetch(
    () => new Response(body, { headers: { "Content-Type": "text/event-stream" } }),
    async () => {
      last = await api.streamJob(KEY, "sync_1", (s: unknown) => got.push(s), new AbortController().signal);
    },
  );
  assertEquals(seen[0].url, "/wp-json/mainwp/v2/jobs/sync_1/events");
  assertEquals((seen[0].init.headers as Record<string, string>).Authorization, KEY.header);
  assertEquals(got, [events[0], events[1], events[1]]);
  assertEquals(last, events[1]);
});
