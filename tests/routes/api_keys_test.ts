import { assert, assertEquals } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";
import { listApiKeys } from "../../store/api-keys.ts";
import { keys } from "../../store/keys.ts";

const API = "/wp-json/mainwp/v2/rest-api";

/** Everything stored about keys, to show a refusal changed nothing. */
const storedKeys = async (t: TestApp) =>
  (await listApiKeys(t.ctx.kv)).map((k) => ({ ...k, last_access: null }));

Deno.test("POST /rest-api/add-key: form body (6.1.2) and JSON (6.1.5); the token works once shown", async () => {
  const t = await testApp();
  const admin = await t.key("read_write");
  const form = await t.call("POST", `${API}/add-key`, {
    token: admin,
    form: { active: "1", permissions: "read", description: "CI <b>reader</b>" },
  });
  assertEquals(form.status, 200);
  assertEquals([form.body.success, form.body.message], [1, "API Key created successfully."]);
  assert(/^[a-f0-9]{40}==[a-f0-9]{40}$/.test(form.body.token));
  const json = await t.call("POST", `${API}/add-key`, {
    token: admin,
    json: { active: true, permissions: "read,write", description: "deploy" },
  });
  assertEquals(json.status, 200);
  // The new read key reads and cannot write.
  assertEquals((await t.call("GET", `${API}/keys`, { token: form.body.token })).status, 200);
  assertEquals((await t.call("POST", `${API}/add-key`, { token: form.body.token, json: {} })).status, 401);
  // Listed newest first, without the token or secret.
  const list = await t.call("GET", `${API}/keys`, { token: admin });
  assertEquals([list.body.total, list.body.pages], [3, 1]);
  const [deploy, reader] = list.body.data;
  assertEquals(reader, {
    id: "2",
    user_id: "",
    version: "v2",
    description: "CI reader",
    permissions: ["Read"],
    truncated_key: form.body.token.slice(-7),
    active: true,
    last_access: reader.last_access,
  });
  assertEquals(deploy.permissions, ["Read", "Write & Delete"]);
  assert(!list.text.includes(form.body.token.split("==")[0]), "secret listed");
  // Neither half of a token is stored in clear anywhere.
  for await (const entry of t.ctx.kv.list({ prefix: [] })) {
    const text = JSON.stringify(entry.value);
    for (const half of [...form.body.token.split("=="), ...json.body.token.split("==")]) {
      assert(!text.includes(half), `token stored in clear under ${JSON.stringify(entry.key)}`);
    }
  }
  // An inactive key is created disabled.
  const off = await t.call("POST", `${API}/add-key`, {
    token: admin,
    form: { active: "false", permissions: "read" },
  });
  assertEquals(
    (await t.call("GET", `${API}/keys`, { token: off.body.token })).body.code,
    "mainwp_rest_authentication_disabled_key",
  );
  await t.close();
});

Deno.test("POST /rest-api/add-key: invalid input is refused and nothing is stored", async () => {
  const t = await testApp();
  const admin = await t.key("read_write");
  const before = await storedKeys(t);
  const missing = await t.call("POST", `${API}/add-key`, { token: admin, json: { permissions: "read" } });
  assertEquals([missing.status, missing.body.code, missing.body.data.params], [
    400,
    "rest_missing_callback_param",
    [
      "active",
    ],
  ]);
  for (const permissions of ["admin", "read, write", "READ", "read,delete"]) {
    const res = await t.call("POST", `${API}/add-key`, { token: admin, json: { active: true, permissions } });
    assertEquals(res.status, 400, permissions);
    assertEquals(res.body.data.params.permissions, "Invalid method value.");
    assertEquals(res.body.data.details.permissions.code, "invalid_method");
  }
  const empty = await t.call("POST", `${API}/add-key`, {
    token: admin,
    json: { active: true, permissions: "" },
  });
  assertEquals([empty.status, empty.body.data.params.permissions], [400, "Invalid parameter."]);
  const long = await t.call("POST", `${API}/add-key`, {
    token: admin,
    json: { active: true, permissions: "read", description: "x".repeat(300) },
  });
  assertEquals(long.status, 400);
  assertEquals(await storedKeys(t), before);
  await t.close();
});

