import { assert, assertEquals } from "@std/assert";
import { MAINWP_ABILITY_NAMES } from "../../abilities/mainwp/index.ts";
import { abilityClient } from "./_helpers.ts";
import { updatesApp } from "../updates_fixtures.ts";
import { getSiteSync, updateSite, writeSiteSync } from "../../store/sites.ts";
import { updateGlobalIgnored } from "../../store/settings.ts";
import { restError } from "../../rest/errors.ts";

// Simulated sites (deterministic content, sim/catalog.ts):
// site 2: core 6.6.2 → 6.7.1, 3 plugin updates, no theme update, 1 translation;
// site 4: no core update, 3 plugin updates, 2 theme updates, 2 translations.

// deno-lint-ignore no-explicit-any
type Any = any;

const bySlug = (items: Any[], type: string) => items.filter((i) => i.type === type).map((i) => i.slug);

/** Makes a site's stored child version look old. */
async function outdate(t: Any, id: number, version = "3.9") {
  await writeSiteSync(t.ctx.kv, id, (prev) => ({ ...prev, version }));
}

async function expectInvalid(run: Any, name: string, input: unknown) {
  const res = await run(name, input);
  assertEquals([res.status, res.body.code], [400, "ability_invalid_input"], `${name}: ${res.text}`);
}

Deno.test("list-updates-v1: flat items over sites, summary, types, paging, errors, ignore rules", async () => {
  const { t, ids, close } = await updatesApp(4);
  try {
    const { run } = await abilityClient(t);
    const all = await run("mainwp/list-updates-v1");
    assertEquals(all.status, 200, all.text);
    const items: Any[] = all.body.updates;
    assertEquals(all.body.total, all.body.summary.total);
    assertEquals(all.body.errors, []);
    const site2 = items.filter((i) => i.site_id === ids[1]);
    assertEquals(site2[0], {
      site_id: ids[1],
      site_url: site2[0].site_url,
      site_name: "Site 2",
      type: "core",
      slug: "wordpress",
      name: "WordPress",
      current_version: "6.6.2",
      new_version: "6.7.1",
    });
    assertEquals(site2.map((i) => i.type), ["core", "plugin", "plugin", "plugin", "translation"]);
    const plugin = site2[1];
    assert(plugin.name && plugin.current_version && plugin.new_version && plugin.slug.includes(".php"));
    // explicit sites (input order), types, paging, errors
    const some = await run("mainwp/list-updates-v1", {
      site_ids_or_domains: [ids[3], 999, ids[1]],
      types: ["themes", "core"],
      per_page: 2,
      page: 1,
    });
    assertEquals(some.status, 200, some.text);
    assertEquals(some.body.summary, { core: 1, plugins: 0, themes: 2, translations: 0, total: 3 });
    assertEquals(some.body.updates.map((i: Any) => [i.site_id, i.type]), [[ids[3], "theme"], [
      ids[3],
      "theme",
    ]]);
    assertEquals([some.body.page, some.body.per_page, some.body.total], [1, 2, 3]);
    assertEquals(some.body.errors, [{
      site_id: 0,
      site_url: "999",
      site_name: "",
      type: "site",
      slug: "",
      code: "mainwp_site_not_found",
      message: "No site found with ID 999.",
    }]);
    const page2 = await run("mainwp/list-updates-v1", {
      site_ids_or_domains: [ids[3], ids[1]],
      types: ["themes", "core"],
      per_page: 2,
      page: 2,
    });
    assertEquals(page2.body.updates.map((i: Any) => i.type), ["core"]);
    // ignore rules: global plugin list, site flag, core option
    await updateGlobalIgnored(t.ctx.kv, "plugins", (list) => ({
      ...list,
      [plugin.slug]: { Name: plugin.name, ignored_versions: [plugin.new_version] },
    }));
    await updateSite(t.ctx.kv, ids[3], (s) => ({ ...s, is_ignoreThemeUpdates: 1 }));
    const after = await run("mainwp/list-updates-v1", { site_ids_or_domains: [ids[1], ids[3]] });
    assert(!after.body.updates.some((i: Any) => i.site_id === ids[1] && i.slug === plugin.slug));
    assertEquals(after.body.summary.themes, 0);
    // invalid input
    await expectInvalid(run, "mainwp/list-updates-v1", { types: ["widgets"] });
    await expectInvalid(run, "mainwp/list-updates-v1", { per_page: 500 });
    await expectInvalid(run, "mainwp/list-updates-v1", { nope: 1 });
  } finally {
    await close();
  }
});

