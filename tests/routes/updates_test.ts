import { assert, assertEquals } from "@std/assert";
import { getSite, getSiteSync, updateSite } from "../../store/sites.ts";
import { keys } from "../../store/keys.ts";
import { getGlobalIgnored, updateGlobalIgnored } from "../../store/settings.ts";
import { setGlobalIgnored } from "../../core/updates/ignore.ts";
import { acquireLease, releaseLease } from "../../core/updates/run.ts";
import { storedSite, updatesApp, upgradeEntry } from "../updates_fixtures.ts";

const V2 = "/wp-json/mainwp/v2";

// Simulated sites (deterministic content, sim/catalog.ts):
// site 2: core 6.6.2 → 6.7.1, 3 plugin updates, no theme update, 1 translation;
// site 4: no core update, 3 plugin updates, 2 theme updates, 2 translations.

// deno-lint-ignore no-explicit-any
type Any = any;

function parsed(text: string | undefined): Any {
  const value = text ? JSON.parse(text) : [];
  return Array.isArray(value) || Object.keys(value).length > 0 ? value : [];
}

async function storedLists(t: Any, id: number) {
  const sync = await getSiteSync(t.ctx.kv, id);
  return {
    wp: parsed(sync?.wp_upgrades),
    plugins: parsed(sync?.plugin_upgrades),
    themes: parsed(sync?.theme_upgrades),
    translations: parsed(sync?.translation_upgrades),
  };
}

Deno.test("GET /updates: one entry per site keyed by id, stored lists as the child sent them", async () => {
  const { t, token, ids, close } = await updatesApp(4);
  try {
    const res = await t.call("GET", `${V2}/updates`, { token });
    assertEquals(res.status, 200);
    assertEquals(Object.keys(res.body), ["success", "data"]);
    assertEquals(res.body.success, 1);
    assertEquals(Object.keys(res.body.data), ids.map(String));
    for (const id of ids) {
      assertEquals(Object.keys(res.body.data[String(id)]), ["wp", "plugins", "themes", "translations"]);
      assertEquals(res.body.data[String(id)], await storedLists(t, id));
    }
    const site2 = res.body.data[String(ids[1])];
    assertEquals(site2.wp, { current: "6.6.2", new: "6.7.1" });
    assertEquals(Object.keys(site2.plugins).length, 3);
    assertEquals(site2.themes, []);
    assertEquals(site2.translations.length, 1);
    assert(res.text.includes(`"themes":[]`), "an empty map is []");
    assertEquals(res.body.data[String(ids[3])].wp, []);
    const entry = Object.values(site2.plugins)[0] as Any;
    assert(typeof entry.Name === "string" && typeof entry.Version === "string" && entry.update.new_version);
  } finally {
    await close();
  }
});

