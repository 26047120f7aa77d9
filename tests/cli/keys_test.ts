import { assertEquals, assertMatch } from "@std/assert";
import { runCli } from "../../cli/main.ts";
import { listApiKeys } from "../../store/api-keys.ts";
import { createUser } from "../../store/users.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}

Deno.test("key create prints the Bearer token alone on the last line; list, disable, enable, revoke", async () => {
  const kv = await Deno.openKv(":memory:");
  const c = capture();
  assertEquals(
    await runCli(["key", "create", "--permissions", "read_write", "--description", "CI"], kv, c.io),
    0,
  );
  assertMatch(c.out.at(-1)!, /^[0-9a-f]{40}==[0-9a-f]{40}$/);
  const [key] = await listApiKeys(kv);
  assertEquals([key.permissions, key.description, key.enabled], ["read_write", "CI", true]);
  const l = capture();
  await runCli(["key", "list"], kv, l.io);
  assertEquals(l.out.length, 2);
  assertEquals(await runCli(["key", "disable", String(key.id)], kv, capture().io), 0);
  assertEquals((await listApiKeys(kv))[0].enabled, false);
  assertEquals(await runCli(["key", "enable", String(key.id)], kv, capture().io), 0);
  assertEquals(await runCli(["key", "revoke", String(key.id)], kv, capture().io), 0);
  assertEquals(await listApiKeys(kv), []);
  kv.close();
});

Deno.test("bad CLI input exits non-zero with a message and changes nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  for (
    const argv of [["key", "create"], ["key", "create", "--permissions", "admin"], ["key", "revoke", "x"], [
      "key",
    ], ["nope"]]
  ) {
    const c = capture();
    const code = await runCli(argv, kv, c.io);
    assertEquals(code, 2, argv.join(" "));
    assertEquals(c.err.length, 1);
  }
  const missing = capture();
  assertEquals(await runCli(["key", "revoke", "99"], kv, missing.io), 1);
  assertEquals(await listApiKeys(kv), []);
  kv.close();
});

Deno.test("key create --user makes the key that user's; without it the key has no owner", async () => {
  const kv = await Deno.openKv(":memory:");
  const admin = (await createUser(kv, { login: "admin" }))!;
  const owned = capture();
  assertEquals(await runCli(["key", "create", "--permissions", "read", "--user", "admin"], kv, owned.io), 0);
  assertEquals(
    owned.out[1],
    `Owner: admin (user ${admin.id}); the key also works on /wp-json/wp-abilities/v1 as that user.`,
  );
  const ownerless = capture();
  assertEquals(await runCli(["key", "create", "--permissions", "read"], kv, ownerless.io), 0);
  assertEquals(
    ownerless.out[1],
    "No owner: the key works on /wp-json/mainwp/v2 only; use --user NAME for the Abilities API.",
  );
  assertEquals((await listApiKeys(kv)).map((k) => k.user_id), [0, admin.id]);
  const missing = capture();
  assertEquals(
    await runCli(["key", "create", "--permissions", "read", "--user", "nobody"], kv, missing.io),
    1,
  );
  assertEquals((await listApiKeys(kv)).length, 2);
  const list = capture();
  await runCli(["key", "list"], kv, list.io);
  assertEquals(list.out.map((line) => line.split("\t")[3]), ["OWNER", "none", `user ${admin.id}`]);
  kv.close();
});
