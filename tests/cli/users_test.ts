import { assertEquals, assertMatch } from "@std/assert";
import { runCli } from "../../cli/main.ts";
import { findUserByLogin, listAppPasswords, verifyAppPassword } from "../../store/users.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}

Deno.test("user create, app-password create (password alone on the last line), list, revoke", async () => {
  const kv = await Deno.openKv(":memory:");
  assertEquals(await runCli(["user", "create", "admin"], kv, capture().io), 0);
  assertEquals(await runCli(["user", "create", "admin"], kv, capture().io), 1);
  assertEquals(await runCli(["user", "create", "x", "--role", "king"], kv, capture().io), 2);
  const created = capture();
  assertEquals(await runCli(["app-password", "create", "admin", "--label", "MCP"], kv, created.io), 0);
  const password = created.out.at(-1)!;
  assertMatch(password, /^([A-Za-z0-9]{4} ){5}[A-Za-z0-9]{4}$/);
  const user = (await findUserByLogin(kv, "admin"))!;
  assertEquals(user.role, "administrator");
  const [record] = await listAppPasswords(kv, user.id);
  assertEquals(record.name, "MCP");
  assertEquals((await verifyAppPassword(kv, user.id, password))?.uuid, record.uuid);
  const listed = capture();
  await runCli(["app-password", "list", "admin"], kv, listed.io);
  assertEquals(listed.out.length, 2);
  assertEquals(await runCli(["app-password", "revoke", "admin", record.uuid], kv, capture().io), 0);
  assertEquals(await verifyAppPassword(kv, user.id, password), null);
  assertEquals(await runCli(["app-password", "create", "nobody"], kv, capture().io), 1);
  assertEquals(
    await runCli(["key", "create", "--permissions", "read", "--user", "admin"], kv, capture().io),
    0,
  );
  assertEquals(
    await runCli(["key", "create", "--permissions", "read", "--user", "ghost"], kv, capture().io),
    1,
  );
  kv.close();
});
