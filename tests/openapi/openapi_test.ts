/**
 * @module
 * The generated OpenAPI document: valid OpenAPI 3.1 (checked with `@seriousme/openapi-schema-validator`),
 * every route and method of discovery in it (a plugin's route too), MainWP's operation ids, parameters
 * from patterns and zod schemas, security per guard, the error envelope, and each ability's run operation.
 *
 * @example
 * ```sh
 * deno test -A tests/openapi/openapi_test.ts
 * ```
 */
import { assert, assertEquals } from "@std/assert";
import { Validator } from "@seriousme/openapi-schema-validator";
import { z } from "zod";
import { testApp } from "../helpers.ts";
import { openApiPath } from "../../openapi/paths.ts";
import { READABLE } from "../../rest/server.ts";
import { wp } from "../../rest/args.ts";
import type { PluginModule } from "../../plugins/host.ts";
import { defineAbility } from "../../abilities/registry.ts";
import { operationMap } from "../../openapi/generate-operation-map.ts";
import { parse } from "yaml";
import committedMap from "../../openapi/mainwp-operations.json" with { type: "json" };

const plugin: PluginModule = {
  async register(host) {
    host.registerAbilityCategory({ slug: "acme-tools", label: "Acme tools", description: "Acme's tools." });
    await host.registerAbility(defineAbility({
      name: "acme/count-widgets-v1",
      label: "Count widgets",
      description: "Counts the widgets.",
      category: "acme-tools",
      input: z.object({ colour: z.enum(["red", "blue"]).describe("Only this colour.") }),
      output: z.object({ total: z.int() }),
      annotations: { readonly: true, destructive: false, idempotent: true },
      permission: () => true,
      execute: () => ({ total: 0 }),
    }));
    host.registerRoute("acme/v1", "/widgets/(?P<widget>[a-z]+)", {
      methods: READABLE,
      args: z.looseObject({
        colour: wp.oneOf(["red", "blue"]).default("red").describe("The colour to show."),
        limit: wp.int().describe("How many."),
      }),
      handler: () => ({}),
    });
  },
};

// deno-lint-ignore no-explicit-any
type Json = any;

async function documentAndIndex(): Promise<{ doc: Json; index: Json; close: () => Promise<void> }> {
  const t = await testApp({ plugins: [plugin] });
  const res = await t.call("GET", "/wp-json/fleetpress/v1/openapi.json");
  assertEquals(res.status, 200);
  const index = await t.call("GET", "/wp-json/");
  return { doc: res.body, index: index.body, close: t.close };
}

Deno.test("openapi.json is a valid OpenAPI 3.1 document, served without credentials", async () => {
  const { doc, close } = await documentAndIndex();
  try {
    assertEquals(doc.openapi, "3.1.0");
    const result = await new Validator().validate(doc);
    assert(
      result.valid,
      `invalid OpenAPI document: ${JSON.stringify(result.errors, null, 1)?.slice(0, 3000)}`,
    );
  } finally {
    await close();
  }
});

Deno.test("openapi.json covers every route and method that discovery lists, plugins' included", async () => {
  const { doc, index, close } = await documentAndIndex();
  try {
    const routes = Object.entries(index.routes as Record<string, { methods: string[] }>);
    assert(routes.length > 50);
    assert(routes.some(([pattern]) => pattern.startsWith("/acme/v1/widgets")));
    for (const [pattern, route] of routes) {
      const { path } = openApiPath(pattern);
      const item = doc.paths[path];
      assert(item, `${pattern} (${path}) missing`);
      for (const method of route.methods) {
        assert(item[method.toLowerCase()], `${method} ${path} missing`);
      }
    }
  } finally {
    await close();
  }
});

Deno.test("openapi.json: path and zod parameters, MainWP's ids and tags, security and the error envelope", async () => {
  const { doc, close } = await documentAndIndex();
  try {
    const widget = doc.paths["/wp-json/acme/v1/widgets/{widget}"].get;
    assertEquals(widget.parameters[0], {
      name: "widget",
      in: "path",
      required: true,
      schema: { type: "string", pattern: "^(?:[a-z]+)$" },
    });
    const colour = widget.parameters.find((p: Json) => p.name === "colour");
    assertEquals(colour.in, "query");
    assertEquals(colour.required, false);
    assertEquals(colour.description, "The colour to show.");
    assertEquals(colour.schema.enum, ["red", "blue"]);
    assertEquals(colour.schema.default, "red");
    assertEquals(widget.parameters.find((p: Json) => p.name === "limit").required, true);

    // MainWP's operation ids and tags, matched by method and path.
    const tag = doc.paths["/wp-json/mainwp/v2/tags/{id}/edit"];
    assertEquals(tag.put.tags, ["Tags"]);
    assert(typeof tag.put.operationId === "string" && tag.put.operationId.length > 0);
    assertEquals(doc.paths["/wp-json/mainwp/v2/batch"].post.operationId, "postBatch");
    const ids = Object.values(doc.paths).flatMap((item: Json) =>
      Object.values(item).map((op: Json) => op.operationId)
    );
    assertEquals(new Set(ids).size, ids.length, "operation ids are unique");

    // Security: MainWP keys on /mainwp/v2, application passwords on the Abilities API, none on discovery.
    assertEquals(doc.paths["/wp-json/mainwp/v2/sites"].get.security[0], { bearerAuth: [] });
    assert(doc.paths["/wp-json/mainwp/v2/sites"].get.security.some((s: Json) => "consumerKey" in s));
    assertEquals(doc.paths["/wp-json/wp-abilities/v1/abilities"].get.security[0], {
      applicationPassword: [],
    });
    assertEquals(doc.paths["/wp-json/"].get.security, []);
    assertEquals(doc.paths["/wp-json/fleetpress/v1/openapi.json"].get.security, []);
    assertEquals(Object.keys(doc.components.securitySchemes).sort(), [
      "applicationPassword",
      "bearerAuth",
      "consumerKey",
      "consumerKeyBasic",
      "consumerSecret",
    ]);
    assertEquals(doc.components.schemas.WpError.required, ["code", "message", "data"]);
    assertEquals(
      doc.paths["/wp-json/mainwp/v2/sites"].get.responses["401"],
      { $ref: "#/components/responses/Unauthorized" },
    );
  } finally {
    await close();
  }
});

