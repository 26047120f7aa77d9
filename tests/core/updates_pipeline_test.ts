import { assert, assertEquals } from "@std/assert";
import { ChildError } from "../../child/errors.ts";
import { applySiteUpdates, type UpdateMode } from "../../core/updates/apply.ts";
import {
  ignoreAllUpdates,
  ignoreSiteItems,
  setGlobalIgnored,
  unignoreSiteItems,
} from "../../core/updates/ignore.ts";
import { pendingItemsOf, UPDATE_TYPES } from "../../core/updates/items.ts";
import { fleetUpdateLists, ignoreListsOf } from "../../core/updates/lists.ts";
import { applyUpdateItems, runUpdates } from "../../core/updates/outcomes.ts";
import { runSiteUpdates, updateSiteEverything } from "../../core/updates/run.ts";
import { storedUpdates } from "../../core/updates/pending.ts";
import { getSite, getSiteSync, type SiteRecord } from "../../store/sites.ts";
import { updatesApp } from "../updates_fixtures.ts";

// Simulated site 2: core 6.6.2 → 6.7.1, 3 plugin updates, no theme update, 1 translation.

/** Records every update hook as "<name> <first argument summary>". */
function recordHooks(hooks: { addAction(name: string, cb: (...args: unknown[]) => unknown): unknown }) {
  const fired: string[] = [];
  for (
    const name of [
      "mainwp_before_wp_update",
      "mainwp_after_wp_update",
      "mainwp_after_upgrade_wp_success",
      "mainwp_before_core_update",
      "mainwp_after_core_update",
      "mainwp_before_plugin_theme_translation_update",
      "mainwp_after_plugin_theme_translation_update",
    ]
  ) {
    hooks.addAction(name, (first: unknown, second: unknown) => {
      const what = name.includes("plugin_theme")
        ? (name.includes("before") ? first : second)
        : first === false
        ? "false"
        : "";
      fired.push(`${name}${what ? ` ${what}` : ""}`);
    });
  }
  return fired;
}

async function site(kv: Deno.Kv, id: number): Promise<SiteRecord> {
  const found = await getSite(kv, id);
  assert(found);
  return found;
}

const corePlan = { core: true, items: () => [] };

for (
  const [mode, expected] of [
    ["immediate", [
      "mainwp_before_wp_update",
      "mainwp_after_wp_update",
      "mainwp_after_upgrade_wp_success",
      "mainwp_before_plugin_theme_translation_update translation",
      "mainwp_after_plugin_theme_translation_update translation",
    ]],
    ["cron", [
      "mainwp_before_core_update",
      "mainwp_after_core_update",
      "mainwp_before_plugin_theme_translation_update translation",
      "mainwp_after_plugin_theme_translation_update translation",
    ]],
    ["plain", []],
  ] as [UpdateMode, string[]][]
) {
  Deno.test(`applySiteUpdates (${mode}): core then translations, the mode's hooks, lists refreshed`, async () => {
    const { t, ids, close } = await updatesApp(2);
    try {
      const fired = recordHooks(t.ctx.hooks);
      const s = await site(t.ctx.kv, ids[1]);
      const before = storedUpdates(await getSiteSync(t.ctx.kv, s.id));
      assert(before.wp && before.translations.length === 1);
      const slug = String(before.translations[0].slug);
      const steps = await applySiteUpdates(
        t.ctx,
        s,
        { core: true, items: (kind) => kind === "translations" ? [slug, slug] : [] },
        mode,
      );
      assertEquals(steps.map((x) => [x.kind, x.slugs, x.error]), [
        ["core", ["wordpress"], null],
        ["translations", [slug], null],
      ]);
      assertEquals(steps[0].reply?.upgrade, "SUCCESS");
      assertEquals(fired, expected);
      const after = storedUpdates(await getSiteSync(t.ctx.kv, s.id));
      assertEquals([after.wp, after.translations], [null, []]);
    } finally {
      await close();
    }
  });
}

Deno.test("applySiteUpdates: a child failure is on its step; cron fires its after-hook with false, immediate none", async () => {
  const { t, sim, ids, close } = await updatesApp(2);
  try {
    const fired = recordHooks(t.ctx.hooks);
    const s = await site(t.ctx.kv, ids[1]);
    sim.site(2).controls.offline = true;
    const [cron] = await applySiteUpdates(t.ctx, s, corePlan, "cron");
    assert(cron.error instanceof ChildError);
    assertEquals(cron.reply, null);
    const [now] = await applySiteUpdates(t.ctx, s, corePlan, "immediate");
    assert(now.error instanceof ChildError);
    assertEquals(fired, [
      "mainwp_before_core_update",
      "mainwp_after_core_update false",
      "mainwp_before_wp_update",
    ]);
  } finally {
    await close();
  }
});