Deno.test("get-site-updates-v1: one site's items, types, rollback default; unknown site is 403", async () => {
  const { t, ids, close } = await updatesApp(4);
  try {
    const { run } = await abilityClient(t);
    const res = await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[3] });
    assertEquals(res.status, 200, res.text);
    assertEquals(res.body.site_id, ids[3]);
    assertEquals(res.body.summary, { core: 0, plugins: 3, themes: 2, translations: 2, total: 7 });
    assertEquals(res.body.rollback_items, { plugins: [], themes: [] });
    const typed = await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[1], types: ["core"] });
    assertEquals(typed.body.updates.map((i: Any) => i.slug), ["wordpress"]);
    const missing = await run("mainwp/get-site-updates-v1", { site_id_or_domain: 999 });
    assertEquals([missing.status, missing.body.code], [403, "mainwp_site_not_found"]);
    await expectInvalid(run, "mainwp/get-site-updates-v1", {});
    await expectInvalid(run, "mainwp/get-site-updates-v1", { site_id_or_domain: 1, types: ["x"] });
  } finally {
    await close();
  }
});

Deno.test("update-site-plugins-v1: updates the named plugin, which then leaves the lists; offline/outdated refused", async () => {
  const { t, ids, close } = await updatesApp(4);
  try {
    const { run } = await abilityClient(t);
    const fired: string[] = [];
    t.ctx.hooks.addAction(
      "mainwp_before_plugin_theme_translation_update",
      (type: string, csv: string) => fired.push(`before ${type} ${csv}`),
    );
    t.ctx.hooks.addAction(
      "mainwp_after_plugin_theme_translation_update",
      (info: unknown, type: string) => fired.push(`after ${type} ${info ? "reply" : "none"}`),
    );
    const list = await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[3], types: ["plugins"] });
    const [first, second] = list.body.updates as Any[];
    const res = await run("mainwp/update-site-plugins-v1", {
      site_id_or_domain: ids[3],
      slugs: [first.slug],
    });
    assertEquals(res.status, 200, res.text);
    assertEquals(res.body.summary, { total_updated: 1, total_errors: 0 });
    assertEquals(res.body.errors, []);
    assertEquals(res.body.updated, [{
      site_id: ids[3],
      site_url: first.site_url,
      site_name: first.site_name,
      type: "plugin",
      slug: first.slug,
      name: first.name,
      old_version: first.current_version,
      new_version: first.new_version,
    }]);
    assertEquals(fired, [`before plugin ${first.slug}`, "after plugin reply"]);
    const left = await run("mainwp/list-updates-v1", { site_ids_or_domains: [ids[3]], types: ["plugins"] });
    assertEquals(bySlug(left.body.updates, "plugin"), [second.slug, (list.body.updates as Any[])[2].slug]);
    // nothing to do: a slug without an update
    const none = await run("mainwp/update-site-plugins-v1", {
      site_id_or_domain: ids[3],
      slugs: [first.slug],
    });
    assertEquals(none.body, { updated: [], errors: [], summary: { total_updated: 0, total_errors: 0 } });
    // offline (stored uptime result) and outdated child
    await updateSite(t.ctx.kv, ids[3], (s) => ({ ...s, offline_check_result: -1 }));
    const offline = await run("mainwp/update-site-plugins-v1", { site_id_or_domain: ids[3] });
    assertEquals([offline.status, offline.body.code], [400, "mainwp_site_offline"]);
    await updateSite(t.ctx.kv, ids[3], (s) => ({ ...s, offline_check_result: 1 }));
    await outdate(t, ids[3]);
    const old = await run("mainwp/update-site-plugins-v1", { site_id_or_domain: ids[3] });
    assertEquals([old.status, old.body.code], [400, "mainwp_child_outdated"]);
    assertEquals(old.body.message, "Child plugin version 4.0 or higher required.");
    const missing = await run("mainwp/update-site-plugins-v1", { site_id_or_domain: "nowhere.example" });
    assertEquals([missing.status, missing.body.code], [403, "mainwp_site_not_found"]);
    await expectInvalid(run, "mainwp/update-site-plugins-v1", { slugs: [] });
    await expectInvalid(run, "mainwp/update-site-plugins-v1", { site_id_or_domain: 1, extra: true });
  } finally {
    await close();
  }
});

