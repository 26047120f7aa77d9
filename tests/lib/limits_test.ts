/** The limits module: bounds of request parameters, key parts, ability input schemas, KV size errors. */
import { assert, assertEquals } from "@std/assert";
import {
  checkParamBounds,
  fitsKey,
  isKvSizeError,
  KEY_TEXT_BYTES,
  NAME_MAX,
  PARAM_DEPTH_MAX,
  PARAM_KEY_MAX,
  PARAM_MAX,
  TEXT_MAX,
  URL_MAX,
  withStringLimits,
} from "../../lib/limits.ts";

Deno.test("checkParamBounds: a named parameter's limit, then the generic ones at any depth", () => {
  assertEquals(checkParamBounds({ name: "x".repeat(NAME_MAX) }), null);
  assertEquals(checkParamBounds({ name: "x".repeat(NAME_MAX + 1) }), {
    param: "name",
    max: NAME_MAX,
    nested: false,
  });
  assertEquals(checkParamBounds({ url: "x".repeat(URL_MAX + 1) })?.max, URL_MAX);
  assertEquals(checkParamBounds({ note: "x".repeat(TEXT_MAX) }), null);
  assertEquals(checkParamBounds({ include: "1,".repeat(20_000) }), null);
  assertEquals(checkParamBounds({ other: "x".repeat(PARAM_MAX + 1) })?.max, PARAM_MAX);
  assertEquals(checkParamBounds({ input: { a: ["x".repeat(PARAM_MAX + 1)] } }), {
    param: "input",
    max: PARAM_MAX,
    nested: true,
  });
  assertEquals(checkParamBounds({ input: { ["k".repeat(PARAM_KEY_MAX + 1)]: 1 } })?.max, PARAM_KEY_MAX);
  let deep: unknown = "x";
  for (let i = 0; i <= PARAM_DEPTH_MAX; i++) deep = [deep];
  assertEquals(checkParamBounds({ input: deep })?.max, PARAM_DEPTH_MAX);
  // Members take their field's limit at any depth, except inside an ability's input (its schema's job).
  assertEquals(
    checkParamBounds({ custom_fields: [{ field_value: "x".repeat(TEXT_MAX + 1) }] })?.max,
    TEXT_MAX,
  );
  assertEquals(checkParamBounds({ create: [{ name: "x".repeat(NAME_MAX + 1) }] })?.max, NAME_MAX);
  assertEquals(checkParamBounds({ input: { name: "x".repeat(NAME_MAX + 1) } }), null);
  // Inherited names are not limits: `constructor` takes the generic one.
  assertEquals(checkParamBounds({ constructor: "x".repeat(1000) }), null);
});

Deno.test("fitsKey counts UTF-8 bytes", () => {
  assert(fitsKey("a".repeat(KEY_TEXT_BYTES)));
  assert(!fitsKey("a".repeat(KEY_TEXT_BYTES + 1)));
  assert(fitsKey("é".repeat(KEY_TEXT_BYTES / 2)));
  assert(!fitsKey("é".repeat(KEY_TEXT_BYTES / 2 + 1)));
});

Deno.test("withStringLimits adds maxLength by field name, keeps explicit limits, reaches items and branches", () => {
  const schema = withStringLimits({
    type: ["object", "null"],
    properties: {
      name: { type: "string" },
      url: { type: "string", maxLength: 10 },
      site_ids_or_domains: { type: "array", items: { anyOf: [{ type: "integer" }, { type: "string" }] } },
      note: { type: ["string", "null"] },
      other: { type: "string" },
      count: { type: "integer" },
    },
  });
  const p = schema.properties as Record<string, Record<string, unknown>>;
  assertEquals(p.name, { type: "string", maxLength: NAME_MAX });
  assertEquals(p.url.maxLength, 10);
  assertEquals(p.site_ids_or_domains.items, {
    anyOf: [{ type: "integer" }, { type: "string", maxLength: URL_MAX }],
  });
  assertEquals(p.note.maxLength, TEXT_MAX);
  assertEquals(p.other.maxLength, TEXT_MAX);
  assertEquals(p.count, { type: "integer" });
  assertEquals(schema.maxLength, undefined);
});

Deno.test("isKvSizeError knows Deno KV's size refusals", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const errors: unknown[] = [];
    await kv.set(["a"], "x".repeat(70_000)).catch((e) => errors.push(e));
    await kv.get(["k", "x".repeat(3000)]).catch((e) => errors.push(e));
    await kv.set(["k", "x".repeat(3000)], 1).catch((e) => errors.push(e));
    assertEquals(errors.length, 3);
    for (const error of errors) assert(isKvSizeError(error), String(error));
    assert(!isKvSizeError(new TypeError("database is locked")));
    assert(!isKvSizeError(new Error("Value too large")), "only KV's TypeErrors");
  } finally {
    kv.close();
  }
});
