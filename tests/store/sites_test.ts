import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { FLEET_REV, keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import {
  deleteSite,
  getSite,
  getSiteSync,
  listSiteEntries,
  updateSiteGuarded,
  writeSiteSync,
} from "../../store/sites.ts";
import { newSite, withKv } from "./_helpers.ts";

Deno.test("sync data in chunks reads back whole; deleteSite removes the sync chunks with the record", async () => {
  await withKv(async (kv) => {
    const a = await newSite(kv, "https://a.example");
    const b = await newSite(kv, "https://b.example");
    const c = await newSite(kv, "https://c.example");
    await writeSiteSync(kv, a, { plugins: "y".repeat(70_000) });
    await writeSiteSync(kv, b, { dbsize: 2 });
    assertEquals(await getSiteSync(kv, b), { dbsize: 2 });
    assertEquals((await getSiteSync(kv, a))?.plugins?.length, 70_000);
    assertEquals(await getSiteSync(kv, c), null);
    assert(await deleteSite(kv, a));
    assertEquals(await listIds(kv, keys.siteSync(a)), []);
    assertEquals(await getSiteSync(kv, a), null);
    assertEquals(await getSiteSync(kv, b), { dbsize: 2 });
  });
});

Deno.test("updateSiteGuarded: reads guards, refuses, moves indexes, bumps the revision", async () => {
  await withKv(async (kv) => {
    const id = await newSite(kv, "https://a.example", { tag_ids: [1], client_id: 2 });
    await kv.set(keys.tag(5), { id: 5, name: "T", color: "", userid: 1 });
    const refused = await updateSiteGuarded(
      kv,
      id,
      [keys.client(9)],
      (s, [c]) => c.value ? { ...s, client_id: 9 } : { refuse: "client" as const },
    );
    assert(refused && "refused" in refused);
    assertEquals(refused.refused, "client");
    assertEquals((await getSite(kv, id))!.client_id, 2);
    const rev = (await kv.get(FLEET_REV)).versionstamp;
    const done = await updateSiteGuarded(kv, id, [keys.tag(5), keys.tag(6)], (s, [t5, t6]) => ({
      ...s,
      client_id: 0,
      tag_ids: [t5.value ? 5 : 0, t6.value ? 6 : 0].filter((x) => x > 0),
    }));
    assert(done && "site" in done);
    assertEquals(done.previous.tag_ids, [1]);
    assertEquals(done.site.tag_ids, [5]);
    assertEquals(await listIds(kv, keys.siteTags(id)), [5]);
    assertEquals(await listIds(kv, keys.tagSites(1)), []);
    assertEquals(await listIds(kv, keys.tagSites(5)), [id]);
    assertEquals(await listIds(kv, keys.clientSites(2)), []);
    assertNotEquals((await kv.get(FLEET_REV)).versionstamp, rev);
    assertEquals(await updateSiteGuarded(kv, 42, [], (s) => s), null);
    // Returning null leaves the site untouched.
    const same = await updateSiteGuarded(kv, id, [], () => null);
    assert(same && "site" in same);
    assertEquals(same.site, same.previous);
  });
});

Deno.test("updateSiteGuarded: a guard deleted before the commit makes it retry and see the deletion", async () => {
  await withKv(async (kv) => {
    const id = await newSite(kv, "https://a.example");
    await kv.set(keys.tag(5), { id: 5, name: "T", color: "", userid: 1 });
    let calls = 0;
    let deletion: Promise<void> | null = null;
    const result = await updateSiteGuarded(kv, id, [keys.tag(5)], (s, [tag]) => {
      calls++;
      // A concurrent tag deletion lands between this attempt's reads and its commit.
      if (calls === 1) deletion = kv.delete(keys.tag(5));
      return { ...s, tag_ids: tag.value ? [5] : [] };
    });
    await deletion;
    assert(result && "site" in result);
    assertEquals(calls, 2);
    assertEquals(result.site.tag_ids, []);
    assertEquals(await listIds(kv, keys.tagSites(5)), []);
  });
});

Deno.test("a rewrite replaces the sync data; listSiteEntries gives record versionstamps", async () => {
  await withKv(async (kv) => {
    const a = await newSite(kv, "https://a.example");
    const b = await newSite(kv, "https://b.example");
    await writeSiteSync(kv, a, { dbsize: 1 });
    await writeSiteSync(kv, b, { dbsize: 2 });
    const before = (await kv.get(keys.site(b))).versionstamp;
    await writeSiteSync(kv, b, { dbsize: 3 });
    assertEquals(await getSiteSync(kv, a), { dbsize: 1 });
    assertEquals(await getSiteSync(kv, b), { dbsize: 3 });
    assertNotEquals((await kv.get(keys.site(b))).versionstamp, before);
    const entries = await listSiteEntries(kv);
    assertEquals(entries.map((e) => e.site.id), [a, b]);
    assertEquals(entries[0].versionstamp, (await kv.get(keys.site(a))).versionstamp);
  });
});