Deno.test("update-site-themes-v1 and update-site-translations-v1: all pending items; nothing left afterwards", async () => {
  const { t, ids, close } = await updatesApp(4);
  try {
    const { run } = await abilityClient(t);
    const themes = await run("mainwp/update-site-themes-v1", { site_id_or_domain: ids[3] });
    assertEquals(themes.status, 200, themes.text);
    assertEquals(themes.body.summary, { total_updated: 2, total_errors: 0 });
    assert(themes.body.updated.every((u: Any) => u.type === "theme" && u.old_version !== u.new_version));
    const translations = await run("mainwp/update-site-translations-v1", { site_id_or_domain: ids[3] });
    assertEquals(translations.status, 200, translations.text);
    assertEquals(translations.body.summary.total_errors, 0);
    assert(translations.body.summary.total_updated >= 1);
    const left = await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[3] });
    assertEquals([left.body.summary.themes, left.body.summary.translations], [0, 0]);
    const again = await run("mainwp/update-site-themes-v1", { site_id_or_domain: ids[3] });
    assertEquals(again.body.summary, { total_updated: 0, total_errors: 0 });
    await expectInvalid(run, "mainwp/update-site-themes-v1", { site_id_or_domain: ids[3], slugs: [{}] });
    await expectInvalid(run, "mainwp/update-site-translations-v1", {});
    await outdate(t, ids[1], "4.0");
    const ok = await run("mainwp/update-site-translations-v1", { site_id_or_domain: ids[1] });
    assertEquals(ok.status, 200, "4.0 is new enough for update-site-*");
  } finally {
    await close();
  }
});

Deno.test("update-site-core-v1: updates core with hooks; then 404 mainwp_no_updates; child failure is 500 without data", async () => {
  const { t, ids, close } = await updatesApp(2);
  try {
    const { run } = await abilityClient(t);
    const fired: string[] = [];
    t.ctx.hooks.addAction("mainwp_before_wp_update", (site: Any) => fired.push(`before ${site.id}`));
    t.ctx.hooks.addAction("mainwp_after_wp_update", (info: Any) => fired.push(`after ${info.upgrade}`));
    t.ctx.hooks.addAction("mainwp_after_upgrade_wp_success", (site: Any) => fired.push(`success ${site.id}`));
    const res = await run("mainwp/update-site-core-v1", { site_id_or_domain: ids[1] });
    assertEquals(res.status, 200, res.text);
    assertEquals(res.body.updated, {
      site_id: ids[1],
      site_url: res.body.updated.site_url,
      site_name: "Site 2",
      type: "core",
      slug: "wordpress",
      name: "WordPress",
      old_version: "6.6.2",
      new_version: "6.7.1",
    });
    assertEquals(fired, [`before ${ids[1]}`, "after SUCCESS", `success ${ids[1]}`]);
    const none = await run("mainwp/update-site-core-v1", { site_id_or_domain: ids[1] });
    assertEquals([none.status, none.body.code, none.body.message], [
      404,
      "mainwp_no_updates",
      "No core updates available for this site.",
    ]);
    // a stale stored update: the child (already current) answers NORESPONSE
    await writeSiteSync(
      t.ctx.kv,
      ids[1],
      (p) => ({ ...p, wp_upgrades: '{"current":"6.6.2","new":"6.7.1"}' }),
    );
    const failed = await run("mainwp/update-site-core-v1", { site_id_or_domain: ids[1] });
    assertEquals([failed.status, failed.body], [500, {
      code: "mainwp_update_failed",
      message: "No response from the child site server.",
      data: null,
    }]);
    await outdate(t, ids[1], "3.2");
    const old = await run("mainwp/update-site-core-v1", { site_id_or_domain: ids[1] });
    assertEquals([old.status, old.body.code], [400, "mainwp_child_outdated"]);
    await expectInvalid(run, "mainwp/update-site-core-v1", {});
    await expectInvalid(run, "mainwp/update-site-core-v1", { site_id_or_domain: true });
  } finally {
    await close();
  }
});