Deno.test("openapi.json: one run operation per ability, with its method, input and output schemas", async () => {
  const { doc, close } = await documentAndIndex();
  try {
    const list = doc.paths["/wp-json/wp-abilities/v1/abilities/mainwp/list-sites-v1/run"].get;
    assertEquals(list.parameters[0].name, "input");
    assertEquals(list.parameters[0].style, "deepObject");
    assertEquals(list.parameters[0].schema.type, ["object", "null"]);
    assert(list.parameters[0].schema.properties.page);
    assertEquals(list.responses["200"].content["application/json"].schema.type, "object");
    const add = doc.paths["/wp-json/wp-abilities/v1/abilities/mainwp/add-tag-v1/run"];
    assert(add?.post?.requestBody, "a write ability runs by POST with a JSON body");
    const del = doc.paths["/wp-json/wp-abilities/v1/abilities/mainwp/delete-tag-v1/run"];
    assert(del?.delete, "a destructive, idempotent ability runs by DELETE");
    assertEquals(del.delete["x-ability"].destructive, true);
    const runs = Object.keys(doc.paths).filter((p) =>
      /^\/wp-json\/wp-abilities\/v1\/abilities\/.+\/.+\/run$/.test(p)
    );
    assertEquals(runs.length, 65, "MainWP's and core's 64, and the plugin's");
    const widgets = doc.paths["/wp-json/wp-abilities/v1/abilities/acme/count-widgets-v1/run"].get;
    assertEquals(widgets.tags, ["Acme tools"]);
    assertEquals(widgets.parameters[0].schema.properties.colour.description, "Only this colour.");
    assertEquals(
      widgets.responses["200"].content["application/json"].schema.properties.total.type,
      "integer",
    );
  } finally {
    await close();
  }
});

Deno.test("/docs serves Scalar's reference offline: the bundle from this server, a nonce-based CSP", async () => {
  const t = await testApp();
  try {
    const page = await t.call("GET", "/docs");
    assertEquals(page.status, 200);
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([a-f0-9]+)'/.exec(csp)?.[1];
    assert(nonce, csp);
    assert(csp.includes("default-src 'none'") && csp.includes("connect-src 'self'"));
    assert(page.text.includes(`<script src="/docs/scalar.js" nonce="${nonce}">`));
    assert(page.text.includes("/wp-json/fleetpress/v1/openapi.json"));
    assert(!/https?:\/\/(?!dashboard\.test)[^"']*\.(js|css)/.test(page.text), "no external script or style");
    const bundle = await t.call("GET", "/docs/scalar.js");
    assertEquals(bundle.status, 200);
    assert(bundle.headers.get("content-type")?.startsWith("text/javascript"));
    assert(bundle.text.length > 100_000);
  } finally {
    await t.close();
  }
});

Deno.test("the committed operation map is what the generator makes of MainWP's document", async () => {
  const mapped = operationMap({
    paths: {
      "/wp-json/mainwp/v2/tags/{id}": { get: { operationId: "getTag", tags: ["Tags"], summary: "One tag" } },
    },
  });
  assertEquals(mapped, {
    "GET /wp-json/mainwp/v2/tags/{}": { operationId: "getTag", tags: ["Tags"], summary: "One tag" },
  });
  // The spec sits beside the repository (../shared in CI, ../../shared in a worktree); skipped without it.
  for (const candidate of ["../../../shared/spec/", "../../../../shared/spec/"]) {
    const url = new URL(`${candidate}mainwp-openapi-6.1.5.yaml`, import.meta.url);
    const text = await Deno.readTextFile(url).catch(() => null);
    if (text === null) continue;
    assertEquals(operationMap(parse(text)), committedMap, "run `deno task openapi-map <spec>`");
    return;
  }
});
