import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { createSite, writeSiteSync } from "../../../store/sites.ts";
import { createTag, updateTag } from "../../../store/tags.ts";
import {
  countSelected,
  entriesByIds,
  fleetSnapshot,
  hasAvailableUpdate,
  includeExclude,
  isSiteStatusFilter,
  listedSiteRecords,
  pageOf,
  selectSites,
  siteDetails,
  type SiteSelection,
  siteSortKey,
} from "../../../core/sites/fleet.ts";
import { entryViews } from "../../../routes/present/site-views.ts";

Deno.test("sort key strips scheme and www., keeps the trailing slash", () => {
  assertEquals(siteSortKey("https://www.Example.com/"), "example.com/");
  assertEquals(siteSortKey("http://wwwx.example/"), "wwwx.example/");
  const keys = ["https://a.com-x/", "https://a.com/", "http://www.a.com/blog/"].map(siteSortKey).sort();
  assertEquals(keys, ["a.com-x/", "a.com/", "a.com/blog/"]);
});

Deno.test("fleet snapshot: reused while the revision stands, rebuilt once per change, shared by concurrent readers", async () => {
  const t = await testApp();
  const kv = t.ctx.kv;
  const a = await fleetSnapshot(kv);
  assertStrictEquals(await fleetSnapshot(kv), a);
  await createSite(kv, { url: "https://b.example", name: "B" });
  const [b1, b2] = await Promise.all([fleetSnapshot(kv), fleetSnapshot(kv)]);
  assertStrictEquals(b1, b2);
  assert(b1 !== a);
  assertEquals(b1.listed.map((e) => e.site.name), ["B"]);
  await createTag(kv, { name: "T" });
  const c = await fleetSnapshot(kv);
  assertEquals(c.tagsByName.map((x) => x.name), ["T"]);
  await writeSiteSync(kv, 1, { plugin_upgrades: '{"a":1}' });
  const d = await fleetSnapshot(kv);
  assertEquals(
    selectSites(d, { include: [], exclude: [], search: "", status: ["available_update"] }).length,
    1,
  );
  await t.close();
});

Deno.test("fleet index refresh reuses unchanged site entries; changed records, sync data and tag names show", async () => {
  const t = await testApp();
  const kv = t.ctx.kv;
  const tag = await createTag(kv, { name: "T" });
  await createSite(kv, { url: "https://a.example", name: "A", tag_ids: [tag.id] });
  await createSite(kv, { url: "https://b.example", name: "B" });
  await writeSiteSync(kv, 2, { dbsize: 1 });
  const s1 = await fleetSnapshot(kv);
  const [a1, b1] = [s1.byId.get(1)!, s1.byId.get(2)!];
  await createTag(kv, { name: "Unrelated" });
  const s2 = await fleetSnapshot(kv);
  assert(s2 !== s1);
  assertStrictEquals(s2.byId.get(1), a1);
  assertStrictEquals(s2.byId.get(2), b1);
  await writeSiteSync(kv, 2, { dbsize: 2 });
  const s3 = await fleetSnapshot(kv);
  assertStrictEquals(s3.byId.get(1), a1);
  assert(s3.byId.get(2) !== b1);
  assertEquals((await entryViews(t.ctx, s3, [s3.byId.get(2)!]))[0]?.database_size, "2");
  const b3 = s3.byId.get(2)!;
  await updateTag(kv, tag.id, { name: "Renamed" });
  const s4 = await fleetSnapshot(kv);
  assertEquals((await entryViews(t.ctx, s4, [s4.byId.get(1)!]))[0]?.tags, { "1": "Renamed" });
  assertStrictEquals(s4.byId.get(2), b3);
  await t.close();
});

Deno.test("selection: include keeps listing order, exclude, search over id/name/URL, OR-ed statuses, paging, counts", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await createSite(kv, { url: "https://c.example", name: "Charlie" }); // 1
    await createSite(kv, { url: "https://www.a.example", name: "Alpha", suspended: 1 }); // 2
    await createSite(kv, { url: "https://b.example", name: "Bravo", sync_errors: "down" }); // 3
    await createSite(kv, { url: "https://s.example", name: "Stage", is_staging: 1 }); // 4
    await writeSiteSync(kv, 1, { theme_upgrades: '{"t":{}}' });
    const snap = await fleetSnapshot(kv);
    const ids = (q: Partial<SiteSelection>) =>
      selectSites(snap, { include: [], exclude: [], search: "", status: [], ...q }).map((e) => e.site.id);
    assertEquals(ids({}), [2, 3, 1]);
    assertEquals(ids({ include: [1, 4, 2, 99] }), [2, 1]);
    assertEquals(ids({ exclude: [3] }), [2, 1]);
    assertEquals(ids({ search: "BRAV" }), [3]);
    assertEquals(ids({ search: "a.example" }), [2]);
    assertEquals(ids({ status: ["suspended", "disconnected"] }), [2, 3]);
    assertEquals(ids({ status: ["available_update"] }), [1]);
    assertEquals(ids({ status: ["connected", "any"] }), [2, 3, 1]);
    assertEquals(ids({ status: ["unsuspended"] }), [3, 1]);
    assertEquals(pageOf([1, 2, 3, 4, 5], 2, 2), [3, 4]);
    assertEquals(pageOf([1, 2, 3], null, 2), [1, 2, 3]);
    assertEquals(countSelected(snap, { include: [], exclude: [2], search: "", status: [] }), 2);
    assertEquals(entriesByIds(snap, [1, 4, 3, 1]).map((e) => e.site.id), [3, 1]);
    assertEquals(snap.tagNames.size, 0);
    assert(isSiteStatusFilter("unsuspended") && !isSiteStatusFilter("bogus"));
  } finally {
    kv.close();
  }
});

Deno.test("listed records and site details without a snapshot", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const tag = await createTag(kv, { name: "T" });
    await createSite(kv, { url: "https://z.example", name: "Z", tag_ids: [tag.id] });
    await createSite(kv, { url: "https://y.example", name: "Y", is_staging: 1 });
    await createSite(kv, { url: "https://x.example", name: "X" });
    const listed = await listedSiteRecords(kv);
    assertEquals(listed.map((s) => s.id), [3, 1]);
    assertEquals(includeExclude(listed, [1, 2], []).map((s) => s.id), [1]);
    assertEquals(includeExclude(listed, [], [1]).map((s) => s.id), [3]);
    await fleetSnapshot(kv);
    assertEquals((await listedSiteRecords(kv)).map((s) => s.id), [3, 1]);
    const details = await siteDetails(kv, listed[1]);
    assertEquals([...details.tagNames], [[tag.id, "T"]]);
    assertEquals(details.sync, null);
    assertEquals((await siteDetails(kv, listed[1], { dbsize: 4 })).sync, { dbsize: 4 });
    assertEquals(hasAvailableUpdate({ premium_upgrades: "[1]" }), true);
  } finally {
    kv.close();
  }
});
