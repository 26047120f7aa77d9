import { assertEquals, assertInstanceOf } from "@std/assert";
import { HookRegistry } from "../../hooks/registry.ts";
import { createSite } from "../../store/sites.ts";
import { createClient } from "../../store/clients.ts";
import { Conflict, InvalidInput, NotFound } from "../../core/errors.ts";
import {
  createTag,
  deleteTag,
  editTag,
  getTag,
  getTagClients,
  getTagSites,
  listTags,
  resolveTagRefs,
  saveTag,
  tagColorOf,
  tagNameOf,
} from "../../core/tags.ts";
import { parseTagListQuery, tagObject, tagObjectBlank, tagObjectOf } from "../../routes/present/tags.ts";
import { sanitizeHexColor } from "../../wp/format.ts";

/** The error `run` rejects with, checked to be of `type`. */
async function rejection<T extends Error>(
  run: () => Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  const error = await run().then(() => null, (e: unknown) => e);
  assertInstanceOf(error, type);
  return error;
}

/** A store and hooks alone: what the tag operations ask for. */
async function deps() {
  const kv = await Deno.openKv(":memory:");
  const hooks = new HookRegistry();
  const fired: string[] = [];
  hooks.addAction("mainwp_site_tag_action", (_tag: unknown, action: string) => fired.push(action));
  hooks.addAction("mainwp_added_new_group", () => fired.push("added_new_group"));
  return { kv, hooks, fired, [Symbol.dispose]: () => kv.close() };
}

Deno.test('tag objects: GET form (null / "0" without sites), edit/remove form (blank counts)', () => {
  const tag = { id: 4, userid: 1, name: "VIP", color: "#1e90ff" };
  assertEquals(tagObject(tag, [12, 3, 7, 3]), {
    id: "4",
    name: "VIP",
    color: "#1e90ff",
    count_sites: "3",
    sites_ids: "3,7,12",
  });
  assertEquals(tagObject(tag, undefined), {
    id: "4",
    name: "VIP",
    color: "#1e90ff",
    count_sites: "0",
    sites_ids: null,
  });
  assertEquals(tagObjectBlank(tag), {
    id: "4",
    name: "VIP",
    color: "#1e90ff",
    count_sites: "",
    sites_ids: "",
  });
});

Deno.test("colours and names as stored", () => {
  assertEquals(
    ["#fff", "#A1B2C3", "#abcd", "fff", "red", 5, null].map(sanitizeHexColor),
    ["#fff", "#A1B2C3", null, null, null, null, null],
  );
  assertEquals([tagNameOf(" A&B "), tagNameOf(""), tagNameOf("0"), tagNameOf(7), tagNameOf({})], [
    "A&amp;B",
    null,
    null,
    "7",
    null,
  ]);
  assertEquals([tagColorOf("#F00"), tagColorOf("red"), tagColorOf(null), tagColorOf(""), tagColorOf("0")], [
    "#F00",
    "",
    "",
    undefined,
    undefined,
  ]);
  const q = parseTagListQuery({ page: "2", per_page: "3", search: " x ", include: "1,2" });
  assertEquals(q, { page: 2, perPage: 3, search: "x", include: [1, 2], exclude: [] });
  assertEquals(parseTagListQuery({ per_page: "3" }).page, null);
});

Deno.test("tag core: save, edit keeps an omitted name, delete; hooks fire", async () => {
  using d = await deps();
  const created = await saveTag(d, { name: "VIP", color: "#f00" });
  assertEquals(tagObject(created.tag, created.siteIds), {
    id: "1",
    name: "VIP",
    color: "#f00",
    count_sites: "0",
    sites_ids: null,
  });
  await createSite(d.kv, { url: "https://a.example", tag_ids: [1] });
  assertEquals(tagObjectOf(await getTag(d, 1)).sites_ids, "1");
  assertEquals(tagObjectBlank(await editTag(d, 1, { color: "" })), {
    id: "1",
    name: "VIP",
    color: "#f00",
    count_sites: "",
    sites_ids: "",
  });
  assertEquals((await deleteTag(d, 1)).name, "VIP");
  assertEquals(d.fired, ["added_new_group", "created", "updated", "deleted"]);
});

Deno.test("createTag: escaped, trimmed name; a taken name is suffixed, or refused without a write", async () => {
  using d = await deps();
  const vip = await createTag(d, { name: " R&D " });
  assertEquals([vip.name, vip.color], ["R&amp;D", ""]);
  assertEquals((await createTag(d, { name: "r&d" })).name, "r&amp;d (1)");
  const refused = await rejection(() => createTag(d, { name: "R&D" }, "refuse"), Conflict);
  assertEquals([refused.existingId, refused.message], [vip.id, 'A tag with name "R&D" already exists.']);
  await rejection(() => createTag(d, { name: "0" }), InvalidInput);
  await rejection(() => createTag(d, {}), InvalidInput);
  assertEquals((await listTags(d)).length, 2);
  assertEquals(d.fired, ["added_new_group", "created", "added_new_group", "created"]);
});