Deno.test("GET /updates: type, search, include/exclude, status validation, staging sites left out", async () => {
  const { t, token, ids, close } = await updatesApp(4);
  try {
    const get = async (query: string) => (await t.call("GET", `${V2}/updates${query}`, { token })).body;
    const typed = await get("?type=plugins,themes");
    assertEquals(Object.keys(typed.data[String(ids[0])]), ["plugins", "themes"]);
    assertEquals(Object.keys((await get("?type=all")).data[String(ids[0])]), [
      "wp",
      "plugins",
      "themes",
      "translations",
    ]);
    assertEquals(await get("?type=nonsense"), { success: 1, data: [] });
    // search: plugin key or Name, case-insensitive
    const site4 = String(ids[3]);
    const [slug, item] = Object.entries((await get("")).data[site4].plugins)[0] as [string, Any];
    const byName = await get(`?search=${encodeURIComponent(item.Name.toUpperCase())}&include=${ids[3]}`);
    assertEquals(Object.keys(byName.data), [site4]);
    assertEquals(byName.data[site4].plugins, { [slug]: item });
    const byKey = await get(`?type=plugins&search=${encodeURIComponent(slug)}&include=${ids[3]}`);
    assertEquals(Object.keys(byKey.data[site4].plugins), [slug]);
    const nothing = await get(`?search=zzzz-no-such-thing&include=${ids[1]}`);
    assertEquals(nothing.data[String(ids[1])], { wp: [], plugins: [], themes: [], translations: [] });
    const core = await get(`?type=wp&search=6.7.1&include=${ids[1]}`);
    assertEquals(core.data[String(ids[1])], { wp: { current: "6.6.2", new: "6.7.1" } });
    // include / exclude
    assertEquals(Object.keys((await get(`?include=${ids[2]},${ids[0]}`)).data), [
      String(ids[0]),
      String(ids[2]),
    ]);
    assertEquals(Object.keys((await get(`?exclude=${ids[0]}`)).data), ids.slice(1).map(String));
    // status: validated like the site lists, otherwise unused
    const bad = await t.call("GET", `${V2}/updates?status=nope`, { token });
    assertEquals(bad.status, 400);
    assertEquals(bad.body, {
      code: "mainwp_rest_invalid_param",
      message: "The status argument should be: any,connected,disconnected,suspended,available_update",
      data: { status: 400 },
    });
    assertEquals(Object.keys((await get("?status=suspended,nope")).data).length, 4);
    // staging sites are not listed, but answer on their own route
    await updateSite(t.ctx.kv, ids[0], (s) => ({ ...s, is_staging: 1 }));
    assertEquals(Object.keys((await get("")).data), ids.slice(1).map(String));
    assertEquals((await t.call("GET", `${V2}/updates/${ids[0]}`, { token })).body.success, 1);
    // _fields applies to the envelope
    assertEquals(await get("?_fields=success"), { success: 1 });
  } finally {
    await close();
  }
});

Deno.test("GET /updates/{id} and /updates/{domain}; unknown sites are 404; routes keep MainWP's order", async () => {
  const { t, token, ids, close } = await updatesApp(2);
  try {
    const one = await t.call("GET", `${V2}/updates/${ids[1]}`, { token });
    assertEquals(one.body, { success: 1, data: await storedLists(t, ids[1]) });
    const typed = await t.call("GET", `${V2}/updates/${ids[1]}?type=wp,translations`, { token });
    assertEquals(Object.keys(typed.body.data), ["wp", "translations"]);
    assertEquals((await t.call("GET", `${V2}/updates/${ids[1]}?type=x`, { token })).body, {
      success: 1,
      data: [],
    });

    const shop = await storedSite(t, { url: "https://www.shop.example.com/", name: "Shop" }, {
      plugin_upgrades: JSON.stringify({ "akismet/akismet.php": upgradeEntry("Akismet", "5.0", "5.1") }),
      wp_upgrades: "[]",
    });
    for (const domain of ["shop.example.com", "www.shop.example.com", "SHOP.example.com"]) {
      const res = await t.call("GET", `${V2}/updates/${domain}`, { token });
      assertEquals(res.body, {
        success: 1,
        data: {
          wp: [],
          plugins: { "akismet/akismet.php": upgradeEntry("Akismet", "5.0", "5.1") },
          themes: [],
          translations: [],
        },
      }, domain);
    }
    assertEquals((await t.call("GET", `${V2}/updates/${shop.id}/ignored`, { token })).body, {
      success: 1,
      data: [],
    });

    const missingId = await t.call("GET", `${V2}/updates/999`, { token });
    assertEquals([missingId.status, missingId.body], [404, {
      code: "mainwp_rest_invalid_site_id",
      message: "Invalid or not found ID.",
      data: { status: 404 },
    }]);
    const missingDomain = await t.call("GET", `${V2}/updates/nothere.example.org`, { token });
    assertEquals([missingDomain.status, missingDomain.body.code], [404, "mainwp_rest_invalid_site_data"]);
    for (
      const [method, path] of [["GET", "/updates/update"], ["POST", "/updates"], [
        "POST",
        "/updates/a_b/update",
      ]]
    ) {
      const res = await t.call(method, `${V2}${path}`, { token });
      assertEquals([res.status, res.body.code], [404, "rest_no_route"], `${method} ${path}`);
    }
    const missingUpdate = await t.call("POST", `${V2}/updates/999/update/plugins`, { token });
    assertEquals([missingUpdate.status, missingUpdate.body.code], [404, "mainwp_rest_invalid_site_id"]);
    const missingIgnore = await t.call("POST", `${V2}/updates/nothere.example.org/ignore/wp`, { token });
    assertEquals([missingIgnore.status, missingIgnore.body.code], [404, "mainwp_rest_invalid_site_data"]);
  } finally {
    await close();
  }
});

