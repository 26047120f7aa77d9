/**
 * "Bad sites never hurt the dashboard": in one bulk call, sites that hang, are slow past the time limit,
 * answer huge bodies, garbage, a non-MainWP page, HTTP errors, or cannot be reached fail only their own
 * item, with a clear per-site error, while the other sites succeed and the failing sites' stored data stays.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { createSite, getSite, getSiteSync, type SiteRecord, type SiteSyncData } from "../../store/sites.ts";
import { siteApp, V2 } from "./_site_fixtures.ts";

const TIMEOUT_MS = 1000;
const MAX_BODY = 128 * 1024;

/** Site ids 1…9: 1 and 9 healthy, 2–8 misbehaving as named; 10 is stored with an unreadable key. */
async function badFleet() {
  const env = await siteApp(9, {
    add: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    child: { timeoutMs: TIMEOUT_MS, maxBodyBytes: MAX_BODY },
  });
  const { sim } = env;
  sim.site(2).controls.offline = true; // 503 maintenance page
  sim.site(3).controls.latencyMs = 60_000; // hung
  sim.site(4).controls.latencyMs = TIMEOUT_MS + 500; // slow, past the time limit
  sim.site(5).controls.garbage = "oversized"; // huge body, no Content-Length
  sim.site(5).controls.oversizeBytes = 4 * 1024 * 1024;
  sim.site(6).controls.garbage = "invalid-json";
  sim.site(7).controls.garbage = "html"; // WordPress without MainWP Child
  sim.site(8).controls.httpStatus = 500;
  const broken = await createSite(env.t.ctx.kv, {
    url: "http://127.0.0.1:9/broken/",
    name: "Broken",
    adminname: "admin",
    privkey: "fpk1.damaged",
  });
  assert("site" in broken);
  return env;
}

async function storedState(kv: Deno.Kv, ids: number[]) {
  const out = new Map<number, { site: SiteRecord | null; sync: SiteSyncData | null }>();
  for (const id of ids) out.set(id, { site: await getSite(kv, id), sync: await getSiteSync(kv, id) });
  return out;
}

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const BAD = [2, 3, 4, 5, 6, 7, 8, 10];

Deno.test("bulk sync: each bad site fails only its own item, with a clear error; stored data stays", async () => {
  const env = await badFleet();
  const { t, token } = env;
  try {
    const before = await storedState(t.ctx.kv, ALL);
    const started = performance.now();
    const res = await t.call("POST", `${V2}/sites/sync`, { token });
    const elapsed = performance.now() - started;
    assertEquals(res.status, 200);
    assert(
      elapsed < TIMEOUT_MS * 2 + 1000,
      `slow sites are waited for in parallel (${elapsed.toFixed(0)} ms)`,
    );
    assertEquals(res.body.total, 10);
    const result = (id: number) => res.body.data[String(id)];
    for (const id of [1, 9]) {
      assertEquals([result(id).result, result(id).status, result(id).sync_errors], [
        "success",
        "connected",
        "",
      ]);
    }
    for (const id of BAD) {
      assertEquals([result(id).result, result(id).status], ["failed", "disconnected"], `site ${id}`);
    }
    const notDetected = /^MainWP Child plugin not detected or could not be reached!/;
    assertMatch(result(2).sync_errors, notDetected);
    assertMatch(result(3).sync_errors, /^HTTP error - .*timed out after 1000 milliseconds/);
    assertMatch(result(4).sync_errors, /^HTTP error - .*timed out/);
    assertMatch(result(5).sync_errors, /larger than the 131072-byte limit/);
    assertMatch(result(6).sync_errors, /reply could not be read/);
    assertMatch(result(7).sync_errors, notDetected);
    assertMatch(result(8).sync_errors, notDetected);
    assertMatch(result(10).sync_errors, /private key could not be decrypted/);

    const after = await storedState(t.ctx.kv, ALL);
    for (const id of BAD) {
      assertEquals(after.get(id)?.sync, before.get(id)?.sync, `site ${id}: stored sync data intact`);
      assertEquals(after.get(id)?.site?.dtsSync, before.get(id)?.site?.dtsSync);
      assertEquals(after.get(id)?.site?.pubkey, before.get(id)?.site?.pubkey);
    }
    for (const id of [1, 9]) {
      assert((after.get(id)?.site?.dtsSync ?? 0) >= (before.get(id)?.site?.dtsSync ?? 0));
    }
    // The listing still answers every site, the bad ones as disconnected.
    const list = await t.call("GET", `${V2}/sites?status=disconnected`, { token });
    assertEquals(
      list.body.data.map((s: { id: string }) => Number(s.id)).sort((a: number, b: number) => a - b),
      BAD,
    );
    // The single-site route answers the soft failure, not an HTTP error.
    assertEquals((await t.call("POST", `${V2}/sites/5/sync`, { token })).body, { success: 0, data: [] });
  } finally {
    await env.close();
  }
});

Deno.test("bulk check, disconnect and reconnect with bad sites: per-site results, no request fails", async () => {
  const env = await badFleet();
  const { t, token } = env;
  try {
    const check = await t.call("POST", `${V2}/sites/check`, { token });
    assertEquals([check.status, check.body.total], [200, 10]);
    assertEquals(check.body.data["1"].http_status, "200 - OK");
    assertEquals(check.body.data["2"].http_status, "503 - Service Unavailable");
    assertEquals(check.body.data["8"].http_status, "500 - Internal Server Error");
    assertEquals((await getSite(t.ctx.kv, 3))?.offline_check_result, -1, "a hung site is offline");
    assertEquals((await getSite(t.ctx.kv, 9))?.offline_check_result, 1);

    const disconnect = await t.call("POST", `${V2}/sites/disconnect`, { token, json: { exclude: "9" } });
    assertEquals(disconnect.status, 200);
    assertEquals(
      Object.entries(disconnect.body.data).filter(([, v]) => v === "success").map(([id]) => id),
      ["1"],
    );
    assertEquals(disconnect.body.total, 9);

    await t.call("POST", `${V2}/sites/sync`, { token }); // records the errors (site 1 now forgot us)
    const reconnect = await t.call("POST", `${V2}/sites/reconnect`, { token });
    assertEquals(reconnect.status, 200);
    assertEquals(reconnect.body.data["1"], "success", "re-registered with the stored verify key");
    assertEquals(reconnect.body.data["9"], undefined, "connected: not listed");
    for (const id of BAD) assertEquals(reconnect.body.data[String(id)], "failed", `site ${id}`);
  } finally {
    await env.close();
  }
});
