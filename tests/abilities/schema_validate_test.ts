import { assertEquals } from "@std/assert";
import { coerceWpSchema, validateWpSchema, wpListJoin } from "../../abilities/schema-validate.ts";

const listSites = {
  type: ["object", "null"],
  properties: {
    page: { type: "integer", minimum: 1 },
    per_page: { type: "integer", minimum: 1, maximum: 100 },
    status: { type: "string", enum: ["any", "connected", "disconnected", "suspended", "available_update"] },
    job_id: { type: "string", pattern: "^(sync|update)_" },
    name: { type: "string", minLength: 1 },
    email: { type: "string", format: "email" },
    ids: { type: "array", items: { type: "integer" }, minItems: 1 },
  },
  additionalProperties: false,
};

Deno.test("WordPress messages for each failing keyword", () => {
  const cases: [unknown, string | null][] = [
    [{ page: "2", per_page: 5 }, null],
    [null, null],
    ["x", "input is not of type object,null."],
    [{ page: "x" }, "input[page] is not of type integer."],
    [{ page: 0 }, "input[page] must be greater than or equal to 1"],
    [{ per_page: 500 }, "input[per_page] must be between 1 (inclusive) and 100 (inclusive)"],
    [
      { status: "x" },
      "input[status] is not one of any, connected, disconnected, suspended, and available_update.",
    ],
    [{ job_id: "bad" }, "input[job_id] does not match pattern ^(sync|update)_."],
    [{ name: "" }, "input[name] must be at least 1 character long."],
    [{ email: "nope" }, "Invalid email address."],
    [{ ids: [] }, "input[ids] must contain at least 1 item."],
    [{ ids: ["1", "y"] }, "input[ids][1] is not of type integer."],
    [{ other: 1 }, "other is not a valid property of Object."],
  ];
  for (const [value, expected] of cases) {
    assertEquals(validateWpSchema(value, listSites), expected, JSON.stringify(value));
  }
});

Deno.test("required, lenient types, oneOf, ignored keywords", () => {
  const schema = {
    type: "object",
    required: ["a", "b"],
    properties: { a: { type: "boolean" }, b: { type: "number" } },
  };
  assertEquals(validateWpSchema({}, schema), "a is a required property of input.");
  assertEquals(validateWpSchema({ a: "TRUE", b: "1e3" }, schema), null);
  assertEquals(validateWpSchema({ a: "yes", b: 1 }, schema), "input[a] is not of type boolean.");
  assertEquals(validateWpSchema("", { type: "object" }), null);
  assertEquals(validateWpSchema(5, { type: "string" }), "input is not of type string.");
  const one = { oneOf: [{ type: "integer" }, { type: "number" }] };
  assertEquals(validateWpSchema(3, one), "input matches more than one of the expected formats.");
  assertEquals(validateWpSchema("x", one), "input is not of type integer.");
  assertEquals(validateWpSchema(1, { type: "integer", const: 2, not: {} }), null);
  assertEquals(wpListJoin(["a", "b"]), "a and b");
  assertEquals(validateWpSchema("c", { type: "string", enum: ["a"] }), "input is not a.");
});

Deno.test("query-string coercion follows the schema", () => {
  const schema = {
    type: "object",
    properties: {
      confirm: { type: "boolean" },
      n: { type: "integer" },
      ids: { type: "array", items: { type: "integer" } },
      nested: { type: "object", properties: { on: { type: "boolean" } } },
      s: { type: "string" },
    },
  };
  assertEquals(
    coerceWpSchema({ confirm: "false", n: "5", ids: "1,2", nested: { on: "1" }, s: "5", x: "y" }, schema),
    {
      confirm: false,
      n: 5,
      ids: [1, 2],
      nested: { on: true },
      s: "5",
      x: "y",
    },
  );
  assertEquals(coerceWpSchema({ n: "abc" }, schema), { n: "abc" });
});

Deno.test("more keywords: draft-3 required, counts, uniqueness, multiples, formats", () => {
  const draft3 = { type: "object", properties: { a: { type: "string", required: true } } };
  assertEquals(validateWpSchema({}, draft3), "a is a required property of input.");
  const props = { type: "object", minProperties: 1, maxProperties: 1 };
  assertEquals(validateWpSchema({}, props), "input must contain at least 1 properties.");
  assertEquals(validateWpSchema({ a: 1, b: 2 }, props), "input must contain at most 1 properties.");
  assertEquals(validateWpSchema([1, 1], { type: "array", uniqueItems: true }), "input has duplicate items.");
  assertEquals(
    validateWpSchema([1, 2, 3], { type: "array", maxItems: 2 }),
    "input must contain at most 2 items.",
  );
  assertEquals(validateWpSchema(7, { type: "integer", multipleOf: 2 }), "input must be a multiple of 2.");
  assertEquals(validateWpSchema("10.0.0.1", { type: "string", format: "ip" }), null);
  assertEquals(validateWpSchema("::1", { type: "string", format: "ip" }), null);
  assertEquals(
    validateWpSchema("300.1.1.1", { type: "string", format: "ip" }),
    "input is not a valid IP address.",
  );
  assertEquals(validateWpSchema("#abc", { type: "string", format: "hex-color" }), null);
  assertEquals(validateWpSchema("nope", { type: "string", format: "date-time" }), "Invalid date.");
  assertEquals(
    validateWpSchema([{ a: "x" }], {
      type: "array",
      items: { type: "object", properties: { a: { type: "integer" } } },
    }),
    "input[0][a] is not of type integer.",
  );
});
