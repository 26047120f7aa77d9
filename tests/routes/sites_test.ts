import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";
import { keys } from "../../store/keys.ts";
import {
  createSite,
  getSite,
  getSiteSync,
  type NewSite,
  type SiteRecord,
  updateSite,
  writeSiteSync,
} from "../../store/sites.ts";
import { createApp } from "../../app.ts";
import { loadConfig } from "../../lib/config.ts";
import { createApiKey } from "../../store/api-keys.ts";
import { createCost, emptyCost } from "../../store/costs.ts";
import type { ClientRecord } from "../../store/clients.ts";
import { createTag } from "../../store/tags.ts";
import { listIds } from "../../store/kv.ts";

const API = "/wp-json/mainwp/v2";

async function site(t: TestApp, input: NewSite): Promise<SiteRecord> {
  const result = await createSite(t.ctx.kv, input);
  if (!("site" in result)) throw new Error("duplicate site");
  return result.site;
}

function client(id: number, name: string, extra: Partial<ClientRecord> = {}): ClientRecord {
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
    client_email: `${name.toLowerCase().replaceAll(" ", "")}@example.test`,
    client_phone: "",
    client_facebook: "",
    client_twitter: "",
    client_instagram: "",
    client_linkedin: "",
    created: 1704445200,
    suspended: 0,
    primary_contact_id: 0,
    ...extra,
  };
}

/** The site view object of a site never synced, as §6.1 lays it out. */
function neverSyncedView(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: "",
    name: "",
    url: "",
    tags: [],
    note: "",
    ip: "",
    client_id: "0",
    is_staging: "0",
    wp_version: "",
    php_version: "",
    child_version: "",
    mysql_version: "",
    memory_limit: "",
    database_size: "0",
    active_theme: "",
    status: "connected",
    sync_errors: "",
    http_status: "0",
    health_status: "0",
    health_score: "0",
    icon: "",
    last_sync: "1970-01-01T00:00:00",
    plugins: "",
    themes: "",
    last_post_time: "0",
    recent_posts: "",
    recent_pages: "",
    recent_comments: "",
    categories: "",
    wp_upgrades: "",
    plugin_upgrades: "",
    premium_upgrades: "",
    theme_upgrades: "",
    translation_upgrades: "",
    ignored_plugins: "",
    ignored_themes: "",
    is_ignoreCoreUpdates: "0",
    is_ignorePluginUpdates: "0",
    is_ignoreThemeUpdates: "0",
    verify_certificate: "1",
    force_use_ipv4: "0",
    ssl_version: "0",
    suspended: "0",
    ...overrides,
  };
}

Deno.test("GET /sites: site view objects with exact keys, order and string types", async () => {
  const t = await testApp();
  const token = await t.key("read");
  const vip = await createTag(t.ctx.kv, { name: "VIP" });
  const clients = await createTag(t.ctx.kv, { name: "Clients" });
  await t.ctx.kv.set(keys.client(2), client(2, "ACME Inc"));
  await site(t, {
    url: "https://blog.example.com",
    name: "Blog",
    ip: "203.0.113.7",
    client_id: 2,
    tag_ids: [vip.id, clients.id],
    http_response_code: 200,
    health_value: "85",
    dtsSync: 1714558830,
  });
  await writeSiteSync(t.ctx.kv, 1, {
    site_info: {
      wpversion: "6.5.2",
      phpversion: "8.2.10",
      child_version: "5.1",
      mysql_version: "8.0.36",
      memory_limit: "256M",
    },
    dbsize: 10485760,
    last_post_gmt: 1714550000,
    themes: '[{"name":"Twenty Twenty-Four","version":"1.1","active":1,"slug":"tt4"}]',
    plugins: '[{"name":"Akismet","slug":"akismet/akismet.php","version":"5.3","active":1}]',
    plugin_upgrades: "[]",
  });
  const res = await t.call("GET", `${API}/sites`, { token });
  assertEquals(res.status, 200);
  const expected = neverSyncedView({
    id: "1",
    name: "Blog",
    url: "https://blog.example.com/",
    tags: { "1": "VIP", "2": "Clients" },
    ip: "203.0.113.7",
    client_id: "2",
    wp_version: "6.5.2",
    php_version: "8.2.10",
    child_version: "5.1",
    mysql_version: "8.0.36",
    memory_limit: "256M",
    database_size: "10485760",
    active_theme: "Twenty Twenty-Four 1.1",
    http_status: "200 - OK",
    health_score: "85",
    last_sync: "2024-05-01T10:20:30",
    plugins: '[{"name":"Akismet","slug":"akismet/akismet.php","version":"5.3","active":1}]',
    themes: '[{"name":"Twenty Twenty-Four","version":"1.1","active":1,"slug":"tt4"}]',
    last_post_time: "1714550000",
    plugin_upgrades: "[]",
  });
  assertEquals(res.body, { success: 1, total: 1, data: [expected] });
  assertEquals(Object.keys(res.body.data[0]), Object.keys(expected));
  // WordPress's encoder: slashes escaped inside strings.
  assertStringIncludes(res.text, '"url":"https:\\/\\/blog.example.com\\/"');
  assertStringIncludes(res.text, '\\"slug\\":\\"akismet\\/akismet.php\\"');
  await t.close();
});

