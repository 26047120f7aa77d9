import { assert, assertEquals } from "@std/assert";
import { simulatedApp, type TestApp, testApp } from "../helpers.ts";
import { getJob } from "../../jobs/store.ts";
import { getSite } from "../../store/sites.ts";

const API = "/wp-json/mainwp/v2/settings/tools";

/** Runs a job's lane until it ends (bounded), as a queue listener would. */
async function runToEnd(t: TestApp, id: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const job = await getJob(t.ctx.kv, id);
    if (!job || job.status === "completed" || job.status === "failed") return;
    await t.ctx.jobs.runLane(id, "0", job.lanes["0"].seq);
  }
  throw new Error(`job ${id} did not end`);
}

Deno.test("tools jobs: destroy sessions, renew connections and disconnect all run as jobs with MainWP's status", async () => {
  const { t, sim, token, close } = await simulatedApp(3, { add: true });
  try {
    const start = await t.call("POST", `${API}/destroy-sessions`, { token });
    assertEquals([start.status, start.body.success, start.body.message], [
      200,
      1,
      "Destroy sessions process started in background.",
    ]);
    const id = start.body.destroy_id;
    assert(id.startsWith("destroy_sessions_"));
    assertEquals(
      start.body.status_url,
      `https://dashboard.test/wp-json/mainwp/v2/settings/tools/destroy-sessions-status/${id}`,
    );
    const pending = await t.call("GET", `${API}/destroy-sessions-status/${id}`, { token });
    assertEquals(pending.body, {
      success: false,
      status: "pending",
      total: 3,
      processed: 0,
      failed: 0,
      progress: 0,
      errors: [],
      started_at: "",
      completed_at: "",
    });
    await runToEnd(t, id);
    const done = (await t.call("GET", `${API}/destroy-sessions-status/${id}`, { token })).body;
    assertEquals([done.success, done.status, done.processed, done.progress], [true, "completed", 3, 100]);
    assert(Number.isInteger(done.completed_at));

    // Renew: every site gets a new key pair and stays connected.
    const keysBefore = await Promise.all([1, 2, 3].map(async (i) => (await getSite(t.ctx.kv, i))!.pubkey));
    const renew = await t.call("POST", `${API}/renew-connections`, { token });
    assertEquals(renew.body.message, "Renew connection process started in background.");
    await runToEnd(t, renew.body.renew_id);
    const renewed =
      (await t.call("GET", `${API}/renew-connections-status/${renew.body.renew_id}`, { token })).body;
    assertEquals([renewed.success, renewed.processed, renewed.failed], [true, 3, 0]);
    for (const i of [1, 2, 3]) {
      assert((await getSite(t.ctx.kv, i))!.pubkey !== keysBefore[i - 1], `site ${i} kept its key`);
      assert(sim.site(i).connected);
    }
    assertEquals((await t.call("POST", "/wp-json/mainwp/v2/sites/2/sync", { token })).status, 200);

    // Disconnect all: an offline site is one site's error; the others' children forget the Dashboard.
    sim.site(3).controls.offline = true;
    const off = await t.call("POST", `${API}/disconnect-all-sites`, { token });
    assertEquals(off.body.message, "Disconnect process started in background.");
    const offId = off.body.disconnect_id;
    assert(off.body.status_url.endsWith(`/settings/tools/disconnect-all-sites-status/${offId}`));
    await runToEnd(t, offId);
    const ended = (await t.call("GET", `${API}/disconnect-all-sites-status/${offId}`, { token })).body;
    assertEquals([ended.success, ended.status, ended.processed, ended.failed], [false, "completed", 3, 1]);
    assertEquals(ended.errors.length, 1);
    assertEquals(ended.errors[0].site_id, 3);
    assertEquals([ended.started_at, typeof ended.completed_at], [null, "number"]);
    assertEquals([sim.site(1).connected, sim.site(2).connected], [false, false]);

    // A job id of another tool, or an unknown one, is that tool's "not found".
    const wrong = await t.call("GET", `${API}/renew-connections-status/${id}`, { token });
    assertEquals([wrong.status, wrong.body.code], [404, "renew_connection_job_not_found"]);
    const unknown = await t.call("GET", `${API}/disconnect-all-sites-status/disconnect_all_x`, { token });
    assertEquals([unknown.status, unknown.body.code, unknown.body.message], [
      404,
      "disconnect_job_not_found",
      "Job not found.",
    ]);
    const destroyUnknown = await t.call("GET", `${API}/destroy-sessions-status/nope`, { token });
    assertEquals(destroyUnknown.body.code, "destroy_session_job_not_found");
  } finally {
    await close();
  }
});