Deno.test("POST update/plugins: only current non-ignored updates are sent; the next GET no longer lists them", async () => {
  const { t, sim, token, ids, close } = await updatesApp(4);
  try {
    const id = ids[3];
    const before = (await t.call("GET", `${V2}/updates/${id}?type=plugins`, { token })).body.data.plugins;
    const slugs = Object.keys(before);
    assertEquals(slugs.length, 3);
    const statsBefore = sim.calls(4).stats ?? 0;
    const res = await t.call("POST", `${V2}/updates/${id}/update/plugins`, {
      token,
      json: { slug: [slugs[0], "not-installed/x.php"] },
    });
    assertEquals(res.status, 200);
    const entry = before[slugs[0]];
    assertEquals(res.body, {
      success: 1,
      data: {
        [slugs[0].split("/")[0]]: {
          success: 1,
          name: entry.Name,
          old_version: entry.Version,
          version: entry.update.new_version,
        },
      },
    });
    assertEquals(sim.calls(4).upgradeplugintheme, 1);
    assertEquals(sim.calls(4).stats, statsBefore + 1, "no sync in the plugin reply: synced again");
    assertEquals(sim.site(4).pendingUpdates.plugins, 2);
    const after = (await t.call("GET", `${V2}/updates/${id}?type=plugins`, { token })).body.data.plugins;
    assertEquals(Object.keys(after), slugs.slice(1));
    const plugins = JSON.parse((await getSiteSync(t.ctx.kv, id))!.plugins!);
    assertEquals(plugins.find((p: Any) => p.slug === slugs[0]).version, entry.update.new_version);

    // nothing to update: no slug, a slug without an update, an already updated one — the child is not called
    for (const body of [{}, { slug: "" }, { slug: "not-installed/x.php" }, { slug: slugs[0] }]) {
      const none = await t.call("POST", `${V2}/updates/${id}/update/plugins`, { token, json: body });
      assertEquals(none.body, { success: 0, message: "No Plugins to update." }, JSON.stringify(body));
    }
    assertEquals(sim.calls(4).upgradeplugintheme, 1);
    // a form-encoded comma list updates the rest
    const form = await t.call("POST", `${V2}/updates/${id}/update/plugins`, {
      token,
      form: { slug: slugs.slice(1).join(",") },
    });
    assertEquals(Object.values(form.body.data).map((d: Any) => d.success), [1, 1]);
    assertEquals((await t.call("GET", `${V2}/updates/${id}?type=plugins`, { token })).body.data.plugins, []);
    // PUT and PATCH reach the same handler
    const put = await t.call("PUT", `${V2}/updates/${id}/update/plugins`, {
      token,
      json: { slug: slugs[0] },
    });
    assertEquals(put.body.message, "No Plugins to update.");
    // bad input: an object is refused, nothing is called
    const bad = await t.call("POST", `${V2}/updates/${id}/update/themes`, {
      token,
      json: { slug: { a: 1 } },
    });
    assertEquals([bad.status, bad.body.code], [400, "rest_invalid_param"]);
    assertEquals(sim.calls(4).upgradeplugintheme, 2);
  } finally {
    await close();
  }
});

