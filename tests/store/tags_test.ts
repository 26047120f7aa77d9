import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { FLEET_REV, keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import { createSite, getSite } from "../../store/sites.ts";
import {
  createTag,
  deleteTag,
  findTagByName,
  getTag,
  getTags,
  listTags,
  suffixedName,
  tagNameKey,
  tagSiteIds,
  updateTag,
} from "../../store/tags.ts";
import { withKv } from "./_helpers.ts";

Deno.test("tag name keys: lower case; long names hashed below the key limit", () => {
  assertEquals(tagNameKey("VIP"), "vip");
  assertEquals(suffixedName("VIP", 0), "VIP");
  assertEquals(suffixedName("VIP", 3), "VIP (3)");
  const long = tagNameKey("ä".repeat(2000));
  assert(long.startsWith("#sha256:") && long.length < 100);
  assertEquals(long, tagNameKey("Ä".repeat(2000).toLowerCase()));
});

Deno.test("createTag: new ids, unique names with MainWP's suffixes, name index, fleet revision", async () => {
  await withKv(async (kv) => {
    const rev0 = (await kv.get(FLEET_REV)).versionstamp;
    const a = await createTag(kv, { name: "VIP", color: "#ff0000" });
    assertNotEquals((await kv.get(FLEET_REV)).versionstamp, rev0);
    const b = await createTag(kv, { name: "vip" });
    const c = await createTag(kv, { name: "VIP" });
    const d = await createTag(kv, { name: "VIP (1)" });
    assertEquals([a.id, b.id, c.id, d.id], [1, 2, 3, 4]);
    assertEquals([a.name, b.name, c.name, d.name], ["VIP", "vip (1)", "VIP (2)", "VIP (1) (1)"]);
    assertEquals(a, { id: 1, userid: 1, name: "VIP", color: "#ff0000" });
    assertEquals((await findTagByName(kv, "vIp (2)"))?.id, 3);
    assertEquals((await listTags(kv)).length, 4);
    assertEquals((await getTags(kv, [4, 9, 1])).map((t) => t.id), [4, 1]);
  });
});

Deno.test("updateTag: keeps omitted fields, moves the name index, suffixes a taken name", async () => {
  await withKv(async (kv) => {
    await createTag(kv, { name: "VIP", color: "#ff0000" });
    await createTag(kv, { name: "Gold" });
    assertEquals(await updateTag(kv, 1, { color: "#00ff00" }), {
      id: 1,
      userid: 1,
      name: "VIP",
      color: "#00ff00",
    });
    // Case-only rename keeps the same index entry.
    assertEquals((await updateTag(kv, 1, { name: "Vip" }))?.name, "Vip");
    assertEquals((await findTagByName(kv, "VIP"))?.id, 1);
    assertEquals((await updateTag(kv, 1, { name: "gold" }))?.name, "gold (1)");
    assertEquals(await findTagByName(kv, "vip"), null);
    assertEquals((await findTagByName(kv, "GOLD (1)"))?.id, 1);
    assertEquals((await findTagByName(kv, "gold"))?.id, 2);
    // Renaming to its own current name is a no-op on the index.
    assertEquals((await updateTag(kv, 1, { name: "gold (1)" }))?.name, "gold (1)");
    assertEquals(await updateTag(kv, 9, { name: "x" }), null);
  });
});

Deno.test("deleteTag: record and name gone, every site unlinked in chunks (records and both indexes)", async () => {
  await withKv(async (kv) => {
    const tag = await createTag(kv, { name: "VIP" });
    const other = await createTag(kv, { name: "Other" });
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await createSite(kv, { url: `https://s${i}.example`, tag_ids: [tag.id, other.id] });
      assert("site" in r);
      ids.push(r.site.id);
    }
    assertEquals((await tagSiteIds(kv, tag.id)).length, 25);
    const deleted = await deleteTag(kv, tag.id);
    assertEquals(deleted?.name, "VIP");
    assertEquals(await getTag(kv, tag.id), null);
    assertEquals(await findTagByName(kv, "VIP"), null);
    assertEquals(await tagSiteIds(kv, tag.id), []);
    for (const id of ids) {
      assertEquals((await getSite(kv, id))!.tag_ids, [other.id]);
      assertEquals(await listIds(kv, keys.siteTags(id)), [other.id]);
    }
    assertEquals((await tagSiteIds(kv, other.id)).length, 25);
    assertEquals(await deleteTag(kv, tag.id), null);
    // Ids are never reused.
    assertEquals((await createTag(kv, { name: "VIP" })).id, 3);
  });
});
