/**
 * The scheduled fleet work: a sync job of every site each interval, then automatic updates of only the
 * items nobody ignored; the schedule in KV survives a restart, and two engines on one KV file never start
 * the same run. Intervals are seconds (`fleetpress_auto_sync_interval_seconds`); nothing waits on minutes.
 */
import { assert, assertEquals } from "@std/assert";
import { simulatedApp, withDeadline } from "../../helpers.ts";
import { createApp } from "../../../app.ts";
import { loadConfig } from "../../../lib/config.ts";
import type { AppContext } from "../../../app-context.ts";
import { FleetScheduler, scheduleState } from "../../../core/schedule/fleet-sync.ts";
import { DEFAULT_AUTOMATION_SETTINGS } from "../../../core/settings/automation.ts";
import { listJobs } from "../../../jobs/store.ts";
import { getSite, getSiteSync } from "../../../store/sites.ts";
import { storedUpdates } from "../../../core/updates/pending.ts";
import { ignoreSiteItems, setGlobalIgnored } from "../../../core/updates/ignore.ts";
import { startChildSimulator } from "../../../sim/server.ts";
import { createApiKey } from "../../../store/api-keys.ts";
import { JobEngine } from "../../../jobs/engine.ts";

/** Jobs without delays; scheduled runs every `seconds`. */
function fastSchedule(ctx: AppContext, seconds: number): void {
  ctx.hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0);
  ctx.hooks.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0);
  ctx.hooks.addFilter("fleetpress_auto_sync_interval_seconds", () => seconds);
}

/** Waits (polling, bounded) until `check` holds. */
async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  await withDeadline(
    (async () => {
      while (!(await check())) await new Promise((r) => setTimeout(r, 50));
    })(),
    ms,
    what,
  );
}

Deno.test("a scheduled run syncs every site as a job, then applies only the updates nobody ignored", async () => {
  const { t, sim, close } = await simulatedApp(2, { add: true });
  const ctx = t.ctx;
  try {
    fastSchedule(ctx, 1);
    const site1 = (await getSite(ctx.kv, 1))!;
    const plugins1 = Object.keys(storedUpdates(await getSiteSync(ctx.kv, 1)).plugins);
    const plugins2 = Object.keys(storedUpdates(await getSiteSync(ctx.kv, 2)).plugins);
    assert(plugins1.length >= 2 && plugins2.length >= 1, "the simulated sites offer plugin updates");
    const themesBefore = Object.keys(storedUpdates(await getSiteSync(ctx.kv, 1)).themes);
    // Site 1 ignores its first plugin; the fleet ignores site 2's first plugin everywhere.
    await ignoreSiteItems(ctx, site1, "plugins", [plugins1[0]]);
    await setGlobalIgnored(ctx, "plugins", "ignore", [plugins2[0]]);
    const syncsBefore = [sim.calls(1).stats ?? 0, sim.calls(2).stats ?? 0];

    const scheduler = new FleetScheduler(ctx, {
      mode: "queue",
      settings: () =>
        Promise.resolve({ ...DEFAULT_AUTOMATION_SETTINGS, autoUpdatePlugins: true, autoUpdateDelayDays: 0 }),
    });
    const stopJobs = ctx.jobs.start();
    const stop = scheduler.start();
    try {
      await until(
        "the first scheduled run",
        async () => ((await scheduleState(ctx.kv))?.last_run?.id ?? 0) >= 1,
      );
    } finally {
      await stop();
      await stopJobs();
    }
    const run = (await scheduleState(ctx.kv))!.last_run!;
    assertEquals(run.phase, "done");
    assert(run.sync_job !== null && run.update_job !== null, "a sync job, then an update job");
    const jobs = await listJobs(ctx.kv);
    const sync = jobs.find((j) => j.job_id === run.sync_job)!;
    const update = jobs.find((j) => j.job_id === run.update_job)!;
    assertEquals([sync.job_type, sync.scheduled, sync.status, sync.total], ["sync", "sync", "completed", 2]);
    assertEquals([update.job_type, update.scheduled, update.types], ["update", "auto_update", ["plugins"]]);
    assert((sim.calls(1).stats ?? 0) > syncsBefore[0] && (sim.calls(2).stats ?? 0) > syncsBefore[1]);

    // What is left pending: exactly the ignored plugins; themes were not enabled, so they stay.
    const left1 = Object.keys(storedUpdates(await getSiteSync(ctx.kv, 1)).plugins);
    const left2 = Object.keys(storedUpdates(await getSiteSync(ctx.kv, 2)).plugins);
    assertEquals(left1, plugins1.filter((p) => p === plugins1[0] || p === plugins2[0]));
    assertEquals(left2, plugins2.filter((p) => p === plugins2[0]));
    assertEquals(Object.keys(storedUpdates(await getSiteSync(ctx.kv, 1)).themes), themesBefore);
  } finally {
    await close();
  }
});