Deno.test("POST update/themes and update/translations store the reply's sync; update/wp updates core", async () => {
  const { t, sim, token, ids, close } = await updatesApp(4);
  try {
    const id = ids[3];
    const themes = (await t.call("GET", `${V2}/updates/${id}?type=themes`, { token })).body.data.themes;
    const statsBefore = sim.calls(4).stats ?? 0;
    const slugs = Object.keys(themes);
    assertEquals(slugs.length, 2);
    const res = await t.call("POST", `${V2}/updates/${id}/update/themes`, { token, json: { slug: slugs } });
    assertEquals(res.body, {
      success: 1,
      data: Object.fromEntries(slugs.map((s) => [s, {
        success: 1,
        name: themes[s].Name,
        old_version: themes[s].Version,
        version: themes[s].update.new_version,
      }])),
    });
    assertEquals(sim.calls(4).stats ?? 0, statsBefore, "the theme reply carries sync: no extra stats call");
    assertEquals((await t.call("GET", `${V2}/updates/${id}?type=themes`, { token })).body.data.themes, []);
    assertEquals(
      (await t.call("POST", `${V2}/updates/${id}/update/themes`, { token, json: { slug: slugs } })).body,
      { success: 0, message: "No Themes to update." },
    );

    const translations = (await t.call("GET", `${V2}/updates/${id}?type=translations`, { token })).body.data
      .translations;
    assertEquals(translations.length, 2);
    const tr = await t.call("POST", `${V2}/updates/${id}/update/translations`, {
      token,
      json: { slug: translations.map((x: Any) => x.slug) },
    });
    assertEquals(tr.body.success, 1);
    assertEquals(Object.keys(tr.body.data), translations.map((x: Any) => x.slug));
    assertEquals(tr.body.data[translations[0].slug], {
      success: 1,
      name: translations[0].name,
      old_version: "",
      version: translations[0].version,
    });
    assertEquals((await t.call("GET", `${V2}/updates/${id}?type=translations`, { token })).body.data, {
      translations: [],
    });
    assertEquals(
      (await t.call("POST", `${V2}/updates/${id}/update/translations`, { token, json: { slug: "default" } }))
        .body,
      { success: 0, message: "No Translations to update." },
    );

    // core on site 2
    const core = await t.call("POST", `${V2}/updates/${ids[1]}/update/wp`, { token });
    assertEquals(core.body, {
      success: 1,
      message: "WordPress was updated to the latest version.",
      data: { old_version: "6.6.2", version: "6.7.1" },
    });
    assertEquals((await t.call("GET", `${V2}/updates/${ids[1]}?type=wp`, { token })).body.data, { wp: [] });
    assertEquals((await t.call("POST", `${V2}/updates/${ids[1]}/update/wp`, { token })).body, {
      success: 0,
      error: "An undefined error occured. Please try again.",
    });
  } finally {
    await close();
  }
});

Deno.test("child failures: update/wp answers success 0, item updates 500, stored lists unchanged", async () => {
  const { t, sim, token, ids, close } = await updatesApp(2);
  try {
    const id = ids[1];
    const before = await storedLists(t, id);
    sim.site(2).controls.garbage = "html";
    const core = await t.call("POST", `${V2}/updates/${id}/update/wp`, { token });
    assertEquals(core.status, 200);
    assertEquals(core.body.success, 0);
    assert(typeof core.body.error === "string" && core.body.error.length > 0);
    const plugins = await t.call("POST", `${V2}/updates/${id}/update/plugins`, {
      token,
      json: { slug: Object.keys(before.plugins) },
    });
    assertEquals(plugins.status, 500);
    assertEquals(plugins.body.code, "mainwp_rest_upgrade_plugins_of_site_error");
    assertEquals(plugins.body.data, null);
    sim.site(2).controls.garbage = null;
    sim.site(2).controls.offline = true;
    const tr = await t.call("POST", `${V2}/updates/${id}/update/translations`, {
      token,
      json: { slug: before.translations.map((x: Any) => x.slug) },
    });
    assertEquals([tr.status, tr.body.code, tr.body.data], [
      500,
      "mainwp_rest_upgrade_translations_of_site_error",
      null,
    ]);
    assertEquals(await storedLists(t, id), before);
    assertEquals(sim.site(2).pendingUpdates.plugins, 3);
  } finally {
    await close();
  }
});

