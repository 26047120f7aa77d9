import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { DELETABLE, EDITABLE, READABLE } from "../../rest/server.ts";
import type { PluginHost } from "../../plugins/host.ts";
import { createApiKey, getApiKey, updateApiKey } from "../../store/api-keys.ts";

/** A plugin adding probe routes to the MainWP namespace, so auth is tested independently of real routes. */
const probe = {
  register(host: PluginHost) {
    const handler = () => ({ success: 1 });
    host.registerRoute(
      "mainwp/v2",
      "/probe",
      { methods: READABLE, handler },
      { methods: EDITABLE, handler },
      {
        methods: DELETABLE,
        handler,
      },
    );
  },
};

const PROBE = "/wp-json/mainwp/v2/probe";
const err = (code: string, message: string, status: number) => ({ code, message, data: { status } });
const NOT_AUTH = err("mainwp_rest_authentication_error", "You are not authenticated.", 401);
const DISABLED = err("mainwp_rest_authentication_disabled_key", "The REST API Key are disabled.", 401);

Deno.test("no credentials: 401 at permission time, but 404 first for unknown routes", async () => {
  const t = await testApp({ plugins: [probe] });
  const a = await t.call("GET", PROBE);
  assertEquals([a.status, a.body], [401, NOT_AUTH]);
  const b = await t.call("GET", "/wp-json/mainwp/v2/nothing-here");
  assertEquals([b.status, b.body.code], [404, "rest_no_route"]);
  await t.close();
});

Deno.test("unknown key, wrong secret, missing half, disabled and revoked keys", async () => {
  const t = await testApp({ plugins: [probe] });
  const token = await t.key("read_write");
  const [secret, key] = token.split("==");
  const unknown = await t.call("GET", PROBE, { token: `${secret}==${"0".repeat(40)}` });
  assertEquals([unknown.status, unknown.body], [401, DISABLED]);
  const wrong = await t.call("GET", PROBE, { token: `${"1".repeat(40)}==${key}` });
  assertEquals([wrong.status, wrong.body], [
    401,
    err("mainwp_rest_authentication_error", "Consumer secret is invalid.", 401),
  ]);
  const half = await t.call("GET", PROBE, { headers: { Authorization: `Bearer ${secret}` } });
  assertEquals(
    [half.status, half.body],
    [401, err("mainwp_rest_authentication_missing_parameter", "Invalid OAuth parameter.", 401)],
  );
  // Unknown key is refused even on a route that does not exist (authentication runs first).
  const unknown404 = await t.call("GET", "/wp-json/mainwp/v2/nothing", {
    token: `${secret}==${"0".repeat(40)}`,
  });
  assertEquals(unknown404.status, 401);
  // "Bearer " is case-sensitive: a lowercase scheme is no credentials at all.
  const lower = await t.call("GET", PROBE, { headers: { Authorization: `bearer ${token}` } });
  assertEquals(lower.body, NOT_AUTH);

  const ok = await t.call("GET", PROBE, { token });
  assertEquals(ok.status, 200);
  const { record, token: other } = await createApiKey(t.ctx.kv, { permissions: "read" });
  await updateApiKey(t.ctx.kv, record.id, (k) => ({ ...k, enabled: false }));
  const disabled = await t.call("GET", PROBE, { token: other });
  assertEquals([disabled.status, disabled.body], [401, DISABLED]);
  await updateApiKey(t.ctx.kv, record.id, (k) => ({ ...k, enabled: true }));
  assertEquals((await t.call("GET", PROBE, { token: other })).status, 200);
  const revoke = await t.call("GET", PROBE, { token: other });
  assertEquals(revoke.status, 200);
  await (await import("../../store/api-keys.ts")).revokeApiKey(t.ctx.kv, record.id);
  assertEquals((await t.call("GET", PROBE, { token: other })).body, DISABLED);
  await t.close();
});

Deno.test("permission matrix: every permission × method, enforced before routing", async () => {
  const t = await testApp({ plugins: [probe] });
  const msg = (what: string) =>
    err("mainwp_rest_authentication_error", `The API key provided does not have ${what} permissions.`, 401);
  const expected: Record<string, Record<string, unknown>> = {
    read: {
      GET: 200,
      HEAD: 200,
      POST: msg("write"),
      PUT: msg("write"),
      PATCH: msg("write"),
      DELETE: msg("delete"),
    },
    write: { GET: msg("read"), HEAD: 401, POST: 200, PUT: 200, PATCH: 200, DELETE: 200 },
    delete: {
      GET: msg("read"),
      HEAD: 401,
      POST: msg("write"),
      PUT: msg("write"),
      PATCH: msg("write"),
      DELETE: 200,
    },
    read_write: { GET: 200, HEAD: 200, POST: 200, PUT: 200, PATCH: 200, DELETE: 200 },
  };
  for (const [permission, methods] of Object.entries(expected)) {
    const token = await t.key(permission as "read");
    for (const [method, want] of Object.entries(methods)) {
      const res = await t.call(method, PROBE, { token });
      if (typeof want === "number") assertEquals(res.status, want, `${permission} ${method}`);
      else assertEquals([res.status, res.body], [401, want], `${permission} ${method}`);
      // A key lacking the method is refused even where no route exists.
      if (typeof want !== "number" && method !== "HEAD") {
        assertEquals((await t.call(method, "/wp-json/mainwp/v2/none", { token })).status, 401);
      }
    }
  }
  await t.close();
});

