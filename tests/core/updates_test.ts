import { assert, assertEquals } from "@std/assert";
import {
  hasPending,
  isIgnoredVersion,
  pendingSlugs,
  pendingUpdates,
  rollbackAfterUpdate,
  rollbackItems,
  storedUpdates,
  updateCounts,
  withoutIgnored,
} from "../../core/updates/pending.ts";
import { searchCore, searchMap, searchTranslations } from "../../core/updates/lists.ts";
import { coreUpdateBody, ignoreSlugs, parseUpdateTypes, updatesInfo } from "../../routes/present/updates.ts";
import { acquireLease, releaseLease } from "../../core/updates/run.ts";
import { defaultSite, type SiteSyncData } from "../../store/sites.ts";
import { getGlobalIgnored, updateGlobalIgnored } from "../../store/settings.ts";

const up = (name: string, version: string, next: string) => ({
  Name: name,
  Version: version,
  update: { new_version: next },
});

const SYNC: SiteSyncData = {
  wp_upgrades: JSON.stringify({ current: "6.4.3", new: "6.5" }),
  plugin_upgrades: JSON.stringify({ "a/a.php": up("Alpha", "1", "2"), "b/b.php": up("Beta", "1", "1.1") }),
  theme_upgrades: "[]",
  translation_upgrades: JSON.stringify([
    { type: "plugin", slug: "a", language: "de_DE", version: "2", name: "Alpha" },
    { type: "core", slug: "default", language: "de_DE", version: "6.5", name: "WordPress" },
    { type: "theme", slug: "default", language: "fr_FR", version: "6.5", name: "WordPress" },
  ]),
};

Deno.test("storedUpdates parses once per sync object; broken or empty columns are empty", () => {
  const stored = storedUpdates(SYNC);
  assertEquals(stored.wp, { current: "6.4.3", new: "6.5" });
  assertEquals(Object.keys(stored.plugins), ["a/a.php", "b/b.php"]);
  assertEquals(stored.themes, {});
  assert(storedUpdates(SYNC) === stored, "cached");
  assertEquals(storedUpdates({ wp_upgrades: "[]", plugin_upgrades: "{broken" }), {
    wp: null,
    plugins: {},
    themes: {},
    translations: [],
    rollback: {},
  });
  assertEquals(storedUpdates(null).translations, []);
});

Deno.test("ignore rules: flags, site list, global list, ignored_versions, legacy string entries", () => {
  assert(isIgnoredVersion("Alpha", "2"));
  assert(isIgnoredVersion({ Name: "A", ignored_versions: ["all_versions"] }, "9"));
  assert(isIgnoredVersion({ Name: "A", ignored_versions: ["2"] }, "2"));
  assert(!isIgnoredVersion({ Name: "A", ignored_versions: ["2"] }, "3"));
  assert(!isIgnoredVersion({ Name: "A", ignored_versions: [] }, "3"));
  assert(!isIgnoredVersion(undefined, "3"));
  assertEquals(
    Object.keys(withoutIgnored(storedUpdates(SYNC).plugins, [{ "a/a.php": "Alpha" }, {}])),
    ["b/b.php"],
  );
  const site = defaultSite(1, {
    url: "https://a.example",
    ignored_plugins: JSON.stringify({ "b/b.php": { Name: "Beta", ignored_versions: ["1.1"] } }),
  });
  const none = { plugins: {}, themes: {} };
  const pending = pendingUpdates(site, SYNC, none);
  assertEquals(Object.keys(pending.plugins), ["a/a.php"]);
  assertEquals(pending.translations.length, 3, "translations are never ignored");
  assertEquals(pendingSlugs(pending, "translations"), ["a", "default"]);
  const global = {
    plugins: { "a/a.php": { Name: "Alpha", ignored_versions: ["all_versions"] } },
    themes: {},
  };
  assertEquals(pendingUpdates(site, SYNC, global).plugins, {});
  const flagged = pendingUpdates({ ...site, is_ignoreCoreUpdates: 1, is_ignorePluginUpdates: 1 }, SYNC, none);
  assertEquals([flagged.wp, flagged.plugins], [null, {}]);
  assert(hasPending(flagged), "translations still pending");
  assert(!hasPending({ wp: null, plugins: {}, themes: {}, translations: [] }));
});

Deno.test("type and search filters", () => {
  assertEquals(parseUpdateTypes([]), null);
  assertEquals(parseUpdateTypes(["plugins", "all"]), null);
  assertEquals(parseUpdateTypes(["wp", "x"]), new Set(["wp", "x"]));
  const plugins = storedUpdates(SYNC).plugins;
  assertEquals(Object.keys(searchMap(plugins, "beta")), ["b/b.php"]);
  assertEquals(Object.keys(searchMap(plugins, "a/a")), ["a/a.php"]);
  assertEquals(searchMap(plugins, ""), plugins);
  assertEquals(searchMap({ k: "Some Text" }, "text"), { k: "Some Text" });
  assertEquals(searchTranslations(storedUpdates(SYNC).translations, "wordpress").length, 2);
  assertEquals(searchTranslations(storedUpdates(SYNC).translations, "nope"), []);
  assertEquals(searchCore({ current: "6.4.3", new: "6.5" }, "6.4"), { current: "6.4.3", new: "6.5" });
  assertEquals(searchCore({ current: "6.4.3", new: "6.5" }, "7"), null);
  assertEquals(searchCore(null, "x"), null);
});