Deno.test("automatic updates wait for autoUpdateDelayDays: nothing new is applied the day it appears", async () => {
  const { t, sim, close } = await simulatedApp(1, { add: true });
  const ctx = t.ctx;
  try {
    fastSchedule(ctx, 1);
    const pending = Object.keys(storedUpdates(await getSiteSync(ctx.kv, 1)).plugins);
    assert(pending.length > 0);
    const scheduler = new FleetScheduler(ctx, {
      mode: "poll",
      tickMs: 100,
      settings: () =>
        Promise.resolve({ ...DEFAULT_AUTOMATION_SETTINGS, autoUpdatePlugins: true, autoUpdateDelayDays: 2 }),
    });
    const stopJobs = ctx.jobs.start();
    const stop = scheduler.start();
    try {
      await until(
        "the first scheduled run",
        async () => ((await scheduleState(ctx.kv))?.last_run?.id ?? 0) >= 1,
      );
    } finally {
      await stop();
      await stopJobs();
    }
    const run = (await scheduleState(ctx.kv))!.last_run!;
    assertEquals([run.phase, run.update_job], ["done", null]);
    assertEquals(sim.calls(1).upgradeplugintheme ?? 0, 0);
    assertEquals(Object.keys(storedUpdates(await getSiteSync(ctx.kv, 1)).plugins), pending);
  } finally {
    await close();
  }
});

