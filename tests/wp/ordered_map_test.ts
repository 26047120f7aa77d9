import { assertEquals } from "@std/assert";
import { encodeWpJson } from "../../rest/json.ts";
import { orderedMap } from "../../wp/ordered-map.ts";

Deno.test("orderedMap keeps insertion order for numeric keys; empty is []", () => {
  const map = orderedMap<unknown>([["7", { a: 1 }], ["3", { b: 2 }], ["10", 3]]);
  assertEquals(JSON.stringify(map), '{"7":{"a":1},"3":{"b":2},"10":3}');
  assertEquals(encodeWpJson({ data: map }), '{"data":{"7":{"a":1},"3":{"b":2},"10":3}}');
  assertEquals(Object.keys(map), ["7", "3", "10"]);
  assertEquals(orderedMap([]), []);
});