Deno.test("run-updates-v1: types, specific items, denied and site errors, filter, summary; applied updates vanish", async () => {
  const { t, ids, close } = await updatesApp(4);
  try {
    const { run } = await abilityClient(t);
    const before = await run("mainwp/list-updates-v1", { site_ids_or_domains: [ids[1]], types: ["plugins"] });
    const target = before.body.updates[0];
    const res = await run("mainwp/run-updates-v1", {
      site_ids_or_domains: [ids[1], 999],
      types: ["plugins", "core"],
      specific_items: [target.slug, "wordpress"],
    });
    assertEquals(res.status, 200, res.text);
    assertEquals(res.body.updated.map((u: Any) => [u.type, u.slug]), [["core", "wordpress"], [
      "plugin",
      target.slug,
    ]]);
    assertEquals(res.body.errors, [{
      site_id: 0,
      site_url: "999",
      type: "site",
      slug: "",
      code: "mainwp_site_not_found",
      message: "No site found with ID 999.",
    }]);
    assertEquals(res.body.summary, { total_updated: 2, total_errors: 1, sites_updated: 1 });
    const after = await run("mainwp/list-updates-v1", { site_ids_or_domains: [ids[1]] });
    assert(!after.body.updates.some((i: Any) => i.slug === target.slug || i.type === "core"));
    assertEquals(after.body.summary.plugins, 2);
    // offline, outdated (reported even without updates), filter refusal
    await updateSite(t.ctx.kv, ids[0], (s) => ({ ...s, offline_check_result: -1 }));
    await outdate(t, ids[2], "4.0");
    t.ctx.hooks.addFilter(
      "mainwp_run_update_result",
      (value: unknown, siteId: number) => siteId === ids[3] ? restError("blocked", "Not today.", 403) : value,
    );
    const refused = await run("mainwp/run-updates-v1", {
      site_ids_or_domains: [ids[0], ids[2], ids[3]],
      types: ["translations"],
    });
    assertEquals(refused.status, 200, refused.text);
    assertEquals(refused.body.errors.map((e: Any) => [e.site_id, e.type, e.code]), [
      [ids[0], "site", "mainwp_site_offline"],
      [ids[2], "site", "mainwp_child_outdated"],
      [ids[3], "site", "blocked"],
    ]);
    assertEquals(refused.body.errors[1].message, "Child plugin version 4.0.0 or higher required.");
    assertEquals(refused.body.summary, { total_updated: 0, total_errors: 3, sites_updated: 0 });
    await expectInvalid(run, "mainwp/run-updates-v1", { types: ["everything"] });
    await expectInvalid(run, "mainwp/run-updates-v1", { specific_items: [{}] });
  } finally {
    await close();
  }
});

