import { assertEquals } from "@std/assert";
import { encodePhpForm, rawUrlDecode, rawUrlEncode } from "../../child/index.ts";

Deno.test("encodePhpForm writes PHP http_build_query style fields", () => {
  const body = encodePhpForm({
    function: "stats",
    syncdata: { plugins: 1, themes: 0 },
    list: ["a b", "c&d"],
    optimize: true,
    off: false,
    skipped: null,
    missing: undefined,
  });
  const fields = [...new URLSearchParams(body)];
  assertEquals(fields, [
    ["function", "stats"],
    ["syncdata[plugins]", "1"],
    ["syncdata[themes]", "0"],
    ["list[0]", "a b"],
    ["list[1]", "c&d"],
    ["optimize", "1"],
    ["off", "0"],
  ]);
});

Deno.test("rawUrlEncode / rawUrlDecode behave like PHP", () => {
  assertEquals(rawUrlEncode("p@ss 100%!*'()~"), "p%40ss%20100%25%21%2A%27%28%29~");
  for (const text of ["p@ss 100%!", "a+b", "Müller ✓ 😀", "%zz%"]) {
    assertEquals(rawUrlDecode(rawUrlEncode(text)), text);
  }
  assertEquals(rawUrlDecode("a+b%2B%zz"), "a+b+%zz");
});
