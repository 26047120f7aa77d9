/**
 * The catalogue as agents read it (`GET /wp-abilities/v1/abilities`): every one of the 64 abilities
 * declares an output schema, every input property (nested ones included) carries a description, and the
 * schema keywords MainWP declares (type lists, top-level defaults) are the ones served.
 */
import { assert, assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { abilityClient } from "./_helpers.ts";
import { MAINWP_ABILITY_NAMES } from "../../abilities/mainwp/index.ts";

type Schema = Record<string, unknown>;

/** Every property of a schema, recursively (object properties and array items), as `path → schema`. */
function properties(schema: unknown, path = "input"): [string, Schema][] {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return [];
  const s = schema as Schema;
  const out: [string, Schema][] = [];
  for (const [name, prop] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
    out.push([`${path}[${name}]`, prop], ...properties(prop, `${path}[${name}]`));
  }
  if (s.items && typeof s.items === "object") out.push(...properties(s.items, `${path}[]`));
  return out;
}

Deno.test("catalogue: all 64 abilities declare an output schema and describe every input property", async () => {
  const t = await testApp();
  try {
    const { headers } = await abilityClient(t);
    const res = await t.call("GET", "/wp-json/wp-abilities/v1/abilities?per_page=100", { headers });
    assertEquals(res.status, 200);
    const abilities = res.body as { name: string; input_schema: unknown; output_schema: unknown }[];
    assertEquals(abilities.map((a) => a.name), [
      "core/get-site-info",
      "core/get-environment-info",
      ...MAINWP_ABILITY_NAMES,
    ]);
    let described = 0;
    for (const a of abilities) {
      const output = a.output_schema as Schema;
      assert(
        !Array.isArray(output) && Object.keys(output).length > 0,
        `${a.name} has no output schema`,
      );
      for (const [path, prop] of properties(a.input_schema)) {
        assert(
          typeof prop.description === "string" && prop.description.trim().length > 10,
          `${a.name}: ${path} has no description`,
        );
        described++;
      }
    }
    // MainWP's 181 input properties plus core/get-site-info's `fields`.
    assertEquals(described, 182);
    const byName = Object.fromEntries(abilities.map((a) => [a.name, a]));
    // A site identifier is a type list, as MainWP declares it (not `anyOf`).
    const getSite = byName["mainwp/get-site-v1"].input_schema as { properties: Record<string, Schema> };
    assertEquals(getSite.properties.site_id_or_domain.type, ["integer", "string"]);
    // Only the two client list abilities declare a top-level default (`[]`); the other optional inputs none.
    const withDefault = abilities.filter((a) =>
      a.name.startsWith("mainwp/") && "default" in (a.input_schema as Schema)
    ).map((a) => a.name);
    assertEquals(withDefault, ["mainwp/list-clients-v1", "mainwp/count-clients-v1"]);
    assertEquals((byName["mainwp/list-sites-v1"].input_schema as Schema).type, ["object", "null"]);
  } finally {
    await t.close();
  }
});