Deno.test("createTag with refuse: racing creates of one name make exactly one tag", async () => {
  using d = await deps();
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, (_, i) => createTag(d, { name: i % 2 ? "Gold" : "gold" }, "refuse")),
  );
  assertEquals(results.filter((r) => r.status === "fulfilled").length, 1);
  assertEquals(results.filter((r) => r.status === "rejected" && r.reason instanceof Conflict).length, 7);
  assertEquals((await listTags(d)).map((t) => t.tag.id), [1]);
});

Deno.test("editTag: unknown tag first, then an unusable name; a rename onto another tag's name", async () => {
  using d = await deps();
  const a = await createTag(d, { name: "A" });
  const b = await createTag(d, { name: "B" });
  await rejection(() => editTag(d, 99, { name: "0" }), NotFound);
  await rejection(() => editTag(d, 0, { color: "#fff" }), NotFound);
  await rejection(() => editTag(d, a.id, { name: "  " }), InvalidInput);
  await rejection(() => editTag(d, a.id, { name: "b" }, "refuse"), Conflict);
  assertEquals((await getTag(d, a.id)).tag.name, "A");
  assertEquals((await editTag(d, a.id, { name: "a" }, "refuse")).name, "a");
  assertEquals((await editTag(d, a.id, { name: "b" })).name, "b (1)");
  assertEquals((await editTag(d, b.id, { color: null })).color, "");
});

Deno.test("saveTag: an id updates that tag; an unknown id is NotFound and changes nothing", async () => {
  using d = await deps();
  await createTag(d, { name: "A" });
  const saved = await saveTag(d, { id: 1, name: "Z", color: "#00f" });
  assertEquals([saved.tag.name, saved.tag.color, saved.siteIds], ["Z", "#00f", []]);
  await rejection(() => saveTag(d, { id: 7, name: "Y" }), NotFound);
  await rejection(() => saveTag(d, { id: 1, name: "" }), InvalidInput);
  assertEquals((await listTags(d)).map((t) => t.tag.name), ["Z"]);
});

Deno.test("listTags: name order, include/exclude, search on stored name and id; same object while unchanged", async () => {
  using d = await deps();
  for (const name of ["beta", "Alpha", "R&D"]) await createTag(d, { name });
  const names = async (filter = {}) => (await listTags(d, filter)).map((t) => t.tag.name);
  assertEquals(await names(), ["Alpha", "beta", "R&amp;D"]);
  assertEquals(await names({ include: [1, 3] }), ["beta", "R&amp;D"]);
  assertEquals(await names({ exclude: [1] }), ["Alpha", "R&amp;D"]);
  assertEquals(await names({ search: "ALP" }), ["Alpha"]);
  assertEquals(await names({ search: "3" }), ["R&amp;D"]);
  assertEquals(await names({ search: "&amp;" }), ["R&amp;D"]);
  assertEquals((await listTags(d))[0] === (await listTags(d))[0], true);
});

Deno.test("tag sites and clients: URL order with staging, clients by name; unknown tag NotFound", async () => {
  using d = await deps();
  const tag = await createTag(d, { name: "VIP" });
  const client = async (name: string) => {
    const made = await createClient(d.kv, { name });
    if (!("client" in made)) throw new Error("client not created");
    return made.client.client_id;
  };
  const zed = await client("Zed");
  const acme = await client("acme");
  await createSite(d.kv, { url: "https://b.example", tag_ids: [tag.id], client_id: zed });
  await createSite(d.kv, { url: "https://a.example", tag_ids: [tag.id], client_id: acme, is_staging: 1 });
  await createSite(d.kv, { url: "https://c.example" });
  assertEquals((await getTagSites(d, tag.id)).map((s) => s.url), [
    "https://a.example/",
    "https://b.example/",
  ]);
  assertEquals((await getTagClients(d, tag.id)).map((c) => c.name), ["acme", "Zed"]);
  assertEquals((await getTag(d, tag.id)).siteIds, [1, 2]);
  await rejection(() => getTagSites(d, 9), NotFound);
  await rejection(() => getTagClients(d, 9), NotFound);
  await deleteTag(d, tag.id);
  await rejection(() => deleteTag(d, tag.id), NotFound);
});

Deno.test("resolveTagRefs: ids of existing tags, names found or created, distinct", async () => {
  using d = await deps();
  await createTag(d, { name: "VIP" });
  assertEquals(await resolveTagRefs(d, ["1", "9", "vip", "New", " new ", "", "0"]), [1, 2]);
  assertEquals((await listTags(d)).map((t) => t.tag.name), ["New", "VIP"]);
});
