import { assertEquals, assertStringIncludes } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";
import { keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import { createSite, getSite, type NewSite } from "../../store/sites.ts";
import type { ClientRecord } from "../../store/clients.ts";
import { findTagByName, getTag, listTags, type TagRecord } from "../../store/tags.ts";

const API = "/wp-json/mainwp/v2";

async function site(t: TestApp, input: NewSite): Promise<number> {
  const result = await createSite(t.ctx.kv, input);
  if (!("site" in result)) throw new Error("duplicate site");
  return result.site.id;
}

async function addTag(t: TestApp, token: string, json: Record<string, unknown>) {
  return await t.call("POST", `${API}/tags/add`, { token, json });
}

function client(id: number, name: string): ClientRecord {
  return {
    client_id: id,
    name,
    address_1: "",
    address_2: "",
    city: "",
    zip: "",
    state: "",
    country: "",
    note: "",
    client_email: `c${id}@example.test`,
    client_phone: "",
    client_facebook: "",
    client_twitter: "",
    client_instagram: "",
    client_linkedin: "",
    created: 0,
    suspended: 0,
    primary_contact_id: 0,
  };
}

Deno.test("GET /tags with no tags: data is []", async () => {
  const t = await testApp();
  const token = await t.key("read");
  const res = await t.call("GET", `${API}/tags`, { token });
  assertEquals(res.status, 200);
  assertEquals(res.text, '{"success":1,"total":0,"data":[]}');
  await t.close();
});

Deno.test("POST /tags/add: escaped names, duplicate suffixes, colour validation, empty name", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const added: unknown[] = [];
  const actions: unknown[] = [];
  t.ctx.hooks.addAction("mainwp_added_new_group", (id: number, name: string) => added.push([id, name]));
  t.ctx.hooks.addAction(
    "mainwp_site_tag_action",
    (tag: TagRecord, action: string) => actions.push([tag.id, action]),
  );
  const first = await addTag(t, token, { name: "VIP", color: "#1e90ff" });
  assertEquals(first.body, {
    success: 1,
    message: "Tag created successfully.",
    data: { id: "1", name: "VIP", color: "#1e90ff", count_sites: "0", sites_ids: null },
  });
  assertEquals((await addTag(t, token, { name: "vip" })).body.data.name, "vip (1)");
  assertEquals((await addTag(t, token, { name: "VIP", color: "red" })).body.data, {
    id: "3",
    name: "VIP (2)",
    color: "",
    count_sites: "0",
    sites_ids: null,
  });
  assertEquals(
    (await addTag(t, token, { name: `R&D <"x"> 'y'` })).body.data.name,
    "R&amp;D &lt;&quot;x&quot;&gt; &#039;y&#039;",
  );
  assertEquals((await addTag(t, token, { name: "Short", color: "#ABC" })).body.data.color, "#ABC");
  // Form bodies work too.
  const form = await t.call("POST", `${API}/tags/add`, { token, form: { name: "Form" } });
  assertEquals(form.body.data.name, "Form");
  for (const bad of [{}, { name: "" }, { name: "0" }, { name: "   " }, { name: ["x"] }]) {
    assertEquals((await addTag(t, token, bad)).body, {
      success: 0,
      error: "Add tag failed. Please try again.",
    });
  }
  assertEquals((await listTags(t.ctx.kv)).length, 6);
  assertEquals(added.length, 6);
  assertEquals(added[0], [1, "VIP"]);
  assertEquals(actions[0], [1, "created"]);
  // GET on the POST-only path finds no route (it is not a tag id).
  assertEquals((await t.call("GET", `${API}/tags/add`, { token })).body.code, "rest_no_route");
  await t.close();
});

Deno.test("POST /tags/add with id updates that tag; an unknown id fails softly", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await addTag(t, token, { name: "VIP", color: "#ff0000" });
  const s = await site(t, { url: "https://a.example", tag_ids: [1] });
  const res = await addTag(t, token, { id: 1, name: "Gold" });
  assertEquals(res.body, {
    success: 1,
    message: "Tag created successfully.",
    data: { id: "1", name: "Gold", color: "#ff0000", count_sites: "1", sites_ids: String(s) },
  });
  assertEquals((await addTag(t, token, { id: 9, name: "X" })).body, {
    success: 0,
    error: "Add tag failed. Please try again.",
  });
  assertEquals((await listTags(t.ctx.kv)).map((x) => x.name), ["Gold"]);
  await t.close();
});

