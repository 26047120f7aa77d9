/**
 * The simulator against the recorded replies of a real MainWP Child 6.1: for every recording of a function
 * the simulator implements, the recording's params go to the simulator (in the recording's order, with the
 * same wp-admin changes in between), and the reply must have the recording's shape: the same keys,
 * recursively, and the same JSON types. Values may differ. Maps keyed by item (plugin files, action ids,
 * log ids) are compared entry by entry, each against the closest recorded entry.
 */
import { assertEquals } from "@std/assert";
import { type FormFields, signRequest } from "../../child/index.ts";
import { siteContent } from "../../sim/catalog.ts";
import { sampleStatsReply } from "../../sim/sample.ts";
import { testKeys, withSimulator } from "../child/_fixtures.ts";
import { type Fixture, isObject, loadRecordings, reversedSignature, send, shapeDiff } from "./_shape.ts";

/** Functions the simulator implements (the other recordings are for a later issue). */
const SIMULATED = new Set([
  "register",
  "stats",
  "get_all_plugins",
  "get_all_themes",
  "plugin_action",
  "theme_action",
  "security",
  "no_such_function",
]);

/** Objects whose keys are items (files, ids), not field names. */
const ITEM_MAPS = new Set([
  "child_site_actions_data",
  "changes_logs_data",
  "plugin_updates",
  "theme_updates",
  "plugin_action_data",
  "theme_action_data",
  "theme_deactivate_data",
  "plugins_outdate_info",
  "themes_outdate_info",
]);

async function loadFixtures(): Promise<Fixture[]> {
  return await loadRecordings((name) => SIMULATED.has(name));
}

/** A site whose plugins and themes include the ones the recordings name. */
function matchingSite(): number {
  for (let i = 1; i <= 500; i++) {
    const c = siteContent(i);
    const themes = new Set(c.themes.map((t) => t.stylesheet));
    const hello = c.plugins.find((p) => p.file === "hello.php");
    const akismet = c.plugins.find((p) => p.file === "akismet/akismet.php");
    if (hello && akismet && themes.has("twentytwentyfour") && themes.has("twentytwentyfive")) return i;
  }
  throw new Error("no simulated site has the recorded plugins and themes");
}

Deno.test("the simulator answers every recorded call of a simulated function in the recording's shape", async () => {
  const fixtures = await loadFixtures();
  assertEquals(fixtures.length, 19, "recordings of simulated functions");
  const keys = await testKeys();
  const i = matchingSite();
  await withSimulator({ count: i }, async (sim) => {
    const site = sim.site(i);
    // Where the recording's site had wp-admin changes: one Akismet activate/deactivate before 57 and one
    // before 58 (fixture README).
    const wpAdminToggle = () => {
      site.wpAdminPluginAction("akismet/akismet.php", "activate");
      site.wpAdminPluginAction("akismet/akismet.php", "deactivate");
    };
    // Akismet starts inactive in the recording.
    site.wpAdminPluginAction("akismet/akismet.php", "deactivate");
    const problems: string[] = [];
    let nonce = 100;
    for (const fx of fixtures) {
      const [, num, , theCase] = /^(\d\d)-([^-]+(?:_[^-]+)*)-(.*)\.json$/.exec(fx.file) ?? [];
      if (num === "57" || num === "58") wpAdminToggle();
      let fields: FormFields;
      if (fx.function === "register") {
        fields = {
          function: "register",
          ...fx.params as FormFields,
          pubkey: keys.publicKeyPem,
          userpwd: "admin-password",
        };
      } else {
        const n = String(nonce++);
        const signature = signRequest(keys.privateKeyPem, fx.function, n, 7);
        fields = {
          user: theCase === "unknown-user" ? "no-such-admin" : "admin",
          function: fx.function,
          nonce: n,
          mainwpver: "6.1.2",
          sign_algo: 7,
          mainwpsignature: theCase === "bad-signature" ? reversedSignature(signature) : signature,
          ...fx.params as FormFields,
        };
        if (theCase === "unsigned-connected") {
          for (const k of ["nonce", "sign_algo", "mainwpsignature"]) delete fields[k];
        }
      }
      const { status, reply } = await send(sim, i, fields);
      if (status !== fx.http_status) problems.push(`${fx.file}: HTTP ${status}, recorded ${fx.http_status}`);
      problems.push(...shapeDiff(fx.reply, reply, fx.file, "", ITEM_MAPS));
      if (fx.function === "stats" && isObject(reply) && isObject(fx.reply)) {
        const counts = (r: Record<string, unknown>) =>
          [r.child_site_actions_data, r.changes_logs_data].map((v) =>
            isObject(v) ? Object.keys(v).length > 0 : v
          );
        // Both recordings hold wp-admin changes; the simulator must report its own ones as well.
        if (JSON.stringify(counts(reply)) !== JSON.stringify(counts(fx.reply))) {
          problems.push(
            `${fx.file}: change logs ${JSON.stringify(counts(reply))}, recorded ${
              JSON.stringify(counts(fx.reply))
            }`,
          );
        }
      }
    }
    assertEquals(problems, []);
  });
});

Deno.test("real-sized sites (generated plugins and themes) keep the recorded item shapes", async () => {
  const stats = (await loadFixtures()).filter((fx) => fx.function === "stats" && isObject(fx.reply));
  const problems: string[] = [];
  for (const key of ["plugins", "themes", "plugin_updates", "theme_updates"]) {
    // The fullest recording of the key, so generated items are compared with real ones.
    const recorded = stats.map((fx) => (fx.reply as Record<string, unknown>)[key])
      .sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length)[0];
    for (const i of [1, 2, 3]) {
      const reply = sampleStatsReply(i, `https://site-${i}.example.test/`, { plugins: 60, themes: 12 });
      problems.push(...shapeDiff(recorded, reply[key], `site ${i} ${key}`, key, ITEM_MAPS));
    }
  }
  assertEquals(problems, []);
});
