import { assert, assertEquals } from "@std/assert";
import { createSite, getSiteSync, writeSiteSync } from "../../store/sites.ts";
import { siteApp, V2 } from "./_site_fixtures.ts";

const PLUGINS = [
  {
    name: "Akismet",
    slug: "akismet/akismet.php",
    description: "Spam filter",
    version: "5.3",
    active: 1,
    mainwp: "F",
  },
  { name: "Hello Dolly", slug: "hello.php", description: "Lyrics", version: "1.7.2", active: 0, mainwp: "F" },
  { name: "MU Loader", slug: "mu-loader.php", description: "Must use", version: "1.0", active: 1, mu: 1 },
  {
    name: "MainWP Child",
    slug: "mainwp-child/mainwp-child.php",
    description: "",
    version: "6.1",
    active: 1,
    mainwp: "T",
  },
];
const THEMES = [
  { name: "Twenty", title: "Twenty", description: "Blocks", version: "1.1", active: 1, slug: "twenty" },
  { name: "Old", title: "Old", description: "Classic", version: "2.0", active: 0, slug: "old" },
];

/** MainWP's items (its ability path) for {@link PLUGINS} with an update of Akismet stored. */
const PLUGIN_ITEMS = [
  { slug: "akismet/akismet.php", name: "Akismet", version: "5.3", active: true, update_version: "5.4" },
  { slug: "hello.php", name: "Hello Dolly", version: "1.7.2", active: false, update_version: null },
  { slug: "mu-loader.php", name: "MU Loader", version: "1.0", active: true, update_version: null },
  {
    slug: "mainwp-child/mainwp-child.php",
    name: "MainWP Child",
    version: "6.1",
    active: true,
    update_version: null,
  },
];
const THEME_ITEMS = [
  { slug: "twenty", name: "Twenty", version: "1.1", active: true, update_version: null },
  { slug: "old", name: "Old", version: "2.0", active: false, update_version: "2.1" },
];
const UPGRADES = {
  plugin_upgrades: JSON.stringify({
    "akismet/akismet.php": {
      Name: "Akismet",
      Version: "5.3",
      update: { new_version: "5.4", slug: "akismet" },
    },
  }),
  theme_upgrades: JSON.stringify({ old: { Name: "Old", new_version: "2.1" } }),
};

Deno.test("GET /sites/{id}/plugins and /themes answer MainWP's items: boolean active, update_version", async () => {
  const env = await siteApp(1);
  const { t, token } = env;
  try {
    const created = await createSite(t.ctx.kv, { url: "https://shop.example/", name: "Shop" });
    assert("site" in created);
    const site = { id: "1", name: "Shop", url: "https://shop.example/", client_id: "0" };
    const get = async (path: string) => (await t.call("GET", `${V2}/sites/1/${path}`, { token })).body;
    const outdated = {
      code: "mainwp_child_outdated",
      message: "Child plugin version 4.0.0 or higher required.",
      data: { status: 400 },
    };
    const never = await t.call("GET", `${V2}/sites/1/plugins`, { token });
    assertEquals([never.status, never.body], [400, outdated], "never synced: no child version");
    await writeSiteSync(t.ctx.kv, 1, {
      version: "6.1",
      plugins: JSON.stringify(PLUGINS),
      themes: JSON.stringify(THEMES),
      ...UPGRADES,
    });

    assertEquals(await get("plugins"), { success: 1, total: 4, data: PLUGIN_ITEMS, site });
    assertEquals(await get("themes"), { success: 1, total: 2, data: THEME_ITEMS, site });
    assertEquals(
      JSON.stringify((await get("plugins")).data[0]),
      JSON.stringify(PLUGIN_ITEMS[0]),
      "MainWP's field order",
    );
    const slugs = async (path: string) => (await get(path)).data.map((p: { slug: string }) => p.slug);
    assertEquals(await slugs("plugins?status=inactive"), ["hello.php"]);
    assertEquals(await slugs("plugins?status[]=inactive"), ["hello.php"]);
    assertEquals((await get("plugins?status=any")).total, 4);
    assertEquals((await get("plugins?status[]=active&status[]=inactive")).total, 4);
    assertEquals(await slugs("themes?status=active"), ["twenty"]);
    assertEquals(await slugs("themes?status=inactive,bogus"), ["old"]);

    // A map keyed by slug, a second "active" theme and records without a slug (MainWP skips those).
    await writeSiteSync(t.ctx.kv, 1, {
      version: "6.1",
      plugins: JSON.stringify({ "a/a.php": { name: "A", active: "1" }, "7": { name: "No slug" } }),
      themes: JSON.stringify([{ slug: "x", name: "X", active: 1 }, { slug: "y", active: 1 }, { name: "Z" }]),
    });
    assertEquals((await get("plugins")).data, [
      { slug: "a/a.php", name: "A", version: "", active: true, update_version: null },
    ]);
    assertEquals((await get("themes")).data, [
      { slug: "x", name: "X", version: "", active: true, update_version: null },
      { slug: "y", name: "y", version: "", active: false, update_version: null },
    ]);

    await writeSiteSync(t.ctx.kv, 1, { version: "3.9", plugins: JSON.stringify(PLUGINS) });
    const old = await t.call("GET", `${V2}/sites/1/themes`, { token });
    assertEquals([old.status, old.body], [400, outdated], "a child older than 4.0.0");
    assertEquals((await t.call("GET", `${V2}/sites/7/themes`, { token })).status, 404);
  } finally {
    await env.close();
  }
});