Deno.test("GET /tags: ordered by name, keyed by id, counts and site ids; search, include, exclude, pages", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  for (const name of ["zeta", "Alpha", "mid"]) await addTag(t, token, { name });
  const s1 = await site(t, { url: "https://a.example", tag_ids: [1, 3] });
  const s2 = await site(t, { url: "https://b.example", tag_ids: [1] });
  await site(t, { url: "https://c.example", tag_ids: [1], is_staging: 1 });
  const res = await t.call("GET", `${API}/tags`, { token });
  // Keys come in name order even though they are numeric.
  assertEquals(
    res.text,
    '{"success":1,"total":3,"data":{' +
      '"2":{"id":"2","name":"Alpha","color":"","count_sites":"0","sites_ids":null},' +
      '"3":{"id":"3","name":"mid","color":"","count_sites":"1","sites_ids":"1"},' +
      '"1":{"id":"1","name":"zeta","color":"","count_sites":"3","sites_ids":"1,2,3"}}}',
  );
  assertEquals([s1, s2], [1, 2]);
  // Key order as sent (a parsed object would sort numeric keys).
  const keysOf = async (q: string) =>
    [...(await t.call("GET", `${API}/tags?${q}`, { token })).text.matchAll(/"(\d+)":\{"id"/g)].map((m) =>
      m[1]
    );
  assertEquals(await keysOf("search=ZE"), ["1"]);
  assertEquals(await keysOf("search=2"), ["2"]);
  assertEquals(await keysOf("include=1,3"), ["3", "1"]);
  assertEquals(await keysOf("exclude=3"), ["2", "1"]);
  assertEquals(await keysOf("page=2&per_page=2"), ["1"]);
  assertEquals(await keysOf("per_page=1"), ["2", "3", "1"]);
  assertEquals((await t.call("GET", `${API}/tags?search=nothing`, { token })).body.data, []);
  // Core _fields applies to the envelope here (not per item).
  assertEquals((await t.call("GET", `${API}/tags?_fields=total`, { token })).body, { total: 3 });
  await t.close();
});

Deno.test("GET /tags/{id}: one tag or 404", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await addTag(t, token, { name: "VIP", color: "#ff0000" });
  await site(t, { url: "https://a.example", tag_ids: [1] });
  assertEquals((await t.call("GET", `${API}/tags/1`, { token })).body, {
    success: 1,
    data: { id: "1", name: "VIP", color: "#ff0000", count_sites: "1", sites_ids: "1" },
  });
  const missing = await t.call("GET", `${API}/tags/7`, { token });
  assertEquals(missing.status, 404);
  assertEquals(missing.body, {
    code: "mainwp_rest_invalid_tag_id",
    message: "Invalid or not found ID.",
    data: { status: 404 },
  });
  await t.close();
});

Deno.test("POST /tags/{id}/edit: name and colour; omitted name kept; counts blank; 404 changes nothing", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await addTag(t, token, { name: "VIP", color: "#ff0000" });
  await addTag(t, token, { name: "Gold" });
  await site(t, { url: "https://a.example", tag_ids: [1] });
  const actions: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_site_tag_action",
    (tag: TagRecord, action: string) => actions.push([tag.name, action]),
  );
  const res = await t.call("POST", `${API}/tags/1/edit`, {
    token,
    json: { name: "Platinum & Co", color: "#00ff00" },
  });
  assertEquals(res.body, {
    success: 1,
    message: "Tag updated successfully.",
    data: { id: "1", name: "Platinum &amp; Co", color: "#00ff00", count_sites: "", sites_ids: "" },
  });
  // Omitting the name keeps it (MainWP would blank it).
  assertEquals((await t.call("PATCH", `${API}/tags/1/edit`, { token, json: { color: "#abc" } })).body.data, {
    id: "1",
    name: "Platinum &amp; Co",
    color: "#abc",
    count_sites: "",
    sites_ids: "",
  });
  // Renaming onto another tag's name gets a suffix; an invalid colour is stored empty.
  assertEquals((await t.call("PUT", `${API}/tags/1/edit?name=gold&color=blue`, { token })).body.data, {
    id: "1",
    name: "gold (1)",
    color: "",
    count_sites: "",
    sites_ids: "",
  });
  // The old name is free again (existing entities are not escaped twice; names compare case-insensitively).
  assertEquals((await addTag(t, token, { name: "platinum &amp; co" })).body.data.name, "platinum &amp; co");
  assertEquals((await addTag(t, token, { name: "Platinum & Co" })).body.data.name, "Platinum &amp; Co (1)");
  // The site's view shows the new name.
  assertEquals((await t.call("GET", `${API}/sites/1`, { token })).body.data.tags, { "1": "gold (1)" });
  const before = await listTags(t.ctx.kv);
  const missing = await t.call("POST", `${API}/tags/42/edit`, { token, json: { name: "x" } });
  assertEquals([missing.status, missing.body.code], [404, "mainwp_rest_invalid_tag_id"]);
  assertEquals(await listTags(t.ctx.kv), before);
  assertEquals(actions, [
    ["Platinum &amp; Co", "updated"],
    ["Platinum &amp; Co", "updated"],
    ["gold (1)", "updated"],
    ["platinum &amp; co", "created"],
    ["Platinum &amp; Co (1)", "created"],
  ]);
  await t.close();
});

