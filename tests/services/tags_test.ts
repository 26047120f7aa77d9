import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createSite } from "../../store/sites.ts";
import { encodeWpJson } from "../../rest/json.ts";
import {
  addTag,
  editTag,
  getTagObject,
  orderedMap,
  parseTagListQuery,
  removeTag,
  tagNameOf,
  tagObject,
  tagObjectBlank,
} from "../../services/tags.ts";
import { sanitizeHexColor } from "../../wp/format.ts";

Deno.test("orderedMap keeps insertion order for numeric keys; empty is []", () => {
  const map = orderedMap<unknown>([["7", { a: 1 }], ["3", { b: 2 }], ["10", 3]]);
  assertEquals(JSON.stringify(map), '{"7":{"a":1},"3":{"b":2},"10":3}');
  assertEquals(encodeWpJson({ data: map }), '{"data":{"7":{"a":1},"3":{"b":2},"10":3}}');
  assertEquals(Object.keys(map), ["7", "3", "10"]);
  assertEquals(orderedMap([]), []);
});

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
  const q = parseTagListQuery({ page: "2", per_page: "3", search: " x ", include: "1,2" });
  assertEquals(q, { page: 2, perPage: 3, search: "x", include: [1, 2], exclude: [] });
  assertEquals(parseTagListQuery({ per_page: "3" }).page, null);
});

Deno.test("tag service: add, edit keeps an omitted name, remove; hooks fire", async () => {
  const t = await testApp();
  const fired: string[] = [];
  t.ctx.hooks.addAction("mainwp_site_tag_action", (_tag: unknown, action: string) => fired.push(action));
  t.ctx.hooks.addAction("mainwp_added_new_group", () => fired.push("added_new_group"));
  const created = await addTag(t.ctx, { name: "VIP", color: "#f00" });
  assertEquals(created, {
    success: 1,
    message: "Tag created successfully.",
    data: { id: "1", name: "VIP", color: "#f00", count_sites: "0", sites_ids: null },
  });
  await createSite(t.ctx.kv, { url: "https://a.example", tag_ids: [1] });
  assertEquals((await getTagObject(t.ctx, 1)).data.sites_ids, "1");
  assertEquals((await editTag(t.ctx, 1, { color: "" })).data, {
    id: "1",
    name: "VIP",
    color: "#f00",
    count_sites: "",
    sites_ids: "",
  });
  assertEquals((await removeTag(t.ctx, 1)).message, "Tag deleted successfully.");
  assertEquals(fired, ["added_new_group", "created", "updated", "deleted"]);
  await t.close();
});
