import { assert, assertEquals } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";
import { keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import { createSite, getSite, type NewSite, updateSite } from "../../store/sites.ts";
import { type ClientRecord, getClient, listClients } from "../../store/clients.ts";
import { getClientField, listClientFields } from "../../store/client-fields.ts";
import { createCost, emptyCost } from "../../store/costs.ts";

const API = "/wp-json/mainwp/v2";

async function site(t: TestApp, input: NewSite): Promise<number> {
  const result = await createSite(t.ctx.kv, input);
  if (!("site" in result)) throw new Error("duplicate site");
  return result.site.id;
}

async function add(t: TestApp, token: string, json: Record<string, unknown>) {
  return await t.call("POST", `${API}/clients/add`, { token, json });
}

/** Ids of the sites whose record says they belong to the client, and the index's view of it. */
async function assignment(t: TestApp, clientId: number, siteIds: number[]) {
  const byRecord: number[] = [];
  for (const id of siteIds) if ((await getSite(t.ctx.kv, id))?.client_id === clientId) byRecord.push(id);
  return { byRecord, byIndex: await listIds(t.ctx.kv, keys.clientSites(clientId)) };
}

Deno.test("GET /clients and /clients/count with no clients", async () => {
  const t = await testApp();
  const token = await t.key("read");
  assertEquals((await t.call("GET", `${API}/clients`, { token })).text, '{"success":1,"total":0,"data":[]}');
  assertEquals((await t.call("GET", `${API}/clients/count`, { token })).text, '{"success":1,"total":"0"}');
  await t.close();
});

Deno.test("POST /clients/add: simple object with selected_sites, sites assigned, hook fired", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const events: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_client_updated",
    (c: ClientRecord, action: string) => events.push([c.client_id, action]),
  );
  const s3 = await site(t, { url: "https://a.example" });
  const s5 = await site(t, { url: "https://b.example" });
  const before = Math.floor(Date.now() / 1000);
  const res = await add(t, token, {
    name: "  ACME <b>Inc</b> ",
    city: "Berlin",
    country: "DE",
    client_email: "ops@acme.test",
    client_facebook: "acme",
    zip: "",
    selected_sites: `${s5},${s3},${s3},999,x`,
  });
  assertEquals(res.status, 200);
  const created = res.body.data.created as string;
  assertEquals(res.body, {
    success: 1,
    message: "Client created Successfully.",
    data: {
      id: "1",
      name: "ACME Inc",
      address_1: "",
      address_2: "",
      city: "Berlin",
      zip: "",
      state: "",
      country: "DE",
      client_email: "ops@acme.test",
      client_phone: "",
      created,
      suspended: "0",
      selected_sites: `${s3},${s5}`,
    },
  });
  assert(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(created));
  assert(Date.parse(created + "Z") / 1000 >= before - 1);
  assertEquals(await assignment(t, 1, [s3, s5]), { byRecord: [s3, s5], byIndex: [s3, s5] });
  assertEquals(events, [[1, "created"]]);
  assertEquals((await getClient(t.ctx.kv, 1))?.client_facebook, "acme");
  // Form bodies and array selected_sites work too.
  const form = await t.call("POST", `${API}/clients/add`, {
    token,
    form: [["name", "Beta"], ["selected_sites[]", String(s5)]],
  });
  assertEquals([form.body.data.id, form.body.data.selected_sites], ["2", String(s5)]);
  assertEquals(await assignment(t, 1, [s3, s5]), { byRecord: [s3], byIndex: [s3] });
  assertEquals((await t.call("GET", `${API}/clients/count`, { token })).body, { success: 1, total: "2" });
  await t.close();
});