Deno.test("GET /sites: URL order without scheme and www., staging excluded, legacy pagination", async () => {
  const t = await testApp();
  const token = await t.key("read");
  await site(t, { url: "https://www.zeta.example", name: "Zeta" }); // 1
  await site(t, { url: "http://alpha.example", name: "Alpha" }); // 2
  await site(t, { url: "https://Beta.example", name: "Beta" }); // 3
  await site(t, { url: "https://stage.alpha.example", name: "Staging", is_staging: 1 }); // 4
  const ids = (body: { data: { id: string }[] }) => body.data.map((s) => s.id);
  const all = await t.call("GET", `${API}/sites`, { token });
  assertEquals(ids(all.body), ["2", "3", "1"]);
  assertEquals(all.body.total, 3);
  // Pagination only when both page and per_page are given; total = items returned.
  const page2 = await t.call("GET", `${API}/sites?page=2&per_page=2`, { token });
  assertEquals([ids(page2.body), page2.body.total], [["1"], 1]);
  assertEquals(ids((await t.call("GET", `${API}/sites?per_page=1`, { token })).body), ["2", "3", "1"]);
  assertEquals(ids((await t.call("GET", `${API}/sites?page=1`, { token })).body), ["2", "3", "1"]);
  assertEquals(ids((await t.call("GET", `${API}/sites?paged=2&per_page=1`, { token })).body), ["3"]);
  assertEquals((await t.call("GET", `${API}/sites?page=9&per_page=5`, { token })).body, {
    success: 1,
    total: 0,
    data: [],
  });
  // The staging site is in no listing, and reads back as {"data":[]}.
  assertEquals((await t.call("GET", `${API}/sites/4`, { token })).body, { data: [] });
  assertEquals((await t.call("GET", `${API}/sites/count`, { token })).body, { count: 3 });
  await t.close();
});

Deno.test("GET /sites: search, include/exclude and status filters", async () => {
  const t = await testApp();
  const token = await t.key("read");
  await site(t, { url: "https://shop.example", name: "Shop" }); // 1
  await site(t, { url: "https://blog.example", name: "Blog", sync_errors: "timeout" }); // 2
  await site(t, { url: "https://news.example", name: "News", suspended: 1 }); // 3
  await site(t, { url: "https://docs.example", name: "Docs" }); // 4
  await writeSiteSync(t.ctx.kv, 4, {
    plugin_upgrades: '{"akismet/akismet.php":{"update":{"new_version":"5.1"}}}',
  });
  await writeSiteSync(t.ctx.kv, 1, { plugin_upgrades: "[]", wp_upgrades: "" });
  const ids = async (query: string) =>
    (await t.call("GET", `${API}/sites?${query}`, { token })).body.data.map((s: { id: string }) => s.id);
  assertEquals(await ids("search=SHO"), ["1"]);
  assertEquals(await ids("search=blog.ex"), ["2"]);
  assertEquals(await ids("search=4"), ["4"]);
  assertEquals(await ids("include=1,3,99"), ["3", "1"]);
  assertEquals(await ids("include[]=2&include[]=4"), ["2", "4"]);
  assertEquals(await ids("exclude=2,4"), ["3", "1"]);
  // connected = no sync error (suspended sites included); values are OR-ed.
  assertEquals(await ids("status=connected"), ["4", "3", "1"]);
  assertEquals(await ids("status=disconnected"), ["2"]);
  assertEquals(await ids("status=suspended,disconnected"), ["2", "3"]);
  assertEquals(await ids("status=available_update"), ["4"]);
  assertEquals(await ids("status=any"), ["2", "4", "3", "1"]);
  assertEquals(await ids("status=bogus,suspended"), ["3"]);
  const bad = await t.call("GET", `${API}/sites?status=bogus,other`, { token });
  assertEquals(bad.status, 400);
  assertEquals(bad.body, {
    code: "mainwp_rest_invalid_param",
    message: "The status argument should be: any,connected,disconnected,suspended,available_update",
    data: { status: 400 },
  });
  assertEquals((await t.call("GET", `${API}/sites/count?status=bogus`, { token })).status, 400);
  assertEquals((await t.call("GET", `${API}/sites/count?status=suspended,disconnected`, { token })).body, {
    count: 2,
  });
  assertEquals((await t.call("GET", `${API}/sites/count?include=1,2&search=zzz`, { token })).body, {
    count: 2,
  });
  await t.close();
});

