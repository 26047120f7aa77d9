import { assertEquals, assertInstanceOf } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { createSite, type SiteRecord } from "../../../store/sites.ts";
import {
  queueOrRun,
  selectBulkSites,
  selectBulkSitesReportingUnknown,
  siteRecordsOf,
} from "../../../core/sites/bulk.ts";
import { absIdList, bulkSelectionOf, bulkSyncSelectionOf } from "../../../routes/present/sites.ts";
import { RestError } from "../../../rest/errors.ts";

async function site(kv: Deno.Kv, url: string, extra: Partial<SiteRecord> = {}): Promise<SiteRecord> {
  const created = await createSite(kv, { url, ...extra });
  if (!("site" in created)) throw new Error("duplicate");
  return created.site;
}

Deno.test("selectBulkSites: every listed site in URL order unless include narrows; zeros match nothing", async () => {
  const t = await testApp();
  try {
    const c = await site(t.ctx.kv, "https://c.example");
    const a = await site(t.ctx.kv, "https://a.example");
    await site(t.ctx.kv, "https://staging.example", { is_staging: 1 });
    const ids = async (include: number[] | null, exclude: number[] | null = null) =>
      (await selectBulkSites(t.ctx, { include, exclude })).map((s) => s.id);
    assertEquals(await ids(null), [a.id, c.id]);
    assertEquals(await ids(null, [a.id]), [c.id]);
    assertEquals(await ids([c.id]), [c.id]);
    assertEquals(await ids([0]), []);
    const { sites, unknown } = await selectBulkSitesReportingUnknown(t.ctx, {
      include: [c.id, 999, a.id],
      exclude: [a.id],
    });
    assertEquals([sites.map((s) => s.id), unknown], [[c.id], [999]]);
    assertEquals((await siteRecordsOf(t.ctx, [a.id, 999, c])).map((s) => s.id), [a.id, c.id]);
  } finally {
    await t.close();
  }
});

Deno.test("bulk selection presenters: MainWP's absint reading of include / exclude", () => {
  assertEquals([absIdList("3, -5,x"), absIdList(""), absIdList("0"), absIdList([2, "2"])], [
    [3, 5, 0],
    null,
    null,
    [2],
  ]);
  assertEquals(bulkSelectionOf({ include: "-3" }), { include: [3], exclude: null });
  let refused: unknown = null;
  try {
    bulkSyncSelectionOf({ exclude: "x" });
  } catch (error) {
    refused = error;
  }
  assertInstanceOf(refused, RestError);
  assertEquals([refused.code, refused.status], ["mainwp_invalid_input", 400]);
});

Deno.test("queueOrRun: runs below mainwp_abilities_batch_threshold, queues a job above it", async () => {
  const t = await testApp();
  try {
    const sites = [await site(t.ctx.kv, "https://a.example"), await site(t.ctx.kv, "https://b.example")];
    let runs = 0;
    const now = () => Promise.resolve(++runs);
    assertEquals(await queueOrRun(t.ctx, "check", sites, now), { ran: 1 });
    t.ctx.hooks.addFilter("mainwp_abilities_batch_threshold", () => 1);
    const queued = await queueOrRun(t.ctx, "check", sites, now);
    assertEquals([runs, "job" in queued && queued.job.job_type], [1, "check"]);
  } finally {
    await t.close();
  }
});
