/**
 * @module
 * The MCP endpoint driven by the SDK's own client over HTTP on 127.0.0.1: initialize, the tool list
 * (names, schemas, annotations), a read tool, a read key refused a write tool, 401 without credentials,
 * and 405 for GET and DELETE.
 *
 * @example
 * ```sh
 * deno test -A tests/mcp/endpoint_test.ts
 * ```
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { z } from "zod";
import { mcpApp } from "./_helpers.ts";
import { defineAbility } from "../../abilities/registry.ts";
import type { PluginModule } from "../../plugins/host.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("MCP: initialize and list the abilities as tools, named, described and annotated as MainWP's server does", async () => {
  const env = await mcpApp();
  try {
    const client = await env.client(env.basic);
    assertEquals(client.getServerVersion()?.name, "fleetpress");
    const { tools } = await client.listTools();
    assertEquals(tools.length, env.ctx.abilities.list().length);
    const byName = new Map<string, Json>(tools.map((t: Json) => [t.name, t]));
    assert(byName.has("list_sites_v1") && byName.has("core__get_site_info"), [...byName.keys()].join(","));
    const list = byName.get("list_sites_v1");
    assertEquals(list.annotations, {
      title: list.title,
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    assertEquals(list.inputSchema.type, "object");
    const ability = env.ctx.abilities.get("mainwp/list-sites-v1")!;
    const page = (ability.inputSchema!.properties as Json).page;
    assertEquals(list.inputSchema.properties.page.description, page.description);
    assert(page.description.length > 0);
    assertEquals(list.outputSchema.type, "object");
    const del = byName.get("delete_tag_v1");
    assertEquals([
      del.annotations.readOnlyHint,
      del.annotations.destructiveHint,
      del.annotations.idempotentHint,
    ], [
      false,
      true,
      true,
    ]);
    assertEquals(del.inputSchema.properties.confirmation_token.type, "string");
    assertEquals(del.inputSchema.properties.user_confirmed.type, "boolean");
    assert(del.description.includes("CONFIRMATION FLOW"));
    assertEquals(byName.get("add_tag_v1").annotations.destructiveHint, false);
  } finally {
    await env.close();
  }
});

Deno.test("MCP: a read tool answers its ability's result as text and structured content", async () => {
  const env = await mcpApp();
  try {
    const client = await env.client(env.basic);
    const added = await client.callTool({ name: "add_tag_v1", arguments: { name: "VIP", color: "#ff0000" } });
    assert(!added.isError, JSON.stringify(added));
    const result = await client.callTool({ name: "list_tags_v1", arguments: {} });
    assert(!result.isError, JSON.stringify(result));
    const structured = result.structuredContent as Json;
    assertEquals(structured.items.map((t: Json) => t.name), ["VIP"]);
    assertEquals(JSON.parse((result.content as Json)[0].text), structured);
    const unknown = await client.callTool({ name: "get_tag_v1", arguments: { tag_id: 999 } });
    assertEquals(unknown.isError, true);
    assertEquals(JSON.parse((unknown.content as Json)[0].text).code, "mainwp_tag_not_found");
  } finally {
    await env.close();
  }
});

Deno.test("MCP: a read key runs read tools and is refused write tools, as on /run", async () => {
  const env = await mcpApp();
  try {
    const client = await env.client(await env.bearer("read"));
    const read = await client.callTool({ name: "list_tags_v1", arguments: {} });
    assert(!read.isError, JSON.stringify(read));
    const write = await client.callTool({ name: "add_tag_v1", arguments: { name: "Nope" } });
    assertEquals(write.isError, true);
    assertEquals(JSON.parse((write.content as Json)[0].text).code, "rest_ability_cannot_execute");
    const destructive = await client.callTool({
      name: "delete_tag_v1",
      arguments: { tag_id: 1, confirm: true },
    });
    assertEquals(JSON.parse((destructive.content as Json)[0].text).code, "rest_ability_cannot_execute");
    const writer = await env.client(await env.bearer("read_write"));
    const added = await writer.callTool({ name: "add_tag_v1", arguments: { name: "Yes" } });
    assert(!added.isError, JSON.stringify(added));
    const tags = await client.callTool({ name: "list_tags_v1", arguments: {} });
    assertEquals((tags.structuredContent as Json).items.map((t: Json) => t.name), ["Yes"]);
  } finally {
    await env.close();
  }
});

Deno.test("MCP: 401 without or with bad credentials, 403 from another origin; GET and DELETE answer 405", async () => {
  const env = await mcpApp();
  try {
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(env.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify(init),
      });
    const anonymous = await post({});
    assertEquals(anonymous.status, 401);
    assertEquals((await anonymous.json()).code, "rest_forbidden");
    assertEquals(anonymous.headers.get("www-authenticate"), 'Bearer realm="Fleetpress"');
    const wrong = await post({ Authorization: `Basic ${btoa("admin:wrong password")}` });
    assertEquals(wrong.status, 401);
    await wrong.body?.cancel();
    const badKey = await post({ Authorization: "Bearer nope==nope" });
    assertEquals(badKey.status, 401);
    await badKey.body?.cancel();
    await assertRejects(() => env.client("Bearer nope==nope"));
    const ok = await post({ Authorization: env.basic });
    assertEquals(ok.status, 200);
    await ok.body?.cancel();
    const sameHost = await post({ Authorization: env.basic, Origin: env.url.origin });
    assertEquals(sameHost.status, 200);
    await sameHost.body?.cancel();
    const crossSite = await post({ Authorization: env.basic, Origin: "https://evil.example" });
    assertEquals(crossSite.status, 403);
    await crossSite.body?.cancel();
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(env.url, {
        method,
        headers: { Authorization: env.basic, Accept: "text/event-stream" },
      });
      assertEquals(res.status, 405);
      assertEquals(res.headers.get("allow"), "POST");
      await res.body?.cancel();
      const anon = await fetch(env.url, { method });
      assertEquals(anon.status, 401);
      await anon.body?.cancel();
    }
  } finally {
    await env.close();
  }
});

const acme: PluginModule = {
  async register(host) {
    host.registerAbilityCategory({ slug: "acme-tools", label: "Acme", description: "Acme's tools." });
    await host.registerAbility(defineAbility({
      name: "acme-corp/shout-v1",
      label: "Shout",
      description: "Upper-cases a word.",
      category: "acme-tools",
      input: z.object({ word: z.string().max(20).describe("The word to shout.") }),
      output: z.object({ shouted: z.string() }),
      annotations: { readonly: true, destructive: false, idempotent: true },
      permission: () => true,
      execute: ({ input }) => ({ shouted: input.word.toUpperCase() }),
    }));
  },
};

Deno.test("MCP: a plugin's ability is a tool (namespace__slug), and an unknown tool is a protocol error", async () => {
  const env = await mcpApp({ plugins: [acme] });
  try {
    const client = await env.client(env.basic);
    const { tools } = await client.listTools();
    const shout: Json = tools.find((t: Json) => t.name === "acme_corp__shout_v1");
    assertEquals(shout?.inputSchema.properties.word.description, "The word to shout.");
    assertEquals(shout.outputSchema.properties.shouted.type, "string");
    const result: Json = await client.callTool({ name: "acme_corp__shout_v1", arguments: { word: "hey" } });
    assertEquals(result.structuredContent, { shouted: "HEY" });
    const invalid: Json = await client.callTool({ name: "acme_corp__shout_v1", arguments: { word: 5 } });
    assertEquals(JSON.parse(invalid.content[0].text).code, "ability_invalid_input");
    const unknown = await assertRejects(() => client.callTool({ name: "no_such_tool_v1", arguments: {} }));
    assert(String(unknown).includes("Unknown tool"), String(unknown));
  } finally {
    await env.close();
  }
});
