import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { z } from "zod";
import { testApp } from "../helpers.ts";
import { CREATABLE, DELETABLE, READABLE } from "../../rest/server.ts";
import { wp } from "../../rest/args.ts";
import type { PluginHost } from "../../plugins/host.ts";

const routes = {
  register(host: PluginHost) {
    host.registerRoute("mainwp/v2", "/things/(?P<id>[\\d]+)", {
      methods: READABLE,
      handler: (req) => ({
        success: 1,
        data: { id: req.urlParams.id, name: "thing", url: "https://x.example/" },
      }),
    });
    // Same path, another method, registered later: matching falls through to it.
    host.registerRoute("mainwp/v2", "/things/(?P<id>[\\w]+)", {
      methods: DELETABLE,
      handler: (req) => ({ deleted: req.urlParams.id }),
    });
    host.registerRoute("mainwp/v2", "/things/add", {
      methods: CREATABLE,
      args: z.looseObject({ name: wp.str(), count: wp.int().optional() }),
      handler: (req) => ({ success: 1, args: req.args }),
    });
    host.registerRoute("mainwp/v2", "/explode", {
      methods: READABLE,
      handler: async (req) => ({ value: await req.ctx.hooks.applyFilters("test_explode", 1) }),
    });
  },
};

Deno.test("routes match case-insensitively, in order, falling through on method", async () => {
  const t = await testApp({ plugins: [routes] });
  const token = await t.key("read_write");
  assertEquals((await t.call("GET", "/wp-json/MAINWP/v2/Things/7", { token })).body.data.id, "7");
  assertEquals((await t.call("DELETE", "/wp-json/mainwp/v2/things/7", { token })).body, { deleted: "7" });
  const none = await t.call("PUT", "/wp-json/mainwp/v2/things/7", { token });
  assertEquals(none.body, {
    code: "rest_no_route",
    message: "No route was found matching the URL and request method.",
    data: { status: 404 },
  });
  assertEquals(none.status, 404);
  await t.close();
});

Deno.test("validation: 400 with params map before the permission check; bad JSON → rest_invalid_json", async () => {
  const t = await testApp({ plugins: [routes] });
  const token = await t.key("read_write");
  const bad = await t.call("POST", "/wp-json/mainwp/v2/things/add", { json: { name: "a", count: "x" } });
  assertEquals(bad.status, 400);
  assertEquals(bad.body.code, "rest_invalid_param");
  assertEquals(bad.body.data.params, { count: "count is not of type integer." });
  const missing = await t.call("POST", "/wp-json/mainwp/v2/things/add", { token, form: { count: "1" } });
  assertEquals(missing.body.data, { status: 400, params: ["name"] });
  const ok = await t.call("POST", "/wp-json/mainwp/v2/things/add?count=2", { token, form: { name: "n" } });
  assertEquals(ok.body.args, { name: "n", count: 2 });
  const json = await t.call("POST", "/wp-json/mainwp/v2/things/add", {
    token,
    headers: { "Content-Type": "application/json" },
  });
  assertEquals(json.body.code, "rest_missing_callback_param");
  const broken = await t.call("POST", "http://dashboard.test/wp-json/mainwp/v2/things/add", {
    token,
    headers: { "Content-Type": "application/json" },
    body: '{"name": "x",',
  });
  assertEquals([broken.status, broken.body.code], [400, "rest_invalid_json"]);
  await t.close();
});

Deno.test("_fields, _envelope, _pretty, _jsonp and slashes escaped", async () => {
  const t = await testApp({ plugins: [routes] });
  const token = await t.key("read_write");
  const raw = await t.call("GET", "/wp-json/mainwp/v2/things/7", { token });
  assertStringIncludes(raw.text, '"url":"https:\\/\\/x.example\\/"');
  assertEquals(raw.headers.get("content-type"), "application/json; charset=UTF-8");
  assertEquals((await t.call("GET", "/wp-json/mainwp/v2/things/7?_fields=data.id", { token })).body, {
    data: { id: "7" },
  });
  const env = await t.call("GET", "/wp-json/mainwp/v2/things/999x?_envelope", { token });
  assertEquals(env.status, 200);
  assertEquals(env.body.status, 404);
  assertEquals(env.body.body.code, "rest_no_route");
  const pretty = await t.call("GET", "/wp-json/mainwp/v2/things/7?_pretty", { token });
  assertStringIncludes(pretty.text, '{\n    "success": 1');
  const jsonp = await t.call("GET", "/wp-json/mainwp/v2/things/7?_jsonp=cb", { token });
  assert(jsonp.text.startsWith("/**/cb({"));
  assertEquals(jsonp.headers.get("content-type"), "application/javascript; charset=UTF-8");
  assertEquals(
    (await t.call("GET", "/wp-json/mainwp/v2/things/7?_jsonp=a(b)", { token })).body.code,
    "rest_callback_invalid",
  );
  await t.close();
});

