import { assert, assertEquals } from "@std/assert";
import { simulatedApp, testApp } from "../helpers.ts";
import { createSite } from "../../store/sites.ts";
import { listValues } from "../../store/kv.ts";
import { keys } from "../../store/keys.ts";

const V2 = "/wp-json/mainwp/v2";

async function tagCount(kv: Deno.Kv): Promise<number> {
  return (await listValues(kv, keys.tags())).length;
}

Deno.test("per-controller batch: create, update (with a missing id), delete; results in order", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const res = await t.call("POST", `${V2}/tags/batch`, {
    token,
    json: {
      create: [{ name: "A" }, { name: "B" }],
      update: [{ id: 1, name: "A2" }, { id: 99, name: "x" }],
      delete: [2],
    },
  });
  assertEquals(res.status, 200);
  assertEquals(Object.keys(res.body), ["create", "update", "delete"]);
  assertEquals(res.body.create.map((r: { data: { name: string } }) => r.data.name), ["A", "B"]);
  assertEquals(res.body.update[0].data.name, "A2");
  assertEquals(res.body.update[1], {
    id: 99,
    error: { code: "mainwp_rest_invalid_tag_id", message: "Invalid or not found ID.", data: { status: 404 } },
  });
  assertEquals(res.body.delete[0].success, 1);
  assertEquals(await tagCount(t.ctx.kv), 1);
  assertEquals((await t.call("POST", `${V2}/tags/batch`, { token, json: {} })).body, []);
  await t.close();
});

Deno.test("batch limit: 100 passes, 101 → 413 with nothing executed; a filter changes it per context", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `T${i}` }));
  const over = await t.call("POST", `${V2}/tags/batch`, { token, json: { create: items(100), delete: [1] } });
  assertEquals([over.status, over.body], [413, {
    code: "mainwp_rest_request_entity_too_large",
    message: "Unable to accept more than 100 items for this request.",
    data: { status: 413 },
  }]);
  assertEquals(await tagCount(t.ctx.kv), 0);
  // Keys a controller never executes still count.
  assertEquals(
    (await t.call("POST", `${V2}/tags/batch`, {
      token,
      json: { create: items(1), sync: Array(100).fill(1) },
    })).status,
    413,
  );
  const ok = await t.call("POST", `${V2}/tags/batch`, { token, json: { create: items(100) } });
  assertEquals([ok.status, ok.body.create.length], [200, 100]);
  const contexts: string[] = [];
  t.ctx.hooks.addFilter("mainwp_rest_batch_items_limit", (limit: number, context: string) => {
    contexts.push(context);
    return context === "tags" ? 2 : limit;
  });
  const low = await t.call("POST", `${V2}/tags/batch`, { token, json: { create: items(3) } });
  assertEquals([low.status, low.body.message], [413, "Unable to accept more than 2 items for this request."]);
  assertEquals(
    (await t.call("POST", `${V2}/clients/batch`, { token, json: { create: [{ name: "C" }] } })).status,
    200,
  );
  assertEquals(contexts, ["tags", "clients"]);
  await t.close();
});

Deno.test("a plugin filter can raise the global batch limit", async () => {
  const t = await testApp({
    plugins: [{
      register: (host) =>
        host.addFilter("mainwp_rest_batch_items_limit", (l: number, c: string) => (c === "batch" ? 150 : l)),
    }],
  });
  const token = await t.key("read_write");
  const create = Array.from({ length: 120 }, (_, i) => ({ name: `T${i}` }));
  const res = await t.call("POST", `${V2}/batch`, { token, json: { tags: { create } } });
  assertEquals([res.status, res.body.tags.create.length], [200, 120]);
  await t.close();
});

Deno.test("global batch: the seed example's shape; updates → 405 items; costs run; keys in execution order", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const seed = {
    // The seed's shape, with a loopback address that refuses connections (tests never leave loopback).
    sites: { create: [{ url: "http://127.0.0.1:9/", name: "Site A", admin: "admin" }], sync: [12, 19] },
    tags: { create: [{ name: "Managed" }] },
  };
  const res = await t.call("POST", `${V2}/batch`, { token, json: seed });
  assertEquals(res.status, 200);
  assertEquals(Object.keys(res.body), ["sites", "tags"]);
  assertEquals(Object.keys(res.body.sites), ["create", "sync"]);
  assertEquals(res.body.sites.create.length, 1);
  assertEquals(res.body.sites.sync.length, 2);
  assertEquals(res.body.sites.sync[0].id, 12);
  assertEquals(res.body.tags.create[0].success, 1);
  assertEquals(res.body.tags.create[0].data.name, "Managed");

  const site = await createSite(t.ctx.kv, { url: "https://a.example" });
  assert("site" in site);
  const mixed = await t.call("POST", `${V2}/batch`, {
    token,
    json: {
      sites: { suspend: [site.site.id, 0, "x", 777] },
      updates: { create: [{}] },
      clients: { create: [{ name: "ACME" }] },
      tags: { create: [{ name: "VIP" }] },
    },
  });
  assertEquals(Object.keys(mixed.body), ["clients", "updates", "tags", "sites"]);
  assertEquals(mixed.body.updates.create[0], {
    id: 0,
    error: {
      code: "invalid-method",
      message: "Method 'WP_REST_Controller::create_item' not implemented. Must be overridden in subclass.",
      data: { status: 405 },
    },
  });
  assertEquals(mixed.body.sites.suspend.length, 2);
  assertEquals(mixed.body.sites.suspend[0].success, 1);
  assertEquals(mixed.body.sites.suspend[1].id, 777);
  assertEquals(mixed.body.sites.suspend[1].error.code, "mainwp_rest_invalid_site_id");
  assertEquals(mixed.body.clients.create[0].success, 1);
  await t.close();
});

