import { assert, assertEquals } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { keys } from "../../../store/keys.ts";
import {
  createSite,
  defaultSite,
  deleteSite,
  splitSiteSync,
  updateSite,
  writeSiteSync,
} from "../../../store/sites.ts";
import { ensureSiteRows, listSiteRows } from "../../../store/site-rows.ts";
import { createTag, updateTag } from "../../../store/tags.ts";
import { fleetIndexStats, fleetSnapshot } from "../../../core/sites/fleet.ts";
import { LIST_DEFAULTS, listSiteViews, parseSiteListQuery } from "../../../routes/present/site-list.ts";
import { viewCacheStats } from "../../../routes/present/site-views.ts";

/** Listed ids with row stamps, as the index has them. */
async function listedOf(kv: Deno.Kv) {
  return (await fleetSnapshot(kv)).listed.map((e) => [e.site.id, e.stamp, e.hasUpdate]);
}

Deno.test("fleet index: each change applied from its bucket equals a cold load; no full reload", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-index-" });
  const kv = await Deno.openKv(`${dir}/f.kv`);
  try {
    for (const n of ["e", "b", "d", "a", "c"]) await createSite(kv, { url: `https://${n}.example`, name: n });
    await listedOf(kv);
    assertEquals(fleetIndexStats(kv).fullLoads, 1);
    const changes: (() => Promise<unknown>)[] = [
      () => updateSite(kv, 1, (s) => ({ ...s, url: "https://0.example/" })), // moves to the front
      () => updateSite(kv, 2, (s) => ({ ...s, is_staging: 1 })), // leaves the listing
      () => updateSite(kv, 3, (s) => ({ ...s, name: "Renamed" })), // same place, new entry
      () => writeSiteSync(kv, 4, { plugin_upgrades: '{"a/a.php":{}}' }), // available_update
      () => deleteSite(kv, 5),
      () => createSite(kv, { url: "https://bb.example", name: "bb" }),
      () => updateSite(kv, 2, (s) => ({ ...s, is_staging: 0 })), // back
    ];
    for (const change of changes) {
      await change();
      const cold = await Deno.openKv(`${dir}/f.kv`);
      try {
        assertEquals(await listedOf(kv), await listedOf(cold));
      } finally {
        cold.close();
      }
    }
    const names = (await fleetSnapshot(kv)).listed.map((e) => e.site.name);
    assertEquals(names, ["e", "a", "b", "bb", "Renamed"]);
    assertEquals(fleetIndexStats(kv).fullLoads, 1);
    assertEquals(fleetIndexStats(kv).refreshes, changes.length);
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fleet index: concurrent readers share one refresh; tags refresh alone; many changed buckets reload every row", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const tag = await createTag(kv, { name: "T" });
    await createSite(kv, { url: "https://a.example", name: "A", tag_ids: [tag.id] });
    await fleetSnapshot(kv);
    await updateSite(kv, 1, (s) => ({ ...s, name: "A2" }));
    const snaps = await Promise.all([1, 2, 3, 4].map(() => fleetSnapshot(kv)));
    assert(snaps.every((s) => s === snaps[0]));
    assertEquals(fleetIndexStats(kv), { fullLoads: 1, refreshes: 1, sites: 1 });
    await updateTag(kv, tag.id, { name: "Renamed" });
    assertEquals((await fleetSnapshot(kv)).tagNames.get(tag.id), "Renamed");
    assertEquals(fleetIndexStats(kv).fullLoads, 1);
    // A fleet-wide change (more than a quarter of the buckets): one full reload of the rows.
    for (let i = 0; i < 80; i++) await createSite(kv, { url: `https://s${i}.example`, name: `S${i}` });
    assertEquals((await fleetSnapshot(kv)).listed.length, 81);
    assertEquals(fleetIndexStats(kv).fullLoads, 2);
  } finally {
    kv.close();
  }
});

Deno.test("ensureSiteRows: sites stored before rows existed get theirs (update counts from sync data), once", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const site = defaultSite(7, { url: "https://old.example", name: "Old" });
    // As stored before rows existed: the record, its domain index and its sync data.
    const op = kv.atomic().set(keys.site(7), site).set(keys.siteByDomain("old.example"), 7);
    splitSiteSync({ theme_upgrades: '{"t":{},"u":{}}' }).forEach((c, n) =>
      op.set(keys.siteSyncChunk(7, n), c)
    );
    await op.commit();
    assertEquals(await listSiteRows(kv), []);
    assertEquals(await ensureSiteRows(kv), 1);
    const [{ row }] = await listSiteRows(kv);
    assertEquals([row.id, row.name, row.updates.themes, row.updates.any], [7, "Old", 2, true]);
    assertEquals(await ensureSiteRows(kv), 0);
    // A record-only write keeps the counts the row has.
    await updateSite(kv, 7, (s) => ({ ...s, suspended: 1 }));
    assertEquals((await listSiteRows(kv))[0].row.updates.themes, 2);
  } finally {
    kv.close();
  }
});

Deno.test("encoded views stay within the configured byte budget; evicted views are read again", async () => {
  const t = await testApp({ env: { VIEW_CACHE_MB: "1" } });
  try {
    const plugins = JSON.stringify(
      Array.from({ length: 300 }, (_, i) => ({ slug: `p${i}/p.php`, name: `P ${i}` })),
    );
    for (let i = 0; i < 40; i++) {
      const created = await createSite(t.ctx.kv, { url: `https://v${String(i).padStart(2, "0")}.example` });
      if ("site" in created) await writeSiteSync(t.ctx.kv, created.site.id, { plugins });
    }
    const all = parseSiteListQuery({}, LIST_DEFAULTS);
    const first = await listSiteViews(t.ctx, all);
    assertEquals(first.total, 40);
    const stats = viewCacheStats(t.ctx);
    assert(stats.bytes <= 1024 * 1024, `${stats.bytes} bytes held`);
    assert(stats.views < 40, `${stats.views} views held`);
    const again = await listSiteViews(t.ctx, all);
    assertEquals(JSON.stringify(again.data), JSON.stringify(first.data));
    assert(viewCacheStats(t.ctx).misses > 40);
  } finally {
    await t.close();
  }
});
