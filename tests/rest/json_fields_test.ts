import { assertEquals } from "@std/assert";
import { encodeWpJson } from "../../rest/json.ts";
import { filterFields, parseFieldsParam, projectFields } from "../../rest/fields.ts";
import { statusOf } from "../../rest/errors.ts";

Deno.test("JSON is encoded as wp_json_encode does", () => {
  assertEquals(
    encodeWpJson({ url: "https://a.example/", name: "Café ✓" }),
    '{"url":"https:\\/\\/a.example\\/","name":"Caf\\u00e9 \\u2713"}',
  );
  assertEquals(encodeWpJson({ a: [1] }, true), '{\n    "a": [\n        1\n    ]\n}');
});

Deno.test("_fields filters top level and dot paths; per-item projection keeps id", () => {
  assertEquals(parseFieldsParam("a, b.c"), ["a", "b.c"]);
  assertEquals(parseFieldsParam(undefined), null);
  assertEquals(filterFields({ success: 1, data: { id: "3", name: "x" } }, ["data.id"]), {
    data: { id: "3" },
  });
  assertEquals(filterFields({ success: 1, data: [] }, ["id"]), {});
  assertEquals(projectFields({ id: "1", name: "a", url: "u" }, ["url"]), { id: "1", url: "u" });
});

Deno.test("error status comes from data.status, else 500", () => {
  assertEquals([statusOf({ status: 404 }), statusOf(400), statusOf(null)], [404, 500, 500]);
});