Deno.test("batches need write permission; their items run as the caller", async () => {
  const t = await testApp();
  const read = await t.key("read");
  const del = await t.call("POST", `${V2}/tags/batch`, { token: read, json: { create: [{ name: "x" }] } });
  assertEquals([del.status, del.body.message], [
    401,
    "The API key provided does not have write permissions.",
  ]);
  const none = await t.call("POST", `${V2}/batch`, { json: { tags: { create: [{ name: "x" }] } } });
  assertEquals(none.status, 401);
  assertEquals(await tagCount(t.ctx.kv), 0);
  // A write key may run read-like site actions inside the batch, as in MainWP.
  const write = await t.key("write");
  await createSite(t.ctx.kv, { url: "https://b.example" });
  const res = await t.call("POST", `${V2}/sites/batch`, { token: write, json: { suspend: [1] } });
  assertEquals(res.body.suspend[0].success, 1);
  await t.close();
});

Deno.test("GET /batch: keyed by the exact URL strings, failures as error entries, status 200", async () => {
  const t = await testApp();
  const token = await t.key("read");
  await createSite(t.ctx.kv, { url: "https://four.example", name: "Four" });
  const res = await t.call(
    "GET",
    `${V2}/batch?urls[]=/sites/1&urls[]=${encodeURIComponent("/sites/1/nothing?x=1")}`,
    { token },
  );
  assertEquals(res.status, 200);
  assertEquals(Object.keys(res.body), ["/sites/1", "/sites/1/nothing?x=1"]);
  assertEquals(res.body["/sites/1"].data.name, "Four");
  assertEquals(res.body["/sites/1/nothing?x=1"], {
    error: "rest_no_route",
    message: "No route was found matching the URL and request method.",
    status_code: 404,
  });
  assert(res.text.includes('"\\/sites\\/1"'));
  // urls[0]= form, absolute /wp-json paths.
  const indexed = await t.call("GET", `${V2}/batch?urls[0]=/tags&urls[1]=/wp-json/mainwp/v2/sites/count`, {
    token,
  });
  assertEquals(Object.keys(indexed.body), ["/tags", "/wp-json/mainwp/v2/sites/count"]);
  assertEquals(indexed.body["/wp-json/mainwp/v2/sites/count"], { count: 1 });
  await t.close();
});

Deno.test("GET /batch options: fields, meta, pretty, http_envelope, callback; bad input; limit", async () => {
  const t = await testApp();
  const token = await t.key("read");
  await createSite(t.ctx.kv, { url: "https://one.example", name: "One" });
  const fields = await t.call("GET", `${V2}/batch?urls[]=/sites&urls[]=/sites/1&fields=name`, { token });
  assertEquals(fields.body["/sites"].data[0], { id: "1", name: "One" });
  assertEquals(fields.body["/sites/1"].data, { id: "1", name: "One" });
  const meta = await t.call("GET", `${V2}/batch?urls[]=/sites/1&meta=client,costs,tags`, { token });
  assertEquals(Object.keys(meta.body["/sites/1"].meta.data), ["client", "costs", "tags"]);
  assertEquals(meta.body["/sites/1"].meta.data.client.success, 0);
  const pretty = await t.call("GET", `${V2}/batch?urls[]=/sites/count&pretty=1`, { token });
  assert(pretty.text.includes('\n    "\\/sites\\/count": {'));
  const env = await t.call("GET", `${V2}/batch?urls[]=/sites/count&http_envelope=1`, { token });
  assertEquals(env.body, {
    code: 200,
    headers: [{ name: "Content-Type", value: "application/json" }],
    body: { "/sites/count": { count: 1 } },
  });
  const jsonp = await t.call("GET", `${V2}/batch?urls[]=/sites/count&callback=my.cb<script>`, { token });
  assertEquals(jsonp.text, '/**/my.cbscript({"\\/sites\\/count":{"count":1}});');
  t.ctx.hooks.addFilter("rest_jsonp_enabled", () => false);
  assertEquals((await t.call("GET", `${V2}/batch?urls[]=/sites/count&callback=cb`, { token })).body, {
    "/sites/count": { count: 1 },
  });
  for (const q of ["", "?urls=", "?urls[]=", "?urls[a][b]=1"]) {
    const bad = await t.call("GET", `${V2}/batch${q}`, { token });
    assertEquals([bad.status, bad.body.code, bad.body.message], [
      400,
      "invalid_input",
      "Invalid request input",
    ], q);
  }
  const many = Array.from({ length: 101 }, (_, i) => `urls[]=/sites/${i}`).join("&");
  assertEquals((await t.call("GET", `${V2}/batch?${many}`, { token })).status, 413);
  // Write-only keys cannot read through the fan-out.
  const write = await t.key("write");
  assertEquals((await t.call("GET", `${V2}/batch?urls[]=/sites/count`, { token: write })).status, 401);
  await t.close();
});

