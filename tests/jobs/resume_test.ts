/**
 * Update jobs after a crash: a worker records a site's start, then dies (held in a hook, its claim's lease
 * running out); the worker that takes the chunk over syncs the started sites first and calls the upgrade
 * only for what is still pending.
 */
import { assert, assertEquals } from "@std/assert";
import { simulatedApp, withDeadline } from "../helpers.ts";
import { keys } from "../../store/keys.ts";
import { JobEngine } from "../../jobs/engine.ts";
import { type ChunkRecord, getJob } from "../../jobs/store.ts";
import { ChunkStarts } from "../../jobs/starts.ts";
import { jobStatus } from "../../jobs/status.ts";
import { callCoreUpdate } from "../../core/updates/apply.ts";
import { getSite, type SiteRecord } from "../../store/sites.ts";
import type { AppContext } from "../../app-context.ts";

/** No delays, one chunk for the whole job. */
function fastJobs(ctx: AppContext): void {
  ctx.hooks.addFilter("mainwp_abilities_cron_chunk_size", () => 20);
  ctx.hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0);
  ctx.hooks.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0);
}

/** A promise with its settle functions, for holding a worker where it is. */
function gate() {
  return Promise.withResolvers<void>();
}

Deno.test("a taken-over update chunk syncs started sites first: no second upgrade of an updated site", async () => {
  const env = await simulatedApp(3, { add: true });
  const { t, sim } = env;
  const kv = t.ctx.kv;
  try {
    fastJobs(t.ctx);
    for (let i = 1; i <= 3; i++) {
      assert(sim.site(i).pendingUpdates.plugins > 0, `site ${i} has plugin updates`);
    }
    const events: string[] = [];
    const reached = { 1: gate(), 2: gate(), 3: gate() };
    let firstRun = true;
    t.ctx.hooks.addAction("mainwp_site_synced", (site: SiteRecord) => {
      events.push(`sync ${site.id}`);
      if (firstRun && site.id === 3) reached[3].resolve(); // its sync after the upgrade: site 3 is done
    });

    // The first worker: site 1's upgrade reaches the child, then the worker dies before recording it;
    // site 2's start is recorded, then the worker dies before calling the child. Site 3 runs normally.
    const died = gate();
    died.promise.catch(() => {});
    t.ctx.hooks.addAction(
      "mainwp_before_plugin_theme_translation_update",
      async (_kind: string, _slugs: string, site: SiteRecord) => {
        events.push(`upgrade ${site.id}`);
        if (firstRun && site.id === 2) {
          reached[2].resolve();
          await died.promise;
        }
      },
    );
    t.ctx.hooks.addAction(
      "mainwp_after_plugin_theme_translation_update",
      async (_reply: unknown, _kind: string, _slugs: string, site: SiteRecord) => {
        if (firstRun && site.id === 1) {
          reached[1].resolve();
          await died.promise;
        }
      },
    );

    const job = await t.ctx.jobs.queue({ type: "update", sites: [1, 2, 3], types: ["plugins"] });
    const doomed = new JobEngine(t.ctx.jobs.deps, { mode: "queue", leaseMs: 1 });
    const dying = doomed.runLane(job.job_id, "0", 0);
    await withDeadline(
      Promise.all(Object.values(reached).map((g) => g.promise)),
      15_000,
      "the first worker",
    );
    const held = (await kv.get<ChunkRecord>(keys.jobChunk(job.job_id, 0))).value!;
    assertEquals([held.state, held.claims, [...held.started!].sort()], ["running", 1, [1, 2, 3]]);
    assertEquals(sim.calls(1).upgradeplugintheme, 1);
    assertEquals(sim.calls(2).upgradeplugintheme, undefined);
    assertEquals(sim.calls(3).upgradeplugintheme, 1);
    assertEquals(sim.site(1).pendingUpdates.plugins, 0, "the child updated site 1");
    const synced = [1, 2, 3].map((i) => sim.calls(i).stats ?? 0);

    // The lease (1 ms) runs out; another worker takes the chunk over.
    for (let i = 0; i < 200 && Date.now() <= held.lease_until; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    firstRun = false;
    events.length = 0;
    const next = new JobEngine(t.ctx.jobs.deps, { mode: "queue", leaseMs: 60_000 });
    await withDeadline(next.runLane(job.job_id, "0", 0), 15_000, "the takeover");

    assertEquals(sim.calls(1).upgradeplugintheme, 1, "site 1 was not upgraded again");
    assertEquals(sim.calls(2).upgradeplugintheme, 1, "site 2, still pending, was upgraded");
    assertEquals(sim.calls(3).upgradeplugintheme, 1, "site 3 (done before the crash) was not upgraded again");
    // Each started site was synced before anything else was called.
    for (let i = 1; i <= 3; i++) assert((sim.calls(i).stats ?? 0) > synced[i - 1], `site ${i} synced`);
    assert(
      events.indexOf("sync 2") >= 0 && events.indexOf("sync 2") < events.indexOf("upgrade 2"),
      events.join(),
    );
    assertEquals(events.filter((e) => e.startsWith("upgrade")), ["upgrade 2"]);
    for (let i = 1; i <= 3; i++) {
      assertEquals(sim.site(i).pendingUpdates.plugins, 0, `site ${i} is up to date`);
    }
    const end = await getJob(kv, job.job_id);
    assertEquals([end?.status, end?.processed, end?.succeeded, end?.failed], ["completed", 3, 3, 0]);
    const chunk = (await kv.get<ChunkRecord>(keys.jobChunk(job.job_id, 0))).value!;
    assertEquals([chunk.state, chunk.claims, chunk.errors], ["done", 2, []]);

    // The first worker wakes up: its claim is gone, so it records nothing and calls nothing more.
    died.reject(new Error("the worker died"));
    await withDeadline(dying, 15_000, "the first worker's end");
    assertEquals(sim.calls(2).upgradeplugintheme, 1);
    assertEquals((await getJob(kv, job.job_id))?.succeeded, 3);
  } finally {
    await env.close();
  }
});

Deno.test("taken over after a crash: core already updated is not called again; an unreachable started site fails without an upgrade", async () => {
  // Simulated sites 2, 3 and 5 offer a core update (the simulator's catalogue is seeded).
  const [updated, offline, fresh] = [2, 3, 5];
  const env = await simulatedApp(5, { add: true });
  const { t, sim } = env;
  const kv = t.ctx.kv;
  try {
    fastJobs(t.ctx);
    for (const i of [updated, offline, fresh]) {
      assert(sim.site(i).pendingUpdates.core, `site ${i}: core update`);
    }
    const job = await t.ctx.jobs.queue({
      type: "update",
      sites: [updated, offline, fresh],
      types: ["core", "plugins"],
    });
    // The state a dead worker leaves: the chunk claimed with an expired lease, two sites started, and one
    // child's core updated before the worker died.
    await callCoreUpdate(t.ctx, (await getSite(kv, updated))!);
    assertEquals(sim.calls(updated).upgrade, 1);
    const record = (await getJob(kv, job.job_id))!;
    const chunk = (await kv.get<ChunkRecord>(keys.jobChunk(job.job_id, 0))).value!;
    await kv.atomic()
      .set(keys.job(job.job_id), { ...record, status: "processing", started: record.created, next_chunk: 1 })
      .set(keys.jobChunk(job.job_id, 0), {
        ...chunk,
        state: "running",
        lease_until: 1,
        claims: 1,
        started: [updated, offline],
      })
      .commit();
    sim.site(offline).controls.offline = true;

    await withDeadline(t.ctx.jobs.runLane(job.job_id, "0", 0), 15_000, "the takeover");
    assertEquals(sim.calls(updated).upgrade, 1, "core was not updated twice");
    assertEquals(sim.calls(updated).upgradeplugintheme, 1, "its plugins, still pending, were updated");
    assertEquals([sim.calls(offline).upgrade, sim.calls(offline).upgradeplugintheme], [undefined, undefined]);
    assertEquals(
      [sim.calls(fresh).upgrade, sim.calls(fresh).upgradeplugintheme],
      [1, 1],
      "not started before",
    );
    const end = (await jobStatus(kv, job.job_id))!;
    assertEquals([end.status, end.succeeded, end.failed], ["completed", 2, 1]);
    assertEquals(end.errors.map((e) => [e.site_id, e.code]), [[offline, "update_failed"]]);
    assert(
      end.errors[0].message.startsWith("An earlier run of this update was interrupted"),
      end.errors[0].message,
    );
  } finally {
    await env.close();
  }
});

Deno.test("a start mark is refused once the chunk is no longer the worker's claim", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const key = keys.jobChunk("update_x", 0);
    const chunk: ChunkRecord = {
      sites: [1, 2],
      state: "running",
      lease_until: Date.now() + 60_000,
      claims: 1,
      succeeded: [],
      errors: [],
      expires_at: 0,
    };
    const versionstamp = (await kv.set(key, chunk)).versionstamp;
    const claim = { n: 0, chunk, versionstamp };
    const starts = new ChunkStarts(kv, "update_x", claim);
    assertEquals(starts.startedBefore(1), false);
    assertEquals(await Promise.all([starts.start(1), starts.start(2)]), [true, true]);
    assertEquals((await kv.get<ChunkRecord>(key)).value?.started, [1, 2]);
    assertEquals((await kv.get(key)).versionstamp, claim.versionstamp, "the claim follows its own marks");
    await kv.set(key, { ...chunk, claims: 2 }); // another worker took the chunk over
    assertEquals(await starts.start(1), false);
  } finally {
    kv.close();
  }
});
