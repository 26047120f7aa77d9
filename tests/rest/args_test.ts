import { assertEquals } from "@std/assert";
import { z } from "zod";
import { isTruthyFlag, parseIdList, parseList, validateArgs, wp } from "../../rest/args.ts";
import { RestError } from "../../rest/errors.ts";

const schema = z.looseObject({
  id: wp.int(),
  active: wp.bool().optional(),
  status: wp.oneOf(["any", "active"]).optional(),
  flag: wp.intOneOf([0, 1]).optional(),
  slug: wp.strOrArray().optional(),
});

function errorOf(fn: () => unknown): RestError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error("no error");
}

Deno.test("coerces query strings the WordPress way", () => {
  assertEquals(validateArgs(schema, { id: "3", active: "false", flag: "1", extra: "kept" }), {
    id: 3,
    active: false,
    flag: 1,
    extra: "kept",
  });
});

Deno.test("missing required → rest_missing_callback_param", () => {
  const e = errorOf(() => validateArgs(schema, {}));
  assertEquals(e.toJSON(), {
    code: "rest_missing_callback_param",
    message: "Missing parameter(s): id",
    data: { status: 400, params: ["id"] },
  });
});

Deno.test("invalid values → rest_invalid_param with WordPress messages", () => {
  const e = errorOf(() => validateArgs(schema, { id: "x", active: "maybe", status: "nope", slug: 5 }));
  assertEquals(e.status, 400);
  assertEquals(e.message, "Invalid parameter(s): id, active, status, slug");
  const data = e.data as { params: Record<string, string>; details: Record<string, { code: string }> };
  assertEquals(data.params, {
    id: "id is not of type integer.",
    active: "active is not of type boolean.",
    status: "status is not one of any, active.",
    slug: "slug is not of type string,array.",
  });
  assertEquals(data.details.status.code, "rest_not_in_enum");
  assertEquals(data.details.id.code, "rest_invalid_type");
});

Deno.test("id lists, string lists and MainWP flags", () => {
  assertEquals(parseIdList("3, 5,x,-1,3"), [3, 5]);
  assertEquals(parseIdList(["7", 8]), [7, 8]);
  assertEquals(parseList("a, b,,c"), ["a", "b", "c"]);
  assertEquals([
    isTruthyFlag("YES"),
    isTruthyFlag("1"),
    isTruthyFlag(1),
    isTruthyFlag("on"),
    isTruthyFlag("0"),
  ], [
    true,
    true,
    true,
    false,
    false,
  ]);
});
