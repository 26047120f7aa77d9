/**
 * "No input" in all the ways WordPress allows it: `?input=` (the empty string) on GET and DELETE, and a
 * POST without a body (or without `input`). Optional inputs run with their defaults, required ones are
 * refused with 400 — never a 500 — and execute functions only ever see input their schema parsed.
 */
import { assertEquals } from "@std/assert";
import { z } from "zod";
import { testApp } from "../helpers.ts";
import { abilityClient } from "./_helpers.ts";
import type { PluginHost } from "../../plugins/host.ts";
import { createTag, getTag } from "../../store/tags.ts";

const RUN = "/wp-json/wp-abilities/v1/abilities";

/** A plugin ability that reports what its execute function received. */
const probePlugin = {
  async register(host: PluginHost) {
    await host.registerAbility({
      name: "test/probe-v1",
      label: "Probe",
      description: "Reports its parsed input.",
      category: "site",
      input: z.object({
        n: z.int().default(3).describe("A number."),
        on: z.boolean().default(false).describe("A flag."),
        filter: z.object({ ids: z.array(z.int()).default([]).describe("IDs.") }).default({ ids: [] })
          .describe("A nested object."),
      }).strict().nullable().transform((v) => v ?? { n: 3, on: false, filter: { ids: [] } }),
      annotations: { readonly: true },
      permission: () => true,
      execute: ({ input }) => ({ received: input }),
    });
  },
};

Deno.test("?input= on GET abilities: defaults for optional input, 400 for required input, never 500", async () => {
  const t = await testApp({ plugins: [probePlugin] });
  try {
    const { headers } = await abilityClient(t);
    const get = (name: string, query = "?input=") => t.call("GET", `${RUN}/${name}/run${query}`, { headers });
    const list = await get("mainwp/list-sites-v1");
    assertEquals([list.status, list.body], [200, { items: [], page: 1, per_page: 20, total: 0 }]);
    for (const name of ["mainwp/count-sites-v1", "mainwp/count-clients-v1", "mainwp/list-tags-v1"]) {
      const res = await get(name);
      assertEquals(res.status, 200, `${name}: ${res.text}`);
    }
    const updates = await get("mainwp/list-updates-v1");
    assertEquals([updates.status, updates.body.per_page, updates.body.total], [200, 50, 0]);
    const info = await get("core/get-site-info");
    assertEquals([info.status, Object.keys(info.body).length], [200, 8]);
    // Without a schema, `?input=` is still "no input".
    assertEquals((await get("core/get-environment-info")).status, 200);
    // The empty object misses the required property, as on WordPress.
    const site = await get("mainwp/get-site-v1");
    assertEquals([site.status, site.body.code, site.body.message], [
      400,
      "ability_invalid_input",
      'Ability "mainwp/get-site-v1" has invalid input. Reason: site_id_or_domain is a required property of input.',
    ]);
    // What execute receives is the parsed value, coerced and with every default.
    assertEquals((await get("test/probe-v1")).body.received, { n: 3, on: false, filter: { ids: [] } });
    assertEquals((await get("test/probe-v1", "")).body.received, { n: 3, on: false, filter: { ids: [] } });
    const typed = await get("test/probe-v1", "?input[n]=7&input[on]=false&input[filter][ids][]=4");
    assertEquals(typed.body.received, { n: 7, on: false, filter: { ids: [4] } });
    const emptyNested = await get("test/probe-v1", "?input[filter]=");
    assertEquals(emptyNested.body.received, { n: 3, on: false, filter: { ids: [] } });
  } finally {
    await t.close();
  }
});

Deno.test("?input= on DELETE and POST abilities, and a POST without body: nothing deleted, no 500", async () => {
  const t = await testApp();
  try {
    const { headers } = await abilityClient(t);
    const tag = await createTag(t.ctx.kv, { name: "Keep", color: "" });
    const del = await t.call("DELETE", `${RUN}/mainwp/delete-tag-v1/run?input=`, { headers });
    assertEquals([del.status, del.body.code], [400, "ability_invalid_input"]);
    assertEquals((await getTag(t.ctx.kv, tag.id))?.name, "Keep");
    // POST reads only the JSON body: a query `input` is ignored and no body means no input.
    const checkAll = await t.call("POST", `${RUN}/mainwp/check-sites-v1/run?input=`, { headers });
    assertEquals([checkAll.status, checkAll.body.code], [404, "mainwp_site_not_found"]);
    const sync = await t.call("POST", `${RUN}/mainwp/sync-sites-v1/run`, { headers });
    assertEquals([sync.status, sync.body], [200, {
      queued: false,
      synced: [],
      errors: [],
      total_synced: 0,
      total_errors: 0,
    }]);
    const runUpdates = await t.call("POST", `${RUN}/mainwp/run-updates-v1/run`, { headers, json: {} });
    assertEquals(runUpdates.status, 200, runUpdates.text);
    // A PHP empty array and the empty string are the empty object, too.
    for (const input of [[], ""]) {
      const res = await t.call("POST", `${RUN}/mainwp/update-all-v1/run`, { headers, json: { input } });
      assertEquals(res.status, 200, `${JSON.stringify(input)}: ${res.text}`);
    }
    // Required input missing: 400, never the execute function.
    const addTag = await t.call("POST", `${RUN}/mainwp/add-tag-v1/run`, { headers });
    assertEquals([addTag.status, addTag.body.message], [
      400,
      'Ability "mainwp/add-tag-v1" has invalid input. Reason: input is not of type object.',
    ]);
    const addTagEmpty = await t.call("POST", `${RUN}/mainwp/add-tag-v1/run`, {
      headers,
      json: { input: "" },
    });
    assertEquals([addTagEmpty.status, addTagEmpty.body.code], [400, "ability_invalid_input"]);
  } finally {
    await t.close();
  }
});