Deno.test("DELETE /tags/{id}/remove: tag and every site link gone; blank counts; 404 after", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await addTag(t, token, { name: "VIP", color: "#ff0000" });
  await addTag(t, token, { name: "Keep" });
  const ids: number[] = [];
  for (let i = 0; i < 23; i++) ids.push(await site(t, { url: `https://s${i}.example`, tag_ids: [1, 2] }));
  const res = await t.call("DELETE", `${API}/tags/1/remove`, { token });
  assertEquals(res.body, {
    success: 1,
    message: "Tag deleted successfully.",
    data: { id: "1", name: "VIP", color: "#ff0000", count_sites: "", sites_ids: "" },
  });
  assertEquals(await getTag(t.ctx.kv, 1), null);
  for (const id of ids) {
    assertEquals((await getSite(t.ctx.kv, id))!.tag_ids, [2]);
    assertEquals(await listIds(t.ctx.kv, keys.siteTags(id)), [2]);
  }
  assertEquals(await listIds(t.ctx.kv, keys.tagSites(1)), []);
  assertEquals(await findTagByName(t.ctx.kv, "VIP"), null);
  assertEquals((await t.call("DELETE", `${API}/tags/1/remove`, { token })).status, 404);
  assertEquals((await t.call("GET", `${API}/tags`, { token })).body.total, 1);
  // The name can be used again.
  assertEquals((await addTag(t, token, { name: "VIP" })).body.data, {
    id: "3",
    name: "VIP",
    color: "",
    count_sites: "0",
    sites_ids: null,
  });
  await t.close();
});

Deno.test("GET /tags/{id}/sites and /clients", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await addTag(t, token, { name: "VIP" });
  await addTag(t, token, { name: "Empty" });
  await t.ctx.kv.set(keys.client(2), client(2, "Zulu Corp"));
  await t.ctx.kv.set(keys.client(3), client(3, "alpha GmbH"));
  await t.ctx.kv.set(keys.client(4), client(4, "Unrelated"));
  await site(t, { url: "https://www.zz.example", name: "ZZ", tag_ids: [1], client_id: 2 });
  await site(t, { url: "https://aa.example", name: "AA", tag_ids: [1], client_id: 3 });
  await site(t, { url: "https://bb.example", name: "BB", tag_ids: [1], client_id: 2 });
  await site(t, { url: "https://cc.example", name: "CC", client_id: 4 });
  await site(t, { url: "https://st.example", name: "Staging", tag_ids: [1], is_staging: 1 });
  const sites = await t.call("GET", `${API}/tags/1/sites`, { token });
  assertEquals(sites.body.success, 1);
  assertEquals(sites.body.total, 3);
  assertEquals(sites.body.data.map((s: { name: string }) => s.name), ["AA", "BB", "ZZ"]);
  assertEquals(sites.body.data[0].tags, { "1": "VIP" });
  assertEquals(Object.keys(sites.body.data[0]).length, 43);
  assertEquals((await t.call("GET", `${API}/tags/2/sites`, { token })).body, {
    success: 1,
    total: 0,
    data: [],
  });
  const clients = await t.call("GET", `${API}/tags/1/clients`, { token });
  assertEquals(clients.body.total, 2);
  assertEquals(clients.body.data.map((c: { name: string }) => c.name), ["alpha GmbH", "Zulu Corp"]);
  assertEquals(clients.body.data[0], {
    id: "3",
    name: "alpha GmbH",
    address_1: "",
    address_2: "",
    city: "",
    zip: "",
    state: "",
    country: "",
    note: "",
    client_email: "c3@example.test",
    client_phone: "",
    client_facebook: "",
    client_twitter: "",
    client_instagram: "",
    client_linkedin: "",
    created: "0",
    suspended: "0",
    primary_contact_id: "0",
  });
  assertEquals((await t.call("GET", `${API}/tags/2/clients`, { token })).body, {
    success: 1,
    total: 0,
    data: [],
  });
  assertEquals((await t.call("GET", `${API}/tags/9/sites`, { token })).status, 404);
  assertEquals((await t.call("GET", `${API}/tags/9/clients`, { token })).status, 404);
  assertStringIncludes(
    (await t.call("GET", `${API}/tags/1/sites?_fields=total`, { token })).text,
    '{"total":3}',
  );
  await t.close();
});

Deno.test("site edit assigns tags by groupids; counts follow", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await addTag(t, token, { name: "A" });
  await addTag(t, token, { name: "B" });
  await site(t, { url: "https://a.example" });
  await site(t, { url: "https://b.example" });
  await t.call("POST", `${API}/sites/1/edit`, { token, json: { groupids: "1,2" } });
  await t.call("POST", `${API}/sites/2/edit`, { token, json: { groupids: [2] } });
  assertEquals((await t.call("GET", `${API}/tags/2`, { token })).body.data.sites_ids, "1,2");
  await t.call("POST", `${API}/sites/1/edit`, { token, json: { groupids: "1" } });
  assertEquals((await t.call("GET", `${API}/tags/2`, { token })).body.data, {
    id: "2",
    name: "B",
    color: "",
    count_sites: "1",
    sites_ids: "2",
  });
  await t.close();
});
