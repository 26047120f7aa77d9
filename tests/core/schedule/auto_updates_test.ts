/** The automatic-update plan: enabled kinds only, every ignore rule, staging and suspended sites, the delay. */
import { assert, assertEquals } from "@std/assert";
import { autoUpdateKinds, autoUpdatePlan } from "../../../core/schedule/auto-updates.ts";
import { recordSeenUpdates, seenKey, seenUpdates } from "../../../core/schedule/seen.ts";
import { HookRegistry } from "../../../hooks/registry.ts";
import { DEFAULT_AUTOMATION_SETTINGS } from "../../../core/settings/automation.ts";
import { defaultSite } from "../../../store/sites.ts";
import type { SiteSyncData } from "../../../store/sites.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6);
const sync: SiteSyncData = {
  wp_upgrades: JSON.stringify({ current: "6.8", new: "6.9" }),
  plugin_upgrades: JSON.stringify({
    "a/a.php": { Name: "A", update: { new_version: "2.0" } },
    "b/b.php": { Name: "B", update: { new_version: "3.1" } },
    "c/c.php": { Name: "C", update: { new_version: "1.5" } },
  }),
  theme_upgrades: JSON.stringify({ twenty: { Name: "Twenty", update: { new_version: "1.2" } } }),
  translation_upgrades: JSON.stringify([{ slug: "a", name: "A (fr)", version: "2.0", language: "fr" }]),
};
const ALL = ["core", "plugins", "themes", "translations"];
const noGlobal = { plugins: {}, themes: {} };

Deno.test("only the enabled kinds", () => {
  const kinds = autoUpdateKinds({
    ...DEFAULT_AUTOMATION_SETTINGS,
    autoUpdatePlugins: true,
    autoUpdateCore: true,
  });
  assertEquals(kinds, ["core", "plugins"]);
  assertEquals(autoUpdateKinds(DEFAULT_AUTOMATION_SETTINGS), []);
  const plan = autoUpdatePlan(defaultSite(1, { url: "https://a.test" }), sync, noGlobal, {}, kinds, 0, NOW);
  assertEquals(plan, {
    core: true,
    items: { plugins: ["a/a.php", "b/b.php", "c/c.php"], themes: [], translations: [] },
  });
});

Deno.test("never an ignored item: per-site list, global list by version, per-site flags, ignored core version", () => {
  const site = defaultSite(1, {
    url: "https://a.test",
    ignored_plugins: JSON.stringify({ "a/a.php": { Name: "A", ignored_versions: ["all_versions"] } }),
    is_ignoreThemeUpdates: 1,
  });
  const global = {
    plugins: {
      "b/b.php": { Name: "B", ignored_versions: ["3.1"] },
      "c/c.php": { Name: "C", ignored_versions: ["9"] },
    },
    themes: {},
  };
  const ignoringCore = {
    ...sync,
    options: { ignored_wp_upgrades: JSON.stringify({ ignored_versions: ["6.9"] }) },
  };
  const plan = autoUpdatePlan(site, ignoringCore, global, {}, ALL, 0, NOW);
  assertEquals(plan, { core: false, items: { plugins: ["c/c.php"], themes: [], translations: ["a"] } });
});

Deno.test("staging and suspended sites get nothing", () => {
  for (const extra of [{ is_staging: 1 }, { suspended: 1 }]) {
    const plan = autoUpdatePlan(
      defaultSite(1, { url: "https://a.test", ...extra }),
      sync,
      noGlobal,
      {},
      ALL,
      0,
      NOW,
    );
    assertEquals(plan, { core: false, items: { plugins: [], themes: [], translations: [] } });
  }
});

Deno.test("the delay counts from when a sync first saw the update; an unseen one is new", () => {
  const seen = {
    [seenKey("plugins", "a/a.php", "2.0")]: NOW - 3 * DAY,
    [seenKey("plugins", "b/b.php", "3.1")]: NOW - 1 * DAY,
    [seenKey("plugins", "c/c.php", "1.4")]: NOW - 9 * DAY, // an older version: the new one is unseen
    [seenKey("core", "wordpress", "6.9")]: NOW - 2 * DAY,
  };
  const plan = autoUpdatePlan(defaultSite(1, { url: "https://a.test" }), sync, noGlobal, seen, ALL, 2, NOW);
  assertEquals(plan, { core: true, items: { plugins: ["a/a.php"], themes: [], translations: [] } });
});

Deno.test("first-seen times stay a bounded KV value however many updates a site reports", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const hooks = new HookRegistry();
    const found: number[] = [];
    hooks.addAction("fleetpress_updates_found", (_site, updates) => void found.push(updates.length));
    const plugins: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) {
      plugins[`plugin-${i}-${"x".repeat(200)}/p.php`] = { update: { new_version: "1" } };
    }
    const site = defaultSite(1, { url: "https://a.test" });
    const fresh = await recordSeenUpdates({ kv, hooks }, site, { plugin_upgrades: plugins });
    assert(fresh.length > 0 && fresh.length < 3000);
    assertEquals(found, [fresh.length]);
    assertEquals(Object.keys(await seenUpdates({ kv }, 1)).length, fresh.length);
    // The same reply again: nothing new.
    assertEquals(
      await recordSeenUpdates({ kv, hooks }, site, { plugin_upgrades: plugins }),
      [],
    );
  } finally {
    kv.close();
  }
});
