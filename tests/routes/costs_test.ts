import { assert, assertEquals } from "@std/assert";
import { addPaymentMethod } from "../../core/settings/cost-tracker.ts";
import { type TestApp, testApp } from "../helpers.ts";
import { keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import { createSite, type NewSite } from "../../store/sites.ts";
import { createClient } from "../../store/clients.ts";
import { type CostRecord, getCost, listCosts } from "../../store/costs.ts";

const API = "/wp-json/mainwp/v2";
const APRIL_1_2024 = 1711929600;

async function site(t: TestApp, input: NewSite): Promise<number> {
  const result = await createSite(t.ctx.kv, input);
  if (!("site" in result)) throw new Error("duplicate site");
  return result.site.id;
}

async function addCost(t: TestApp, token: string, json: Record<string, unknown>) {
  return await t.call("POST", `${API}/costs/add`, { token, json });
}

/** The first of a month on or after today (00:00 UTC), as a monthly renewal from a 1st lands. */
function nextFirstOfMonth(): number {
  const now = new Date();
  const day = now.getUTCDate() === 1 ? 0 : 1;
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + day, 1) / 1000;
}

const mysql = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 19).replace("T", " ");

Deno.test("GET /costs with no costs: data is []", async () => {
  const t = await testApp();
  const token = await t.key("read");
  assertEquals((await t.call("GET", `${API}/costs`, { token })).text, '{"success":1,"total":0,"data":[]}');
  await t.close();
});

Deno.test("POST /costs/add: raw row with response names; list object as §6.4; indexes; hook", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const events: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_cost_updated",
    (c: CostRecord, action: string) => events.push([c.id, action]),
  );
  const s3 = await site(t, { url: "https://3.example" });
  const s7 = await site(t, { url: "https://7.example" });
  const res = await addCost(t, token, {
    name: "Hosting",
    url: "https://host.example",
    payment_type: "subscription",
    product_type: "hosting",
    license_type: "single_site",
    cost_tracker_status: "active",
    payment_method: "paypal",
    price: "20",
    renewal_type: "monthly",
    last_renewal: "2024-04-01",
    product_color: "#1e90ff",
    icon_hidden: "deficon:server",
    sites: [s3, s7],
    groups: [4],
  });
  const next = nextFirstOfMonth();
  assertEquals(res.body, {
    success: 1,
    data: {
      id: "1",
      name: "Hosting",
      url: "https://host.example",
      type: "subscription",
      product_type: "hosting",
      slug: "",
      license_type: "single_site",
      cost_status: "active",
      payment_method: "paypal",
      price: "20.00000000",
      renewal_type: "monthly",
      last_renewal: String(APRIL_1_2024),
      next_renewal: String(next),
      next_renewal_today: String(next),
      last_alert: "0",
      cost_icon: "deficon:server",
      cost_color: "#1e90ff",
      sites: `[${s3},${s7}]`,
      groups: "",
      clients: "",
      note: "",
    },
  });
  const list = await t.call("GET", `${API}/costs`, { token });
  assertEquals(
    list.text,
    `{"success":1,"total":1,"data":{"1":{"id":1,"name":"Hosting","url":"https:\\/\\/host.example","type":"subscription","product_type":"hosting","slug":"","license_type":"single_site","cost_status":"active","payment_method":"paypal","price":"20.00000000","renewal_type":"monthly","last_renewal":"2024-04-01 00:00:00","next_renewal":"${
      mysql(next)
    }","last_alert":0,"sites":"[${s3},${s7}]","groups":"","clients":"","note":""}}}`,
  );
  assertEquals(await listIds(t.ctx.kv, keys.ownerCosts("site", s3)), [1]);
  assertEquals(await listIds(t.ctx.kv, keys.ownerCosts("tag", 4)), []);
  assertEquals(events, [[1, "created"]]);
  // A lifetime or inactive cost has no next_renewal_today; a form body works (sites[]=…).
  const form = await t.call("POST", `${API}/costs/add`, {
    token,
    form: [["name", "Theme"], ["payment_type", "lifetime"], ["renewal_type", "yearly"], [
      "last_renewal",
      "2024-04-01 00:00:00",
    ], ["clients[]", "2"]],
  });
  assertEquals([form.body.data.type, form.body.data.clients, form.body.data.next_renewal_today], [
    "lifetime",
    "[2]",
    "0",
  ]);
  assert(Number(form.body.data.next_renewal) > Date.now() / 1000 - 86400);
  assertEquals(await listIds(t.ctx.kv, keys.ownerCosts("client", 2)), [2]);
  await t.close();
});