Deno.test("POST /updates/{id}/update: every update of one site; suspended → 400; a running site → queuing", async () => {
  const { t, sim, token, ids, close } = await updatesApp(4);
  try {
    const id = ids[3];
    const res = await t.call("POST", `${V2}/updates/${id}/update`, { token });
    assertEquals(Object.keys(res.body), [
      "success",
      "message",
      "summary",
      "last_time_start_batch_updates",
      "site",
    ]);
    assertEquals(res.body.message, "Batch updates for the site completed.");
    assertEquals(res.body.summary, { total_updated: 7, total_errors: 0 });
    assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(res.body.last_time_start_batch_updates));
    assertEquals(res.body.site, { id: String(id), name: "Site 4", url: sim.url(4), client_id: "0" });
    assertEquals(sim.site(4).pendingUpdates, { core: false, plugins: 0, themes: 0, translations: 0 });
    assertEquals((await t.call("GET", `${V2}/updates/${id}`, { token })).body.data, {
      wp: [],
      plugins: [],
      themes: [],
      translations: [],
    });
    assertEquals(await t.ctx.kv.get(keys.updateSiteLease(id)).then((e) => e.value), null, "lease released");

    // another run holds the site
    const got = await acquireLease(t.ctx.kv, keys.updateSiteLease(ids[1]));
    assert("lease" in got);
    const queued = await t.call("POST", `${V2}/updates/${ids[1]}/update`, { token });
    assertEquals(queued.body.message, "A batch updates for the site are queuing to run.");
    assertEquals(Object.keys(queued.body), ["success", "message", "last_time_start_batch_updates", "site"]);
    await releaseLease(t.ctx.kv, keys.updateSiteLease(ids[1]), got.lease);
    assertEquals(sim.calls(2).upgrade ?? 0, 0);

    // suspended: refused, nothing sent
    await updateSite(t.ctx.kv, ids[1], (s) => ({ ...s, suspended: 1 }));
    const suspended = await t.call("POST", `${V2}/updates/${ids[1]}/update`, { token });
    assertEquals([suspended.status, suspended.body], [400, {
      code: "mainwp_rest_updates_site_error",
      message: "Website suspended. Please unsuspended the website and try again.",
      data: { status: 400 },
    }]);
    assertEquals(sim.calls(2).upgrade ?? 0, 0);
    assertEquals(sim.site(2).pendingUpdates.plugins, 3);
    // a site with nothing pending: zero counts, no child call
    const upgradeCalls = sim.calls(4).upgradeplugintheme;
    const again = await t.call("PATCH", `${V2}/updates/${id}/update`, { token });
    assertEquals(again.body.summary, { total_updated: 0, total_errors: 0 });
    assertEquals(sim.calls(4).upgradeplugintheme, upgradeCalls);
  } finally {
    await close();
  }
});

Deno.test("POST /updates/update: all sites at once; offline and garbage sites fail only their own part", async () => {
  const { t, sim, token, ids, close } = await updatesApp(5);
  try {
    const lists = await Promise.all(ids.map((id) => storedLists(t, id)));
    const count = (l: Any) =>
      (Array.isArray(l.wp) ? 0 : 1) + Object.keys(l.plugins).length + Object.keys(l.themes).length +
      l.translations.length;
    sim.site(2).controls.offline = true;
    sim.site(3).controls.garbage = "invalid-json";
    await updateSite(t.ctx.kv, ids[4], (s) => ({ ...s, suspended: 1 }));
    sim.site(1).controls.latencyMs = 40;
    sim.site(4).controls.latencyMs = 40;
    sim.resetMetrics();
    const res = await t.call("POST", `${V2}/updates/update`, { token });
    assert(sim.metrics().maxInFlight >= 2, "sites are updated concurrently");
    assertEquals(Object.keys(res.body), ["success", "message", "summary", "last_time_start_batch_updates"]);
    assertEquals(res.body.message, "Batch updates completed.");
    assertEquals(res.body.summary, {
      total_updated: count(lists[0]) + count(lists[3]),
      total_errors: count(lists[1]) + count(lists[2]),
      sites_updated: 2,
    });
    const after = (await t.call("GET", `${V2}/updates`, { token })).body.data;
    for (const i of [0, 3]) {
      assertEquals(after[String(ids[i])], { wp: [], plugins: [], themes: [], translations: [] });
    }
    for (const i of [1, 2, 4]) assertEquals(after[String(ids[i])], lists[i], `site ${i + 1} keeps its list`);
    assertEquals(sim.site(5).pendingUpdates.plugins > 0, true);
    assertEquals(sim.calls(5).upgradeplugintheme ?? 0, 0, "suspended site untouched");
    assertEquals((await t.ctx.kv.get(keys.updateAllLease())).value, null, "lease released");

    // a run in progress
    const got = await acquireLease(t.ctx.kv, keys.updateAllLease());
    assert("lease" in got);
    const running = await t.call("POST", `${V2}/updates/update`, { token });
    assertEquals(Object.keys(running.body), ["success", "message", "last_time_start_batch_updates"]);
    assertEquals(running.body.message, "A batch updates all job are running.");
    await releaseLease(t.ctx.kv, keys.updateAllLease(), got.lease);
    sim.site(2).controls.offline = false;
    const second = await t.call("POST", `${V2}/updates/update`, { token });
    assertEquals(second.body.summary.sites_updated, 1);
    assertEquals(second.body.summary.total_updated, count(lists[1]));
  } finally {
    await close();
  }
});