Deno.test("GET /sites: with_tags, full_data, custom_fields and per-site _fields", async () => {
  const t = await testApp();
  const token = await t.key("read");
  const tag = await createTag(t.ctx.kv, { name: "VIP" });
  await site(t, { url: "https://shop.example", name: "Shop", tag_ids: [tag.id], dtsSync: 1714558830 });
  await writeSiteSync(t.ctx.kv, 1, { dbsize: 4096, options: { plugins_outdate_info: "{}" } });
  const one = async (query: string) => (await t.call("GET", `${API}/sites?${query}`, { token })).body.data[0];
  assertEquals((await one("")).tags, { "1": "VIP" });
  assertEquals((await one("with_tags=false")).tags, "");
  assertEquals((await one("with_tags=yes")).tags, { "1": "VIP" });
  assertEquals((await one("full_data=0")).database_size, "");
  assertEquals((await one("full_data=1")).database_size, "4096");
  const custom = await one("custom_fields=dtsSync,privkey,offline_check_result,plugins_outdate_info,nope");
  assertEquals(
    Object.keys(custom).slice(-4),
    ["dtsSync", "offline_check_result", "plugins_outdate_info", "nope"],
  );
  assertEquals(
    [custom.dtsSync, custom.offline_check_result, custom.plugins_outdate_info, custom.nope],
    ["1714558830", "0", "{}", ""],
  );
  assert(!("privkey" in custom));
  // _fields applies to each site (id always kept); the envelope stays.
  const projected = await t.call("GET", `${API}/sites?_fields=name,url`, { token });
  assertEquals(projected.body, {
    success: 1,
    total: 1,
    data: [{ id: "1", name: "Shop", url: "https://shop.example/" }],
  });
  await t.close();
});

Deno.test("GET /sites/basic: SITE_MINI items; GET /sites/count: {count}", async () => {
  const t = await testApp();
  const token = await t.key("read");
  await site(t, { url: "https://b.example", name: "B", client_id: 0 });
  await site(t, { url: "https://a.example", name: "A" });
  const res = await t.call("GET", `${API}/sites/basic`, { token });
  assertEquals(res.body, {
    success: 1,
    total: 2,
    data: [
      { id: "2", name: "A", url: "https://a.example/", client_id: "0" },
      { id: "1", name: "B", url: "https://b.example/", client_id: "0" },
    ],
  });
  assertEquals((await t.call("GET", `${API}/sites/basic?page=2&per_page=1&_fields=url`, { token })).body, {
    success: 1,
    total: 1,
    data: [{ id: "1", url: "https://b.example/" }],
  });
  assertEquals((await t.call("GET", `${API}/sites/count`, { token })).body, { count: 2 });
  assertEquals((await t.call("GET", `${API}/sites/count?exclude=1`, { token })).body, { count: 1 });
  await t.close();
});

