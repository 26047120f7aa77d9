import { assertEquals } from "@std/assert";
import { escHtml, sanitizeHexColor, sanitizeTextField } from "../../wp/format.ts";

Deno.test("escHtml escapes as esc_html, without double-encoding entities", () => {
  assertEquals(escHtml(`Tom & "Jerry" &amp; <b>'s`), "Tom &amp; &quot;Jerry&quot; &amp; &lt;b&gt;&#039;s");
  assertEquals(escHtml("&#39; &#x1F600; &bogus"), "&#39; &#x1F600; &amp;bogus");
});

Deno.test("sanitizeTextField strips tags, collapses white space and drops percent octets", () => {
  assertEquals(sanitizeTextField("  <b>ACME</b>\n Inc "), "ACME Inc");
  assertEquals(sanitizeTextField("a < b"), "a &lt; b");
  assertEquals(sanitizeTextField("100%25 sure"), "100 sure");
  assertEquals([5, true, false, null, {}].map(sanitizeTextField), ["5", "1", "", "", ""]);
});

Deno.test("sanitizeHexColor keeps #rgb/#rrggbb and empty, else null", () => {
  assertEquals(
    ["#fff", "#A1B2C3", "", "#abcd", "fff", "red", 5, null].map(sanitizeHexColor),
    ["#fff", "#A1B2C3", "", null, null, null, null, null],
  );
});