Deno.test("GET /sites/{id}/plugins and /themes with search, must_use or paging: the stored records", async () => {
  const env = await siteApp(1);
  const { t, token } = env;
  try {
    const created = await createSite(t.ctx.kv, { url: "https://shop.example/", name: "Shop" });
    assert("site" in created);
    const site = { id: "1", name: "Shop", url: "https://shop.example/", client_id: "0" };
    const get = async (path: string) => (await t.call("GET", `${V2}/sites/1/${path}`, { token })).body;
    assertEquals(await get("plugins?search=x"), { success: 1, total: 0, data: [], site }, "never synced");
    await writeSiteSync(t.ctx.kv, 1, { plugins: JSON.stringify(PLUGINS), themes: JSON.stringify(THEMES) });

    assertEquals(await get("plugins?page=1&per_page=10"), { success: 1, total: 4, data: PLUGINS, site });
    const slugs = async (path: string) => (await get(path)).data.map((p: { slug: string }) => p.slug);
    assertEquals(
      (await get("plugins?must_use=0&search=.&status=inactive")).total,
      4,
      "string status ignored",
    );
    assertEquals(await slugs("plugins?search=.&status[]=inactive"), ["hello.php"]);
    assertEquals((await get("plugins?search=.&status[]=active&status[]=inactive")).total, 4);
    assertEquals((await get("plugins?search=.&status[]=any&status[]=inactive")).total, 4);
    assertEquals(await slugs("plugins?must_use=1"), ["mu-loader.php"]);
    assertEquals(await slugs("plugins?search=LYRICS"), ["hello.php"]);
    assertEquals(await slugs("plugins?page=2&per_page=3"), ["mainwp-child/mainwp-child.php"]);
    const invalid = await t.call("GET", `${V2}/sites/1/plugins?status=bogus`, { token });
    assertEquals([invalid.status, invalid.body], [400, {
      code: "mainwp_rest_invalid_param",
      message: "The status argument should be: any,active,inactive",
      data: { status: 400 },
    }]);
    assertEquals((await get("plugins?search=.&status=bogus,active")).total, 4, "a mix passes");

    assertEquals(await slugs("themes?search=o&status=active"), ["twenty"], "themes honour the string form");
    assertEquals(await slugs("themes?search=classic"), ["old"]);
    assertEquals((await get("themes?search=.")).data, THEMES);
  } finally {
    await env.close();
  }
});