Deno.test("GET /sites/{id} and /sites/{domain}: {data} without success; 404s; staging", async () => {
  const t = await testApp();
  const token = await t.key("read");
  const tag = await createTag(t.ctx.kv, { name: "VIP" });
  await site(t, { url: "https://www.example.com", name: "Example", tag_ids: [tag.id] });
  const byId = await t.call("GET", `${API}/sites/1`, { token });
  assertEquals(byId.status, 200);
  assertEquals(Object.keys(byId.body), ["data"]);
  assertEquals(byId.body.data.url, "https://www.example.com/");
  assertEquals(byId.body.data.tags, { "1": "VIP" });
  // Domain lookup ignores scheme and www.
  assertEquals((await t.call("GET", `${API}/sites/example.com`, { token })).body, byId.body);
  assertEquals((await t.call("GET", `${API}/sites/WWW.Example.COM`, { token })).body.data.id, "1");
  assertEquals((await t.call("GET", `${API}/sites/1?with_tags=0`, { token })).body.data.tags, "");
  assertEquals((await t.call("GET", `${API}/sites/1?_fields=name`, { token })).body, {
    data: { id: "1", name: "Example" },
  });
  assertEquals(
    (await t.call("GET", `${API}/sites/1?custom_fields=note,health_threshold`, { token })).body.data
      .health_threshold,
    "80",
  );
  const missing = await t.call("GET", `${API}/sites/99`, { token });
  assertEquals(missing.status, 404);
  assertEquals(missing.body, {
    code: "mainwp_rest_invalid_site_id",
    message: "Invalid or not found ID.",
    data: { status: 404 },
  });
  const noDomain = await t.call("GET", `${API}/sites/nowhere.test`, { token });
  assertEquals(noDomain.status, 404);
  assertEquals(noDomain.body, {
    code: "mainwp_rest_invalid_site_data",
    message: "Invalid or not found domain.",
    data: { status: 404 },
  });
  // The domain route only takes TLDs of 2–6 letters; GET on POST-only paths finds no route.
  assertEquals(
    (await t.call("GET", `${API}/sites/example.toolongtld`, { token })).body.code,
    "rest_no_route",
  );
  assertEquals((await t.call("GET", `${API}/sites/add`, { token })).body.code, "rest_no_route");
  assertEquals((await t.call("GET", `${API}/sites/1/edit`, { token })).body.code, "rest_no_route");
  await t.close();
});

Deno.test("mainwp_rest_prepare_site filters every site object before _fields", async () => {
  const t = await testApp();
  const token = await t.key("read");
  await site(t, { url: "https://a.example", name: "A", ip: "203.0.113.7" });
  const seen: unknown[] = [];
  t.ctx.hooks.addFilter("mainwp_rest_prepare_site", (item: Record<string, unknown>, record: SiteRecord) => {
    seen.push(record.id);
    return { ...item, ip: "", extra: "x" };
  });
  const list = await t.call("GET", `${API}/sites`, { token });
  assertEquals([list.body.data[0].ip, list.body.data[0].extra], ["", "x"]);
  assertEquals((await t.call("GET", `${API}/sites/1?_fields=ip`, { token })).body, {
    data: { id: "1", ip: "" },
  });
  assertEquals(seen, [1, 1]);
  await t.close();
});