Deno.test("POST /costs/add: escaping in the list object and the mainwp_escape_content filter", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  // Costs name payment methods the Cost Tracker settings list (by slug or title).
  await addPaymentMethod(t.ctx, "O'Neil");
  await addCost(t, token, {
    name: `R&D <b>"x"</b>`,
    note: `a & <i>b</i>`,
    payment_method: "O'Neil",
    sites: [1],
  });
  const raw = (await t.call("GET", `${API}/costs/1`, { token })).body.data;
  assertEquals([raw.name, raw.note, raw.payment_method], [`R&D "x"`, "a & <i>b</i>", "O'Neil"]);
  const item = (await t.call("GET", `${API}/costs`, { token })).body.data["1"];
  assertEquals([item.name, item.note, item.payment_method], [
    "R&amp;D &quot;x&quot;",
    "a &amp; &lt;i&gt;b&lt;/i&gt;",
    "O&#039;Neil",
  ]);
  t.ctx.hooks.addFilter("mainwp_escape_content", (_escaped: string, raw: string) => raw.toUpperCase());
  assertEquals((await t.call("GET", `${API}/costs`, { token })).body.data["1"].note, "A & <I>B</I>");
  await t.close();
});

Deno.test("POST /costs/add: bad input is refused and nothing is stored", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const invalid = {
    code: "mainwp_rest_create_costs_invalid_data",
    message: "Please enter websites or groups or clients.",
    data: { status: 400 },
  };
  for (
    const body of [{ name: "X" }, { name: "X", sites: [] }, { name: "X", sites: "3,7" }, {
      name: "X",
      sites: [],
      groups: [4],
    }]
  ) {
    const res = await addCost(t, token, body);
    assertEquals([res.status, res.body], [400, invalid], JSON.stringify(body));
  }
  const checks: [Record<string, unknown>, string][] = [
    [{ last_renewal: "someday" }, "last_renewal"],
    [{ price: "abc" }, "price"],
    [{ payment_type: "monthly" }, "payment_type"],
    [{ renewal_type: "daily" }, "renewal_type"],
    [{ cost_tracker_status: "paused" }, "cost_tracker_status"],
    [{ license_type: "any" }, "license_type"],
    [{ sites: ["x"] }, "sites"],
    [{ sites: Array.from({ length: 491 }, (_, i) => i + 1) }, "sites"],
  ];
  for (const [body, param] of checks) {
    const res = await addCost(t, token, { name: "X", sites: [1], ...body });
    assertEquals([res.status, res.body.code, Object.keys(res.body.data.params)], [400, "rest_invalid_param", [
      param,
    ]]);
  }
  assertEquals(await listCosts(t.ctx.kv), []);
  await t.close();
});

Deno.test("POST /costs/add: one cost per plugin/theme slug (soft error); `id` updates", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const plugin = { product_type: "plugin", product_slug: "akismet/akismet.php", sites: [1] };
  assertEquals((await addCost(t, token, { name: "Akismet", ...plugin })).body.success, 1);
  assertEquals(
    (await addCost(t, token, { name: "Again", ...plugin, product_slug: "AKISMET/akismet.php" })).body,
    {
      success: 0,
      error: "A cost tracker for this plugin already exists.",
    },
  );
  await addCost(t, token, { name: "Theme", product_type: "theme", product_slug: "astra", sites: [1] });
  assertEquals(
    (await addCost(t, token, { name: "Theme 2", product_type: "theme", product_slug: "astra", sites: [2] }))
      .body,
    {
      success: 0,
      error: "A cost tracker for this theme already exists.",
    },
  );
  // The same slug as a hosting product is fine.
  assertEquals(
    (await addCost(t, token, { name: "Host", product_type: "hosting", product_slug: "astra", sites: [1] }))
      .body.success,
    1,
  );
  // Editing onto a taken slug is refused.
  const taken = await t.call("PUT", `${API}/costs/2/edit`, {
    token,
    json: { product_type: "plugin", product_slug: "akismet/akismet.php" },
  });
  assertEquals(taken.body, { success: 0, error: "A cost tracker for this plugin already exists." });
  assertEquals((await getCost(t.ctx.kv, 2))?.product_type, "theme");
  // `id` on /costs/add updates that cost; an unknown id fails softly.
  const update = await addCost(t, token, { id: 3, name: "Renamed" });
  assertEquals([update.body.data.id, update.body.data.name, update.body.data.slug], [
    "3",
    "Renamed",
    "astra",
  ]);
  assertEquals((await addCost(t, token, { id: 99, name: "X", sites: [1] })).body, {
    success: 0,
    error: "Add cost failed. Please try again.",
  });
  assertEquals((await listCosts(t.ctx.kv)).length, 3);
  await t.close();
});

