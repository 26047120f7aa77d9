import { assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { addApiKey, editApiKey, scopeOf, scopeWithin } from "../../core/api-keys.ts";
import { AccessDenied, NotFound } from "../../core/errors.ts";
import { createApiKey, listApiKeys } from "../../store/api-keys.ts";

/** Asserts that `fn` rejects with an instance of `Class`. */
// deno-lint-ignore no-explicit-any
async function rejects(fn: () => Promise<unknown>, Class: abstract new (...args: any[]) => unknown) {
  assertInstanceOf(await assertRejects(fn), Class);
}

Deno.test("scopeOf: MainWP's mapping of the permissions list", () => {
  assertEquals(
    [
      scopeOf("read"),
      scopeOf("write"),
      scopeOf("read,write"),
      scopeOf("write,read"),
      scopeOf("delete"),
      scopeOf("x"),
    ],
    ["read", "write", "read_write", "read_write", "write", "read"],
  );
});

Deno.test("scopeWithin: a scope is within another when it grants nothing more", () => {
  const all = ["read", "write", "delete", "read_write"] as const;
  const within = all.flatMap((own) => all.filter((s) => scopeWithin(s, own)).map((s) => `${s}<=${own}`));
  assertEquals(within, [
    "read<=read",
    "write<=write",
    "delete<=write",
    "delete<=delete",
    "read<=read_write",
    "write<=read_write",
    "delete<=read_write",
    "read_write<=read_write",
  ]);
});

Deno.test("addApiKey / editApiKey: escalation refused before anything is written; owner inherited", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { record: writer } = await createApiKey(kv, { permissions: "write", userId: 7 });
    await rejects(
      () => addApiKey({ kv }, writer, { active: true, permissions: "read_write", description: "" }),
      AccessDenied,
    );
    assertEquals((await listApiKeys(kv)).length, 1);
    const { record } = await addApiKey({ kv }, writer, {
      active: false,
      permissions: "write",
      description: "d",
    });
    assertEquals([record.user_id, record.enabled], [7, false]);
    assertEquals((await editApiKey({ kv }, writer, String(record.id), { active: true })).enabled, true);
    await rejects(
      () => editApiKey({ kv }, writer, String(record.id), { permissions: "read" }),
      AccessDenied,
    );
    await rejects(() => editApiKey({ kv }, writer, "99", { active: false }), NotFound);
  } finally {
    kv.close();
  }
});