Deno.test("a key can never create or enable a key with more permission than its own", async () => {
  const t = await testApp();
  const admin = await t.key("read_write");
  const writer = await t.key("write");
  const before = await storedKeys(t);
  for (const permissions of ["read,write", "read"]) {
    const res = await t.call("POST", `${API}/add-key`, {
      token: writer,
      json: { active: true, permissions },
    });
    assertEquals([res.status, res.body.code], [403, "mainwp_access_denied"], permissions);
    assertEquals(
      res.body.message,
      "An API key cannot create or enable a key with more permissions than its own.",
    );
    // Even disabled: it could be enabled later by anyone with the right.
    const off = await t.call("POST", `${API}/add-key`, {
      token: writer,
      json: { active: false, permissions },
    });
    assertEquals(off.status, 403);
  }
  assertEquals(await storedKeys(t), before);
  // Within its own scope it may create keys.
  assertEquals(
    (await t.call("POST", `${API}/add-key`, { token: writer, json: { active: true, permissions: "write" } }))
      .status,
    200,
  );
  // A disabled full key (made by the admin) cannot be enabled by the write key, nor a write key widened.
  await t.call("POST", `${API}/add-key`, {
    token: admin,
    json: { active: false, permissions: "read,write" },
  });
  const disabledId = (await listApiKeys(t.ctx.kv))[0].id;
  const writeId = (await listApiKeys(t.ctx.kv)).find((k) => k.permissions === "write" && k.id !== 2)!.id;
  const middle = await storedKeys(t);
  const enable = await t.call("PUT", `${API}/edit-key/${disabledId}`, {
    token: writer,
    json: { active: true },
  });
  assertEquals([enable.status, enable.body.code], [403, "mainwp_access_denied"]);
  const widen = await t.call("PATCH", `${API}/edit-key/${writeId}`, {
    token: writer,
    json: { permissions: "read,write" },
  });
  assertEquals(widen.status, 403);
  const self = await t.call("PATCH", `${API}/edit-key/2`, {
    token: writer,
    json: { permissions: "read,write" },
  });
  assertEquals(self.status, 403, "a key cannot widen itself");
  assertEquals(await storedKeys(t), middle);
  // Narrowing, disabling and describing are fine; the admin key may enable the full key.
  const describe = await t.call("PATCH", `${API}/edit-key/${disabledId}`, {
    token: writer,
    json: { description: "later" },
  });
  assertEquals(describe.status, 200);
  assertEquals(
    (await t.call("PUT", `${API}/edit-key/${disabledId}`, { token: admin, json: { active: true } })).status,
    200,
  );
  await t.close();
});

Deno.test("PUT /rest-api/edit-key and DELETE /rest-api/delete-key", async () => {
  const t = await testApp();
  const admin = await t.key("read_write");
  const made = await t.call("POST", `${API}/add-key`, {
    token: admin,
    json: { active: true, permissions: "read" },
  });
  const id = (await listApiKeys(t.ctx.kv))[0].id;
  const res = await t.call("PUT", `${API}/edit-key/${id}`, {
    token: admin,
    json: { active: false, description: "paused", permissions: "read,write" },
  });
  assertEquals(res.body, { success: 1, message: "API Key updated successfully." });
  const record =
    (await t.ctx.kv.get<{ enabled: boolean; description: string; permissions: string }>(keys.apiKey(id)))
      .value!;
  assertEquals([record.enabled, record.description, record.permissions], [false, "paused", "read_write"]);
  // The lookup copy follows: the disabled key stops working at once.
  assertEquals((await t.call("GET", `${API}/keys`, { token: made.body.token })).status, 401);
  // An empty description keeps the old one; a form body is not read (MainWP reads JSON here).
  await t.call("PATCH", `${API}/edit-key/${id}`, { token: admin, json: { description: "", active: true } });
  assertEquals((await t.ctx.kv.get<{ description: string }>(keys.apiKey(id))).value!.description, "paused");
  const before = await storedKeys(t);
  const form = await t.call("PUT", `${API}/edit-key/${id}`, { token: admin, form: { active: "0" } });
  assertEquals([form.status, form.body.code], [400, "empty_body"]);
  const missing = await t.call("PUT", `${API}/edit-key/999`, { token: admin, json: { active: false } });
  assertEquals([missing.status, missing.body.code, missing.body.message], [
    404,
    "api_key_not_found",
    "API key not found.",
  ]);
  const ck = await t.call("PUT", `${API}/edit-key/ck_${"0".repeat(40)}`, {
    token: admin,
    json: { active: false },
  });
  assertEquals(ck.status, 404);
  assertEquals(
    (await t.call("PUT", `${API}/edit-key/abc`, { token: admin, json: {} })).body.code,
    "rest_no_route",
  );
  const bad = await t.call("PUT", `${API}/edit-key/${id}`, { token: admin, json: { permissions: "root" } });
  assertEquals(bad.status, 400);
  assertEquals(await storedKeys(t), before);
  // Delete: the key stops working; a second delete is not found.
  const del = await t.call("DELETE", `${API}/delete-key/${id}`, { token: admin });
  assertEquals(del.body, { success: 1, message: "API Key deleted successfully." });
  assertEquals(
    (await t.call("GET", `${API}/keys`, { token: made.body.token })).body.code,
    "mainwp_rest_authentication_disabled_key",
  );
  assertEquals((await t.call("DELETE", `${API}/delete-key/${id}`, { token: admin })).status, 404);
  await t.close();
});

Deno.test("GET /rest-api/keys: pages clamped to the last one; per_page bounded", async () => {
  const t = await testApp();
  const admin = await t.key("read_write");
  for (let i = 0; i < 4; i++) await t.key("read");
  const page = await t.call("GET", `${API}/keys?page=9&per_page=2`, { token: admin });
  assertEquals([page.body.total, page.body.pages, page.body.data.map((k: { id: string }) => k.id)], [5, 3, [
    "1",
  ]]);
  const tooMany = await t.call("GET", `${API}/keys?per_page=201`, { token: admin });
  assertEquals([tooMany.status, tooMany.body.data.params.per_page], [
    400,
    "per_page must be between 1 (inclusive) and 200 (inclusive)",
  ]);
  assertEquals((await t.call("GET", `${API}/keys?page=0`, { token: admin })).status, 400);
  await t.close();
});