Deno.test("GET /sites/{id}/plugins/abandoned and /themes/abandoned answer the stored outdate info", async () => {
  const env = await siteApp(1);
  const { t, token } = env;
  try {
    const created = await createSite(t.ctx.kv, { url: "https://shop.example/", name: "Shop" });
    assert("site" in created);
    const outdated = { "hello.php": { Name: "Hello Dolly", last_updated: 1500000000, outdate: 1 } };
    await writeSiteSync(t.ctx.kv, 1, { options: { plugins_outdate_info: JSON.stringify(outdated) } });
    const site = { id: "1", name: "Shop", url: "https://shop.example/", client_id: "0" };
    assertEquals((await t.call("GET", `${V2}/sites/1/plugins/abandoned`, { token })).body, {
      success: 1,
      total: 1,
      data: outdated,
      site,
    });
    assertEquals((await t.call("GET", `${V2}/sites/1/themes/abandoned`, { token })).body, {
      success: 1,
      total: 0,
      data: [],
      site,
    });
  } finally {
    await env.close();
  }
});

Deno.test("plugin actions go through the child; its reply's sync is stored; errors per MainWP", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, sim, token } = env;
  try {
    // Paged, the list answers the child's own records (with `mainwp`).
    const plugins = (await t.call("GET", `${V2}/sites/1/plugins?page=1&per_page=100`, { token })).body.data;
    const target = plugins.find((p: { active: number; mainwp: string }) =>
      p.active === 0 && p.mainwp === "F"
    );
    assert(target, "the simulator has an inactive plugin");
    const stats = sim.calls(1).stats ?? 0;
    const activated = await t.call("POST", `${V2}/sites/1/plugins/activate`, {
      token,
      json: { slug: target.slug },
    });
    assertEquals(activated.body, {
      success: 1,
      data: [{ name: target.name, version: target.version, slug: target.slug }],
      site: { id: "1", name: "Sim 1", url: sim.url(1), client_id: "0" },
    });
    assertEquals(sim.calls(1).stats ?? 0, stats, "the action's reply carries the sync: no extra stats call");
    const active = async () =>
      (await t.call("GET", `${V2}/sites/1/plugins?status[]=active`, { token })).body.data
        .map((p: { slug: string }) => p.slug);
    assert((await active()).includes(target.slug));
    const off = await t.call("PUT", `${V2}/sites/1/plugins/deactivate`, {
      token,
      form: { slug: target.slug },
    });
    assertEquals(off.body.success, 1);
    assertEquals((await active()).includes(target.slug), false);
    const gone = await t.call(
      "DELETE",
      `${V2}/sites/1/plugins/delete?slug[]=${encodeURIComponent(target.slug)}`,
      {
        token,
      },
    );
    assertEquals(gone.body.data, [{ name: target.name, version: target.version, slug: target.slug }]);
    assertEquals(
      JSON.parse((await getSiteSync(t.ctx.kv, 1))?.plugins ?? "[]").some(
        (p: { slug: string }) => p.slug === target.slug,
      ),
      false,
    );
    const unknown = await t.call("POST", `${V2}/sites/1/plugins/activate`, {
      token,
      json: { slug: "nope/nope.php" },
    });
    // A real child "activates" a missing plugin: SUCCESS with an empty item (recorded reply 52).
    assertEquals([unknown.body.success, unknown.body.data], [1, [{
      name: "",
      slug: "nope/nope.php",
      version: "",
    }]]);

    for (const [method, action] of [["POST", "activate"], ["POST", "deactivate"], ["DELETE", "delete"]]) {
      const empty = await t.call(method, `${V2}/sites/1/plugins/${action}`, { token, json: { slug: " , " } });
      assertEquals([empty.status, empty.body], [400, {
        code: "mainwp_rest_invalid_plugins_slugs",
        message: "Plugins slugs are empty or invalid.",
        data: { status: 400 },
      }]);
    }
    sim.site(2).controls.offline = true;
    const down = await t.call("POST", `${V2}/sites/2/plugins/activate`, { token, json: { slug: "a/a.php" } });
    assertEquals([down.status, down.body.code, down.body.data], [
      500,
      "mainwp_rest_activate_plugins_action",
      null,
    ]);
    assertEquals(
      (await t.call("POST", `${V2}/sites/8/plugins/activate`, { token, json: { slug: "a" } })).status,
      404,
    );
  } finally {
    await env.close();
  }
});

