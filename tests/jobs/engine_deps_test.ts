import { assertEquals } from "@std/assert";
import { HookRegistry } from "../../hooks/registry.ts";
import { JobEngine } from "../../jobs/engine.ts";
import { getJob } from "../../jobs/store.ts";

Deno.test("the job engine runs on narrow dependencies: a KV, the hooks and a site runner, no app", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const hooks = new HookRegistry();
    hooks.addFilter("mainwp_abilities_cron_chunk_size", () => 2);
    hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0);
    hooks.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0);
    const ran: [string, number][] = [];
    const engine = new JobEngine({
      kv,
      hooks,
      runSite: (job, siteId) => {
        ran.push([job.job_type, siteId]);
        return Promise.resolve(siteId === 2 ? { code: "refused", message: "Not this one." } : null);
      },
    }, { mode: "queue", leaseMs: 60_000 });
    const job = await engine.queue({ type: "check", sites: [1, 2, 3] });
    // Drive the lane by hand (no queue listener), at most a few steps.
    for (let step = 0; step < 5; step++) {
      const current = await getJob(kv, job.job_id);
      if (!current || current.status === "completed" || current.status === "failed") break;
      await engine.runLane(job.job_id, "0", current.lanes["0"].seq);
    }
    const end = await getJob(kv, job.job_id);
    assertEquals(ran, [["check", 1], ["check", 2], ["check", 3]]);
    assertEquals([end?.status, end?.processed, end?.succeeded, end?.failed], ["completed", 3, 2, 1]);
  } finally {
    kv.close();
  }
});