Deno.test("consumer_key/consumer_secret query parameters and HTTP Basic", async () => {
  const t = await testApp({ plugins: [probe] });
  const { consumerKey, consumerSecret } = await createApiKey(t.ctx.kv, { permissions: "read" });
  const q = await t.call("GET", `${PROBE}?consumer_key=${consumerKey}&consumer_secret=${consumerSecret}`);
  assertEquals(q.status, 200);
  const basic = await t.call("GET", PROBE, {
    headers: { Authorization: `Basic ${btoa(`${consumerKey}:${consumerSecret}`)}` },
  });
  assertEquals(basic.status, 200);
  const bad = await t.call("GET", PROBE, {
    headers: { Authorization: `Basic ${btoa(`${consumerKey}:cs_nope`)}` },
  });
  assertEquals(bad.body.message, "Consumer secret is invalid.");
  // A failing query-parameter login wins over a valid Bearer header.
  const token = await t.key("read");
  const mixed = await t.call("GET", `${PROBE}?consumer_key=${consumerKey}&consumer_secret=cs_wrong`, {
    token,
  });
  assertEquals(mixed.status, 401);
  // An application password on /mainwp/v2 is read as a consumer key: disabled_key.
  const app = await t.call("GET", PROBE, {
    headers: { Authorization: `Basic ${btoa("admin:abcd efgh ijkl mnop qrst uvwx")}` },
  });
  assertEquals(app.body, DISABLED);
  await t.close();
});

Deno.test("HTTPS rule: plain HTTP from a remote peer is refused unless a trusted proxy says https", async () => {
  const t = await testApp({ plugins: [probe] });
  const token = await t.key("read");
  const remote = await t.call("GET", PROBE, { token, peer: "203.0.113.9" });
  assertEquals(
    [remote.status, remote.body],
    [
      400,
      err(
        "mainwp_rest_authentication_bad_request",
        "Requests to the MainWP REST API must be over HTTPS.",
        400,
      ),
    ],
  );
  // Even without credentials, and even for discovery of the namespace.
  assertEquals((await t.call("GET", "/wp-json/mainwp/v2", { peer: "203.0.113.9" })).status, 400);
  // Forwarded headers are ignored unless TRUST_PROXY is set.
  const spoof = await t.call("GET", PROBE, {
    token,
    peer: "203.0.113.9",
    headers: { "X-Forwarded-Proto": "https" },
  });
  assertEquals(spoof.status, 400);
  assertEquals(
    (await t.call("GET", `https://dashboard.test${PROBE}`, { token, peer: "203.0.113.9" })).status,
    200,
  );
  assertEquals((await t.call("GET", PROBE, { token, peer: "::1" })).status, 200);
  await t.close();

  const proxied = await testApp({ plugins: [probe], env: { TRUST_PROXY: "1" } });
  const ptoken = await proxied.key("read");
  const viaProxy = await proxied.call("GET", PROBE, {
    token: ptoken,
    peer: "127.0.0.1",
    headers: { "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9" },
  });
  assertEquals(viaProxy.status, 200);
  // Behind a proxy, the forwarded client address counts, not the proxy's loopback address.
  const plain = await proxied.call("GET", PROBE, {
    token: ptoken,
    peer: "127.0.0.1",
    headers: { "X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.9" },
  });
  assertEquals(plain.status, 400);
  await proxied.close();
});

Deno.test("last_access is recorded, at most once a minute, unless the filter disables it", async () => {
  const t = await testApp({ plugins: [probe] });
  const { record, token } = await createApiKey(t.ctx.kv, { permissions: "read" });
  await t.call("GET", PROBE, { token });
  const first = (await getApiKey(t.ctx.kv, record.id))?.last_access;
  assertEquals(typeof first, "string");
  const other = await createApiKey(t.ctx.kv, { permissions: "read" });
  t.ctx.hooks.addFilter("mainwp_disable_rest_api_access_log", () => true);
  await t.call("GET", PROBE, { token: other.token });
  assertEquals((await getApiKey(t.ctx.kv, other.record.id))?.last_access, null);
  await t.close();
});

Deno.test("no plaintext secret is stored", async () => {
  const t = await testApp();
  const { consumerKey, consumerSecret } = await createApiKey(t.ctx.kv, { permissions: "read" });
  for await (const entry of t.ctx.kv.list({ prefix: [] })) {
    const text = JSON.stringify(entry);
    assertEquals(text.includes(consumerSecret.slice(3)), false);
    assertEquals(text.includes(consumerKey.slice(3)), false);
  }
  await t.close();
});
