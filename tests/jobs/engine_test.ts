import { assert, assertEquals, assertMatch } from "@std/assert";
import { simulatedApp, testApp, withDeadline } from "../helpers.ts";
import { abilityClient } from "../abilities/_helpers.ts";
import { createSite } from "../../store/sites.ts";
import { keys } from "../../store/keys.ts";
import type { AppContext } from "../../app-context.ts";
import { getJob, type JobRecord } from "../../jobs/store.ts";
import { jobStatus, statusView } from "../../jobs/status.ts";

/** Small thresholds and no delays, as the tests need them. */
function fastJobs(ctx: AppContext, threshold: number, chunk: number): void {
  ctx.hooks.addFilter("mainwp_abilities_batch_threshold", () => threshold);
  ctx.hooks.addFilter("mainwp_abilities_cron_chunk_size", () => chunk);
  ctx.hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0);
  ctx.hooks.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0);
}

/** Waits (bounded) until the job has ended. */
async function settle(ctx: AppContext, id: string, limitMs = 15_000): Promise<JobRecord> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const job = await getJob(ctx.kv, id);
    if (job && (job.status === "completed" || job.status === "failed")) return job;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${id} did not end within ${limitMs} ms`);
}

Deno.test("threshold: 5 sites with threshold 5 run now, 6 are queued with MainWP's shapes", async () => {
  const t = await testApp();
  try {
    const a = await abilityClient(t);
    fastJobs(t.ctx, 5, 20);
    t.ctx.hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 3600, 20);
    for (let i = 1; i <= 5; i++) await createSite(t.ctx.kv, { url: `https://s${i}.example`, name: `S${i}` });
    const now = await a.run("mainwp/suspend-sites-v1", {});
    assertEquals([now.status, now.body.total_suspended, now.body.queued], [200, 5, undefined]);
    await createSite(t.ctx.kv, { url: "https://s6.example", name: "S6" });
    const queued = await a.run("mainwp/suspend-sites-v1", { site_ids_or_domains: [] });
    assertEquals(Object.keys(queued.body), ["queued", "job_id", "total", "errors"]);
    assertMatch(
      queued.body.job_id,
      /^suspend_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assertEquals(queued.body.total, 6);
    const withDenied = await a.run("mainwp/check-sites-v1", { site_ids_or_domains: [1, 2, 3, 4, 5, 6, 99] });
    assertEquals(withDenied.body.errors, [
      { identifier: 99, code: "mainwp_site_not_found", message: "No site found with ID 99.", status: 404 },
    ]);
    const sync = await a.run("mainwp/sync-sites-v1", {
      site_ids_or_domains: [1, 2, 3, 4, 5, 6, "nope.example"],
    });
    assertEquals(Object.keys(sync.body), ["queued", "job_id", "status_url", "sites_queued"]);
    assertEquals(sync.body.status_url, `https://dashboard.test/wp-json/mainwp/v2/jobs/${sync.body.job_id}`);
    assertEquals(sync.body.sites_queued, 6);
    const status = await a.run("mainwp/get-batch-job-status-v1", { job_id: sync.body.job_id });
    assertEquals(status.body, {
      job_id: sync.body.job_id,
      type: "sync",
      status: "queued",
      progress: 0,
      processed: 0,
      total: 6,
      succeeded: 0,
      failed: 0,
      started_at: null,
      completed_at: null,
      errors: [],
      job_timed_out: false,
    });
    const rest = await t.call("GET", `/wp-json/mainwp/v2/jobs/${sync.body.job_id}`, {
      token: await t.key("read"),
    });
    assertEquals(rest.body, status.body);
    const bad = await a.run("mainwp/get-batch-job-status-v1", { job_id: "bogus_1" });
    assertEquals([bad.status, bad.body.code], [400, "ability_invalid_input"]);
    const missing = await a.run("mainwp/get-batch-job-status-v1", { job_id: "sync_nope" });
    assertEquals([missing.status, missing.body.code], [404, "mainwp_job_not_found"]);
  } finally {
    await t.close();
  }
});

