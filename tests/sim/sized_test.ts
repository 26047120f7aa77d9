/** Real-sized simulated sites: `plugins` / `themes` options, their stats reply, the CLI flags, the sample. */
import { assert, assertEquals, assertGreater, assertLess } from "@std/assert";
import { encodePhpForm, type FormFields, parseEnvelope, signRequest } from "../../child/index.ts";
import { syncValuesFromReply } from "../../child/sync.ts";
import { syncDataFromValues } from "../../core/sync/sync.ts";
import { siteContent } from "../../sim/catalog.ts";
import { parseSimArgs } from "../../sim/main.ts";
import { sampleStatsReply } from "../../sim/sample.ts";
import { startChildSimulator } from "../../sim/server.ts";
import { rejectsWith, testKeys, withSimulator } from "../child/_fixtures.ts";

async function call(url: string, fields: FormFields): Promise<Record<string, unknown>> {
  const response = await fetch(url + "wp-admin/admin-ajax.php", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encodePhpForm(fields),
  });
  return parseEnvelope(await response.text()) as Record<string, unknown>;
}

/** The stats reply of a freshly registered site, and the size of the whole HTTP answer. */
async function statsOf(url: string): Promise<{ stats: Record<string, unknown>; bytes: number }> {
  const keys = await testKeys();
  const registered = await call(url, {
    function: "register",
    user: "admin",
    pubkey: keys.publicKeyPem,
    server: "http://dash.test/wp-admin/",
    mainwpver: "6.1.2",
    userpwd: "admin-password",
  });
  assertEquals(registered.register, "OK");
  const fields = {
    user: "admin",
    function: "stats",
    nonce: "5",
    optimize: "1",
    sign_algo: 7,
    mainwpsignature: signRequest(keys.privateKeyPem, "stats", "5", 7),
  };
  const response = await fetch(url + "wp-admin/admin-ajax.php", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encodePhpForm(fields),
  });
  const body = await response.text();
  return { stats: parseEnvelope(body) as Record<string, unknown>, bytes: body.length };
}

Deno.test("a site created with plugins: 40 reports 40 plugins, at a real site's size", async () => {
  await withSimulator({ count: 2, plugins: 40, themes: 5 }, async (sim) => {
    for (const i of [1, 2]) {
      const { stats, bytes } = await statsOf(sim.url(i));
      const plugins = stats.plugins as Record<string, unknown>[];
      assertEquals(plugins.length, 40);
      assertEquals(plugins.filter((p) => p.mainwp === "T").length, 1);
      assertEquals(new Set(plugins.map((p) => p.slug)).size, 40);
      assertEquals((stats.themes as unknown[]).length, 5);
      assertEquals((stats.themes as { active: number }[]).filter((t) => t.active === 1).length, 1);
      // The measured 24 KB of stored sync data per 40-plugin site: reply and stored data in that range.
      const json = JSON.stringify(stats).length;
      assertGreater(json, 15_000);
      assertLess(json, 40_000);
      assertGreater(bytes, json); // the envelope wraps it
      const stored = JSON.stringify(syncDataFromValues(syncValuesFromReply(stats), null)).length;
      assertGreater(stored, 16_000);
      assertLess(stored, 40_000);
    }
  });
});

Deno.test("the default site size is unchanged and sizes are bounded", async () => {
  assertEquals(siteContent(3), siteContent(3, {}));
  assertLess(siteContent(3).plugins.length, 13);
  assertEquals(siteContent(3, { plugins: 1 }).plugins.length, 0); // only MainWP Child
  assertEquals(siteContent(3, { plugins: 200 }).plugins.length, 199);
  assertEquals(siteContent(3, { themes: 30 }).themes.length, 30);
  assertEquals(siteContent(3, { plugins: 40 }), siteContent(3, { plugins: 40 })); // deterministic
  for (const plugins of [0, 501, 1.5, Number.NaN]) {
    await rejectsWith(startChildSimulator({ count: 1, plugins }), RangeError);
  }
  await rejectsWith(startChildSimulator({ count: 1, themes: 0 }), RangeError);
});

Deno.test("the CLI takes --plugins and --themes", async () => {
  assertEquals(parseSimArgs(["--count", "2", "--plugins", "40", "--themes", "6"]), {
    count: 2,
    port: 0,
    latencyMs: 0,
    plugins: 40,
    themes: 6,
  });
  await rejectsWith(
    Promise.resolve().then(() => parseSimArgs(["--count", "1", "--plugins", "0"])),
    RangeError,
  );
  await rejectsWith(
    Promise.resolve().then(() => parseSimArgs(["--count", "1", "--themes", "x"])),
    RangeError,
  );
});

Deno.test("the sample stats reply is the simulator's first-sync reply", async () => {
  await withSimulator({ count: 1, plugins: 40 }, async (sim) => {
    const { stats } = await statsOf(sim.url(1));
    const sample = sampleStatsReply(1, sim.url(1), { plugins: 40 });
    assertEquals(sample.plugins, stats.plugins);
    assertEquals(sample.plugin_updates, stats.plugin_updates);
    assertEquals(sample.themes, stats.themes);
    assert(Array.isArray(sample.users));
  });
});
