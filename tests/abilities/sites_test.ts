import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createAppPassword, createUser } from "../../store/users.ts";
import { createSite, updateSite } from "../../store/sites.ts";

Deno.test("list-sites-v1: paging, status, search, client and tag filters; bad input", async () => {
  const t = await testApp();
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, admin.id, "t");
  const headers = { Authorization: `Basic ${btoa(`admin:${password}`)}` };
  for (const host of ["c.example", "a.example", "b.example"]) {
    await createSite(t.ctx.kv, { url: `https://${host}`, name: host });
  }
  await updateSite(t.ctx.kv, 3, (s) => ({ ...s, suspended: 1, tag_ids: [] }));
  const run = "/wp-json/wp-abilities/v1/abilities/mainwp/list-sites-v1/run";
  const all = await t.call("GET", run, { headers });
  assertEquals(all.body.total, 3);
  assertEquals(all.body.items.map((s: { url: string }) => s.url), [
    "https://a.example/",
    "https://b.example/",
    "https://c.example/",
  ]);
  assertEquals(all.body.items[0], {
    id: 2,
    url: "https://a.example/",
    name: "a.example",
    status: "connected",
    client_id: null,
  });
  const paged = await t.call("GET", `${run}?input[page]=2&input[per_page]=2`, { headers });
  assertEquals([paged.body.items.length, paged.body.page, paged.body.per_page, paged.body.total], [
    1,
    2,
    2,
    3,
  ]);
  const connected = await t.call("GET", `${run}?input[status]=connected`, { headers });
  assertEquals(connected.body.total, 2);
  assertEquals((await t.call("GET", `${run}?input[search]=b.ex`, { headers })).body.items[0].id, 3);
  const bad = await t.call("GET", `${run}?input[per_page]=500`, { headers });
  assertEquals(
    bad.body.message,
    'Ability "mainwp/list-sites-v1" has invalid input. Reason: input[per_page] must be between 1 (inclusive) and 100 (inclusive)',
  );
  assertEquals((await t.call("GET", `${run}?input[status]=maybe`, { headers })).status, 400);
  assertEquals((await t.call("GET", run)).status, 401);
  await t.close();
});

Deno.test("get-site-v1: by id, domain or URL; unknown site and refused access are 403 with the original data", async () => {
  const t = await testApp();
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, admin.id, "t");
  const headers = { Authorization: `Basic ${btoa(`admin:${password}`)}` };
  await createSite(t.ctx.kv, { url: "https://www.example.com", name: "Example", adminname: "admin" });
  const run = "/wp-json/wp-abilities/v1/abilities/mainwp/get-site-v1/run";
  const byId = await t.call("GET", `${run}?input[site_id_or_domain]=1&input[include_stats]=true`, {
    headers,
  });
  assertEquals(byId.body, {
    id: 1,
    url: "https://www.example.com/",
    name: "Example",
    status: "connected",
    client_id: null,
    admin_username: "admin",
    wp_version: "",
    php_version: "",
    child_version: "",
    last_sync: null,
    notes: "",
    stats: { plugin_updates: 0, theme_updates: 0, wp_update_available: false, health_score: null },
  });
  assertEquals((await t.call("GET", `${run}?input[site_id_or_domain]=example.com`, { headers })).body.id, 1);
  assertEquals(
    (await t.call("GET", `${run}?input[site_id_or_domain]=${encodeURIComponent("http://example.com")}`, {
      headers,
    })).body.id,
    1,
  );
  const missing = await t.call("GET", `${run}?input[site_id_or_domain]=99`, { headers });
  assertEquals([missing.status, missing.body], [403, {
    code: "mainwp_site_not_found",
    message: "No site found with ID 99.",
    data: { status: 403 },
    additional_data: [{ status: 404 }],
  }]);
  t.ctx.hooks.addFilter("mainwp_check_site_access", () => false);
  const denied = await t.call("GET", `${run}?input[site_id_or_domain]=1`, { headers });
  assertEquals([denied.status, denied.body.code], [403, "mainwp_access_denied"]);
  await t.close();
});

Deno.test("get-site-plugins-v1 / get-site-themes-v1 read synced data; filters; outdated child", async () => {
  const { simulatedApp } = await import("../helpers.ts");
  const { t, sim, close } = await simulatedApp(2, { add: true });
  try {
    const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
    const { password } = await createAppPassword(t.ctx.kv, admin.id, "t");
    const headers = { Authorization: `Basic ${btoa(`admin:${password}`)}` };
    const run = (n: string) => `/wp-json/wp-abilities/v1/abilities/mainwp/${n}/run`;
    const plugins = await t.call("GET", `${run("get-site-plugins-v1")}?input[site_id_or_domain]=1`, {
      headers,
    });
    assertEquals([plugins.body.site_id, plugins.body.site_url], [1, sim.url(1)]);
    assertEquals(plugins.body.total, plugins.body.plugins.length);
    const withUpdate = await t.call(
      "GET",
      `${run("get-site-plugins-v1")}?input[site_id_or_domain]=1&input[has_update]=1`,
      { headers },
    );
    assertEquals(
      withUpdate.body.plugins.every((p: { update_version: string | null }) => p.update_version !== null),
      true,
    );
    assertEquals(withUpdate.body.total > 0, true);
    const active = await t.call(
      "GET",
      `${run("get-site-plugins-v1")}?input[site_id_or_domain]=1&input[status]=active`,
      { headers },
    );
    assertEquals(active.body.plugins.every((p: { active: boolean }) => p.active), true);
    const themes = await t.call("GET", `${run("get-site-themes-v1")}?input[site_id_or_domain]=1`, {
      headers,
    });
    assertEquals(
      themes.body.themes.filter((th: { active: boolean }) => th.active).map((th: { slug: string }) =>
        th.slug
      ),
      [
        themes.body.active_theme,
      ],
    );
    sim.site(2).controls.childVersion = "3.9";
    await t.call("POST", "/wp-json/mainwp/v2/sites/2/sync", { token: await t.key("read_write") });
    const outdated = await t.call("GET", `${run("get-site-plugins-v1")}?input[site_id_or_domain]=2`, {
      headers,
    });
    assertEquals([outdated.status, outdated.body.code, outdated.body.data], [400, "mainwp_child_outdated", {
      status: 400,
      site_id: 2,
    }]);
  } finally {
    await close();
  }
});