Deno.test("two schedulers ticking at once on one KV file start a due run once", async () => {
  const dir = await Deno.makeTempDir();
  const sim = await startChildSimulator({ count: 2 });
  const config = loadConfig({
    KV_PATH: `${dir}/fleet.kv`,
    SECRET_KEY: "0123456789abcdef0123",
    PUBLIC_URL: "https://d.test",
  });
  const kvs = [await Deno.openKv(config.kvPath), await Deno.openKv(config.kvPath)];
  try {
    const apps = await Promise.all(kvs.map((kv) => createApp({ config, kv, child: { timeoutMs: 1500 } })));
    const token = (await createApiKey(kvs[0], { permissions: "read_write" })).token;
    for (let i = 1; i <= 2; i++) {
      const res = await apps[0].app.request("http://d.test/wp-json/mainwp/v2/sites/add", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ url: sim.url(i), admin: "admin", adminpassword: "admin-password" }),
      }, { remoteAddr: { hostname: "127.0.0.1" } });
      assertEquals(res.status, 200, await res.text());
    }
    const schedulers = apps.map(({ ctx }) => {
      fastSchedule(ctx, 1);
      return new FleetScheduler(ctx, { mode: "queue" });
    });
    await schedulers[0].tick(); // creates the schedule: the first run is due in a second
    await until(
      "the first run to be due",
      async () => (await scheduleState(kvs[0]))!.next_run <= Date.now(),
      5_000,
    );
    await Promise.all([
      schedulers[0].tick(),
      schedulers[1].tick(),
      schedulers[1].tick(),
      schedulers[0].tick(),
    ]);
    const state = (await scheduleState(kvs[0]))!;
    assertEquals(state.seq, 1);
    const scheduled = (await listJobs(kvs[0])).filter((j) => j.scheduled === "sync");
    assertEquals(scheduled.map((j) => j.job_id), [state.run!.sync_job]);
  } finally {
    for (const kv of kvs) {
      try {
        kv.close();
      } catch {
        // closed already
      }
    }
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a restart mid-run loses nothing and repeats nothing: the other engine finishes the run", async () => {
  const dir = await Deno.makeTempDir();
  const sim = await startChildSimulator({ count: 3 });
  const config = loadConfig({
    KV_PATH: `${dir}/fleet.kv`,
    SECRET_KEY: "0123456789abcdef0123",
    PUBLIC_URL: "https://d.test",
  });
  const kvs = [await Deno.openKv(config.kvPath), await Deno.openKv(config.kvPath)];
  try {
    const apps = await Promise.all(kvs.map((kv) => createApp({ config, kv, child: { timeoutMs: 1500 } })));
    const token = (await createApiKey(kvs[0], { permissions: "read_write" })).token;
    for (let i = 1; i <= 3; i++) {
      const res = await apps[0].app.request("http://d.test/wp-json/mainwp/v2/sites/add", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ url: sim.url(i), admin: "admin", adminpassword: "admin-password" }),
      }, { remoteAddr: { hostname: "127.0.0.1" } });
      assertEquals(res.status, 200, await res.text());
    }
    for (const { ctx } of apps) {
      fastSchedule(ctx, 1);
      // One site per chunk, so that a run is stopped with chunks still to do.
      ctx.hooks.addFilter("mainwp_abilities_cron_chunk_size", () => 1);
    }
    const a = apps[0].ctx;
    const syncsAtStart = [1, 2, 3].map((i) => sim.calls(i).stats ?? 0);

    // Engine A starts the first run and stops (gracefully: its running step ends) after the first site synced.
    const firstSynced = Promise.withResolvers<void>();
    a.hooks.addAction("mainwp_site_synced", () => firstSynced.resolve());
    const stopJobsA = a.jobs.start();
    const stopA = new FleetScheduler(a, { mode: "queue" }).start();
    await withDeadline(firstSynced.promise, 20_000, "the first scheduled sync");
    await stopA();
    await stopJobsA();
    const midway = (await scheduleState(kvs[0]))!;
    assertEquals([midway.seq, midway.run?.phase], [1, "sync"]);
    await until("engine A's last step to be recorded", async () => {
      const chunks = await Array.fromAsync(
        kvs[0].list<{ state: string }>({ prefix: ["job_chunks", midway.run!.sync_job!] }),
      );
      return chunks.every((c) => c.value.state !== "running");
    });
    kvs[0].close(); // the process is gone

    // Engine B (the restart) carries on from the stored schedule and runs once more. Its recovery passes
    // come every half second: the queue messages engine A's handle took with it are sent again.
    const b = apps[1].ctx;
    const jobsB = new JobEngine(b.jobs.deps, { mode: "queue", leaseMs: 60_000, recoveryMs: 500 });
    const stopJobsB = jobsB.start();
    const stopB = new FleetScheduler({ kv: b.kv, hooks: b.hooks, jobs: jobsB }, {
      mode: "queue",
      recoveryMs: 500,
    })
      .start();
    try {
      await until("two runs", async () => ((await scheduleState(kvs[1]))?.last_run?.id ?? 0) >= 2, 30_000);
    } finally {
      await stopB();
      await stopJobsB();
    }
    const runs = (await listJobs(kvs[1])).filter((j) => j.scheduled === "sync");
    const ids = new Set(runs.map((j) => j.job_id));
    assertEquals(ids.size, runs.length);
    const finished = runs.filter((j) => j.status === "completed");
    assert(finished.length >= 2, "both runs' sync jobs completed");
    // Each site synced once per started run: nothing lost with engine A, nothing repeated by engine B.
    const state = (await scheduleState(kvs[1]))!;
    for (const i of [1, 2, 3]) {
      assertEquals((sim.calls(i).stats ?? 0) - syncsAtStart[i - 1], state.seq, `site ${i} syncs`);
    }
  } finally {
    for (const kv of kvs) {
      try {
        kv.close();
      } catch {
        // closed already
      }
    }
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
});
