import { assertEquals, assertInstanceOf } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { createSite, writeSiteSync } from "../../../store/sites.ts";
import { ChildOutdated, SiteOffline } from "../../../core/errors.ts";
import { offlineRefusal, outdatedRefusal, siteRefusal } from "../../../core/sites/gates.ts";
import { siteSyncData } from "../../../core/sync/sync.ts";
import { abilityErrorOf } from "../../../abilities/errors.ts";
import { mainwpRestErrorOf } from "../../../routes/errors.ts";

Deno.test("site gates: offline first, then the child's version (never synced counts as outdated)", async () => {
  const t = await testApp();
  try {
    const created = await createSite(t.ctx.kv, { url: "https://gate.example/" });
    if (!("site" in created)) throw new Error("duplicate");
    const site = created.site;
    assertEquals(await siteSyncData(t.ctx, site.id), null);
    assertInstanceOf(siteRefusal(site, null), ChildOutdated);
    await writeSiteSync(t.ctx.kv, site.id, { version: "4.0" });
    const sync = await siteSyncData(t.ctx, site.id);
    assertEquals(sync?.version, "4.0");
    assertEquals(siteRefusal(site, sync, "4.0"), null);
    const outdated = outdatedRefusal(site, sync); // MainWP's minimum, 4.0.0
    assertInstanceOf(outdated, ChildOutdated);
    assertEquals([outdated.siteId, outdated.minVersion], [site.id, "4.0.0"]);
    const offline = { ...site, offline_check_result: -1 };
    assertInstanceOf(offlineRefusal(offline), SiteOffline);
    assertInstanceOf(siteRefusal(offline, sync, "4.0"), SiteOffline);
    assertEquals(offlineRefusal(site), null);
  } finally {
    await t.close();
  }
});

Deno.test("site gates map to MainWP's wire errors on both surfaces", () => {
  const offline = new SiteOffline(4);
  const outdated = new ChildOutdated(4, "4.0", "Child plugin version 4.0 or higher required.");
  const wire = {
    code: "mainwp_site_offline",
    message: "Site is known to be offline.",
    data: { status: 400 },
  };
  assertEquals(abilityErrorOf(offline)?.toJSON(), wire);
  assertEquals(mainwpRestErrorOf(offline)?.toJSON(), wire);
  assertEquals(abilityErrorOf(outdated)?.toJSON(), {
    code: "mainwp_child_outdated",
    message: "Child plugin version 4.0 or higher required.",
    data: { status: 400, site_id: 4 },
  });
});