Deno.test("ignore/plugins and ignore/themes with slugs: real slugs stored, hooks fired, lists and updates follow", async () => {
  const { t, sim, token, ids, close } = await updatesApp(4);
  try {
    const id = ids[3];
    const plugins = (await t.call("GET", `${V2}/updates/${id}?type=plugins`, { token })).body.data.plugins;
    const [first, second] = Object.keys(plugins);
    const fired: string[] = [];
    for (const name of ["mainwp_before_plugin_ignore", "mainwp_after_plugin_ignore"]) {
      t.ctx.hooks.addAction(name, (site: Any, slugs: Any) => {
        fired.push(`${name}:${site.id}:${slugs.join("|")}`);
      });
    }
    const res = await t.call("POST", `${V2}/updates/${id}/ignore/plugins`, {
      token,
      json: { slug: [first, encodeURIComponent(second)] },
    });
    assertEquals(res.body, { success: 1, data: ["success", "success"], url: sim.url(4) });
    assertEquals(fired, [
      `mainwp_before_plugin_ignore:${id}:${first}|${second}`,
      `mainwp_after_plugin_ignore:${id}:${first}|${second}`,
    ]);
    const record = await getSite(t.ctx.kv, id);
    assertEquals(JSON.parse(record!.ignored_plugins!), {
      [first]: { Name: plugins[first].Name, ignored_versions: ["all_versions"] },
      [second]: { Name: plugins[second].Name, ignored_versions: ["all_versions"] },
    });
    assert(record!.ignored_plugins!.includes("\\/"), "stored as wp_json_encode writes it");
    const again = await t.call("POST", `${V2}/updates/${id}/ignore/plugins`, {
      token,
      form: { slug: first },
    });
    assertEquals(again.body, { success: 1, data: [], url: sim.url(4) });

    const listed = (await t.call("GET", `${V2}/updates/${id}?type=plugins`, { token })).body.data.plugins;
    assertEquals(Object.keys(listed), Object.keys(plugins).slice(2));
    const ignored = await t.call("GET", `${V2}/updates/${id}/ignored`, { token });
    assertEquals(ignored.body, {
      success: 1,
      data: { plugins: JSON.parse(record!.ignored_plugins!) },
    });
    assertEquals((await t.call("GET", `${V2}/updates/${id}/ignored?type=themes`, { token })).body.data, []);
    assertEquals((await t.call("GET", `${V2}/updates/ignored`, { token })).body, { success: 1, data: [] });
    assertEquals(
      (await t.call("POST", `${V2}/updates/${id}/update/plugins`, { token, json: { slug: first } })).body,
      { success: 0, message: "No Plugins to update." },
    );
    assertEquals(sim.calls(4).upgradeplugintheme ?? 0, 0);
    // the whole-site run skips them too
    await t.call("POST", `${V2}/updates/${id}/update`, { token });
    assertEquals(sim.site(4).pendingUpdates.plugins, 2);
    const left = (await t.call("GET", `${V2}/updates/${id}`, { token })).body.data;
    assertEquals([left.plugins, left.themes], [[], []]);

    // themes, by stylesheet
    const themesRes = await t.call("POST", `${V2}/updates/${ids[0]}/ignore/themes`, {
      token,
      json: { slug: "generatepress" },
    });
    assertEquals(themesRes.body, { success: 1, data: ["success"], url: sim.url(1) });
    assertEquals(
      (await t.call("GET", `${V2}/updates/${ids[0]}?type=themes`, { token })).body.data.themes,
      [],
    );
    assertEquals(
      (await t.call("GET", `${V2}/updates/${ids[0]}/ignored?type=themes&search=GENERATE`, { token })).body
        .data,
      { themes: { generatepress: { Name: "GeneratePress", ignored_versions: ["all_versions"] } } },
    );
  } finally {
    await close();
  }
});

