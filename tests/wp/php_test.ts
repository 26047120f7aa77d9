import { assertEquals } from "@std/assert";
import { absint, isPhpEmpty, isPhpNumeric, phpIntval } from "../../wp/php.ts";

Deno.test("isPhpEmpty follows PHP's empty() on request values", () => {
  const empty = [undefined, null, false, "", "0", 0, [], {}];
  const full = ["a", "0.0", " ", 1, -1, true, [0], { a: 1 }];
  assertEquals(empty.map(isPhpEmpty), empty.map(() => true));
  assertEquals(full.map(isPhpEmpty), full.map(() => false));
});

Deno.test("phpIntval and absint read leading digits as PHP does", () => {
  assertEquals(
    [" 12abc", "-7", "+3", "x", 4.9, -4.9, true, false, null, NaN, Infinity].map(phpIntval),
    [12, -7, 3, 0, 4, -4, 1, 0, 0, 0, 0],
  );
  assertEquals(["-999999", "5", "x"].map(absint), [999999, 5, 0]);
});

Deno.test("isPhpNumeric accepts PHP 8 numeric strings only", () => {
  assertEquals(
    ["1", " 1", "1 ", "-1.5", ".5", "1e3", "+2E-2", 3, "0x1A", "1a", "", " ", "1e", NaN].map(isPhpNumeric),
    [true, true, true, true, true, true, true, true, false, false, false, false, false, false],
  );
});
