import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { abilityClient } from "./_helpers.ts";
import { createSite, writeSiteSync } from "../../store/sites.ts";
import { createCost, emptyCost } from "../../store/costs.ts";
import { recordSyncValues } from "../../core/sync/sync.ts";

const invalid = (name: string, reason: string) => ({
  code: "ability_invalid_input",
  message: `Ability "mainwp/${name}" has invalid input. Reason: ${reason}`,
  data: { status: 400 },
});

Deno.test("get-abandoned-plugins-v1 / themes-v1: stored outdate info; unknown site 403; bad input", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://a.example", name: "A" });
  const now = Math.floor(Date.now() / 1000);
  await writeSiteSync(t.ctx.kv, 1, {
    options: {
      plugins_outdate_info: JSON.stringify({
        "hello.php": {
          Name: "Hello Dolly",
          Version: "1.7",
          last_updated: 1500000000,
          outdate_timestamp: now - 10 * 86400 - 5,
        },
        "old/old.php": { last_updated: "2019-01-01" },
      }),
      themes_outdate_info: JSON.stringify({ twentyten: { Name: "Twenty Ten", Version: "4.0" } }),
    },
  });
  const plugins = await a.run("mainwp/get-abandoned-plugins-v1", { site_id_or_domain: 1 });
  assertEquals(plugins.status, 200);
  assertEquals(plugins.body, {
    plugins: [
      {
        slug: "hello.php",
        name: "Hello Dolly",
        version: "1.7",
        last_updated: "2017-07-14T02:40:00+00:00",
        days_since_update: 10,
      },
      {
        slug: "old/old.php",
        name: "old/old.php",
        version: "",
        last_updated: "2019-01-01",
        days_since_update: null,
      },
    ],
    total: 2,
  });
  const themes = await a.run("mainwp/get-abandoned-themes-v1", { site_id_or_domain: "a.example" });
  assertEquals(themes.body, {
    themes: [{
      slug: "twentyten",
      name: "Twenty Ten",
      version: "4.0",
      last_updated: "",
      days_since_update: null,
    }],
    total: 1,
  });
  const missing = await a.run("mainwp/get-abandoned-themes-v1", { site_id_or_domain: 99 });
  assertEquals([missing.status, missing.body.code], [403, "mainwp_site_not_found"]);
  const bad = await a.run("mainwp/get-abandoned-plugins-v1", { other: 1 });
  assertEquals([bad.status, bad.body], [
    400,
    invalid("get-abandoned-plugins-v1", "site_id_or_domain is a required property of input."),
  ]);
  const badThemes = await a.run("mainwp/get-abandoned-themes-v1");
  assertEquals(badThemes.body, invalid("get-abandoned-themes-v1", "input is not of type object."));
  await t.close();
});

Deno.test("get-site-security-v1: stored checks and failing count; nothing synced; bad input", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://a.example" });
  await createSite(t.ctx.kv, { url: "https://b.example" });
  const stats = {
    sslprotocol: "N",
    debug_disabled: "Y",
    sec_inactive_plugins: "N",
    sec_inactive_themes: "N",
  };
  await writeSiteSync(t.ctx.kv, 1, { options: { security_stats: JSON.stringify(stats) } });
  const res = await a.run("mainwp/get-site-security-v1", { site_id_or_domain: 1 });
  assertEquals(res.body, { site_id: 1, security_issues: stats, total_issues: 3 });
  const none = await a.run("mainwp/get-site-security-v1", { site_id_or_domain: 2 });
  assertEquals(none.body, { site_id: 2, security_issues: [], total_issues: 0 });
  const bad = await a.run("mainwp/get-site-security-v1");
  assertEquals([bad.status, bad.body.code], [400, "ability_invalid_input"]);
  await t.close();
});

Deno.test("get-site-changes-v1: newest first, type filter, paging with full total; bad input", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://a.example" });
  await recordSyncValues(t.ctx, 1, {}, {
    "11": {
      context: "plugins",
      action: "activated",
      action_user: "bob",
      created: 1700000000,
      meta_data: { name: "Akismet" },
    },
    "12": { context: "themes", action: "switched", action_user: "amy", created: 1700000100 },
    "13": {
      context: "plugins",
      action: "deactivated",
      action_user: "bob",
      created: 1700000200,
      meta_data: { name: "Hello" },
    },
  });
  const all = await a.run("mainwp/get-site-changes-v1", { site_id_or_domain: 1 });
  assertEquals(all.status, 200);
  assertEquals(all.body.total, 3);
  assertEquals(all.body.items[0], {
    id: 3,
    type: "plugins",
    action: "deactivated",
    item: "Hello Plugin",
    user_id: 0,
    user: "bob",
    timestamp: "2023-11-14T22:16:40+00:00",
  });
  assertEquals(all.body.items.map((i: { action: string }) => i.action), [
    "deactivated",
    "switched",
    "activated",
  ]);
  const plugins = await a.run("mainwp/get-site-changes-v1", {
    site_id_or_domain: 1,
    type: "plugins",
    page: 2,
    per_page: 1,
  });
  assertEquals(plugins.body, {
    items: [{
      id: 1,
      type: "plugins",
      action: "activated",
      item: "Akismet Plugin",
      user_id: 0,
      user: "bob",
      timestamp: "2023-11-14T22:13:20+00:00",
    }],
    page: 2,
    per_page: 1,
    total: 2,
  });
  const bad = await a.run("mainwp/get-site-changes-v1", { site_id_or_domain: 1, per_page: 101 });
  assertEquals(
    bad.body,
    invalid("get-site-changes-v1", "input[per_page] must be between 1 (inclusive) and 100 (inclusive)"),
  );
  await t.close();
});

