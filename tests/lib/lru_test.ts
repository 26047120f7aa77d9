import { assertEquals } from "@std/assert";
import { ByteLru } from "../../lib/lru.ts";

Deno.test("ByteLru evicts the least recently used values until the bytes fit; oversize values are not kept", () => {
  const lru = new ByteLru<number, string>(1000);
  lru.set(1, "a", 400);
  lru.set(2, "b", 400);
  assertEquals(lru.get(1), "a"); // 1 is now the most recent
  lru.set(3, "c", 400); // 1200 > 1000: drops 2, the least recent
  assertEquals([lru.get(2), lru.get(1), lru.get(3)], [undefined, "a", "c"]);
  assertEquals([lru.size, lru.bytes], [2, 800]);
  lru.set(1, "a2", 100); // replacing counts the new size only
  assertEquals([lru.get(1), lru.bytes], ["a2", 500]);
  lru.set(4, "huge", 1001);
  assertEquals([lru.get(4), lru.size, lru.bytes], [undefined, 2, 500]);
  lru.set(5, "e", 950); // drops both others
  assertEquals([lru.size, lru.bytes, lru.get(5)], [1, 950, "e"]);
  lru.delete(5);
  assertEquals([lru.size, lru.bytes], [0, 0]);
});
