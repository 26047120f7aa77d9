import { assert, assertEquals } from "@std/assert";
import { simulatedApp, testApp } from "../../helpers.ts";
import { abilityClient } from "../../abilities/_helpers.ts";
import { startChildSimulator } from "../../../sim/server.ts";
import { encryptPrivateKey } from "../../../child/index.ts";
import { testKeys } from "../../child/_fixtures.ts";
import { createSite, getSite, getSiteSync } from "../../../store/sites.ts";
import { recordSync, syncSite } from "../../../core/sync/sync.ts";
import { syncValuesFromReply } from "../../../child/sync.ts";
import {
  ACTIONS_LAST_OPTION,
  CHANGES_LOGS_LAST_OPTION,
  changesSyncParams,
  storedSiteChanges,
} from "../../../core/sync/changes.ts";

Deno.test("syncSite stores the child's data and clears errors; a failing child records sync_errors", async () => {
  const sim = await startChildSimulator({ count: 2 });
  const t = await testApp({ env: { SECRET_KEY: "test-secret-key-0123456789" } });
  try {
    const keys = await testKeys();
    const ids: number[] = [];
    for (const i of [1, 2]) {
      await t.ctx.child.register(sim.url(i), { adminUser: "admin", adminPassword: "admin-password", keys });
      const created = await createSite(t.ctx.kv, {
        url: sim.url(i),
        adminname: "admin",
        pubkey: keys.publicKeyPem,
        privkey: await encryptPrivateKey(keys.privateKeyPem, t.ctx.secretKey),
      });
      assert("site" in created);
      ids.push(created.site.id);
    }
    const synced: unknown[] = [];
    t.ctx.hooks.addAction("mainwp_site_synced", (site) => void synced.push(site));
    const ok = await syncSite(t.ctx, ids[0]);
    assertEquals(ok?.ok, true);
    assertEquals(synced.length, 1);
    const data = await getSiteSync(t.ctx.kv, ids[0]);
    assert(data?.plugins?.startsWith("["));
    assert(typeof data?.site_info?.wpversion === "string");
    const site = await getSite(t.ctx.kv, ids[0]);
    assert((site?.dtsSync ?? 0) > 0);
    assertEquals(site?.sync_errors, "");

    const token = await t.key("read");
    const view = await t.call("GET", `/wp-json/mainwp/v2/sites/${ids[0]}`, { token });
    assertEquals(view.body.data.wp_version, data?.site_info?.wpversion);
    assertEquals(view.body.data.status, "connected");

    sim.site(2).controls.offline = true;
    const failed = await syncSite(t.ctx, ids[1]);
    assertEquals(failed?.ok, false);
    assert((await getSite(t.ctx.kv, ids[1]))?.sync_errors);
    const down = await t.call("GET", `/wp-json/mainwp/v2/sites/${ids[1]}`, { token });
    assertEquals(down.body.data.status, "disconnected");
    assertEquals(await syncSite(t.ctx, 999), null);
  } finally {
    await t.close();
    await sim.close();
  }
});

const FIXTURES = await (async () => {
  for (
    const dir of [
      "../../../../shared/fixtures/mainwp-child-6.1/",
      "file:///work/shared/fixtures/mainwp-child-6.1/",
    ]
  ) {
    const url = new URL(dir, import.meta.url);
    if (await Deno.stat(url).then(() => true, () => false)) return url;
  }
  throw new Error("the recorded child replies are missing");
})();

async function recorded(
  name: string,
): Promise<{ params: Record<string, unknown>; reply: Record<string, unknown> }> {
  return JSON.parse(await Deno.readTextFile(new URL(name, FIXTURES)));
}