Deno.test("updatesInfo and updateCounts read a child reply as MainWP does", () => {
  const reply = {
    upgrades: { "a/a.php": true, "b/b.php": false },
    upgrades_error: { "b/b.php": "Download failed <b>now</b>" },
    other_data: {
      updated_data: {
        "a/a.php": { slug: "a", name: "Alpha", old_version: "1", version: "2", success: 1 },
        "x": "not an object",
      },
    },
  };
  assertEquals(updatesInfo(reply), {
    "b%2Fb.php": { success: 0, error: "Download failed &lt;b&gt;now&lt;/b&gt;" },
    a: { success: 1, name: "Alpha", old_version: "1", version: "2" },
  });
  assertEquals(updatesInfo({}), {});
  assertEquals(updateCounts(reply, ["a/a.php", "b/b.php", "c/c.php"]), { updated: 1, errors: 1 });
  assertEquals(
    updateCounts({ other_data: { updated_data: { t: { success: 1 }, u: { success: 0 } } } }, ["t", "u"]),
    { updated: 1, errors: 1 },
  );
});

Deno.test("rollback data: remembered on rollback, forgotten on a later success, shown for the pending version", () => {
  const rolled = {
    other_data: {
      updated_data: { "a/a.php": { slug: "a", name: "Alpha", old_version: "1", version: "2", rollback: 1 } },
    },
  };
  const saved = rollbackAfterUpdate({}, "plugin", rolled, 7)!;
  assertEquals(saved, {
    plugin: { "a/a.php": { "2": { name: "Alpha", old_version: "1", version: "2", created: 7 } } },
  });
  assertEquals(rollbackAfterUpdate(saved, "plugin", rolled, 7) !== null, true);
  assertEquals(rollbackAfterUpdate({}, "theme", { other_data: {} }, 7), null);
  const stored = { ...storedUpdates(SYNC), rollback: saved };
  assertEquals(rollbackItems(stored, "plugins"), {
    "a/a.php": { name: "Alpha", old_version: "1", version: "2", created: 7 },
  });
  assertEquals(rollbackItems(stored, "themes"), {});
  const fixed = rollbackAfterUpdate(saved, "plugin", {
    other_data: { updated_data: { "a/a.php": { version: "2", success: 1 } } },
  }, 8);
  assertEquals(fixed, { plugin: { "a/a.php": {} } });
});

Deno.test("coreUpdateBody and ignoreSlugs", () => {
  assertEquals(coreUpdateBody({ upgrade: "SUCCESS", old_version: "6.4.3", version: "6.5" }), {
    success: 1,
    message: "WordPress was updated to the latest version.",
    data: { old_version: "6.4.3", version: "6.5" },
  });
  assertEquals(coreUpdateBody({ upgrade: "NORESPONSE" }), {
    success: 0,
    error: "An undefined error occured. Please try again.",
  });
  assertEquals(coreUpdateBody({ upgrade: "WPERROR", error: "Disk full & more" }), {
    success: 0,
    error: "Disk full &amp; more",
  });
  assertEquals(ignoreSlugs("akismet%2Fakismet.php, hello.php,,hello.php"), [
    "akismet/akismet.php",
    "hello.php",
  ]);
  assertEquals(ignoreSlugs(["a", 5]), ["a", "5"]);
  assertEquals(ignoreSlugs(undefined), []);
});

Deno.test("leases: one holder at a time, released by token, expired ones taken over; global lists store", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const key = ["locks", "test"];
    const first = await acquireLease(kv, key, 60);
    assert("lease" in first);
    const second = await acquireLease(kv, key, 60);
    assert("held" in second);
    assertEquals(second.held.token, first.lease.token);
    await releaseLease(kv, key, { ...first.lease, token: "someone-else" });
    assert("held" in await acquireLease(kv, key, 60), "a foreign token does not release");
    await releaseLease(kv, key, first.lease);
    const third = await acquireLease(kv, key, 60);
    assert("lease" in third);
    await kv.set(key, { ...third.lease, expiresAt: 1 });
    assert("lease" in await acquireLease(kv, key, 60), "an expired lease is taken over");

    assertEquals(await getGlobalIgnored(kv, "themes"), {});
    await updateGlobalIgnored(kv, "themes", (l) => ({ ...l, astra: "Astra" }));
    assertEquals(await getGlobalIgnored(kv, "themes"), { astra: "Astra" });
    await updateGlobalIgnored(kv, "themes", () => ({}));
    assertEquals((await kv.get(["settings", "ignored_themes"])).value, null);
  } finally {
    kv.close();
  }
});