Deno.test("ignore flags: wp, all plugins, all themes; bad slug input changes nothing", async () => {
  const { t, sim, token, ids, close } = await updatesApp(4);
  try {
    const id = ids[3];
    const before = await getSite(t.ctx.kv, id);
    const bad = await t.call("POST", `${V2}/updates/${id}/ignore/plugins`, {
      token,
      json: { slug: { x: 1 } },
    });
    assertEquals([bad.status, bad.body.code], [400, "rest_invalid_param"]);
    const badList = await t.call("POST", `${V2}/updates/${id}/ignore/themes`, {
      token,
      json: { slug: [["x"]] },
    });
    assertEquals([badList.status, badList.body.code], [400, "rest_invalid_param"]);
    assertEquals(await getSite(t.ctx.kv, id), before);

    const plugins = await t.call("POST", `${V2}/updates/${id}/ignore/plugins`, { token });
    assertEquals(plugins.body, {
      success: 1,
      message: "Ignore update plugins per site successfully.",
      url: sim.url(4),
    });
    assertEquals((await getSite(t.ctx.kv, id))!.is_ignorePluginUpdates, 1);
    assertEquals((await t.call("GET", `${V2}/updates/${id}?type=plugins`, { token })).body.data, {
      plugins: [],
    });
    assertEquals(
      (await t.call("POST", `${V2}/updates/${id}/update/plugins`, { token, json: { slug: "x" } })).body,
      { success: 0, message: "Plugins ignored updates per site." },
    );
    const themes = await t.call("POST", `${V2}/updates/${id}/ignore/themes`, { token, form: { slug: "" } });
    assertEquals(themes.body.message, "Ignore update themes per site successfully.");
    assertEquals(
      (await t.call("POST", `${V2}/updates/${id}/update/themes`, { token })).body,
      { success: 0, message: "Themes ignored updates per site." },
    );
    assertEquals(sim.calls(4).upgradeplugintheme ?? 0, 0);

    const core = await t.call("POST", `${V2}/updates/${ids[1]}/ignore/wp`, { token });
    assertEquals(core.body, { success: 1, message: "Ignore core update successfully." });
    assertEquals((await t.call("GET", `${V2}/updates/${ids[1]}?type=wp`, { token })).body.data, { wp: [] });
    const all = (await t.call("GET", `${V2}/updates?type=wp`, { token })).body.data;
    assertEquals(all[String(ids[1])], { wp: [] });
    // ignored updates are not run by "update everything"
    await t.call("POST", `${V2}/updates/update`, { token });
    assertEquals(sim.site(2).pendingUpdates.core, true);
    assertEquals(sim.site(4).pendingUpdates.plugins, 3);
    assertEquals(sim.site(4).pendingUpdates.themes, 2);
    assertEquals(sim.site(4).pendingUpdates.translations, 0);
  } finally {
    await close();
  }
});

