import { assert, assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createSite } from "../../store/sites.ts";
import { FANOUT_CONCURRENCY, FANOUT_MAX_BYTES } from "../../rest/fanout.ts";
import { READABLE, RestResponse } from "../../rest/server.ts";
import { listValues } from "../../store/kv.ts";
import { keys } from "../../store/keys.ts";

const V2 = "/wp-json/mainwp/v2";
const q = encodeURIComponent;

const NOT_BATCHABLE = {
  error: "rest_batch_not_allowed",
  message: "The requested route does not support batch requests.",
  status_code: 400,
};

/** A test route under `/wp-json/test/v1/count` that counts its calls. */
function countingRoute(t: Awaited<ReturnType<typeof testApp>>): { calls: number } {
  const counter = { calls: 0 };
  t.ctx.rest.register("test/v1", "/count", {
    methods: READABLE,
    permission: () => {},
    handler: () => ({ call: ++counter.calls }),
  });
  return counter;
}

Deno.test("GET /batch: a batch route as a URL is an error entry and nothing nested runs", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const counter = countingRoute(t);
  await createSite(t.ctx.kv, { url: "https://one.example", name: "One" });
  const inner = `/batch?urls[]=${q("/wp-json/test/v1/count")}`;
  const targets = [
    inner,
    `/BATCH/?urls[]=${q("/wp-json/test/v1/count")}`,
    `/wp-json/mainwp/v2/batch?urls[]=${q("/wp-json/test/v1/count")}`,
    `/sites/../batch?urls[]=${q("/wp-json/test/v1/count")}`,
    `/%62atch?urls[]=${q("/wp-json/test/v1/count")}`,
    "/sites/batch",
    "/tags/batch",
    "/wp-json/batch/v1",
  ];
  const res = await t.call(
    "GET",
    `${V2}/batch?${targets.map((u) => `urls[]=${q(u)}`).join("&")}&urls[]=/sites/count`,
    {
      token,
    },
  );
  assertEquals(res.status, 200);
  for (const target of targets) assertEquals(res.body[target], NOT_BATCHABLE, target);
  assertEquals(res.body["/sites/count"], { count: 1 });
  assertEquals(counter.calls, 0);
  // The counting route itself works through the fan-out.
  const direct = await t.call("GET", `${V2}/batch?urls[]=${q("/wp-json/test/v1/count")}`, { token });
  assertEquals(direct.body["/wp-json/test/v1/count"], { call: 1 });
  await t.close();
});

Deno.test("POST /batch/v1 cannot carry /batch/v1 or a MainWP batch, as WordPress refuses nested batches", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const res = await t.call("POST", "/wp-json/batch/v1", {
    token,
    json: {
      requests: [
        { path: "/batch/v1", body: { requests: [{ path: "/mainwp/v2/tags/add", body: { name: "Deep" } }] } },
        { path: "/mainwp/v2/batch", body: { tags: { create: [{ name: "Deep" }] } } },
        { path: "/mainwp/v2/tags/batch", body: { create: [{ name: "Deep" }] } },
        { path: `/mainwp/v2/batch?urls[]=${q("/tags")}` },
        { path: "/mainwp/v2/tags/add", body: { name: "Flat" } },
      ],
    },
  });
  assertEquals(res.status, 207);
  assertEquals(res.body.responses.map((r: { status: number }) => r.status), [400, 400, 400, 400, 200]);
  for (const r of res.body.responses.slice(0, 4)) {
    assertEquals(r.body, {
      code: "rest_batch_not_allowed",
      message: "The requested route does not support batch requests.",
      data: { status: 400 },
    });
  }
  const tags = await listValues<{ name: string }>(t.ctx.kv, keys.tags());
  assertEquals(tags.map((tag) => tag.name), ["Flat"]);
  await t.close();
});

Deno.test("GET /batch: the answer's size is capped; URLs past the cap get an error entry and do not run", async () => {
  const t = await testApp();
  const token = await t.key("read");
  let calls = 0;
  // Each answer takes a bit more than a third of the cap: two fit, the rest do not.
  const chunk = "x".repeat(Math.floor(FANOUT_MAX_BYTES / 3));
  t.ctx.rest.register("test/v1", "/big", {
    methods: READABLE,
    permission: () => {},
    handler: () => (calls++, { chunk }),
  });
  const urls = Array.from({ length: 40 }, (_, i) => `/wp-json/test/v1/big?i=${i}`);
  const res = await t.call("GET", `${V2}/batch?${urls.map((u) => `urls[]=${q(u)}`).join("&")}`, { token });
  assertEquals(res.status, 200);
  assert(res.text.length <= FANOUT_MAX_BYTES + 4096, `answer of ${res.text.length} bytes`);
  const entries = urls.map((u) => res.body[u]);
  const full = entries.filter((e) => e.chunk === chunk);
  const refused = entries.filter((e) => e.error === "fleetpress_batch_too_large");
  assertEquals([full.length, refused.length], [2, 38]);
  assertEquals(refused[0].status_code, 413);
  // Once the cap is reached, no further URL runs (at most the ones already in flight finish).
  assert(calls <= 2 + FANOUT_CONCURRENCY, `${calls} sub-requests ran`);
  await t.close();
});

Deno.test("GET /batch: at most FANOUT_CONCURRENCY sub-requests are in flight at once", async () => {
  const t = await testApp();
  const token = await t.key("read");
  let inFlight = 0;
  let most = 0;
  let calls = 0;
  t.ctx.rest.register("test/v1", "/held", {
    methods: READABLE,
    permission: () => {},
    handler: async () => {
      calls++;
      most = Math.max(most, ++inFlight);
      // Hold the slot for a few turns of the event loop so the others can start meanwhile.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return { ok: 1 };
    },
  });
  const urls = Array.from({ length: 100 }, (_, i) => `/wp-json/test/v1/held?i=${i}`);
  const res = await t.call("GET", `${V2}/batch?${urls.map((u) => `urls[]=${q(u)}`).join("&")}`, { token });
  assertEquals(res.status, 200);
  assertEquals(calls, 100);
  assert(urls.every((u) => res.body[u].ok === 1));
  assert(most <= FANOUT_CONCURRENCY, `${most} in flight`);
  assert(most > 1, "the sub-requests ran concurrently");
  await t.close();
});

Deno.test("GET /batch: a streamed answer (server-sent events) is refused as an entry and its stream closed", async () => {
  const t = await testApp();
  const token = await t.key("read");
  let cancelled = false;
  t.ctx.rest.register("test/v1", "/stream", {
    methods: READABLE,
    permission: () => {},
    handler: () => {
      const text = new ReadableStream<Uint8Array>({ cancel: () => void (cancelled = true) });
      return new RestResponse(null, 200, { text, contentType: "text/event-stream" });
    },
  });
  const url = "/wp-json/test/v1/stream";
  const res = await t.call("GET", `${V2}/batch?urls[]=${q(url)}`, { token });
  assertEquals(res.body[url], NOT_BATCHABLE);
  assert(cancelled, "the stream was cancelled");
  await t.close();
});