Deno.test("selected_sites is null without sites, as MainWP's GROUP_CONCAT: add, edit, batches", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const added = await add(t, token, { name: "Solo" });
  assertEquals(added.body.data.selected_sites, null);
  assert(added.text.endsWith('"suspended":"0","selected_sites":null}}'), "the key is kept, last");
  const edited = await t.call("POST", `${API}/clients/1/edit`, { token, json: { city: "Rome" } });
  assertEquals([edited.body.data.city, edited.body.data.selected_sites], ["Rome", null]);
  const batch = await t.call("POST", `${API}/clients/batch`, {
    token,
    json: { create: [{ name: "B" }], update: [{ id: 1, note: "x" }] },
  });
  assertEquals(batch.body.create[0].data.selected_sites, null);
  assertEquals(batch.body.update[0].data.selected_sites, null);
  const global = await t.call("POST", `${API}/batch`, {
    token,
    json: { clients: { create: [{ name: "G" }] } },
  });
  assertEquals(global.body.clients.create[0].data.selected_sites, null);
  // With a site, the ids as a string.
  const s1 = await site(t, { url: "https://a.example" });
  const withSite = await t.call("POST", `${API}/clients/1/edit`, { token, json: { selected_sites: [s1] } });
  assertEquals(withSite.body.data.selected_sites, String(s1));
  await t.close();
});

Deno.test("POST /clients/add soft failures: missing name, duplicate e-mail; nothing stored", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  for (const bad of [{}, { name: "" }, { name: "0" }, { name: "<b></b>" }, { city: "Berlin" }]) {
    assertEquals((await add(t, token, bad)).body, {
      success: 0,
      error: "Client name field is required! Please enter a Client name.",
    });
  }
  assertEquals((await listClients(t.ctx.kv)).length, 0);
  assertEquals((await add(t, token, { name: "A", client_email: "ops@acme.test" })).body.success, 1);
  const dup = await add(t, token, { name: "B", client_email: "OPS@acme.test" });
  assertEquals(dup.body, { success: 0, error: "Undefined error. Please try again." });
  assertEquals((await listClients(t.ctx.kv)).map((c) => c.name), ["A"]);
  // GET on the POST-only path falls through to the e-mail lookup.
  const get = await t.call("GET", `${API}/clients/add`, { token });
  assertEquals([get.status, get.body.code], [404, "mainwp_rest_invalid_client_data"]);
  await t.close();
});

Deno.test("GET /clients/{id|email}: simple object; 404s", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await add(t, token, { name: "ACME", client_email: "Ops+x@acme.test", client_twitter: "@acme" });
  const byId = await t.call("GET", `${API}/clients/1`, { token });
  assertEquals(Object.keys(byId.body.data), [
    "id",
    "name",
    "address_1",
    "address_2",
    "city",
    "zip",
    "state",
    "country",
    "client_email",
    "client_phone",
    "created",
    "suspended",
  ]);
  assertEquals(byId.body.success, 1);
  const byEmail = await t.call("GET", `${API}/clients/${encodeURIComponent("ops+x@ACME.test")}`, { token });
  assertEquals(byEmail.body, byId.body);
  assertEquals((await t.call("GET", `${API}/clients/9`, { token })).body, {
    code: "mainwp_rest_invalid_client_id",
    message: "Invalid or not found ID.",
    data: { status: 404 },
  });
  const none = await t.call("GET", `${API}/clients/nobody@acme.test`, { token });
  assertEquals([none.status, none.body.code, none.body.message], [
    404,
    "mainwp_rest_invalid_client_data",
    "Invalid or not found email.",
  ]);
  await t.close();
});