Deno.test("POST /sites/{id}/edit: request names map to columns; answer is the site view", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const a = await createTag(t.ctx.kv, { name: "A" });
  const b = await createTag(t.ctx.kv, { name: "B" });
  await t.ctx.kv.set(keys.client(2), client(2, "ACME"));
  await site(t, { url: "https://shop.example", name: "Shop", client_id: 2, tag_ids: [a.id] });
  const updated: unknown[] = [];
  const suspended: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_site_updated",
    (s: SiteRecord, prev: SiteRecord) => updated.push([s.name, prev.name]),
  );
  t.ctx.hooks.addAction("mainwp_site_suspended", (s: SiteRecord, v: number) => suspended.push([s.id, v]));
  const res = await t.call("POST", `${API}/sites/1/edit`, {
    token,
    form: {
      name: "Shop 2",
      admin: "boss",
      uniqueid: "u-1",
      sslversion: "3",
      protocol: "http",
      disablehealthchecking: "1",
      healththreshold: "70",
      suspended: "1",
      groupids: `${b.id},999`,
      automatic_update: "1",
      backup_before_upgrade: "0",
      force_use_ipv4: "2",
      ignore_core_updates: "1",
      ignore_plugin_updates: "0",
      ignore_theme_updates: "yes",
      monitoring_emails: "ops@acme.test, nonsense, dev@acme.test",
    },
  });
  assertEquals(res.status, 200);
  assertEquals(res.body.success, 1);
  const data = res.body.data;
  assertEquals(
    [data.name, data.url, data.tags, data.client_id, data.status, data.ssl_version, data.suspended],
    ["Shop 2", "http://shop.example/", { "2": "B" }, "2", "suspended", "3", "1"],
  );
  assertEquals([data.is_ignoreCoreUpdates, data.is_ignorePluginUpdates, data.is_ignoreThemeUpdates], [
    "1",
    "0",
    "1",
  ]);
  assertEquals(data.force_use_ipv4, "2");
  assert(!("adminname" in data) && !("automatic_update" in data) && !("uniqueId" in data));
  const stored = (await getSite(t.ctx.kv, 1))!;
  assertEquals(
    [
      stored.adminname,
      stored.uniqueId,
      stored.disable_health_check,
      stored.health_threshold,
      stored.automatic_update,
    ],
    ["boss", "u-1", 1, 70, 1],
  );
  assertEquals(stored.backup_before_upgrade, 0);
  assertEquals(stored.monitoring_notification_emails, "ops@acme.test,dev@acme.test");
  assertEquals(stored.tag_ids, [b.id]);
  // Indexes moved with the record.
  assertEquals(await listIds(t.ctx.kv, keys.siteTags(1)), [b.id]);
  assertEquals(await listIds(t.ctx.kv, keys.tagSites(a.id)), []);
  assertEquals(updated, [["Shop 2", "Shop"]]);
  assertEquals(suspended, [[1, 1]]);
  await t.close();
});

Deno.test("POST /sites/{id}/edit: client_id kept when omitted, 0 unassigns, unknown refused; empty text kept", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await t.ctx.kv.set(keys.client(2), client(2, "ACME"));
  await t.ctx.kv.set(keys.client(3), client(3, "Beta"));
  await site(t, { url: "https://shop.example", name: "Shop", client_id: 2 });
  const edit = (json: Record<string, unknown>) =>
    t.call("PATCH", `${API}/sites/shop.example/edit`, { token, json });
  // Omitted client_id keeps the client (MainWP resets it to 0).
  assertEquals((await edit({ note: "x", name: "" })).body.data.client_id, "2");
  assertEquals((await getSite(t.ctx.kv, 1))!.name, "Shop");
  assertEquals((await edit({ client_id: 3 })).body.data.client_id, "3");
  assertEquals(await listIds(t.ctx.kv, keys.clientSites(3)), [1]);
  const before = await getSite(t.ctx.kv, 1);
  const refused = await edit({ client_id: 77, name: "Other" });
  assertEquals(refused.status, 200);
  assertEquals(refused.body, { success: 0, error: "Invalid or not found client ID." });
  assertEquals(await getSite(t.ctx.kv, 1), before);
  assertEquals((await edit({ client_id: "0" })).body.data.client_id, "0");
  assertEquals(await listIds(t.ctx.kv, keys.clientSites(3)), []);
  // force_use_ipv4 above 2 becomes 0; empty groupids leaves the tags alone.
  assertEquals((await edit({ force_use_ipv4: 5, groupids: "" })).body.data.force_use_ipv4, "0");
  await t.close();
});

Deno.test("POST /sites/{id}/edit: mainwp_rest_pre_update_site_item can change the fields; 404s change nothing", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await site(t, { url: "https://shop.example", name: "Shop" });
  t.ctx.hooks.addFilter(
    "mainwp_rest_pre_update_site_item",
    (fields: Record<string, unknown>, id: number) => ({ ...fields, name: `${fields.name} #${id}` }),
  );
  assertEquals((await t.call("POST", `${API}/sites/1/edit?name=Shop`, { token })).body.data.name, "Shop #1");
  const missing = await t.call("POST", `${API}/sites/42/edit`, { token, json: { name: "x" } });
  assertEquals([missing.status, missing.body.code], [404, "mainwp_rest_invalid_site_id"]);
  const noDomain = await t.call("POST", `${API}/sites/gone.example/edit`, { token, json: { name: "x" } });
  assertEquals([noDomain.status, noDomain.body.code], [404, "mainwp_rest_invalid_site_data"]);
  assertEquals((await getSite(t.ctx.kv, 1))!.name, "Shop #1");
  // A read key cannot edit.
  const read = await t.key("read");
  assertEquals(
    (await t.call("POST", `${API}/sites/1/edit`, { token: read, json: { name: "x" } })).status,
    401,
  );
  await t.close();
});