Deno.test("applyUpdateItems and runSiteUpdates: the same pipeline seen as Update items and as counts", async () => {
  const { t, ids, close } = await updatesApp(2);
  try {
    const s = await site(t.ctx.kv, ids[1]);
    const items = await pendingItemsOf(t.ctx, [s], new Set(["plugins"]));
    assertEquals(items.length, 3);
    const outcome = await applyUpdateItems(t.ctx, s, items.slice(0, 1), true);
    assertEquals(outcome.updated.map((u) => [u.type, u.slug, u.old_version]), [
      ["plugin", items[0].slug, items[0].current_version],
    ]);
    assertEquals(outcome.errors, []);
    // Core, the two other plugins and the translation are left.
    assertEquals(await runSiteUpdates(t.ctx, s.id), { updated: 4, errors: 0 });
    assertEquals(await pendingItemsOf(t.ctx, [s], new Set(UPDATE_TYPES)), []);
  } finally {
    await close();
  }
});

Deno.test("updateSiteEverything: a suspended site is refused without a child call", async () => {
  const { t, sim, ids, close } = await updatesApp(2);
  try {
    const s = await site(t.ctx.kv, ids[1]);
    const calls = sim.calls(2).upgrade ?? 0;
    assertEquals(await updateSiteEverything(t.ctx, { ...s, suspended: 1 }), { state: "suspended" });
    assertEquals(sim.calls(2).upgrade ?? 0, calls);
  } finally {
    await close();
  }
});

Deno.test("runUpdates: below the threshold it runs now; a site named twice is updated once", async () => {
  const { t, ids, close } = await updatesApp(2);
  try {
    const s = await site(t.ctx.kv, ids[1]);
    const out = await runUpdates(
      t.ctx,
      [s, s],
      { kind: "all", types: new Set(["core"]), only: new Set() },
      [],
    );
    assert("ran" in out);
    assertEquals(out.ran.summary, { total_updated: 1, total_errors: 0, sites_updated: 1 });
    t.ctx.hooks.addFilter("mainwp_abilities_batch_threshold", () => 0);
    const queued = await runUpdates(
      t.ctx,
      [s],
      { kind: "run", types: new Set(["plugins"]), only: new Set() },
      [],
    );
    assert("queued" in queued);
    assertEquals(queued.queued.job_type, "update");
  } finally {
    await close();
  }
});

Deno.test("ignore rules: per-site flag, per-site and global lists drop updates from every list", async () => {
  const { t, ids, close } = await updatesApp(2);
  try {
    const s = await site(t.ctx.kv, ids[1]);
    const plugins = (await pendingItemsOf(t.ctx, [s], new Set(["plugins"]))).map((i) => i.slug);
    assertEquals(plugins.length, 3);
    const { added } = await ignoreSiteItems(t.ctx, s, "plugins", [plugins[0]]);
    assertEquals(added, [plugins[0]]);
    assertEquals(await setGlobalIgnored(t.ctx, "plugins", "ignore", [plugins[1]]), [plugins[1]]);
    const listed = await fleetUpdateLists(t.ctx, { include: [s.id], exclude: [], types: null, search: "" });
    assertEquals(Object.keys(listed[0].lists.plugins ?? {}), [plugins[2]]);
    const ignored = await ignoreListsOf(t.ctx, await site(t.ctx.kv, s.id), ["plugins"], "");
    assertEquals(Object.keys(ignored.plugins ?? {}), [plugins[0], plugins[1]]);
    assertEquals(await unignoreSiteItems(t.ctx, await site(t.ctx.kv, s.id), "plugins", [plugins[0]]), [
      plugins[0],
    ]);
    assert(await ignoreAllUpdates(t.ctx, s, "plugins"));
    assertEquals(await pendingItemsOf(t.ctx, [await site(t.ctx.kv, s.id)], new Set(["plugins"])), []);
    assert(await ignoreAllUpdates(t.ctx, s, "plugins"), "already set: still set");
  } finally {
    await close();
  }
});