Deno.test("GET /clients: order by name, status, search, include/exclude, paging, _fields", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  for (
    const [name, email] of [["delta", "d@x.test"], ["Alpha", "a@x.test"], ["charlie", "c@y.test"], [
      "Bravo",
      "b@y.test",
    ]]
  ) {
    await add(t, token, { name, client_email: email });
  }
  await t.call("POST", `${API}/clients/3/suspend`, { token });
  const list = async (query = "") => (await t.call("GET", `${API}/clients${query}`, { token })).body;
  const names = async (query = "") => (await list(query)).data.map((c: { name: string }) => c.name);
  const all = await list();
  assertEquals([all.total, all.data.map((c: { name: string }) => c.name)], [4, [
    "Alpha",
    "Bravo",
    "charlie",
    "delta",
  ]]);
  assertEquals(all.data[0], {
    id: "2",
    name: "Alpha",
    address_1: "",
    address_2: "",
    city: "",
    zip: "",
    state: "",
    country: "",
    note: "",
    client_email: "a@x.test",
    client_phone: "",
    client_facebook: "",
    client_twitter: "",
    client_instagram: "",
    client_linkedin: "",
    created: all.data[0].created,
    suspended: "0",
    primary_contact_id: "0",
  });
  assertEquals(await names("?status=suspended"), ["charlie"]);
  assertEquals(await names("?status=active,lost"), ["Alpha", "Bravo", "delta"]);
  assertEquals(await names("?status=bogus"), ["Alpha", "Bravo", "charlie", "delta"]);
  assertEquals(await names("?status=all,suspended"), ["Alpha", "Bravo", "charlie", "delta"]);
  assertEquals(await names("?search=Y.TEST"), ["Bravo", "charlie"]);
  assertEquals(await names("?search=4"), ["Bravo"]);
  assertEquals(await names("?include=1,2,3&exclude=3"), ["Alpha", "delta"]);
  assertEquals(await names("?include[]=4&include[]=1"), ["Bravo", "delta"]);
  assertEquals(await names("?page=2&per_page=3"), ["delta"]);
  assertEquals(await names("?paged=1&per_page=2"), ["Alpha", "Bravo"]);
  assertEquals(await names("?per_page=1"), ["Alpha", "Bravo", "charlie", "delta"]);
  assertEquals(await list("?page=2&per_page=3&_fields=total"), { total: 1 });
  // The count ignores every filter.
  assertEquals((await t.call("GET", `${API}/clients/count?status=suspended`, { token })).body.total, "4");
  await t.close();
});

Deno.test("POST /clients/{id}/edit: merges non-empty fields, reassigns sites, refuses a taken e-mail", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const events: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_client_updated",
    (c: ClientRecord, action: string) => events.push([c.client_id, action]),
  );
  const [s1, s2, s3] = [
    await site(t, { url: "https://1.example" }),
    await site(t, { url: "https://2.example" }),
    await site(t, { url: "https://3.example" }),
  ];
  await add(t, token, {
    name: "ACME",
    city: "Berlin",
    client_email: "ops@acme.test",
    selected_sites: [s1, s2],
  });
  await add(t, token, { name: "Other", client_email: "other@acme.test", selected_sites: [s3] });
  const edit = await t.call("PUT", `${API}/clients/1/edit`, {
    token,
    json: {
      name: "ACME GmbH",
      city: "",
      zip: "10115",
      note: "0",
      created: "1704445200",
      selected_sites: [s2, s3],
    },
  });
  assertEquals(edit.body, {
    success: 1,
    message: "Client updated Successfully.",
    data: {
      id: "1",
      name: "ACME GmbH",
      address_1: "",
      address_2: "",
      city: "Berlin",
      zip: "10115",
      state: "",
      country: "",
      client_email: "ops@acme.test",
      client_phone: "",
      created: "2024-01-05T09:00:00",
      suspended: "0",
      selected_sites: `${s2},${s3}`,
    },
  });
  assertEquals(await assignment(t, 1, [s1, s2, s3]), { byRecord: [s2, s3], byIndex: [s2, s3] });
  assertEquals(await assignment(t, 2, [s1, s2, s3]), { byRecord: [], byIndex: [] });
  assertEquals((await getSite(t.ctx.kv, s1))?.client_id, 0);
  // Empty selected_sites is dropped: the sites stay.
  await t.call("POST", `${API}/clients/1/edit`, { token, json: { selected_sites: "" } });
  assertEquals((await assignment(t, 1, [s1, s2, s3])).byIndex, [s2, s3]);
  // Edit by e-mail, and a taken e-mail changes nothing.
  const byEmail = await t.call("PATCH", `${API}/clients/other@acme.test/edit`, {
    token,
    form: { state: "BE" },
  });
  assertEquals(byEmail.body.data.state, "BE");
  const before = await getClient(t.ctx.kv, 2);
  const taken = await t.call("POST", `${API}/clients/2/edit`, {
    token,
    json: { client_email: "OPS@acme.test", city: "Paris", selected_sites: [s1] },
  });
  assertEquals(taken.body, { success: 0, error: "Client email exists. Please try again." });
  assertEquals(await getClient(t.ctx.kv, 2), before);
  assertEquals((await getSite(t.ctx.kv, s1))?.client_id, 0);
  // A new e-mail moves the index.
  await t.call("POST", `${API}/clients/2/edit`, { token, json: { client_email: "new@acme.test" } });
  assertEquals((await t.call("GET", `${API}/clients/other@acme.test`, { token })).status, 404);
  assertEquals((await t.call("GET", `${API}/clients/new@acme.test`, { token })).body.data.id, "2");
  assertEquals(events, [[1, "created"], [2, "created"], [1, "updated"], [1, "updated"], [2, "updated"], [
    2,
    "updated",
  ]]);
  const missing = await t.call("POST", `${API}/clients/77/edit`, { token, json: { name: "X" } });
  assertEquals([missing.status, missing.body.code], [404, "mainwp_rest_invalid_client_id"]);
  await t.close();
});