Deno.test("tools jobs: no sites is MainWP's no_website_found, and no job is stored", async () => {
  const t = await testApp();
  const token = await t.key("read_write");
  for (const path of ["destroy-sessions", "renew-connections", "disconnect-all-sites"]) {
    const res = await t.call("POST", `${API}/${path}`, { token });
    assertEquals([res.status, res.body.code, res.body.message], [
      404,
      "no_website_found",
      "No website found.",
    ]);
  }
  assertEquals((await Array.fromAsync(t.ctx.kv.list({ prefix: ["jobs"] }))).length, 0);
  await t.close();
});

Deno.test("the stored Advanced settings limit the child requests in flight", async () => {
  const { t, sim, token, close } = await simulatedApp(4, { add: true });
  try {
    for (let i = 1; i <= 4; i++) sim.site(i).controls.latencyMs = 60;
    const edit = await t.call("PUT", "/wp-json/mainwp/v2/settings/advanced/edit", {
      token,
      json: { mainwp_maximum_requests: 1 },
    });
    assertEquals(edit.status, 200);
    assertEquals(await t.ctx.hooks.applyFilters("fleetpress_child_max_concurrent", 16, sim.url(1), null), 1);
    sim.resetMetrics();
    const sync = await t.call("POST", "/wp-json/mainwp/v2/sites/sync", { token });
    assertEquals(sync.status, 200);
    assertEquals(sim.metrics().maxInFlight, 1);
    // Per host too (the simulated sites share one host).
    await t.call("PUT", "/wp-json/mainwp/v2/settings/advanced/edit", {
      token,
      json: { mainwp_maximum_requests: 20, mainwp_maximum_ip_requests: 2 },
    });
    assertEquals(await t.ctx.hooks.applyFilters("fleetpress_child_max_per_host", 16, sim.url(1), null), 2);
    sim.resetMetrics();
    await t.call("POST", "/wp-json/mainwp/v2/sites/sync", { token });
    assert(sim.metrics().maxInFlight <= 2, `in flight: ${sim.metrics().maxInFlight}`);
    // Syncs follow their own saved limit, updates theirs; other calls the overall one.
    await t.call("PUT", "/wp-json/mainwp/v2/settings/advanced/edit", {
      token,
      json: { mainwp_maximum_ip_requests: 10, mainwp_maximum_sync_requests: 1 },
    });
    sim.resetMetrics();
    await t.call("POST", "/wp-json/mainwp/v2/sites/sync", { token });
    assertEquals(sim.metrics().maxInFlight, 1);
    const limit = (fn: string | null) =>
      t.ctx.hooks.applyFilters("fleetpress_child_max_concurrent", 16, sim.url(1), fn);
    assertEquals([await limit("stats"), await limit("upgradeplugintheme"), await limit(null)], [1, 20, 20]);
    await t.call("PATCH", "/wp-json/mainwp/v2/settings/advanced/edit", {
      token,
      json: { mainwp_maximum_install_update_requests: 3 },
    });
    assertEquals([await limit("upgradeplugintheme"), await limit("get_all_posts")], [3, 20]);
  } finally {
    await close();
  }
});
