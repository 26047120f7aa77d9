import { assert, assertEquals, assertMatch } from "@std/assert";
import { getSite, updateSite } from "../../store/sites.ts";
import { keys } from "../../store/keys.ts";
import { bulkWorkSettled } from "../../lib/bulk-deadline.ts";
import { siteApp, V2 } from "./_site_fixtures.ts";
import { updatesApp } from "../updates_fixtures.ts";

const TIMED_OUT = /^The site did not finish within [\d.]+ seconds; it goes on in the background/;

Deno.test("bulk sync: a hung site answers timed out at the deadline, the others succeed past it, its result is stored later", async () => {
  // Three slots: the hung site holds one, the five others share the two left (no head-of-line blocking).
  const env = await siteApp(6, {
    add: [1, 2, 3, 4, 5, 6],
    child: { maxConcurrent: 3, maxPerHost: 3, timeoutMs: 6000 },
  });
  const { t, sim, token } = env;
  try {
    t.ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 4);
    sim.site(1).controls.latencyMs = 60_000;
    const res = await t.call("POST", `${V2}/sites/sync`, { token });
    assertEquals(res.status, 200);
    assertEquals(Object.keys(res.body.data), ["1", "2", "3", "4", "5", "6"]);
    const hung = res.body.data["1"];
    assertEquals([hung.result, hung.id, hung.url], ["failed", "1", sim.url(1)]);
    assertMatch(hung.error, TIMED_OUT);
    for (const id of ["2", "3", "4", "5", "6"]) {
      assertEquals(res.body.data[id].result, "success", `site ${id}`);
      assertEquals(res.body.data[id].error, undefined);
    }
    // The hung site's sync goes on and ends with the connector's own timeout, recorded on the site.
    assertEquals((await getSite(t.ctx.kv, 1))?.sync_errors, "");
    await bulkWorkSettled(t.ctx);
    assertMatch((await getSite(t.ctx.kv, 1))?.sync_errors ?? "", /timed out/i);
  } finally {
    await env.close();
  }
});

Deno.test("bulk check, reconnect and disconnect answer a late site as failed and finish it in the background", async () => {
  const env = await siteApp(2, { add: [1, 2], child: { timeoutMs: 6000 } });
  const { t, sim, token } = env;
  try {
    t.ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 0.3);
    sim.site(1).controls.latencyMs = 1500;
    const check = await t.call("POST", `${V2}/sites/check`, { token, json: { include: [1] } });
    assertEquals(check.body.total, 1);
    assertEquals([check.body.data["1"].result, check.body.data["1"].id], ["failed", "1"]);
    assertMatch(check.body.data["1"].error, TIMED_OUT);
    await bulkWorkSettled(t.ctx);
    assertEquals((await getSite(t.ctx.kv, 1))?.offline_check_result, 1, "the check was stored");

    // Reconnect retries disconnected sites: the late one answers "failed", then reconnects in the background.
    await updateSite(t.ctx.kv, 1, (s) => ({ ...s, sync_errors: "Earlier failure" }));
    const reconnect = await t.call("POST", `${V2}/sites/reconnect`, { token });
    assertEquals(reconnect.body, { total: 1, data: { 1: "failed" } });
    await bulkWorkSettled(t.ctx);
    assertEquals((await getSite(t.ctx.kv, 1))?.sync_errors, "", "the reconnect was stored");

    const disconnect = await t.call("POST", `${V2}/sites/disconnect`, { token });
    assertEquals(disconnect.body, { total: 2, data: { 1: "failed", 2: "success" } });
    await bulkWorkSettled(t.ctx);
    assertEquals(sim.calls(1).disconnect, 1, "the late disconnect still reached the child");

    // Without a deadline (0), the answer waits for every site.
    t.ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 0, 20);
    const waited = await t.call("POST", `${V2}/sites/check`, { token, json: { include: [1] } });
    assertEquals([waited.body.data["1"].result, waited.body.data["1"].error], ["success", undefined]);
  } finally {
    await env.close();
  }
});

Deno.test("update everything: late sites count as errors and keep the run's lease until they end", async () => {
  const { t, sim, token, ids, close } = await updatesApp(2);
  try {
    t.ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 0.3);
    sim.site(1).controls.latencyMs = 1000;
    const res = await t.call("POST", `${V2}/updates/update`, { token });
    assertEquals(res.body.message, "Batch updates completed.");
    assertEquals(res.body.summary.sites_timed_out, 1);
    assert(res.body.summary.total_errors >= 1);
    // The late site is still updating: a second run is refused, as while any run is in progress.
    const running = await t.call("POST", `${V2}/updates/update`, { token });
    assertEquals(running.body.message, "A batch updates all job are running.");
    await bulkWorkSettled(t.ctx);
    assertEquals((await t.ctx.kv.get(keys.updateAllLease())).value, null, "lease released after the run");
    assertEquals(sim.site(1).pendingUpdates.plugins, 0, `site ${ids[0]} was updated in the background`);
  } finally {
    await close();
  }
});