Deno.test("POST /clients/{id}/edit: custom_fields set values of existing fields", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await add(t, token, { name: "ACME" });
  await t.call("POST", `${API}/clients/fields/add`, {
    token,
    form: { name: "VAT", description: "VAT number" },
  });
  await t.call("POST", `${API}/clients/1/edit`, {
    token,
    json: {
      custom_fields: [
        { field_name: "[vat]", field_value: "DE123", field_desc: "EU VAT number" },
        { field_name: "unknown", field_value: "x" },
        { field_name: "VAT", field_value: "" },
      ],
    },
  });
  assertEquals((await getClient(t.ctx.kv, 1))?.custom_fields, { "1": "DE123" });
  assertEquals((await getClientField(t.ctx.kv, 1))?.field_desc, "EU VAT number");
  await t.close();
});

Deno.test("DELETE /clients/{id}/remove unassigns the sites; suspend/unsuspend", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const events: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_client_updated",
    (c: ClientRecord, action: string) => events.push([c.client_id, action]),
  );
  const s1 = await site(t, { url: "https://1.example" });
  await add(t, token, { name: "ACME", client_email: "ops@acme.test", selected_sites: [s1] });
  const suspended = await t.call("POST", `${API}/clients/ops@acme.test/suspend`, { token });
  assertEquals([suspended.body.success, suspended.body.message, suspended.body.data.suspended], [
    1,
    "Client suspended successfully.",
    "1",
  ]);
  await t.call("PUT", `${API}/clients/1/suspend`, { token }); // unchanged: no event
  const unsuspended = await t.call("PATCH", `${API}/clients/1/unsuspend`, { token });
  assertEquals([unsuspended.body.message, unsuspended.body.data.suspended], [
    "Client unsuspended successfully.",
    "0",
  ]);
  const removed = await t.call("DELETE", `${API}/clients/1/remove`, { token });
  assertEquals([removed.body.success, removed.body.message, removed.body.data.id, removed.body.data.name], [
    1,
    "Client deleted successfully",
    "1",
    "ACME",
  ]);
  assertEquals(await getClient(t.ctx.kv, 1), null);
  assertEquals((await getSite(t.ctx.kv, s1))?.client_id, 0);
  assertEquals(await listIds(t.ctx.kv, keys.clientSites(1)), []);
  assertEquals((await t.ctx.kv.get(keys.clientByEmail("ops@acme.test"))).value, null);
  assertEquals(events, [[1, "created"], [1, "suspended"], [1, "unsuspended"], [1, "deleted"]]);
  for (
    const [method, path] of [["DELETE", "remove"], ["POST", "suspend"], ["GET", "sites"], [
      "GET",
      "sites/count",
    ], ["GET", "costs"]]
  ) {
    const res = await t.call(method, `${API}/clients/1/${path}`, { token });
    assertEquals([res.status, res.body.code], [404, "mainwp_rest_invalid_client_id"]);
  }
  // The e-mail is free again.
  assertEquals((await add(t, token, { name: "New", client_email: "ops@acme.test" })).body.data.id, "2");
  await t.close();
});

