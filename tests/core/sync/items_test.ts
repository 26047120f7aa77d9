import { assert, assertEquals, assertRejects } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { siteApp } from "../../routes/_site_fixtures.ts";
import { createSite, getSite, writeSiteSync } from "../../../store/sites.ts";
import {
  abandonedItems,
  listSiteItems,
  pluginAction,
  siteItemRecords,
  siteItems,
  themeAction,
} from "../../../core/sync/items.ts";
import { ChildOutdated, ChildUnavailable } from "../../../core/errors.ts";

const PLUGINS = [
  { name: "Akismet", slug: "akismet/akismet.php", description: "Spam", version: "5.3", active: 1 },
  { name: "Hello Dolly", slug: "hello.php", description: "Lyrics", version: "1.7.2", active: 0 },
  { name: "MU Loader", slug: "mu-loader.php", description: "Must use", version: "1.0", active: 1, mu: 1 },
];

Deno.test("siteItems: slug-keyed maps, one active theme, update versions; records without slug skipped", () => {
  const sync = {
    themes: JSON.stringify({
      a: { name: "A", version: "1", active: 1 },
      b: { name: "B", version: 2, active: 1 },
      "7": { name: "No slug" },
    }),
    theme_upgrades: JSON.stringify({ b: { new_version: "3" } }),
  };
  assertEquals(siteItems(sync, "themes"), [
    { slug: "a", name: "A", version: "1", active: true, update_version: null },
    { slug: "b", name: "B", version: "2", active: false, update_version: "3" },
  ]);
  assertEquals(siteItems(null, "plugins"), []);
});

Deno.test("listSiteItems needs a synced child ≥ 4.0.0; filters by active; records filter, search and page", async () => {
  const t = await testApp();
  try {
    const created = await createSite(t.ctx.kv, { url: "https://shop.example/", name: "Shop" });
    assert("site" in created);
    const site = created.site;
    const error = await assertRejects(() => listSiteItems(t.ctx, site, "plugins"));
    assert(error instanceof ChildOutdated);
    assertEquals([error.siteId, error.message], [site.id, "Child plugin version 4.0.0 or higher required."]);
    await writeSiteSync(t.ctx.kv, site.id, {
      version: "6.1",
      plugins: JSON.stringify(PLUGINS),
      options: { plugins_outdate_info: JSON.stringify({ "old/old.php": { Name: "Old" } }) },
    });
    const stored = (await getSite(t.ctx.kv, site.id))!;
    const slugs = async (active?: boolean | null) =>
      (await listSiteItems(t.ctx, stored, "plugins", { active })).map((i) => i.slug);
    assertEquals(await slugs(), ["akismet/akismet.php", "hello.php", "mu-loader.php"]);
    assertEquals(await slugs(false), ["hello.php"]);
    const records = async (f: Parameters<typeof siteItemRecords>[3]) =>
      (await siteItemRecords(t.ctx, site.id, "plugins", f)).map((i) => i.slug);
    assertEquals(await records({ mustUse: true }), ["mu-loader.php"]);
    assertEquals(await records({ search: "  LYRICS " }), ["hello.php"]);
    assertEquals(await records({ active: true, page: { page: 2, perPage: 1 } }), ["mu-loader.php"]);
    assertEquals(await records({ page: { page: 0, perPage: 2 } }), []);
    assertEquals(await abandonedItems(t.ctx, site.id, "plugins"), { "old/old.php": { Name: "Old" } });
    assertEquals(await abandonedItems(t.ctx, site.id, "themes"), []);
  } finally {
    await t.close();
  }
});

Deno.test("pluginAction / themeAction: domain results; an unreachable child is ChildUnavailable", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, sim } = env;
  try {
    const site = (await getSite(t.ctx.kv, 1))!;
    const records = await siteItemRecords(t.ctx, 1, "plugins", {});
    const target = records.find((p) => Number(p.active) === 0 && p.mainwp === "F");
    assert(target, "the simulator has an inactive plugin");
    const slug = String(target.slug);
    const done = await pluginAction(t.ctx, site, "activate", [slug]);
    assertEquals(done, {
      acted: true,
      items: [{ name: String(target.name), version: String(target.version), slug }],
    });
    const active = await listSiteItems(t.ctx, site, "plugins", { active: true });
    assert(active.some((i) => i.slug === slug), "the reply's sync was stored");
    // A real child "activates" a missing plugin (recorded reply 52): acted, with an empty item.
    assertEquals(await pluginAction(t.ctx, site, "activate", ["nope/nope.php"]), {
      acted: true,
      items: [{ name: "", version: "", slug: "nope/nope.php" }],
    });
    const themes = await listSiteItems(t.ctx, site, "themes", { active: true });
    const refused = await themeAction(t.ctx, site, "delete", [themes[0].slug]);
    assertEquals([refused.acted, refused.refusedActive], [false, themes[0].slug]);
    sim.site(1).controls.offline = true;
    const error = await assertRejects(() => pluginAction(t.ctx, site, "deactivate", [slug]));
    assert(error instanceof ChildUnavailable);
    assertEquals(error.siteId, 1);
  } finally {
    await env.close();
  }
});