Deno.test("get-site-client-v1: found, none assigned, missing client; bad input", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  const token = await t.key("read_write");
  await t.call("POST", "/wp-json/mainwp/v2/clients/add", {
    token,
    json: { name: "ACME", client_email: "ops@acme.test", city: "Berlin" },
  });
  await createSite(t.ctx.kv, { url: "https://a.example", client_id: 1 });
  await createSite(t.ctx.kv, { url: "https://b.example" });
  await createSite(t.ctx.kv, { url: "https://c.example", client_id: 42 });
  const found = await a.run("mainwp/get-site-client-v1", { site_id_or_domain: 1 });
  assertEquals(found.body.message, "Client found.");
  const { created, ...client } = found.body.client;
  assertEquals(typeof created === "string" && created.endsWith("+00:00"), true);
  assertEquals(client, {
    id: 1,
    name: "ACME",
    email: "ops@acme.test",
    phone: "",
    address_1: "",
    address_2: "",
    city: "Berlin",
    state: "",
    zip: "",
    country: "",
    note: "",
    suspended: 0,
    facebook: "",
    twitter: "",
    instagram: "",
    linkedin: "",
  });
  assertEquals((await a.run("mainwp/get-site-client-v1", { site_id_or_domain: 2 })).body, {
    client: null,
    message: "No client assigned to this site.",
  });
  assertEquals((await a.run("mainwp/get-site-client-v1", { site_id_or_domain: "c.example" })).body, {
    client: null,
    message: "Assigned client not found in database.",
  });
  const bad = await a.run("mainwp/get-site-client-v1", {});
  assertEquals([bad.status, bad.body.code], [400, "ability_invalid_input"]);
  await t.close();
});

Deno.test("get-site-costs-v1: costs linked to the site; none; bad input", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://a.example" });
  await createSite(t.ctx.kv, { url: "https://b.example" });
  const r = await createCost(t.ctx.kv, {
    ...emptyCost(),
    name: "Hosting",
    type: "subscription",
    product_type: "hosting",
    payment_method: "paypal",
    price: "49.50000000",
    renewal_type: "yearly",
    last_renewal: 1700000000,
    next_renewal: 1731622400,
    sites: [1],
  });
  if (!("cost" in r)) throw new Error("cost not created");
  const res = await a.run("mainwp/get-site-costs-v1", { site_id_or_domain: 1 });
  assertEquals(res.body, {
    site_id: 1,
    costs: [{
      id: r.cost.id,
      name: "Hosting",
      type: "subscription",
      price: 49.5,
      renewal_type: "yearly",
      payment_method: "paypal",
      product_type: "hosting",
      last_renewal: "2023-11-14T22:13:20+00:00",
      next_renewal: "2024-11-14T22:13:20+00:00",
    }],
    total: 1,
  });
  assertEquals((await a.run("mainwp/get-site-costs-v1", { site_id_or_domain: 2 })).body, {
    site_id: 2,
    costs: [],
    total: 0,
  });
  const bad = await a.run("mainwp/get-site-costs-v1", {});
  assertEquals([bad.status, bad.body.code], [400, "ability_invalid_input"]);
  await t.close();
});

Deno.test("count-sites-v1 and get-sites-basic-v1: status, tag and client filters on items and total", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://c.example", name: "C", tag_ids: [5], client_id: 2 });
  await createSite(t.ctx.kv, { url: "https://a.example", name: "http://A", tag_ids: [5, 6] });
  await createSite(t.ctx.kv, { url: "https://b.example", name: "B", suspended: 1, client_id: 2 });
  await createSite(t.ctx.kv, { url: "https://d.example", name: "D", sync_errors: "boom", tag_ids: [6] });
  const count = (input?: unknown) => a.run("mainwp/count-sites-v1", input).then((r) => r.body);
  assertEquals(await count(), { total: 4 });
  assertEquals(await count({ status: "connected" }), { total: 2 });
  assertEquals(await count({ status: "suspended" }), { total: 1 });
  assertEquals(await count({ status: "disconnected" }), { total: 1 });
  assertEquals(await count({ tag_ids: [5] }), { total: 2 });
  assertEquals(await count({ tag_ids: [5, 6] }), { total: 3 });
  assertEquals(await count({ client_id: 2 }), { total: 2 });
  assertEquals(await count({ client_id: 2, status: "connected" }), { total: 1 });
  const badCount = await a.run("mainwp/count-sites-v1", { status: "maybe" });
  assertEquals(
    badCount.body,
    invalid("count-sites-v1", "input[status] is not one of connected, disconnected, and suspended."),
  );

  const basic = (input?: unknown) => a.run("mainwp/get-sites-basic-v1", input).then((r) => r.body);
  assertEquals(await basic(), {
    items: [
      { id: 2, url: "https://a.example/", name: "A" },
      { id: 3, url: "https://b.example/", name: "B" },
      { id: 1, url: "https://c.example/", name: "C" },
      { id: 4, url: "https://d.example/", name: "D" },
    ],
    page: 1,
    per_page: 20,
    total: 4,
  });
  assertEquals(await basic({ tag_ids: [6], page: 2, per_page: 1 }), {
    items: [{ id: 4, url: "https://d.example/", name: "D" }],
    page: 2,
    per_page: 1,
    total: 2,
  });
  assertEquals(await basic({ client_id: 2 }), {
    items: [{ id: 3, url: "https://b.example/", name: "B" }, { id: 1, url: "https://c.example/", name: "C" }],
    page: 1,
    per_page: 20,
    total: 2,
  });
  assertEquals((await basic({ status: "connected" })).total, 2);
  const badBasic = await a.run("mainwp/get-sites-basic-v1", { page: 0 });
  assertEquals(
    badBasic.body,
    invalid("get-sites-basic-v1", "input[page] must be greater than or equal to 1"),
  );
  await t.close();
});