Deno.test("GET /clients/{id}/sites and /sites/count: site views with blanked keys, staging left out", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const a = await site(t, { url: "https://zeta.example", ip: "203.0.113.7", note: "n" });
  const b = await site(t, { url: "https://alpha.example" });
  const staging = await site(t, { url: "https://staging.example", is_staging: 1 });
  await add(t, token, { name: "ACME", selected_sites: [a, b, staging] });
  await add(t, token, { name: "Empty" });
  const res = await t.call("GET", `${API}/clients/1/sites`, { token });
  assertEquals([res.body.success, res.body.total], [1, 2]);
  assertEquals(res.body.data.map((s: { id: string }) => s.id), [String(b), String(a)]);
  const zeta = res.body.data[1];
  assertEquals(
    [zeta.ip, zeta.is_staging, zeta.health_status, zeta.force_use_ipv4, zeta.note, zeta.client_id],
    [
      "",
      "",
      "",
      "",
      "n",
      "1",
    ],
  );
  assertEquals(
    (await t.call("GET", `${API}/clients/1/sites/count`, { token })).text,
    '{"success":1,"total":2}',
  );
  assertEquals(
    (await t.call("GET", `${API}/clients/2/sites`, { token })).text,
    '{"success":1,"total":0,"data":[]}',
  );
  assertEquals((await t.call("GET", `${API}/clients/2/sites/count`, { token })).body.total, 0);
  await t.close();
});

Deno.test("GET /clients/{id}/costs: via sites, their tags and the client itself", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const s1 = await site(t, { url: "https://1.example", tag_ids: [4] });
  const s2 = await site(t, { url: "https://2.example" });
  await add(t, token, { name: "ACME", selected_sites: [s1] });
  await add(t, token, { name: "Other", selected_sites: [s2] });
  const cost = async (
    name: string,
    owners: Partial<{ sites: number[]; groups: number[]; clients: number[] }>,
  ) => {
    const r = await createCost(t.ctx.kv, { ...emptyCost(), name, ...owners });
    if (!("cost" in r)) throw new Error("duplicate");
    return r.cost.id;
  };
  const bySite = await cost("By site", { sites: [s1, s2] });
  const byTag = await cost("By tag & group", { groups: [4] });
  const byClient = await cost("By client", { clients: [1] });
  await cost("Elsewhere", { sites: [s2] });
  const res = await t.call("GET", `${API}/clients/1/costs`, { token });
  assertEquals([res.body.success, res.body.total], [1, 3]);
  assertEquals(Object.keys(res.body.data), [String(bySite), String(byTag), String(byClient)]);
  assertEquals(res.body.data[String(byTag)].name, "By tag &amp; group");
  assertEquals(res.body.data[String(bySite)].id, bySite);
  await updateSite(t.ctx.kv, s1, (s) => ({ ...s, client_id: 0 }));
  assertEquals((await t.call("GET", `${API}/clients/1/costs`, { token })).body.total, 1);
  await add(t, token, { name: "None" });
  assertEquals(
    (await t.call("GET", `${API}/clients/3/costs`, { token })).text,
    '{"success":1,"message":"Costs not found."}',
  );
  await t.close();
});