Deno.test("update-all-v1: every pending update; explicit empty types do nothing; outdated → one error per item", async () => {
  const { t, ids, close } = await updatesApp(4);
  try {
    const { run } = await abilityClient(t);
    const nothing = await run("mainwp/update-all-v1", { types: [] });
    assertEquals(nothing.body, {
      updated: [],
      errors: [],
      summary: { total_updated: 0, total_errors: 0, sites_updated: 0 },
    });
    await outdate(t, ids[3], "3.9");
    const site4 = (await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[3] })).body
      .updates as Any[];
    const pending = (await run("mainwp/list-updates-v1")).body.summary.total;
    const res = await run("mainwp/update-all-v1", {
      site_ids_or_domains: [ids[0], ids[1], ids[2], ids[3], "nowhere.example"],
    });
    assertEquals(res.status, 200, res.text);
    const outdated = res.body.errors.filter((e: Any) => e.code === "mainwp_child_outdated");
    assertEquals(outdated.map((e: Any) => [e.type, e.slug]), site4.map((i) => [i.type, i.slug]));
    assert(outdated.every((e: Any) => e.site_name === "Site 4"));
    const notFound = res.body.errors.find((e: Any) => e.code === "mainwp_site_not_found");
    assertEquals(notFound.site_name, "");
    assertEquals(res.body.summary.total_updated, pending - site4.length);
    assertEquals(res.body.summary.total_errors, site4.length + 1);
    assertEquals(res.body.summary.sites_updated, 3);
    const left = await run("mainwp/list-updates-v1");
    assertEquals(left.body.summary.total, site4.length);
    // offline site: a site error; sites with nothing pending are skipped silently
    await updateSite(t.ctx.kv, ids[3], (s) => ({ ...s, offline_check_result: -1 }));
    const again = await run("mainwp/update-all-v1");
    assertEquals(again.body.updated, []);
    assertEquals(again.body.errors.map((e: Any) => [e.site_id, e.code, e.site_name]), [[
      ids[3],
      "mainwp_site_offline",
      "Site 4",
    ]]);
    await expectInvalid(run, "mainwp/update-all-v1", { types: ["core", "all"] });
    await expectInvalid(run, "mainwp/update-all-v1", { site_ids_or_domains: [true] });
  } finally {
    await close();
  }
});

Deno.test("ignore-site-plugins-v1 / ignore-site-themes-v1: counts and messages; lists follow", async () => {
  const { t, ids, close } = await updatesApp(4);
  try {
    const { run } = await abilityClient(t);
    const plugins =
      (await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[3], types: ["plugins"] }))
        .body.updates as Any[];
    const [a, b] = plugins.map((p) => p.slug);
    const add = await run("mainwp/ignore-site-plugins-v1", { site_id_or_domain: ids[3], slugs: [a, b, a] });
    assertEquals(add.body, { success: true, message: "2 plugins ignored.", ignored_count: 2 });
    const again = await run("mainwp/ignore-site-plugins-v1", { site_id_or_domain: ids[3], slugs: [a] });
    assertEquals(again.body, { success: false, message: "No plugins were ignored.", ignored_count: 0 });
    const listed = await run("mainwp/list-updates-v1", { site_ids_or_domains: [ids[3]], types: ["plugins"] });
    assertEquals(bySlug(listed.body.updates, "plugin"), [plugins[2].slug]);
    const ignored = await run("mainwp/list-ignored-updates-v1", { site_ids_or_domains: [ids[3]] });
    assertEquals(ignored.body.ignored.map((i: Any) => [i.type, i.slug, i.ignored_version]), [
      ["plugin", a, "all_versions"],
      ["plugin", b, "all_versions"],
    ]);
    const remove = await run("mainwp/ignore-site-plugins-v1", {
      site_id_or_domain: ids[3],
      slugs: [a],
      action: "remove",
    });
    assertEquals(remove.body, { success: true, message: "1 plugin unignored.", ignored_count: 1 });
    const none = await run("mainwp/ignore-site-plugins-v1", {
      site_id_or_domain: ids[3],
      slugs: [],
      action: "remove",
    });
    assertEquals(none.body, { success: false, message: "No plugins were unignored.", ignored_count: 0 });
    const site = await getSiteSync(t.ctx.kv, ids[3]);
    assert(site, "sync data kept");
    // themes, with the after-ignore hook
    const hooks: string[] = [];
    t.ctx.hooks.addAction("mainwp_after_theme_ignore", () => hooks.push("ignored"));
    t.ctx.hooks.addAction("mainwp_after_theme_unignore", () => hooks.push("unignored"));
    const themes = (await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[3], types: ["themes"] }))
      .body.updates as Any[];
    const theme = await run("mainwp/ignore-site-themes-v1", {
      site_id_or_domain: ids[3],
      slugs: [themes[0].slug],
    });
    assertEquals(theme.body, { success: true, message: "1 theme ignored.", ignored_count: 1 });
    const count =
      (await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[3] })).body.summary.themes;
    assertEquals(count, themes.length - 1);
    const back = await run("mainwp/ignore-site-themes-v1", {
      site_id_or_domain: ids[3],
      slugs: [themes[0].slug, "nope"],
      action: "remove",
    });
    assertEquals(back.body, { success: true, message: "1 theme unignored.", ignored_count: 1 });
    assertEquals(hooks, ["ignored", "unignored"]);
    await expectInvalid(run, "mainwp/ignore-site-plugins-v1", { site_id_or_domain: ids[3] });
    await expectInvalid(run, "mainwp/ignore-site-themes-v1", {
      site_id_or_domain: ids[3],
      slugs: [],
      action: "drop",
    });
    const missing = await run("mainwp/ignore-site-themes-v1", { site_id_or_domain: 999, slugs: ["x"] });
    assertEquals([missing.status, missing.body.code], [403, "mainwp_site_not_found"]);
  } finally {
    await close();
  }
});