Deno.test("GET /costs filters: type (all-invalid 400), status, category, search, include/exclude, paging", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const rows: Record<string, unknown>[] = [
    { name: "Hosting", payment_type: "subscription", cost_tracker_status: "active", product_type: "hosting" },
    {
      name: "Akismet",
      payment_type: "lifetime",
      cost_tracker_status: "canceled",
      product_type: "plugin",
      product_slug: "akismet",
    },
    { name: "Support", payment_type: "subscription", cost_tracker_status: "onhold", product_type: "service" },
    { name: "Domain", payment_type: "subscription", cost_tracker_status: "active", product_type: "other" },
  ];
  for (const row of rows) await addCost(t, token, { ...row, sites: [1] });
  const ids = async (query: string) =>
    Object.keys((await t.call("GET", `${API}/costs${query}`, { token })).body.data);
  assertEquals(await ids(""), ["1", "2", "3", "4"]);
  assertEquals(await ids("?type=lifetime"), ["2"]);
  assertEquals(await ids("?type=lifetime,bogus"), ["2"]);
  assertEquals(await ids("?type=any"), ["1", "2", "3", "4"]);
  const bad = await t.call("GET", `${API}/costs?type=bogus,monthly`, { token });
  assertEquals([bad.status, bad.body], [400, {
    code: "mainwp_rest_invalid_param",
    message: "The type argument should be: any,subscription,lifetime",
    data: { status: 400 },
  }]);
  assertEquals(await ids("?status=active"), ["1", "4"]);
  assertEquals(await ids("?status[]=onhold&status[]=canceled"), ["2", "3"]);
  assertEquals(await ids("?status=bogus"), ["1", "2", "3", "4"]);
  assertEquals(await ids("?category=plugin,service"), ["2", "3"]);
  assertEquals(await ids("?category=any"), ["1", "2", "3", "4"]);
  assertEquals(await ids("?search=OST"), ["1"]);
  assertEquals(await ids("?search=3"), ["3"]);
  assertEquals(await ids("?include=1,2,3&exclude=2"), ["1", "3"]);
  assertEquals(await ids("?page=2&per_page=3"), ["4"]);
  assertEquals(await ids("?per_page=3"), ["1", "2", "3", "4"]);
  assertEquals((await t.call("GET", `${API}/costs?status=canceled`, { token })).body.total, 1);
  assertEquals(
    (await t.call("GET", `${API}/costs?search=zzz`, { token })).text,
    '{"success":1,"total":0,"data":[]}',
  );
  await t.close();
});