Deno.test("client fields: list, add (form only), edit (JSON only), delete", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const fields = `${API}/clients/fields`;
  assertEquals((await t.call("GET", fields, { token })).body, {
    success: 0,
    message: "No client fields found.",
  });
  const added = await t.call("POST", `${fields}/add`, {
    token,
    form: { name: " VAT ", description: "VAT number" },
  });
  assertEquals(added.body, {
    success: 1,
    message: "Client field created successfully.",
    data: { name: "VAT", field_id: "1", description: "VAT number" },
  });
  // JSON body: empty_body (400 here; MainWP 500 with data null).
  const json = await t.call("POST", `${fields}/add`, { token, json: { name: "X", description: "Y" } });
  assertEquals([json.status, json.body], [400, {
    code: "empty_body",
    message: "Request body is empty.",
    data: { status: 400 },
  }]);
  const missing = await t.call("POST", `${fields}/add`, { token, form: { name: "X" } });
  assertEquals([missing.status, missing.body.code], [400, "rest_missing_callback_param"]);
  const blank = await t.call("POST", `${fields}/add`, { token, form: { name: "<b></b>", description: "d" } });
  assertEquals([blank.status, blank.body.code, blank.body.message], [
    400,
    "empty_name",
    "Name and description are required.",
  ]);
  const dup = await t.call("POST", `${fields}/add`, { token, form: { name: "vat", description: "again" } });
  assertEquals([dup.status, dup.body.code], [400, "create_field_failed"]);
  assertEquals((await listClientFields(t.ctx.kv)).length, 1);
  for (const name of ["Phone", "Address", "Zone"]) {
    await t.call("POST", `${fields}/add`, { token, form: { name, description: `${name} desc` } });
  }
  const list = await t.call("GET", `${fields}?per_page=3&page=9`, { token });
  assertEquals(list.body, {
    success: 1,
    total: 4,
    pages: 2,
    data: [{ name: "Zone", field_id: "4", description: "Zone desc" }],
  });
  const names = async (query: string) =>
    (await t.call("GET", `${fields}${query}`, { token })).body.data.map((f: { name: string }) => f.name);
  assertEquals(await names(""), ["Address", "Phone", "VAT", "Zone"]);
  assertEquals(await names("?search=a"), ["Address", "VAT"]);
  assertEquals(await names("?include=1,2&exclude=2"), ["VAT"]);
  assertEquals(await names("?pre_page=1&page=2"), ["Phone"]);
  const badPage = await t.call("GET", `${fields}?page=0`, { token });
  assertEquals([badPage.status, badPage.body.code], [400, "rest_invalid_param"]);
  // Edit: JSON only, by id or by (URL-encoded) name.
  const edit = await t.call("PUT", `${fields}/1/edit`, { token, json: { description: "EU VAT" } });
  assertEquals(edit.body, { success: 1, message: "Client field updated successfully." });
  assertEquals(await getClientField(t.ctx.kv, 1), {
    field_id: 1,
    field_name: "VAT",
    field_desc: "EU VAT",
    client_id: 0,
  });
  await t.call("PATCH", `${fields}/${encodeURIComponent("Zone")}/edit`, {
    token,
    json: { name: "Time zone" },
  });
  assertEquals((await getClientField(t.ctx.kv, 4))?.field_name, "Time zone");
  const unchanged = await t.call("PUT", `${fields}/1/edit`, {
    token,
    json: { name: "VAT", description: "EU VAT" },
  });
  assertEquals(unchanged.body.success, 1);
  const formEdit = await t.call("PUT", `${fields}/1/edit`, { token, form: { name: "Other" } });
  assertEquals([formEdit.status, formEdit.body.code], [400, "empty_body"]);
  const taken = await t.call("PUT", `${fields}/1/edit`, { token, json: { name: "phone" } });
  assertEquals([taken.status, taken.body.code, taken.body.message], [
    400,
    "update_field_failed",
    "Field already exists, try different field name.",
  ]);
  const unknown = await t.call("PUT", `${fields}/nope/edit`, { token, json: { name: "x" } });
  assertEquals([unknown.status, unknown.body], [404, {
    code: "invalid_field_id",
    message: "Invalid client field.",
    data: { status: 404 },
  }]);
  const post = await t.call("POST", `${fields}/1/edit`, { token, json: { name: "x" } });
  assertEquals([post.status, post.body.code], [404, "rest_no_route"]);
  // Delete by name and by id.
  assertEquals((await t.call("DELETE", `${fields}/Time%20zone/delete`, { token })).body, {
    success: 1,
    message: "Client field deleted successfully.",
  });
  assertEquals((await t.call("DELETE", `${fields}/1/delete`, { token })).body.success, 1);
  const gone = await t.call("DELETE", `${fields}/1/delete`, { token });
  assertEquals([gone.status, gone.body.code], [404, "invalid_field_id"]);
  assertEquals((await listClientFields(t.ctx.kv)).map((f) => f.field_name), ["Phone", "Address"]);
  await t.close();
});