Deno.test("ignore-site-core-v1: hides the core update from lists and runs; remove restores it", async () => {
  const { t, ids, close } = await updatesApp(2);
  try {
    const { run } = await abilityClient(t);
    const hooks: string[] = [];
    t.ctx.hooks.addAction(
      "mainwp_after_core_unignore",
      (_list: unknown, site: Any) => hooks.push(`${site.id}`),
    );
    const add = await run("mainwp/ignore-site-core-v1", { site_id_or_domain: ids[1] });
    assertEquals(add.body, {
      success: true,
      message: "Core updates ignored for this site.",
      ignored_count: 1,
    });
    const listed = await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[1], types: ["core"] });
    assertEquals(listed.body.updates, []);
    const ran = await run("mainwp/run-updates-v1", { site_ids_or_domains: [ids[1]], types: ["core"] });
    assertEquals(ran.body.updated, []);
    const ignored = await run("mainwp/list-ignored-updates-v1", { types: ["core"] });
    assertEquals(ignored.body.ignored, [{
      site_id: ids[1],
      site_url: ignored.body.ignored[0].site_url,
      site_name: "Site 2",
      type: "core",
      slug: "wordpress",
      name: "WordPress",
      ignored_version: "all_versions",
    }]);
    const remove = await run("mainwp/ignore-site-core-v1", { site_id_or_domain: ids[1], action: "remove" });
    assertEquals(remove.body, {
      success: true,
      message: "Core updates unignored for this site.",
      ignored_count: 1,
    });
    assertEquals(hooks, [String(ids[1])]);
    const back = await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[1], types: ["core"] });
    assertEquals(back.body.updates.length, 1);
    await expectInvalid(run, "mainwp/ignore-site-core-v1", { site_id_or_domain: ids[1], action: "toggle" });
    await expectInvalid(run, "mainwp/ignore-site-core-v1", {});
  } finally {
    await close();
  }
});