Deno.test("GET /costs/{id}, edit keeps omitted fields, remove; 404s change nothing", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const events: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_cost_updated",
    (c: CostRecord, action: string) => events.push([c.id, action]),
  );
  await addCost(t, token, {
    name: "Hosting",
    payment_type: "subscription",
    cost_tracker_status: "active",
    price: 20,
    renewal_type: "monthly",
    last_renewal: "2024-04-01",
    note: "keep me",
    sites: [3, 7],
  });
  const got = await t.call("GET", `${API}/costs/1`, { token });
  assertEquals([got.body.success, got.body.data.id, got.body.data.price], [1, "1", "20.00000000"]);
  const notFound = {
    code: "mainwp_rest_invalid_costs_id",
    message: "Invalid or not found ID.",
    data: { status: 404 },
  };
  assertEquals((await t.call("GET", `${API}/costs/9`, { token })).body, notFound);
  // A query `id` overrides the path's, as in MainWP.
  assertEquals((await t.call("GET", `${API}/costs/9?id=1`, { token })).body.data.name, "Hosting");
  const edit = await t.call("PATCH", `${API}/costs/1/edit`, {
    token,
    json: { cost_tracker_status: "canceled", price: "25.5", groups: [4] },
  });
  assertEquals(edit.body.data, {
    ...got.body.data,
    cost_status: "canceled",
    price: "25.50000000",
    next_renewal_today: "0",
    sites: "",
    groups: "[4]",
  });
  assertEquals(await listIds(t.ctx.kv, keys.ownerCosts("site", 3)), []);
  assertEquals(await listIds(t.ctx.kv, keys.ownerCosts("tag", 4)), [1]);
  // No owner list given: the owners stay. An explicit empty list is refused.
  assertEquals(
    (await t.call("POST", `${API}/costs/1/edit`, { token, json: { name: "Web hosting" } })).body.data.groups,
    "[4]",
  );
  const empty = await t.call("POST", `${API}/costs/1/edit`, { token, json: { clients: [] } });
  assertEquals([empty.status, empty.body.code], [400, "mainwp_rest_create_costs_invalid_data"]);
  const before = await getCost(t.ctx.kv, 1);
  const missing = await t.call("POST", `${API}/costs/9/edit`, { token, json: { name: "X", sites: [1] } });
  assertEquals([missing.status, missing.body], [404, notFound]);
  assertEquals(await listCosts(t.ctx.kv), [before!]);
  const removed = await t.call("DELETE", `${API}/costs/1/remove`, { token });
  assertEquals([removed.body.success, removed.body.message, removed.body.data.name, removed.body.data.note], [
    1,
    "Cost deleted successfully.",
    "Web hosting",
    "keep me",
  ]);
  assertEquals(await listIds(t.ctx.kv, keys.ownerCosts("tag", 4)), []);
  assertEquals((await t.call("DELETE", `${API}/costs/1/remove`, { token })).body, notFound);
  assertEquals(events, [[1, "created"], [1, "updated"], [1, "updated"], [1, "deleted"]]);
  await t.close();
});

Deno.test("GET /costs/{id}/sites and /clients resolve sites through sites, tags and clients", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const acme = await createClient(t.ctx.kv, { name: "ACME", client_email: "a@x.test" });
  const beta = await createClient(t.ctx.kv, { name: "Beta", client_email: "b@x.test" });
  if (!("client" in acme) || !("client" in beta)) throw new Error("client");
  const s1 = await site(t, { url: "https://one.example", client_id: beta.client.client_id });
  const s2 = await site(t, { url: "https://two.example", tag_ids: [4], client_id: acme.client.client_id });
  const s3 = await site(t, { url: "https://three.example", client_id: acme.client.client_id });
  await site(t, { url: "https://four.example" });
  await addCost(t, token, { name: "By site", sites: [s1, 999] });
  await addCost(t, token, { name: "By tag", groups: [4] });
  await addCost(t, token, { name: "By client", clients: [acme.client.client_id] });
  const siteIds = async (id: number) =>
    (await t.call("GET", `${API}/costs/${id}/sites`, { token })).body.data.map((s: { id: string }) => s.id);
  assertEquals(await siteIds(1), [String(s1)]);
  assertEquals(await siteIds(2), [String(s2)]);
  assertEquals(await siteIds(3), [String(s3), String(s2)]); // ordered by URL
  const view = (await t.call("GET", `${API}/costs/2/sites`, { token })).body;
  assertEquals([
    view.success,
    view.total,
    view.data[0].tags,
    view.data[0].http_status,
    view.data[0].last_post_time,
  ], [1, 1, "", "", ""]);
  const clients = await t.call("GET", `${API}/costs/3/clients`, { token });
  assertEquals([clients.body.total, clients.body.data[0].name, clients.body.data[0].primary_contact_id], [
    1,
    "ACME",
    "0",
  ]);
  assertEquals(
    (await t.call("GET", `${API}/costs/1/clients`, { token })).body.data.map((c: { id: string }) => c.id),
    ["2"],
  );
  assertEquals((await t.call("GET", `${API}/costs/9/sites`, { token })).status, 404);
  assertEquals((await t.call("GET", `${API}/costs/9/clients`, { token })).status, 404);
  await t.close();
});
