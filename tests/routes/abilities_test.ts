import { assert, assertEquals } from "@std/assert";
import { z } from "zod";
import { type TestApp, testApp } from "../helpers.ts";
import { createAppPassword, createUser } from "../../store/users.ts";
import type { PluginHost } from "../../plugins/host.ts";
import { restError } from "../../rest/errors.ts";
import { MAINWP_ABILITY_NAMES } from "../../abilities/mainwp/index.ts";
import { type AbilityAnnotations, expectedMethod } from "../../abilities/registry.ts";

const V1 = "/wp-json/wp-abilities/v1";

/** A plugin ability with a nested schema, to test bracket queries, coercion and hooks. */
const echoPlugin = {
  async register(host: PluginHost) {
    host.registerAbilityCategory({ slug: "test-echo", label: "Echo", description: "Test abilities." });
    await host.registerAbility({
      name: "test/echo-v1",
      label: "Echo",
      description: "Returns its input.",
      category: "test-echo",
      input: z.object({
        ids: z.array(z.int()).optional(),
        confirm: z.boolean().optional(),
        filter: z.object({ status: z.enum(["a", "b"]), tags: z.array(z.string()).optional() }).optional(),
      }).default({}),
      output: z.record(z.string(), z.unknown()),
      annotations: { readonly: true },
      permission: ({ req }) =>
        req?.auth.user
          ? true
          : restError("mainwp_permission_denied", "You must be logged in to access this ability.", 401),
      execute: ({ input }) => input as Record<string, unknown>,
    });
    await host.registerAbility({
      name: "test/delete-thing-v1",
      label: "Delete",
      description: "Destructive.",
      category: "test-echo",
      input: z.object({ confirm: z.boolean().optional() }),
      annotations: { destructive: true, idempotent: true },
      permission: () => true,
      execute: ({ input }) => ({ deleted: (input as { confirm?: boolean }).confirm === true }),
    });
  },
};

async function setup(): Promise<{ t: TestApp; auth: Record<string, string> }> {
  const t = await testApp({ plugins: [echoPlugin] });
  const user = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, user.id, "test");
  return { t, auth: { Authorization: `Basic ${btoa(`admin:${password}`)}` } };
}

Deno.test("list: registration order, pagination headers, category filter, embed context, bounds", async () => {
  const { t, auth } = await setup();
  const total = t.ctx.abilities.list().length;
  const res = await t.call("GET", `${V1}/abilities?per_page=1`, { headers: auth });
  assertEquals(res.status, 200);
  assertEquals(res.body.map((a: { name: string }) => a.name), ["core/get-site-info"]);
  assertEquals([res.headers.get("X-WP-Total"), res.headers.get("X-WP-TotalPages")], [
    String(total),
    String(total),
  ]);
  assert(res.headers.get("Link")?.includes('page=2>; rel="next"'));
  const all = await t.call("GET", `${V1}/abilities?per_page=100`, { headers: auth });
  const names = all.body.map((a: { name: string }) => a.name);
  assertEquals(names.slice(0, 2), ["core/get-site-info", "core/get-environment-info"]);
  assertEquals(names.slice(-2), ["test/echo-v1", "test/delete-thing-v1"]);
  const one = all.body.at(-2);
  assertEquals(one.meta, {
    annotations: { readonly: true, destructive: false, idempotent: false, instructions: "" },
    show_in_rest: true,
  });
  assertEquals(one._links.self[0].targetHints, { allow: ["GET"] });
  assertEquals(all.body[1].input_schema, []);
  const filtered = await t.call("GET", `${V1}/abilities?category=TEST-echo`, { headers: auth });
  assertEquals(filtered.body.length, 2);
  const embed = await t.call("GET", `${V1}/abilities?context=embed&per_page=1`, { headers: auth });
  assertEquals(embed.body[0], {
    name: "core/get-site-info",
    label: "Get Site Information",
    category: "site",
  });
  const bad = await t.call("GET", `${V1}/abilities?per_page=101`, { headers: auth });
  assertEquals([bad.status, bad.body.data.params.per_page], [
    400,
    "per_page must be between 1 (inclusive) and 100 (inclusive)",
  ]);
  const none = await t.call("GET", `${V1}/abilities?category=nothing`, { headers: auth });
  assertEquals([none.body, none.headers.get("X-WP-TotalPages")], [[], "0"]);
  assertEquals((await t.call("GET", `${V1}/abilities`)).body.code, "rest_forbidden");
  await t.close();
});