Deno.test("set-ignored-updates-v1 and list-ignored-updates-v1: site and global lists, types, errors", async () => {
  const { t, ids, close } = await updatesApp(2);
  try {
    const { run } = await abilityClient(t);
    const plugin =
      (await run("mainwp/get-site-updates-v1", { site_id_or_domain: ids[1], types: ["plugins"] }))
        .body.updates[0];
    const set = await run("mainwp/set-ignored-updates-v1", {
      action: "ignore",
      site_id_or_domain: ids[1],
      type: "plugin",
      slug: plugin.slug,
    });
    assertEquals(set.body, {
      success: true,
      action: "ignore",
      site_id: ids[1],
      type: "plugin",
      slug: plugin.slug,
    });
    await run("mainwp/set-ignored-updates-v1", {
      action: "ignore",
      site_id_or_domain: ids[1],
      type: "core",
      slug: "",
    });
    await updateGlobalIgnored(t.ctx.kv, "themes", (list) => ({
      ...list,
      "twentyten": "Twenty Ten",
      "astra": { Name: "Astra", ignored_versions: ["4.1", "4.2"] },
    }));
    const listed = await run("mainwp/list-ignored-updates-v1", {
      site_ids_or_domains: [ids[1], "nowhere.example"],
    });
    assertEquals(listed.status, 200, listed.text);
    assertEquals(listed.body.ignored.map((i: Any) => [i.type, i.slug, i.name, i.ignored_version]), [
      ["core", "wordpress", "WordPress", "all_versions"],
      ["plugin", plugin.slug, plugin.name, "all_versions"],
      ["theme", "twentyten", "Twenty Ten", "all_versions"],
      ["theme", "astra", "Astra", "4.1, 4.2"],
    ]);
    assertEquals(listed.body.total, 4);
    assertEquals(listed.body.errors.map((e: Any) => [e.site_id, e.site_url, e.code]), [
      [0, "nowhere.example", "mainwp_site_not_found"],
    ]);
    const typed = await run("mainwp/list-ignored-updates-v1", {
      site_ids_or_domains: [ids[0]],
      types: ["themes"],
    });
    assertEquals(typed.body.total, 2);
    // unignore
    const un = await run("mainwp/set-ignored-updates-v1", {
      action: "unignore",
      site_id_or_domain: ids[1],
      type: "plugin",
      slug: plugin.slug,
    });
    assertEquals(un.body.success, true);
    await run("mainwp/set-ignored-updates-v1", {
      action: "unignore",
      site_id_or_domain: ids[1],
      type: "core",
      slug: "",
    });
    const after = await run("mainwp/list-ignored-updates-v1", {
      site_ids_or_domains: [ids[1]],
      types: ["core", "plugins"],
    });
    assertEquals(after.body.ignored, []);
    const missing = await run("mainwp/set-ignored-updates-v1", {
      action: "ignore",
      site_id_or_domain: 999,
      type: "plugin",
      slug: "x",
    });
    assertEquals([missing.status, missing.body.code], [403, "mainwp_site_not_found"]);
    await expectInvalid(run, "mainwp/set-ignored-updates-v1", {
      action: "ignore",
      site_id_or_domain: 1,
      type: "plugins",
      slug: "x",
    });
    await expectInvalid(run, "mainwp/set-ignored-updates-v1", {
      action: "ignore",
      site_id_or_domain: 1,
      type: "plugin",
    });
    await expectInvalid(run, "mainwp/list-ignored-updates-v1", { types: ["translations"] });
  } finally {
    await close();
  }
});

Deno.test("update abilities: catalogue entries (category, method, permission)", async () => {
  const { t, close } = await updatesApp(1);
  try {
    const names = MAINWP_ABILITY_NAMES.filter((n) => t.ctx.abilities.get(n)?.category === "mainwp-updates")
      .map((n) => n.slice("mainwp/".length));
    assertEquals(names.length, 13);
    const flags = (n: string) => {
      const a = t.ctx.abilities.get(`mainwp/${n}`)!.annotations!;
      return `${a.readonly ? "T" : "F"}${a.destructive ? "T" : "F"}${a.idempotent ? "T" : "F"}`;
    };
    assertEquals(
      names.map((n) => [n, t.ctx.abilities.get(`mainwp/${n}`)?.category]),
      names.map((n) => [n, "mainwp-updates"]),
    );
    assertEquals(names.map(flags), [
      "TFT",
      "FFF",
      "TFT",
      "FFT",
      "TFT",
      "FFF",
      "FFF",
      "FFF",
      "FFF",
      "FFT",
      "FFT",
      "FFT",
      "FFF",
    ]);
    const unauth = await t.call("GET", "/wp-json/wp-abilities/v1/abilities/mainwp/list-updates-v1/run");
    assertEquals([unauth.status, unauth.body.code], [401, "mainwp_permission_denied"]);
  } finally {
    await close();
  }
});
