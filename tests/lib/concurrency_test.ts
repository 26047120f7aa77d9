import { assertEquals } from "@std/assert";
import { mapConcurrent } from "../../lib/concurrency.ts";

Deno.test("mapConcurrent keeps input order and never runs more than the limit", async () => {
  let inFlight = 0;
  let peak = 0;
  const results = await mapConcurrent([5, 1, 4, 2, 3, 0], 2, async (n, i) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, n));
    inFlight--;
    return `${i}:${n}`;
  });
  assertEquals(results, ["0:5", "1:1", "2:4", "3:2", "4:3", "5:0"]);
  assertEquals(peak, 2);
  assertEquals(await mapConcurrent([], 4, () => Promise.resolve(1)), []);
  assertEquals(await mapConcurrent([1], 0, (n) => Promise.resolve(n)), [1]);
});