Deno.test("recorded syncs 57 and 58 of a real child are parsed and stored with their change reports", async () => {
  const t = await testApp();
  try {
    const created = await createSite(t.ctx.kv, { url: "http://127.0.0.1:8082/", name: "Recorded" });
    assert("site" in created);
    const id = created.site.id;
    const store = async (file: string) => {
      const { reply } = await recorded(file);
      const stored = await recordSync(
        t.ctx,
        id,
        syncValuesFromReply(reply),
        reply.child_site_actions_data,
        reply.changes_logs_data,
      );
      assert(stored);
      return stored.data;
    };

    // 57: a cron sync. changes_logs_data is "", child_site_actions_data has one wp-admin deactivation.
    const first = await store("57-stats-usual.json");
    assertEquals(JSON.parse(first.plugins ?? "[]").map((p: { slug: string }) => p.slug), [
      "akismet/akismet.php",
      "hello.php",
      "mainwp-child/mainwp-child.php",
    ]);
    assertEquals(first.site_info?.phpversion, "8.2.36");
    assertEquals([first.version, first.dbsize, first.last_post_gmt], ["6.1", 1425408, 1796529449]);
    assertEquals(first.plugin_upgrades, "[]");
    assertEquals(first.wp_upgrades, "[]");
    assertEquals(first.options?.securityIssues, "4");
    assertEquals(first.options?.admin_useremail, "admin@example.test");
    assertEquals(JSON.parse(first.options?.health_site_status ?? ""), {
      good: 0,
      recommended: 0,
      critical: 0,
    });
    let rows = storedSiteChanges(first);
    assertEquals(rows.map((r) => [r.object_id, r.context, r.action, r.action_user, r.summary]), [
      ["17965294491355", "plugins", "deactivated", "admin", "Akismet Anti-spam: Spam Protection Plugin"],
    ]);
    const meta = JSON.parse(rows[0].meta_data);
    assert(!("user_meta" in meta), "user_meta is moved out");
    assertEquals(JSON.parse(meta.user_meta_json).wp_user_id, 1);
    assertEquals(meta.extra_info, {
      name: "Akismet Anti-spam: Spam Protection",
      slug: "akismet/akismet.php",
    });
    assertEquals(first.options?.[CHANGES_LOGS_LAST_OPTION], undefined);
    assertEquals(first.options?.[ACTIONS_LAST_OPTION], "1796529449.0753");

    // 58: a sync with params_logs. The change log brings the wp-admin activations (type 1461) and more.
    const second = await store("58-stats-params-logs.json");
    rows = storedSiteChanges(second);
    const activations = rows.filter((r) => r.action === "activated");
    assertEquals(activations.map((r) => [r.object_id, r.context, r.summary, r.created]), [
      ["log-10", "plugins", "Akismet Anti-spam: Spam Protection Plugin", "1796528098"],
      ["log-50", "plugins", "Akismet Anti-spam: Spam Protection Plugin", "1796529447"],
      ["log-53", "plugins", "Akismet Anti-spam: Spam Protection Plugin", "1796529462"],
    ]);
    const logMeta = JSON.parse(activations[2].meta_data);
    assertEquals([logMeta.slug, logMeta.log_type_id, logMeta.plugindata.version], [
      "akismet/akismet.php",
      1461,
      "5.7.1",
    ]);
    assert(!("user_meta" in logMeta));
    assertEquals(
      rows.filter((r) => r.context === "cron").length,
      0,
      "cron types are ignored as MainWP's default",
    );
    assertEquals(
      rows.filter((r) => r.object_id === "17965294491355").length,
      1,
      "the known deactivation once",
    );
    assertEquals(rows.filter((r) => r.object_id === "17965294634078").length, 1);
    assertEquals(second.options?.[CHANGES_LOGS_LAST_OPTION], "1796529463.2646");
    assertEquals([first.options?.dbsize_activitylogs, second.options?.dbsize_activitylogs], [
      undefined,
      "163840",
    ]);
    assertEquals(JSON.parse(second.options?.password_policy_options ?? "{}").show_notices_to, "edit_posts");
    assertEquals(new Set(rows.map((r) => r.action_id)).size, rows.length);

    // The same reply again adds nothing.
    const again = await store("58-stats-params-logs.json");
    assertEquals(storedSiteChanges(again), rows);

    // The next request asks only for what is newer.
    const params = changesSyncParams(again, 1796530000) as { params_logs: Record<string, unknown> };
    assertEquals(params.params_logs.newer_than, 1796529463.2646);
    assertEquals(params.params_logs.events_count, 100);
    assertEquals((params as Record<string, unknown>).child_actions_last_created, 1796529463.57);
  } finally {
    await t.close();
  }
});

Deno.test("a plugin (de)activated in wp-admin: sync → stored → non-mainwp-changes and get-site-changes with its name", async () => {
  const env = await simulatedApp(1, { add: true });
  const { t, sim, token } = env;
  try {
    const plugins = JSON.parse((await getSiteSync(t.ctx.kv, 1))?.plugins ?? "[]") as {
      slug: string;
      name: string;
      active: number;
    }[];
    const plugin = plugins.find((p) => p.slug !== "mainwp-child/mainwp-child.php")!;
    const first = plugin.active ? "deactivate" : "activate";
    const second = plugin.active ? "activate" : "deactivate";
    assert(sim.site(1).wpAdminPluginAction(plugin.slug, first));
    assert(sim.site(1).wpAdminPluginAction(plugin.slug, second));
    const synced = await t.call("POST", "/wp-json/mainwp/v2/sites/sync", { token, json: { include: [1] } });
    assertEquals(synced.status, 200);
    const list = await t.call("GET", "/wp-json/mainwp/v2/sites/1/non-mainwp-changes", { token });
    assertEquals(list.body.success, 1);
    const rows = list.body.data as Record<string, string>[];
    assertEquals(
      rows.map((r) => [r.context, r.action, r.action_user, r.summary]).sort(),
      [
        ["plugins", "activated", "admin", `${plugin.name} Plugin`],
        ["plugins", "deactivated", "admin", `${plugin.name} Plugin`],
      ],
    );

    // A second sync brings nothing twice.
    await t.call("POST", "/wp-json/mainwp/v2/sites/sync", { token, json: { include: [1] } });
    const again = await t.call("GET", "/wp-json/mainwp/v2/sites/1/non-mainwp-changes", { token });
    assertEquals(again.body.total, 2);

    const ability = await (await abilityClient(t)).run("mainwp/get-site-changes-v1", {
      site_id_or_domain: 1,
      type: "plugins",
    });
    assertEquals(ability.status, 200, ability.text);
    assertEquals(ability.body.total, 2);
    for (const item of ability.body.items) {
      assertEquals([item.type, item.item, item.user, item.user_id], [
        "plugins",
        `${plugin.name} Plugin`,
        "admin",
        1,
      ]);
    }
  } finally {
    await env.close();
  }
});
