import { assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createUser } from "../../store/users.ts";
import { findUser, userCan } from "../../core/users.ts";
import { NotFound } from "../../core/errors.ts";

Deno.test("userCan: every role reads, only administrators manage options, no role is a subscriber", () => {
  assertEquals(userCan("administrator", "manage_options"), true);
  assertEquals(userCan("editor", "manage_options"), false);
  assertEquals(userCan(undefined, "manage_options"), false);
  assertEquals(userCan("subscriber", "read"), true);
  assertEquals(userCan(null, "read"), true);
});

Deno.test("findUser: by id or login, NotFound otherwise", async () => {
  const t = await testApp();
  try {
    const created = await createUser(t.ctx.kv, { login: "ops", role: "editor" });
    if (!created) throw new Error("login taken");
    assertEquals((await findUser(t.ctx, { id: created.id })).login, "ops");
    assertEquals((await findUser(t.ctx, { login: "ops" })).id, created.id);
    const error = await assertRejects(() => findUser(t.ctx, { login: "nobody" }));
    assertInstanceOf(error, NotFound);
    assertEquals([error.entity, error.id], ["user", "nobody"]);
  } finally {
    await t.close();
  }
});
