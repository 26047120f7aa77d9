import { assert, assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { startChildSimulator } from "../../sim/server.ts";
import { encryptPrivateKey } from "../../child/index.ts";
import { testKeys } from "../child/_fixtures.ts";
import { createSite, getSite, getSiteSync } from "../../store/sites.ts";
import { syncSite } from "../../services/sync.ts";

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