Deno.test("POST /batch/v1: 207 responses in order; GET and unbatchable routes refused; require-all-validate", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const res = await t.call("POST", "/wp-json/batch/v1", {
    token,
    json: {
      requests: [
        { path: "/mainwp/v2/tags/add", body: { name: "One" } },
        { method: "POST", path: "/mainwp/v2/tags/1/edit", body: { name: "Uno" } },
        { method: "POST", path: "/mainwp/v2/batch", body: {} },
      ],
    },
  });
  assertEquals(res.status, 207);
  assertEquals(res.body.responses.map((r: { status: number }) => r.status), [200, 200, 400]);
  assertEquals(res.body.responses[1].body.data.name, "Uno");
  assertEquals(res.body.responses[2].body.code, "rest_batch_not_allowed");
  const get = await t.call("POST", "/wp-json/batch/v1", {
    token,
    json: { requests: [{ method: "GET", path: "/mainwp/v2/tags" }] },
  });
  assertEquals([get.status, get.body.code], [400, "rest_invalid_param"]);
  const all = await t.call("POST", "/wp-json/batch/v1", {
    token,
    json: {
      validation: "require-all-validate",
      requests: [{ path: "/mainwp/v2/tags/add", body: { name: "Two" } }, { path: "/mainwp/v2/nope" }],
    },
  });
  assertEquals(all.status, 207);
  assertEquals(all.body.failed, "validation");
  assertEquals(all.body.responses[0], null);
  assertEquals(all.body.responses[1].status, 404);
  assertEquals(await tagCount(t.ctx.kv), 1);
  const tooMany = Array.from({ length: 26 }, () => ({ path: "/mainwp/v2/tags/add", body: { name: "x" } }));
  const over = await t.call("POST", "/wp-json/batch/v1", { token, json: { requests: tooMany } });
  assertEquals([over.status, over.body.data.params.requests], [
    400,
    "requests must contain at most 25 items.",
  ]);
  // Unauthenticated items fail one by one.
  const anon = await t.call("POST", "/wp-json/batch/v1", {
    json: { requests: [{ path: "/mainwp/v2/tags/add", body: { name: "z" } }] },
  });
  assertEquals(anon.body.responses[0].status, 401);
  await t.close();
});

Deno.test("site actions in batches run against real child sites, concurrently, results in request order", async () => {
  const { t, sim, token, close } = await simulatedApp(3);
  try {
    const added = await t.call("POST", `${V2}/sites/batch`, {
      token,
      json: {
        create: [1, 2, 3].map((i) => ({ url: sim.url(i), admin: "admin", adminpassword: "admin-password" })),
      },
    });
    assertEquals(added.body.create.map((r: { success: number }) => r.success), [1, 1, 1]);
    sim.site(2).controls.offline = true;
    const res = await t.call("POST", `${V2}/sites/batch`, {
      token,
      json: { sync: [3, 2, 1, 99], check: [1], plugins: [2, 3], security: [1] },
    });
    assertEquals(Object.keys(res.body), ["sync", "check", "security", "plugins"]);
    assertEquals(res.body.sync.map((r: { success?: number; id?: number }) => r.success ?? r.id), [
      1,
      0,
      1,
      99,
    ]);
    assertEquals(res.body.sync[0].data.id, "3");
    assertEquals(res.body.check[0].success, 1);
    assertEquals(res.body.security[0].site.id, "1");
    assertEquals(res.body.plugins.map((r: { site: { id: string } }) => r.site.id), ["2", "3"]);
    const global = await t.call("POST", `${V2}/batch`, { token, json: { sites: { sync: [1, 3] } } });
    assertEquals(global.body.sites.sync.map((r: { data: { id: string } }) => r.data.id), ["1", "3"]);
  } finally {
    await close();
  }
});
