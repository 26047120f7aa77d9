/** A site's stored sync data: chunking, reads, and writes that share commits with their record's change. */
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { FLEET_REV, keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import { createSite, deleteSite } from "../../store/sites.ts";
import {
  getSiteSync,
  joinSiteSync,
  splitSiteSync,
  SYNC_CHUNK_CHARS,
  writeSiteSync,
} from "../../store/site-sync-data.ts";
import { newSite, withKv } from "./_helpers.ts";

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
