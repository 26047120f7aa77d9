import { assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import { assertChildVersion, ChildError, compareVersions, isChildOutdated } from "../../child/index.ts";

Deno.test("compareVersions follows PHP version_compare", () => {
  const cases: [string, string, number][] = [
    ["4.0", "4.0.0", -1],
    ["4.0.0", "4.0.0", 0],
    ["6.1", "4.0.0", 1],
    ["", "4.0.0", -1],
    ["", "", 0],
    ["5.0-beta", "5.0", -1],
    ["5.0RC1", "5.0", -1],
    ["5.0-dev", "5.0-alpha", -1],
    ["5.0-alpha", "5.0-beta", -1],
    ["5.0-rc1", "5.0-pl1", -1],
    ["1.10", "1.9", 1],
    ["10.6.19-MariaDB", "10.6.19", -1],
    ["5.3", "5.3.0", -1],
  ];
  for (const [a, b, expected] of cases) {
    assertEquals(compareVersions(a, b), expected, `${a} vs ${b}`);
    assertEquals(compareVersions(b, a), 0 - expected, `${b} vs ${a}`);
  }
});

Deno.test("a child below 4.0.0 (or unknown) is outdated", () => {
  assertEquals(isChildOutdated("3.9.9"), true);
  assertEquals(isChildOutdated("4.0"), true);
  assertEquals(isChildOutdated(undefined), true);
  assertEquals(isChildOutdated("4.0.0"), false);
  assertEquals(isChildOutdated("6.1"), false);
  assertEquals(isChildOutdated("4.0", "4.0"), false);
});

Deno.test("assertChildVersion throws MainWP's mainwp_child_outdated", () => {
  assertChildVersion("6.1");
  const error = assertThrows(() => assertChildVersion("3.5"));
  assertInstanceOf(error, ChildError);
  assertEquals([error.code, error.status, error.category], ["mainwp_child_outdated", 400, "outdated"]);
  assertEquals(error.message, "Child plugin version 4.0.0 or higher required.");
});
