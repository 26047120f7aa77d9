/**
 * @module
 * Destructive MCP tools: the first call only previews (the ability's dry run) and issues a token; the
 * token performs the operation once, for the same arguments and caller, in any process on the same KV.
 *
 * @example
 * ```sh
 * deno test -A tests/mcp/confirm_test.ts
 * ```
 */
import { assert, assertEquals } from "@std/assert";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { mcpApp } from "./_helpers.ts";
import { issueConfirmation, redeemConfirmation } from "../../core/confirmations.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function call(client: Client, name: string, args: Json): Promise<{ isError: boolean; body: Json }> {
  const result: Json = await client.callTool({ name, arguments: args });
  return { isError: result.isError === true, body: JSON.parse(result.content[0].text) };
}

async function tagNames(client: Client): Promise<string[]> {
  return (await call(client, "list_tags_v1", {})).body.items.map((t: Json) => t.name);
}

Deno.test("MCP confirm: no confirmation → dry run and token; the token deletes once, for these arguments only", async () => {
  const env = await mcpApp();
  try {
    const client = await env.client(env.basic);
    const a = await call(client, "add_tag_v1", { name: "Alpha" });
    const b = await call(client, "add_tag_v1", { name: "Beta" });
    const [alpha, beta] = [a.body.id, b.body.id];

    // A bare call and confirm:true both preview; nothing is deleted.
    for (
      const args of [{ tag_id: alpha }, { tag_id: alpha, confirm: true }, { tag_id: alpha, dry_run: true }]
    ) {
      const preview = await call(client, "delete_tag_v1", args);
      assertEquals(preview.isError, false);
      assertEquals(preview.body.status, "CONFIRMATION_REQUIRED");
      assertEquals(preview.body.preview.dry_run, true);
      assertEquals(preview.body.preview.would_affect.name, "Alpha");
      assertEquals(preview.body.metadata.ability, "mainwp/delete-tag-v1");
    }
    assertEquals(await tagNames(client), ["Alpha", "Beta"]);

    // user_confirmed without a token, with a made-up one, or with dry_run: refused.
    const noToken = await call(client, "delete_tag_v1", { tag_id: alpha, user_confirmed: true });
    assertEquals([noToken.isError, noToken.body.error], [true, "PREVIEW_REQUIRED"]);
    const madeUp = await call(client, "delete_tag_v1", {
      tag_id: alpha,
      user_confirmed: true,
      confirmation_token: "x".repeat(43),
    });
    assertEquals(madeUp.body.error, "PREVIEW_REQUIRED");
    const both = await call(client, "delete_tag_v1", { tag_id: alpha, user_confirmed: true, dry_run: true });
    assertEquals(both.body.error, "CONFLICTING_PARAMETERS");

    // A token used for other arguments is spent: it deletes nothing.
    const forAlpha =
      (await call(client, "delete_tag_v1", { tag_id: alpha })).body.metadata.confirmation_token;
    const swapped = await call(client, "delete_tag_v1", {
      tag_id: beta,
      user_confirmed: true,
      confirmation_token: forAlpha,
    });
    assertEquals(swapped.body.error, "PREVIEW_REQUIRED");
    const spent = await call(client, "delete_tag_v1", {
      tag_id: alpha,
      user_confirmed: true,
      confirmation_token: forAlpha,
    });
    assertEquals(spent.body.error, "PREVIEW_REQUIRED");
    assertEquals(await tagNames(client), ["Alpha", "Beta"]);

    // The right token deletes, once.
    const token = (await call(client, "delete_tag_v1", { tag_id: alpha, confirm: true })).body.metadata
      .confirmation_token;
    const done = await call(client, "delete_tag_v1", {
      tag_id: alpha,
      user_confirmed: true,
      confirmation_token: token,
    });
    assertEquals(done.isError, false, JSON.stringify(done.body));
    assertEquals(done.body.deleted, true);
    assertEquals(await tagNames(client), ["Beta"]);
    const again = await call(client, "delete_tag_v1", {
      tag_id: beta,
      user_confirmed: true,
      confirmation_token: token,
    });
    assertEquals(again.body.error, "PREVIEW_REQUIRED");

    // A token is the caller's own: another principal cannot redeem it.
    const other = await env.client(await env.bearer("read_write"));
    const mine = (await call(client, "delete_tag_v1", { tag_id: beta })).body.metadata.confirmation_token;
    const theirs = await call(other, "delete_tag_v1", {
      tag_id: beta,
      user_confirmed: true,
      confirmation_token: mine,
    });
    assertEquals(theirs.body.error, "PREVIEW_REQUIRED");
    assertEquals(await tagNames(client), ["Beta"]);
  } finally {
    await env.close();
  }
});

Deno.test("MCP confirm: tokens live in KV — another handle on the same file redeems one, and only once", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const kv = await Deno.openKv(path);
  const first = await mcpApp({ kv });
  try {
    const one = await first.client(first.basic);
    const tag = (await call(one, "add_tag_v1", { name: "Shared" })).body.id;
    const token = (await call(one, "delete_tag_v1", { tag_id: tag })).body.metadata.confirmation_token;
    const kv2 = await Deno.openKv(path);
    try {
      const subject = { operation: "delete_tag_v1", input: { tag_id: tag }, principal: "user:1" };
      // The second handle sees the first one's token and takes it; then it is gone for both.
      assertEquals(await redeemConfirmation({ kv: kv2 }, { ...subject, token }), "ok");
      assertEquals(await redeemConfirmation({ kv }, { ...subject, token }), "unknown");
      const fresh = await issueConfirmation({ kv: kv2 }, subject);
      const outcomes = await Promise.all([
        redeemConfirmation({ kv }, { ...subject, token: fresh }),
        redeemConfirmation({ kv: kv2 }, { ...subject, token: fresh }),
      ]);
      assertEquals(outcomes.sort(), ["ok", "unknown"]);
    } finally {
      kv2.close();
    }
    assert((await tagNames(one)).includes("Shared"));
  } finally {
    await first.close();
    kv.close();
    await Deno.remove(path).catch(() => {});
    for (const suffix of ["-shm", "-wal"]) await Deno.remove(path + suffix).catch(() => {});
  }
});
