import { assert, assertEquals } from "@std/assert";
import { siteApp } from "../../routes/_site_fixtures.ts";
import { getSite } from "../../../store/sites.ts";
import { type BulkSyncEntry, syncManySites, syncOrQueueSites } from "../../../core/sync/sync.ts";

Deno.test("syncManySites: sites in the given order, unknown ids left out, failures recorded; queued above the threshold", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, sim } = env;
  try {
    sim.site(2).controls.offline = true;
    const seen: BulkSyncEntry[] = [];
    const results = await syncManySites(t.ctx, [2, 999, 1], (entry) => {
      seen.push(entry);
      return entry.ok ? "synced" : "failed";
    });
    assertEquals(results.map((r) => [r.site.id, r.result]), [[2, "failed"], [1, "synced"]]);
    assertEquals(seen.length, 2);
    const failed = seen.find((e) => e.site.id === 2);
    assert(failed && !failed.ok && "error" in failed, "the child's error is reported");
    assert((await getSite(t.ctx.kv, 2))?.sync_errors, "and recorded on the site");
    const synced = seen.find((e) => e.site.id === 1);
    assert(synced?.ok && synced.sync.version, "a synced site carries its stored sync data");

    t.ctx.hooks.addFilter("mainwp_abilities_batch_threshold", () => 1);
    const sites = [(await getSite(t.ctx.kv, 1))!, (await getSite(t.ctx.kv, 2))!];
    const run = await syncOrQueueSites(t.ctx, sites, () => null);
    assert(run.queued, "two sites above a threshold of one: a job");
    assertEquals(run.total, 2);
    assert(run.jobId.startsWith("sync_"));
    const now = await syncOrQueueSites(t.ctx, sites.slice(0, 1), (entry) => entry.ok);
    assertEquals(now.queued ? null : now.results.map((r) => r.result), [true]);
  } finally {
    await env.close();
  }
});
