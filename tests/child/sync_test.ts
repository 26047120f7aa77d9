import { assertEquals } from "@std/assert";
import {
  activeThemeLabel,
  ChildError,
  NOT_DETECTED_MESSAGE,
  siteHealthScore,
  syncErrorText,
  syncValuesFromReply,
} from "../../child/index.ts";

Deno.test("syncValuesFromReply maps a stats reply to MainWP's stored values", () => {
  const values = syncValuesFromReply({
    version: "6.1",
    wpversion: "6.4.3",
    siteurl: "https://blog.example.com",
    site_info: { wpversion: "6.4.3", phpversion: "8.2.10", ip: "203.0.113.7", child_version: "6.1" },
    wp_updates: "6.5",
    plugin_updates: { "akismet/akismet.php": { Name: "Akismet", update: { new_version: "5.1" } } },
    theme_updates: {},
    translation_updates: [],
    securityStats: { db_reporting: "Y", php_reporting: "N", wp_uptodate: "N" },
    health_site_status: { good: 15, recommended: 4, critical: 0 },
    categories: ["Old"],
    categories_list: [{ name: "New" }],
    dbsize: 10485760,
    last_post_gmt: 1714550000,
    regverify_info: "abc-def",
    admin_nicename: " admin ",
  });
  assertEquals(values.siteurl, "https://blog.example.com");
  assertEquals(values.version, "6.1");
  assertEquals([values.ip, values.phpversion], ["203.0.113.7", "8.2.10"]);
  assertEquals(values.wp_upgrades, { current: "6.4.3", new: "6.5" });
  assertEquals(Object.keys(values.plugin_upgrades ?? {}), ["akismet/akismet.php"]);
  assertEquals(values.theme_upgrades, []);
  assertEquals(values.translation_upgrades, []);
  assertEquals([values.securityIssues, values.health_value, values.health_status], [2, 89, 0]);
  assertEquals(values.categories, [{ name: "New" }]);
  assertEquals([values.dbsize, values.last_post_gmt], [10485760, 1714550000]);
  assertEquals([values.register_verify_key, values.admin_nicename], ["abc-def", "admin"]);
  assertEquals(values.themes, undefined, "keys the reply lacks stay unset");
});

Deno.test("no core update stores [] and a critical health issue lowers the value by 100", () => {
  const values = syncValuesFromReply({
    wp_updates: null,
    health_site_status: { good: 10, recommended: 0, critical: 1 },
  });
  assertEquals(values.wp_upgrades, []);
  assertEquals([values.health_value, values.health_status], [86 - 100, 1]);
  assertEquals(siteHealthScore({}), 100);
});

Deno.test("activeThemeLabel is '<Name> <Version>' of the active theme", () => {
  const themes = [{ name: "A", version: "1", active: 0 }, {
    name: "Twenty Twenty-Four",
    version: "1.1",
    active: 1,
  }];
  assertEquals(activeThemeLabel(themes), "Twenty Twenty-Four 1.1");
  assertEquals(activeThemeLabel([]), "");
  assertEquals(activeThemeLabel(null), "");
});

Deno.test("syncErrorText gives MainWP's sync_errors text", () => {
  assertEquals(
    syncErrorText(new ChildError("HTTPERROR", "HTTP error - Connection refused", "http")),
    "HTTP error - Connection refused",
  );
  assertEquals(syncErrorText(new ChildError("NOMAINWP", "x", "not_mainwp")), NOT_DETECTED_MESSAGE);
  assertEquals(
    syncErrorText(new ChildError("CHILD_ERROR", "Authentication failed!", "child")),
    "ERROR: Authentication failed!",
  );
});

const RECORDED = await (async () => {
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

Deno.test("syncValuesFromReply takes the recorded replies of a real MainWP Child 6.1 (57, 58)", async () => {
  for (const file of ["57-stats-usual.json", "58-stats-params-logs.json"]) {
    const { reply } = JSON.parse(await Deno.readTextFile(new URL(file, RECORDED)));
    const values = syncValuesFromReply(reply);
    assertEquals([values.version, values.siteurl, values.ip, values.phpversion], [
      "6.1",
      "http://127.0.0.1:8082",
      "127.0.0.1",
      "8.2.36",
    ]);
    assertEquals(values.site_info?.debug_mode, true);
    assertEquals([values.wp_upgrades, values.plugin_upgrades, values.theme_upgrades], [[], [], []]);
    assertEquals(values.translation_upgrades, []);
    assertEquals(values.securityIssues, 4, "four N checks");
    assertEquals([values.health_value, values.health_status], [100, 0]);
    assertEquals((values.categories as { slug: string }[]).map((c) => c.slug), [
      "fixtures",
      "news",
      "uncategorized",
    ]);
    assertEquals((values.plugins as unknown[]).length, 3);
    assertEquals((values.users as { login: string }[]).map((u) => u.login).includes("admin"), true);
    assertEquals([values.admin_nicename, values.admin_useremail], ["admin", "admin@example.test"]);
    assertEquals([values.dbsize, values.last_post_gmt, values.mainwpdir, values.uniqueId], [
      1425408,
      1796529449,
      1,
      "",
    ]);
    assertEquals((values.password_policy_options as Record<string, unknown>).due_soon_days, "7");
    assertEquals(
      values.dbsize_activitylogs,
      file.startsWith("58") ? 163840 : undefined,
      "only with params_logs",
    );
    assertEquals(activeThemeLabel(values.themes), "Twenty Twenty-Five 1.5");
  }
});