Deno.test("_method and X-HTTP-Method-Override turn a POST into another method", async () => {
  const t = await testApp({ plugins: [routes] });
  const token = await t.key("read_write");
  assertEquals((await t.call("POST", "/wp-json/mainwp/v2/things/5?_method=DELETE", { token })).body, {
    deleted: "5",
  });
  const byHeader = await t.call("POST", "/wp-json/mainwp/v2/things/6", {
    token,
    headers: { "X-HTTP-Method-Override": "DELETE" },
  });
  assertEquals(byHeader.body, { deleted: "6" });
  // The override also goes through the key's permission check: a read key may not DELETE this way.
  const readToken = await t.key("read");
  const refused = await t.call("POST", "/wp-json/mainwp/v2/things/5?_method=DELETE", { token: readToken });
  assertEquals(refused.status, 401);
  await t.close();
});

Deno.test("a throwing hook callback gives a WordPress 500 for that request only, with no stack trace", async () => {
  const t = await testApp({ plugins: [routes] });
  const token = await t.key("read_write");
  const boom = () => {
    throw new Error("secret internals at /home/x.ts:12");
  };
  t.ctx.hooks.addFilter("test_explode", boom);
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args);
  try {
    const res = await t.call("GET", "/wp-json/mainwp/v2/explode", { token });
    assertEquals(res.status, 500);
    assertEquals(res.body, {
      code: "internal_server_error",
      message: "There has been a critical error on this website.",
      data: { status: 500 },
    });
    assertEquals(res.text.includes("secret internals"), false);
  } finally {
    console.error = original;
  }
  assertEquals(errors.length, 1);
  t.ctx.hooks.removeFilter("test_explode", boom);
  assertEquals((await t.call("GET", "/wp-json/mainwp/v2/explode", { token })).body, { value: 1 });
  await t.close();
});

Deno.test("HEAD answers headers only; unknown paths outside /wp-json are 404 JSON", async () => {
  const t = await testApp({ plugins: [routes] });
  const token = await t.key("read");
  const head = await t.call("HEAD", "/wp-json/mainwp/v2/things/7", { token });
  assertEquals([head.status, head.text], [200, ""]);
  const other = await t.call("GET", "/nowhere");
  assertEquals([other.status, other.body.code], [404, "rest_no_route"]);
  await t.close();
});

Deno.test("discovery: /wp-json/ and /wp-json/mainwp/v2 list namespaces, routes and methods", async () => {
  const t = await testApp({ plugins: [routes] });
  const index = await t.call("GET", "/wp-json/");
  assertEquals(index.status, 200);
  assert(index.body.namespaces.includes("mainwp/v2"));
  const things = index.body.routes["/mainwp/v2/things/(?P<id>[\\d]+)"];
  assertEquals(things.methods, ["GET"]);
  assertEquals(things.namespace, "mainwp/v2");
  const add = index.body.routes["/mainwp/v2/things/add"];
  assertEquals(add.endpoints[0].args.name.required, true);
  assertEquals(add._links.self[0].href, "https://dashboard.test/wp-json/mainwp/v2/things/add");
  const ns = await t.call("GET", "/wp-json/mainwp/v2");
  assertEquals(ns.status, 200);
  assertEquals(ns.body.namespace, "mainwp/v2");
  assert("/mainwp/v2/things/add" in ns.body.routes);
  assertEquals("/" in ns.body.routes, false);
  await t.close();
});

Deno.test("multipart bodies: fields are parameters, files are req.files; a malformed one carries nothing", async () => {
  const t = await testApp({ plugins: [routes] });
  try {
    const token = await t.key("read_write");
    const boundary = "b0undary";
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nwidget\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.csv"\r\n\r\nx,y\r\n--${boundary}--\r\n`;
    const ok = await t.call("POST", "/wp-json/mainwp/v2/things/add", {
      token,
      body,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    assertEquals([ok.status, ok.body.args], [200, { name: "widget" }]);
    // No boundary: no parameters (the required one is missing), never a 500.
    const malformed = await t.call("POST", "/wp-json/mainwp/v2/things/add", {
      token,
      body: "x",
      headers: { "content-type": "multipart/form-data" },
    });
    assertEquals([malformed.status, malformed.body.code], [400, "rest_missing_callback_param"]);
  } finally {
    await t.close();
  }
});
