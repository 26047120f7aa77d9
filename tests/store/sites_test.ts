import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { FLEET_REV, keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import {
  createSite,
  deleteSite,
  getSite,
  getSiteSync,
  joinSiteSync,
  listSiteEntries,
  listSiteSyncs,
  listStampedSiteSyncs,
  splitSiteSync,
  SYNC_CHUNK_CHARS,
  updateSiteGuarded,
  writeSiteSync,
} from "../../store/sites.ts";

async function withKv(fn: (kv: Deno.Kv) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(kv);
  } finally {
    kv.close();
  }
}

async function newSite(kv: Deno.Kv, url: string, extra: Record<string, unknown> = {}): Promise<number> {
  const r = await createSite(kv, { url, ...extra });
  assert("site" in r);
  return r.site.id;
}

Deno.test("sync data splits into chunks below the value limit and joins back; torn sets are refused", () => {
  const big = {
    plugins: JSON.stringify(
      Array.from({ length: 3000 }, (_, i) => ({ name: `Plügin ${i}`, slug: `p${i}/p.php` })),
    ),
  };
  const chunks = splitSiteSync(big, "s1");
  assert(chunks.length > 2);
  for (const c of chunks) assert(c.part.length <= SYNC_CHUNK_CHARS);
  assertEquals(joinSiteSync(chunks), big);
  assertEquals(joinSiteSync(chunks.slice(1)), undefined);
  assertEquals(joinSiteSync([...chunks.slice(0, -1), { ...chunks.at(-1)!, stamp: "other" }]), undefined);
  assertEquals(joinSiteSync([chunks[0], null, ...chunks.slice(2)]), undefined);
  assertEquals(joinSiteSync([]), undefined);
});

Deno.test("writeSiteSync stores large data across chunks, replaces it, bumps the fleet revision", async () => {
  await withKv(async (kv) => {
    const id = await newSite(kv, "https://a.example");
    assertEquals(await getSiteSync(kv, id), null);
    const rev0 = (await kv.get(FLEET_REV)).versionstamp;
    const large = { themes: "x".repeat(200_000), dbsize: 7, site_info: { wpversion: "6.5" } };
    assertEquals((await writeSiteSync(kv, id, large)) !== null, true);
    assertNotEquals((await kv.get(FLEET_REV)).versionstamp, rev0);
    assertEquals(await getSiteSync(kv, id), large);
    assertEquals(
      (await listIds(kv, keys.siteSync(id))).length,
      Math.ceil(JSON.stringify(large).length / SYNC_CHUNK_CHARS),
    );
    // A smaller rewrite leaves no stale chunks behind.
    await writeSiteSync(kv, id, { dbsize: 8 });
    assertEquals(await listIds(kv, keys.siteSync(id)), [0]);
    assertEquals(await getSiteSync(kv, id), { dbsize: 8 });
    assertEquals(await writeSiteSync(kv, 99, { dbsize: 1 }), null);
    assertEquals(await listIds(kv, keys.siteSync(99)), []);
  });
});

Deno.test("listSiteSyncs returns every synced site; deleteSite removes the sync chunks with the record", async () => {
  await withKv(async (kv) => {
    const a = await newSite(kv, "https://a.example");
    const b = await newSite(kv, "https://b.example");
    await newSite(kv, "https://c.example");
    await writeSiteSync(kv, a, { plugins: "y".repeat(70_000) });
    await writeSiteSync(kv, b, { dbsize: 2 });
    const all = await listSiteSyncs(kv);
    assertEquals([...all.keys()], [a, b]);
    assertEquals(all.get(b), { dbsize: 2 });
    assertEquals(all.get(a)?.plugins?.length, 70_000);
    assert(await deleteSite(kv, a));
    assertEquals(await listIds(kv, keys.siteSync(a)), []);
    assertEquals([...(await listSiteSyncs(kv)).keys()], [b]);
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

Deno.test("listStampedSiteSyncs reuses unchanged data; listSiteEntries gives record versionstamps", async () => {
  await withKv(async (kv) => {
    const a = await newSite(kv, "https://a.example");
    const b = await newSite(kv, "https://b.example");
    await writeSiteSync(kv, a, { dbsize: 1 });
    await writeSiteSync(kv, b, { dbsize: 2 });
    const first = await listStampedSiteSyncs(kv);
    await writeSiteSync(kv, b, { dbsize: 3 });
    const second = await listStampedSiteSyncs(kv, first);
    assert(second.get(a) === first.get(a));
    assertEquals(second.get(b)?.data, { dbsize: 3 });
    assertNotEquals(second.get(b)?.stamp, first.get(b)?.stamp);
    const entries = await listSiteEntries(kv);
    assertEquals(entries.map((e) => e.site.id), [a, b]);
    assertEquals(entries[0].versionstamp, (await kv.get(keys.site(a))).versionstamp);
  });
});

Deno.test("writeSiteSync merges inside its commit: concurrent merges lose nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  const created = await createSite(kv, { url: "https://merge.example" });
  if (!("site" in created)) throw new Error("not created");
  const id = created.site.id;
  await Promise.all(Array.from({ length: 20 }, (_, i) =>
    writeSiteSync(kv, id, (previous) => ({
      ...(previous ?? {}),
      options: { ...(previous?.options ?? {}), [`k${i}`]: String(i) },
    }))));
  const data = await getSiteSync(kv, id);
  assertEquals(Object.keys(data?.options ?? {}).length, 20);
  kv.close();
});

Deno.test("writeSiteSync: writes of one turn share commits; a deleted site answers null; a second KV handle's race is redone", async () => {
  const dir = await Deno.makeTempDir();
  const kv = await Deno.openKv(`${dir}/s.kv`);
  const other = await Deno.openKv(`${dir}/s.kv`);
  try {
    const ids: number[] = [];
    for (let i = 0; i < 90; i++) ids.push(await newSite(kv, `https://batch${i}.example`));
    const before = (await kv.get(FLEET_REV)).versionstamp;
    await deleteSite(kv, ids[5]);
    const results = await Promise.all([
      ...ids.map((id) =>
        writeSiteSync(kv, id, { dbsize: id, plugins: "x".repeat(20_000) }, (s) => ({ ...s, dtsSync: id }))
      ),
      // A racing write from another handle on the same site while the shared commit is prepared.
      writeSiteSync(other, ids[0], (p) => ({ ...(p ?? {}), totalsize: 7 })),
    ]);
    assertEquals(results[5], null);
    for (const [i, id] of ids.entries()) {
      if (i === 5) continue;
      assertEquals(results[i]?.dtsSync, id);
      assertEquals((await getSiteSync(kv, id))?.dbsize, id);
    }
    assertNotEquals((await kv.get(FLEET_REV)).versionstamp, before);
  } finally {
    kv.close();
    other.close();
    await Deno.remove(dir, { recursive: true });
  }
});
