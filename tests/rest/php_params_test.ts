import { assertEquals } from "@std/assert";
import { parsePhpParams, splitPhpName } from "../../rest/php-params.ts";

Deno.test("bracket names split like PHP", () => {
  assertEquals(splitPhpName("a"), ["a"]);
  assertEquals(splitPhpName("a[]"), ["a", ""]);
  assertEquals(splitPhpName("input[ids][0]"), ["input", "ids", "0"]);
});

Deno.test("PHP-style decoding: lists, indexes, nesting, overwrite", () => {
  const q = new URLSearchParams(
    "a=1&a=2&ids[]=3&ids[]=4&idx[0]=x&idx[1]=y&input[site][id]=7&input[tags][]=a&input[tags][]=b&m[2]=z",
  );
  assertEquals(parsePhpParams(q), {
    a: "2",
    ids: ["3", "4"],
    idx: ["x", "y"],
    input: { site: { id: "7" }, tags: ["a", "b"] },
    m: { 2: "z" },
  });
});