Deno.test("global ignore lists: GET /updates/ignored, merged site lists, version-specific entries", async () => {
  const { t, token, ids, close } = await updatesApp(4);
  try {
    const site4 = (await t.call("GET", `${V2}/updates/${ids[3]}?type=plugins`, { token })).body.data.plugins;
    const [first, second] = Object.keys(site4);
    assertEquals(
      await setGlobalIgnored(t.ctx, "plugins", "ignore", [first], { [first]: site4[first].Name }),
      [first],
    );
    const global = await t.call("GET", `${V2}/updates/ignored`, { token });
    assertEquals(global.body, {
      success: 1,
      data: { plugins: { [first]: { Name: site4[first].Name, ignored_versions: ["all_versions"] } } },
    });
    assertEquals((await t.call("GET", `${V2}/updates/ignored?type=themes`, { token })).body.data, []);
    assertEquals((await t.call("GET", `${V2}/updates/ignored?search=zzz`, { token })).body.data, []);
    const listed = (await t.call("GET", `${V2}/updates?type=plugins`, { token })).body.data;
    for (const id of ids) assertEquals(first in listed[String(id)].plugins ? id : null, null);
    // site list first, then the global entries it does not name
    await t.call("POST", `${V2}/updates/${ids[3]}/ignore/plugins`, { token, json: { slug: second } });
    const merged = await t.call("GET", `${V2}/updates/${ids[3]}/ignored?type=plugins`, { token });
    assertEquals(Object.keys(merged.body.data.plugins), [second, first]);
    // an entry for other versions only does not hide this update
    const version = site4[second].update.new_version;
    await updateGlobalIgnored(t.ctx.kv, "plugins", () => ({
      [first]: { Name: "x", ignored_versions: ["0.0.1"] },
    }));
    assert(
      first in (await t.call("GET", `${V2}/updates/${ids[3]}?type=plugins`, { token })).body.data.plugins,
    );
    await updateGlobalIgnored(t.ctx.kv, "plugins", () => ({
      [first]: { Name: "x", ignored_versions: [site4[first].update.new_version] },
      [second]: "legacy string entry",
    }));
    assertEquals(
      Object.keys((await t.call("GET", `${V2}/updates/${ids[3]}?type=plugins`, { token })).body.data.plugins),
      Object.keys(site4).filter((s) => s !== first && s !== second),
    );
    assert(version);
    assertEquals(await setGlobalIgnored(t.ctx, "plugins", "unignore", [first, second, "nope"]), [
      first,
      second,
    ]);
    assertEquals(await getGlobalIgnored(t.ctx.kv, "plugins"), {});
  } finally {
    await close();
  }
});

Deno.test("rollback entries appear next to the updates they concern", async () => {
  const { t, token, close } = await updatesApp(1);
  try {
    const site = await storedSite(t, { url: "https://rolled.example.com/" }, {
      plugin_upgrades: JSON.stringify({
        "a/a.php": upgradeEntry("Alpha", "1.0", "2.0"),
        "b/b.php": upgradeEntry("Beta", "1.0", "1.1"),
      }),
      theme_upgrades: "[]",
      options: {
        rollback_updates_data: JSON.stringify({
          plugin: {
            "a/a.php": { "2.0": { name: "Alpha", old_version: "1.0", version: "2.0", created: 5 } },
            "b/b.php": { "1.0": { name: "Beta", old_version: "0.9", version: "1.0", created: 4 } },
          },
        }),
      },
    });
    const res = await t.call("GET", `${V2}/updates/${site.id}`, { token });
    assertEquals(Object.keys(res.body.data), ["wp", "plugins", "rollback_plugins", "themes", "translations"]);
    assertEquals(res.body.data.rollback_plugins, {
      "a/a.php": { name: "Alpha", old_version: "1.0", version: "2.0", created: 5 },
    });
    const list = await t.call("GET", `${V2}/updates?type=themes`, { token });
    assertEquals(list.body.data[String(site.id)], { themes: [] });
    const searched = await t.call("GET", `${V2}/updates/${site.id}?type=plugins&search=beta`, { token });
    assertEquals(Object.keys(searched.body.data), ["plugins"]);
  } finally {
    await close();
  }
});