Deno.test("POST /sites/{id}/suspend and /unsuspend: integer suspended, action only on change", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  await site(t, { url: "https://shop.example", name: "Shop" });
  const fired: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_site_suspended",
    (s: SiteRecord, v: number) => fired.push([s.id, s.suspended, v]),
  );
  const mini = { id: "1", name: "Shop", url: "https://shop.example/", client_id: "0" };
  const res = await t.call("POST", `${API}/sites/1/suspend`, { token });
  assertEquals(res.body, { success: 1, suspended: 1, data: mini });
  assertStringIncludes(res.text, '"suspended":1,');
  assertEquals((await t.call("PUT", `${API}/sites/shop.example/suspend`, { token })).body.suspended, 1);
  assertEquals((await getSite(t.ctx.kv, 1))!.suspended, 1);
  assertEquals((await t.call("GET", `${API}/sites/1`, { token })).body.data.status, "suspended");
  assertEquals((await t.call("PATCH", `${API}/sites/1/unsuspend`, { token })).body, {
    success: 1,
    suspended: 0,
    data: mini,
  });
  assertEquals(fired, [[1, 1, 1], [1, 0, 0]]);
  assertEquals((await t.call("POST", `${API}/sites/1/suspend?_fields=name`, { token })).body.data, {
    id: "1",
    name: "Shop",
  });
  assertEquals((await t.call("POST", `${API}/sites/9/suspend`, { token })).status, 404);
  await t.close();
});

Deno.test("DELETE /sites/{id}/remove: record, indexes and sync data gone; action fired", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  const tag = await createTag(t.ctx.kv, { name: "VIP" });
  await t.ctx.kv.set(keys.client(2), client(2, "ACME"));
  await site(t, { url: "https://shop.example", name: "Shop", client_id: 2, tag_ids: [tag.id] });
  await writeSiteSync(t.ctx.kv, 1, { dbsize: 1 });
  const removed: unknown[] = [];
  t.ctx.hooks.addAction("mainwp_delete_site", (s: SiteRecord) => removed.push(s.id));
  const res = await t.call("DELETE", `${API}/sites/shop.example/remove`, { token });
  assertEquals(res.body, {
    success: 1,
    message:
      "The site has been removed. Please make sure that the MainWP Child plugin has been deactivated properly.",
    data: { id: "1", name: "Shop", url: "https://shop.example/", client_id: "2" },
  });
  assertEquals(removed, [1]);
  assertEquals(await getSite(t.ctx.kv, 1), null);
  assertEquals(await getSiteSync(t.ctx.kv, 1), null);
  assertEquals(await listIds(t.ctx.kv, keys.tagSites(tag.id)), []);
  assertEquals(await listIds(t.ctx.kv, keys.clientSites(2)), []);
  assertEquals((await t.call("GET", `${API}/sites`, { token })).body, { success: 1, total: 0, data: [] });
  assertEquals((await t.call("DELETE", `${API}/sites/1/remove`, { token })).status, 404);
  // A delete key may remove; POST is not a route for remove.
  assertEquals((await t.call("POST", `${API}/sites/1/remove`, { token })).body.code, "rest_no_route");
  await t.close();
});

