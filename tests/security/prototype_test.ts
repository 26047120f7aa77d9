/**
 * Issue #11 finding 4: input is walked by own properties only. Prototype keys (`__proto__`,
 * `constructor`, `prototype`) in JSON bodies, forms or bracket queries neither crash validation, nor
 * pass `additionalProperties: false`, nor reach `Object.prototype`.
 */
import { assert, assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { abilityClient } from "../abilities/_helpers.ts";
import { parsePhpParams } from "../../rest/php-params.ts";
import { parseRequestJson } from "../../rest/json.ts";
import { validateWpSchema } from "../../abilities/schema-validate.ts";
import { validateArgs, wp } from "../../rest/args.ts";
import { z } from "zod";

const RUN = "/wp-json/wp-abilities/v1/abilities";

Deno.test("batch site abilities with __proto__ in the input are not a 500", async () => {
  const t = await testApp();
  try {
    const { headers } = await abilityClient(t);
    for (const name of ["sync-sites-v1", "check-sites-v1", "suspend-sites-v1", "reconnect-sites-v1"]) {
      const res = await t.call("POST", `${RUN}/mainwp/${name}/run`, {
        headers: { ...headers, "Content-Type": "application/json" },
        body: '{"input":{"site_ids_or_domains":[2],"__proto__":{}}}',
      });
      assert(res.status < 500, `${name}: ${res.status} ${res.text}`);
    }
  } finally {
    await t.close();
  }
});

Deno.test("constructor, prototype and toString are unknown properties under additionalProperties: false", async () => {
  const t = await testApp();
  try {
    const a = await abilityClient(t);
    for (const key of ["constructor", "prototype", "toString", "hasOwnProperty"]) {
      const res = await a.run("mainwp/add-tag-v1", { name: "x", [key]: 1 });
      assertEquals([key, res.status, res.body.code], [key, 400, "ability_invalid_input"]);
      assertEquals(
        res.body.message,
        `Ability "mainwp/add-tag-v1" has invalid input. Reason: ${key} is not a valid property of Object.`,
      );
    }
    const listed = await t.call("GET", "/wp-json/mainwp/v2/tags", { headers: { Authorization: "" } });
    assert(listed.status < 500);
    assertEquals((await t.ctx.kv.get(["seq", "tags"])).value, null, "no tag was created");
  } finally {
    await t.close();
  }
});

Deno.test("validateWpSchema looks properties up as own properties", () => {
  const schema = {
    type: "object",
    properties: { name: { type: "string" } },
    required: ["constructor"],
    additionalProperties: false,
  };
  assertEquals(validateWpSchema({ name: "x" }, schema), "constructor is a required property of input.");
  const own = JSON.parse('{"__proto__":{"oneOf":1}}');
  const loose = { type: "object", properties: { name: { type: "string" } } };
  assertEquals(validateWpSchema(own, loose), null);
  assertEquals(
    validateWpSchema(own, { ...loose, additionalProperties: false }),
    "__proto__ is not a valid property of Object.",
  );
});

Deno.test("bracket parameters cannot reach Object.prototype", () => {
  const params = parsePhpParams(
    new URLSearchParams(
      "a[constructor][prototype][polluted]=1&b[__proto__][polluted]=1&__proto__[polluted]=1&c[toString]=x",
    ),
  );
  assert(!Object.hasOwn(Object.prototype, "polluted"));
  assertEquals(({} as Record<string, unknown>).polluted, undefined);
  assertEquals(params, { a: { constructor: { prototype: { polluted: "1" } } }, c: { toString: "x" } });
});

Deno.test("request JSON drops __proto__ members at any depth", () => {
  const value = parseRequestJson('{"a":[{"__proto__":{"x":1},"b":1}],"__proto__":{"y":1},"constructor":1}');
  assertEquals(value, { a: [{ b: 1 }], constructor: 1 });
  assertEquals(JSON.stringify(value), '{"a":[{"b":1}],"constructor":1}');
});

Deno.test("validateArgs: required arguments are own properties", () => {
  const schema = z.looseObject({ toString: wp.str() });
  let code = "";
  try {
    validateArgs(schema, {});
  } catch (error) {
    code = (error as { code: string }).code;
  }
  assertEquals(code, "rest_missing_callback_param");
});

Deno.test("bracket names nested past the limit are dropped, not a stack overflow", async () => {
  const deep = `a${"[]".repeat(50_000)}=1&b${"[x]".repeat(50_000)}=1&c[d]=1`;
  assertEquals(parsePhpParams(new URLSearchParams(deep)), { c: { d: "1" } });
  const t = await testApp();
  try {
    const res = await t.call("GET", `/wp-json/mainwp/v2/tags?${deep}`, { token: await t.key("read_write") });
    assertEquals(res.status, 200);
  } finally {
    await t.close();
  }
});