for (const mode of ["queue", "poll"] as const) {
  Deno.test(`${mode} mode: a sync job runs chunk by chunk to completed, with per-site errors`, async () => {
    const env = await simulatedApp(7, { add: true, env: { JOBS_MODE: mode } });
    const { t, sim } = env;
    const stop = t.ctx.jobs.start();
    try {
      const a = await abilityClient(t);
      fastJobs(t.ctx, 0, 3);
      sim.site(3).controls.offline = true;
      const queued = await a.run("mainwp/sync-sites-v1", {});
      assertEquals(queued.body.sites_queued, 7);
      const job = await settle(t.ctx, queued.body.job_id);
      assertEquals([job.status, job.processed, job.succeeded, job.failed, job.progress], [
        "completed",
        7,
        6,
        1,
        100,
      ]);
      const status = await jobStatus(t.ctx.kv, job.job_id);
      assertEquals(status?.errors, [{ site_id: 3, code: "sync_failed", message: "Sync returned false." }]);
      assertMatch(status!.completed_at!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (let i = 1; i <= 7; i++) if (i !== 3) assertEquals(sim.calls(i).stats, 1);
      assert(!(await t.ctx.kv.get(keys.activeJob(job.job_id))).value);
    } finally {
      await stop();
      await env.close();
    }
  });
}

Deno.test("duplicated and late lane messages never process a chunk twice", async () => {
  const env = await simulatedApp(6, { add: true });
  const { t, sim } = env;
  try {
    fastJobs(t.ctx, 0, 2);
    const job = await t.ctx.jobs.queue({ type: "sync", sites: [1, 2, 3, 4, 5, 6] });
    // The same message three times at once, then the same (now stale) message again.
    await Promise.all([0, 1, 2].map(() => t.ctx.jobs.runLane(job.job_id, "0", 0)));
    await t.ctx.jobs.runLane(job.job_id, "0", 0);
    for (let guard = 0; guard < 10; guard++) {
      const current = await getJob(t.ctx.kv, job.job_id);
      if (!current || current.status !== "processing") break;
      await t.ctx.jobs.runLane(job.job_id, "0", current.lanes["0"].seq);
    }
    const end = await getJob(t.ctx.kv, job.job_id);
    assertEquals([end?.status, end?.processed, end?.succeeded], ["completed", 6, 6]);
    for (let i = 1; i <= 6; i++) assertEquals(sim.calls(i).stats, 1, `site ${i}`);
  } finally {
    await env.close();
  }
});

Deno.test("a job whose sites all fail ends failed; a started job older than 4 h times out", async () => {
  const env = await simulatedApp(2, { add: true, env: { JOBS_MODE: "poll" } });
  const { t, sim } = env;
  const stop = t.ctx.jobs.start();
  try {
    fastJobs(t.ctx, 0, 20);
    sim.site(1).controls.offline = true;
    sim.site(2).controls.offline = true;
    const all = await t.ctx.jobs.queue({ type: "sync", sites: [1, 2, 99] });
    const ended = await settle(t.ctx, all.job_id);
    assertEquals([ended.status, ended.failed, ended.succeeded], ["failed", 3, 0]);
    assertEquals(statusView(ended, []).failed, 3); // the list's summary counts without reading chunks
    const errors = (await jobStatus(t.ctx.kv, all.job_id))!.errors;
    assertEquals(errors.find((e) => e.site_id === 99), {
      site_id: 99,
      code: "site_not_found",
      message: "Site not found.",
    });

    await stop();
    const old = await t.ctx.jobs.queue({ type: "suspend", sites: [1] });
    const record = (await getJob(t.ctx.kv, old.job_id))!;
    record.status = "processing";
    record.started = Math.floor(Date.now() / 1000) - 5 * 3600;
    await t.ctx.kv.set(keys.job(old.job_id), record);
    await t.ctx.jobs.runLane(old.job_id, "0", 0);
    const status = await jobStatus(t.ctx.kv, old.job_id);
    assertEquals([status?.status, status?.job_timed_out, status?.failed, status?.job_error_code], [
      "failed",
      true,
      1,
      "timeout",
    ]);
    assertEquals(status?.errors, [{ site_id: 0, code: "timeout", message: "Job timed out after 4 hours." }]);
  } finally {
    await stop();
    await env.close();
  }
});

Deno.test("an expired job is gone (404) even while KV still holds it", async () => {
  const t = await testApp();
  try {
    const a = await abilityClient(t);
    const job = await t.ctx.jobs.queue({ type: "check", sites: [] });
    const record = (await getJob(t.ctx.kv, job.job_id))!;
    await t.ctx.kv.set(keys.job(job.job_id), { ...record, expires_at: Date.now() - 1 });
    const res = await a.run("mainwp/get-batch-job-status-v1", { job_id: job.job_id });
    assertEquals([res.status, res.body.code], [404, "mainwp_job_not_found"]);
    const rest = await t.call("GET", `/wp-json/mainwp/v2/jobs/${job.job_id}`, { token: await t.key("read") });
    assertEquals(rest.status, 404);
  } finally {
    await t.close();
  }
});

Deno.test("REST: POST /sites/sync and /updates/update queue above the threshold; /jobs lists; events stream", async () => {
  const env = await simulatedApp(3, { add: true });
  const { t, token } = env;
  const stop = t.ctx.jobs.start();
  try {
    fastJobs(t.ctx, 2, 2);
    const sync = await t.call("POST", "/wp-json/mainwp/v2/sites/sync", { token });
    assertEquals(Object.keys(sync.body), ["success", "message", "job_id", "total"]);
    assertEquals([sync.body.message, sync.body.total], ["Sync queued for background processing.", 3]);
    const events = await withDeadline(
      t.call("GET", `/wp-json/mainwp/v2/jobs/${sync.body.job_id}/events`, { token }),
      15_000,
      "the event stream",
    );
    assertEquals(events.headers.get("content-type"), "text/event-stream");
    assert(events.text.includes("event: end"), events.text);
    assert(events.text.trimEnd().split("\n").at(-1)!.includes('"status":"completed"'));
    const list = await t.call("GET", "/wp-json/mainwp/v2/jobs", { token });
    assertEquals(list.body[0].job_id, sync.body.job_id);
    const updates = await t.call("POST", "/wp-json/mainwp/v2/updates/update", { token });
    // The three simulated sites all have pending updates: above the threshold of 2.
    assertEquals([updates.body.message, updates.body.queued_count], ["Batch updates queued.", 3]);
    assertMatch(updates.body.job_id, /^update_/);
    await settle(t.ctx, updates.body.job_id);
    const missing = await t.call("GET", "/wp-json/mainwp/v2/jobs/sync_0000", { token });
    assertEquals([missing.status, missing.body.code], [404, "mainwp_job_not_found"]);
  } finally {
    await stop();
    await env.close();
  }
});

Deno.test("run-updates-v1 and update-all-v1 queue update jobs above the threshold; the job applies the updates", async () => {
  const env = await simulatedApp(3, { add: true });
  const { t } = env;
  const stop = t.ctx.jobs.start();
  try {
    const a = await abilityClient(t);
    fastJobs(t.ctx, 2, 2);
    const before = await a.run("mainwp/list-updates-v1", { types: ["plugins"] });
    assert(before.body.summary.plugins > 0);
    const run = await a.run("mainwp/run-updates-v1", { types: ["plugins"] });
    assertEquals(Object.keys(run.body), ["queued", "job_id", "status_url", "updates_queued", "errors"]);
    assertEquals(run.body.updates_queued, 3);
    const job = await settle(t.ctx, run.body.job_id);
    assertEquals([job.status, job.succeeded, job.types], ["completed", 3, ["plugins"]]);
    const after = await a.run("mainwp/list-updates-v1", { types: ["plugins"] });
    assertEquals(after.body.summary.plugins, 0);
    const all = await a.run("mainwp/update-all-v1", { site_ids_or_domains: [1, 2, 3, "nope.example"] });
    assertEquals(all.body.updates_queued, 3);
    assertEquals(all.body.errors, [{
      site_id: 0,
      site_url: "nope.example",
      site_name: "",
      type: "site",
      slug: "",
      code: "mainwp_site_not_found",
      message: 'No site found matching "nope.example".',
    }]);
    await settle(t.ctx, all.body.job_id);
  } finally {
    await stop();
    await env.close();
  }
});