Deno.test("GET /sites/{id}/client: the raw client row, or success 0", async () => {
  const t = await testApp();
  const token = await t.key("read");
  await t.ctx.kv.set(keys.client(2), client(2, "ACME Inc", { city: "Berlin", country: "DE" }));
  await site(t, { url: "https://shop.example", name: "Shop", client_id: 2 });
  await site(t, { url: "https://blog.example", name: "Blog" });
  const res = await t.call("GET", `${API}/sites/1/client`, { token });
  assertEquals(res.body, {
    success: 1,
    data: {
      client_id: "2",
      image: "",
      name: "ACME Inc",
      address_1: "",
      address_2: "",
      city: "Berlin",
      zip: "",
      state: "",
      country: "DE",
      note: "",
      selected_icon_info: "",
      client_email: "acmeinc@example.test",
      client_phone: "",
      client_facebook: "",
      client_twitter: "",
      client_instagram: "",
      client_linkedin: "",
      created: "1704445200",
      suspended: "0",
      primary_contact_id: "0",
      contact_id: null,
      contact_client_id: null,
      contact_email: null,
      contact_image: null,
      contact_icon_info: null,
      contact_name: null,
      contact_phone: null,
      contact_role: null,
      facebook: null,
      twitter: null,
      instagram: null,
      linkedin: null,
    },
  });
  assertEquals(
    Object.keys(res.body.data).slice(8, 12),
    ["country", "note", "selected_icon_info", "client_email"],
    "MainWP's column order",
  );
  assertEquals(Object.keys(res.body.data).slice(22, 26), [
    "contact_email",
    "contact_image",
    "contact_icon_info",
    "contact_name",
  ]);
  assertEquals((await t.call("GET", `${API}/sites/blog.example/client`, { token })).body, {
    success: 0,
    error: "Client is not set or not found.",
  });
  assertEquals((await t.call("GET", `${API}/sites/3/client`, { token })).status, 404);
  await t.close();
});

Deno.test("site listings see writes made through another KV handle (another process): no stale snapshot", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  try {
    const kvA = await Deno.openKv(path);
    const kvB = await Deno.openKv(path);
    const config = loadConfig({ KV_PATH: path, PUBLIC_URL: "https://dashboard.test" });
    const { app } = await createApp({ config, kv: kvA });
    const { token } = await createApiKey(kvA, { permissions: "read" });
    const get = async () => {
      const res = await app.request("http://dashboard.test/wp-json/mainwp/v2/sites", {
        headers: { Authorization: `Bearer ${token}` },
      }, { remoteAddr: { hostname: "127.0.0.1" } });
      return (await res.json()).data.map((s: { name: string }) => s.name);
    };
    assertEquals(await get(), []);
    await createSite(kvB, { url: "https://a.example", name: "A" });
    assertEquals(await get(), ["A"]);
    await createTag(kvB, { name: "T" });
    await updateSite(kvB, 1, (s) => ({ ...s, name: "A2", tag_ids: [1] }));
    assertEquals(await get(), ["A2"]);
    kvA.close();
    kvB.close();
  } finally {
    await Deno.remove(path).catch(() => {});
  }
});

Deno.test("GET /sites/{id}/costs: costs listing the site, keyed by cost id; none → message", async () => {
  const t = await testApp();
  const token = await t.key("read");
  await site(t, { url: "https://shop.example", name: "Shop" });
  await site(t, { url: "https://blog.example", name: "Blog" });
  const a = await createCost(t.ctx.kv, {
    ...emptyCost(),
    name: "Hosting & Co",
    sites: [1, 2],
    price: "20.00000000",
  });
  const b = await createCost(t.ctx.kv, { ...emptyCost(), name: "Other", sites: [2] });
  assert("cost" in a && "cost" in b);
  const res = await t.call("GET", `${API}/sites/1/costs`, { token });
  assertEquals(Object.keys(res.body), ["success", "total", "data"]);
  assertEquals([res.body.success, res.body.total, Object.keys(res.body.data)], [1, 1, [String(a.cost.id)]]);
  const item = res.body.data[String(a.cost.id)];
  assertEquals([item.id, item.name, item.sites, item.price], [
    a.cost.id,
    "Hosting &amp; Co",
    "[1,2]",
    "20.00000000",
  ]);
  assertEquals(Object.keys((await t.call("GET", `${API}/sites/blog.example/costs`, { token })).body.data), [
    String(a.cost.id),
    String(b.cost.id),
  ]);
  await site(t, { url: "https://none.example", name: "None" });
  assertEquals((await t.call("GET", `${API}/sites/3/costs`, { token })).body, {
    success: 1,
    message: "Cost not found.",
    data: [],
  });
  assertEquals((await t.call("GET", `${API}/sites/4/costs`, { token })).status, 404);
  await t.close();
});