Deno.test("theme actions: activate (deactivate + activate entries), delete, the active theme refused", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, sim, token } = env;
  try {
    const site = { id: "1", name: "Sim 1", url: sim.url(1), client_id: "0" };
    const themes = (await t.call("GET", `${V2}/sites/1/themes`, { token })).body.data;
    const current = themes.find((th: { active: boolean }) => th.active);
    const other = themes.find((th: { active: boolean }) => !th.active);
    assert(current && other, "the simulator has an active and an inactive theme");
    const entry = (th: { name: string; version: string; slug: string }) => ({
      name: th.name,
      version: th.version,
      slug: th.slug,
    });
    const switched = await t.call("POST", `${V2}/sites/1/themes/activate`, {
      token,
      json: { slug: other.slug },
    });
    assertEquals(switched.body, {
      success: 1,
      data: { deactivate: entry(current), activate: entry(other) },
      site,
    });
    assertEquals(
      (await t.call("GET", `${V2}/sites/1`, { token })).body.data.active_theme,
      `${other.name} ${other.version}`,
    );
    const same = await t.call("POST", `${V2}/sites/1/themes/activate`, { token, json: { slug: other.slug } });
    assertEquals(same.body.data, { deactivate: entry(other), activate: entry(other) });

    assertEquals((await t.call("DELETE", `${V2}/sites/1/themes/delete?slug=${other.slug}`, { token })).body, {
      success: 0,
      data: { error: `The theme ${other.slug} is active.` },
      site,
    });
    assertEquals(
      (await t.call("DELETE", `${V2}/sites/1/themes/delete?slug=${current.slug}`, { token })).body,
      {
        success: 1,
        data: { delete: entry(current) },
        site,
      },
    );
    const array = await t.call("POST", `${V2}/sites/1/themes/activate`, {
      token,
      json: { slug: [other.slug] },
    });
    assertEquals([array.status, array.body.code, array.body.message], [
      400,
      "mainwp_rest_invalid_themes_slugs",
      "Theme slug is empty or invalid.",
    ]);
    assertEquals(
      (await t.call("DELETE", `${V2}/sites/1/themes/delete`, { token })).body.code,
      "mainwp_rest_invalid_themes_slugs",
    );
  } finally {
    await env.close();
  }
});

Deno.test("the batch plugins/themes actions answer MainWP's items (site batch and global batch)", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, token } = env;
  try {
    const keysOf = (
      items: Record<string, unknown>[],
    ) => [...new Set(items.map((i) => Object.keys(i).join()))];
    const itemKeys = ["slug,name,version,active,update_version"];
    const check = (entry: { success: number; data: Record<string, unknown>[] }) => {
      assertEquals(entry.success, 1);
      assert(entry.data.length > 0, "the simulator has plugins and themes");
      assertEquals(keysOf(entry.data), itemKeys);
      assert(entry.data.every((i) => typeof i.active === "boolean"));
    };
    const site = await t.call("POST", `${V2}/sites/batch`, { token, json: { plugins: [1], themes: [1] } });
    check(site.body.plugins[0]);
    check(site.body.themes[0]);
    const all = await t.call("POST", `${V2}/batch`, {
      token,
      json: { sites: { plugins: [1], themes: [1] } },
    });
    check(all.body.sites.plugins[0]);
    check(all.body.sites.themes[0]);
  } finally {
    await env.close();
  }
});