Deno.test("single ability and categories; unknown ones are 404", async () => {
  const { t, auth } = await setup();
  assertEquals(
    (await t.call("GET", `${V1}/abilities/test/echo-v1`, { headers: auth })).body.name,
    "test/echo-v1",
  );
  const missing = await t.call("GET", `${V1}/abilities/test/nope-v1`, { headers: auth });
  assertEquals([missing.status, missing.body.code], [404, "rest_ability_not_found"]);
  const cats = await t.call("GET", `${V1}/categories`, { headers: auth });
  assertEquals(cats.body.slice(0, 3).map((c: { slug: string }) => c.slug), ["site", "user", "mainwp-sites"]);
  assertEquals(cats.body.at(-1).slug, "test-echo");
  assertEquals(cats.body[0].meta, []);
  assertEquals(
    (await t.call("GET", `${V1}/categories/mainwp-tags`, { headers: auth })).body.label,
    "MainWP Tags",
  );
  assertEquals(
    (await t.call("GET", `${V1}/categories/nope`, { headers: auth })).body.code,
    "rest_ability_category_not_found",
  );
  await t.close();
});

Deno.test("run: method from annotations, bracket query input coerced per schema, errors of §1.4", async () => {
  const { t, auth } = await setup();
  const run = `${V1}/abilities/test/echo-v1/run`;
  const ok = await t.call(
    "GET",
    `${run}?input[ids][0]=1&input[ids][1]=2&input[confirm]=false&input[filter][status]=a&input[filter][tags][]=x`,
    {
      headers: auth,
    },
  );
  assertEquals(ok.body, { ids: [1, 2], confirm: false, filter: { status: "a", tags: ["x"] } });
  const post = await t.call("POST", run, { headers: auth, json: { input: {} } });
  assertEquals([post.status, post.body], [405, {
    code: "rest_ability_invalid_method",
    message: "Read-only abilities require GET method.",
    data: { status: 405 },
  }]);
  const overridden = await t.call("POST", run, { headers: { ...auth, "X-HTTP-Method-Override": "GET" } });
  assertEquals(overridden.status, 200);
  const invalid = await t.call("GET", `${run}?input[filter][status]=c`, { headers: auth });
  assertEquals([invalid.status, invalid.body.message], [
    400,
    'Ability "test/echo-v1" has invalid input. Reason: input[filter][status] is not one of a and b.',
  ]);
  const wrongType = await t.call("GET", `${run}?input[ids][]=x`, { headers: auth });
  assertEquals(
    wrongType.body.message,
    'Ability "test/echo-v1" has invalid input. Reason: input[ids][0] is not of type integer.',
  );
  const anonymous = await t.call("GET", run);
  assertEquals([anonymous.status, anonymous.body], [401, {
    code: "mainwp_permission_denied",
    message: "You must be logged in to access this ability.",
    data: { status: 401 },
    additional_data: [{ status: 401 }],
  }]);
  // Without a top-level default, no input is "not of type object" (as WordPress 7.0).
  const deleteNoInput = await t.call("DELETE", `${V1}/abilities/test/delete-thing-v1/run`, { headers: auth });
  assertEquals(
    deleteNoInput.body.message,
    'Ability "test/delete-thing-v1" has invalid input. Reason: input is not of type object.',
  );
  const noSchema = await t.call("GET", `${V1}/abilities/core/get-environment-info/run?input[a]=1`, {
    headers: auth,
  });
  assertEquals(noSchema.body.code, "ability_missing_input_schema");
  const env = await t.call("GET", `${V1}/abilities/core/get-environment-info/run`, { headers: auth });
  assertEquals(env.body.db_server_info, "Deno KV");
  const info = await t.call("GET", `${V1}/abilities/core/get-site-info/run?input[fields][]=url`, {
    headers: auth,
  });
  assertEquals(info.body, { url: "https://dashboard.test" });
  // confirm=false from a query string is false: nothing destroyed.
  const del = await t.call("DELETE", `${V1}/abilities/test/delete-thing-v1/run?input[confirm]=false`, {
    headers: auth,
  });
  assertEquals(del.body, { deleted: false });
  assertEquals(
    (await t.call("POST", `${V1}/abilities/test/delete-thing-v1/run?_method=DELETE&input[confirm]=1`, {
      headers: auth,
    })).body,
    {
      deleted: true,
    },
  );
  await t.close();
});

Deno.test("hooks fire around every run", async () => {
  const { t, auth } = await setup();
  const seen: string[] = [];
  t.ctx.hooks.addAction("wp_before_execute_ability", (name: string) => void seen.push(`before ${name}`));
  t.ctx.hooks.addAction("wp_after_execute_ability", (name: string) => void seen.push(`after ${name}`));
  await t.call("GET", `${V1}/abilities/test/echo-v1/run`, { headers: auth });
  assertEquals(seen, ["before test/echo-v1", "after test/echo-v1"]);
  await t.close();
});

Deno.test("catalogue: 64 abilities in MainWP's order, two pages at the default page size, method by annotations", async () => {
  const t = await testApp();
  const user = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, user.id, "test");
  const auth = { Authorization: `Basic ${btoa(`admin:${password}`)}` };
  try {
    const first = await t.call("GET", `${V1}/abilities`, { headers: auth });
    assertEquals([first.body.length, first.headers.get("X-WP-Total"), first.headers.get("X-WP-TotalPages")], [
      50,
      "64",
      "2",
    ]);
    const second = await t.call("GET", `${V1}/abilities?page=2`, { headers: auth });
    assertEquals(second.body.length, 14);
    const names = [...first.body, ...second.body].map((a: { name: string }) => a.name);
    assertEquals(names, ["core/get-site-info", "core/get-environment-info", ...MAINWP_ABILITY_NAMES]);
    const methods = Object.fromEntries(
      [...first.body, ...second.body].map((
        a: { name: string; meta: { annotations: AbilityAnnotations } },
      ) => [
        a.name,
        expectedMethod(a.meta.annotations),
      ]),
    );
    assertEquals(methods["mainwp/delete-tag-v1"], "DELETE");
    assertEquals(methods["mainwp/list-sites-v1"], "GET");
    assertEquals(methods["mainwp/delete-site-v1"], "POST");
    assertEquals(Object.values(methods).filter((m) => m === "DELETE").length, 1);
    const categories = await t.call("GET", `${V1}/categories`, { headers: auth });
    assertEquals(
      categories.body.map((c: { slug: string }) => c.slug),
      ["site", "user", "mainwp-sites", "mainwp-updates", "mainwp-clients", "mainwp-tags", "mainwp-batch"],
    );
  } finally {
    await t.close();
  }
});

Deno.test("wp_register_ability_args filters every ability, MainWP's included; abilities added on wp_abilities_api_init register", async () => {
  const plugin = {
    register(host: PluginHost) {
      host.addFilter(
        "wp_register_ability_args",
        (args: Record<string, unknown>, name: unknown) =>
          name === "mainwp/list-sites-v1" ? { ...args, label: "Sites (renamed by a plugin)" } : args,
      );
      host.addAction("wp_abilities_api_init", async () => {
        await host.registerAbility({
          name: "late/ping-v1",
          label: "Ping",
          description: "Registered in the init action.",
          category: "site",
          annotations: { readonly: true },
          permission: () => true,
          execute: () => ({ pong: true }),
        });
      });
    },
  };
  const t = await testApp({ plugins: [plugin] });
  try {
    assertEquals(t.ctx.abilities.get("mainwp/list-sites-v1")?.label, "Sites (renamed by a plugin)");
    assertEquals(t.ctx.abilities.list().at(-1)?.name, "late/ping-v1");
  } finally {
    await t.close();
  }
});
