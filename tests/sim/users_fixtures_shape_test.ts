/**
 * The simulator's user functions against the recorded replies of a real MainWP Child 6.1 (fixtures
 * 22–34, 66, 67): every recording's call goes to a registered simulated site in the recording's order,
 * and each reply must have the recording's shape (keys, recursively, and JSON types) and HTTP status.
 * The recording's user 2 is the user it created in 23, so its id is replaced by the id the simulator gave
 * that user; redacted passwords are sent as a test password.
 */
import { assertEquals } from "@std/assert";
import { type FormFields, signRequest } from "../../child/index.ts";
import { testKeys, withSimulator } from "../child/_fixtures.ts";
import { type Fixture, isObject, loadRecordings, send, shapeDiff } from "./_shape.ts";

const USER_FUNCTIONS = new Set([
  "get_all_users",
  "search_users",
  "newuser",
  "user_action",
  "newadminpassword",
]);

/** The recording's params as sent: base64 JSON fields rebuilt from `params_decoded`, ids mapped. */
function paramsOf(fx: Fixture, createdId: number | null): FormFields {
  const params: Record<string, unknown> = { ...fx.params };
  const decoded = fx.params_decoded?.new_user;
  if (isObject(decoded)) {
    params.new_user = btoa(JSON.stringify({ ...decoded, user_pass: "Test-pass-1" }));
  }
  if (fx.function === "newadminpassword") params.new_password = btoa("admin-password");
  if (params.id === 2 && createdId !== null) params.id = createdId;
  return params as FormFields;
}

Deno.test("the simulator answers every recorded user call in the recording's shape", async () => {
  const fixtures = await loadRecordings((fn) => USER_FUNCTIONS.has(fn));
  assertEquals(fixtures.length, 15, "recordings of the user functions");
  const keys = await testKeys();
  await withSimulator({ count: 1 }, async (sim) => {
    const registered = await send(sim, 1, {
      function: "register",
      user: "admin",
      mainwpver: "6.1.2",
      pubkey: keys.publicKeyPem,
      server: "http://127.0.0.1:8095/wp-admin/",
      userpwd: "admin-password",
    });
    assertEquals(isObject(registered.reply) && registered.reply.register, "OK");
    const problems: string[] = [];
    let createdId: number | null = null;
    let nonce = 100;
    for (const fx of fixtures) {
      const n = String(nonce++);
      const { status, reply } = await send(sim, 1, {
        user: "admin",
        function: fx.function,
        nonce: n,
        mainwpver: "6.1.2",
        sign_algo: 7,
        mainwpsignature: signRequest(keys.privateKeyPem, fx.function, n, 7),
        ...paramsOf(fx, createdId),
      });
      if (fx.function === "newuser" && isObject(reply) && isObject(reply.other_data)) {
        const data = reply.other_data.new_user_data;
        if (isObject(data) && typeof data.user_id === "number") createdId = data.user_id;
      }
      if (status !== fx.http_status) problems.push(`${fx.file}: HTTP ${status}, recorded ${fx.http_status}`);
      problems.push(...shapeDiff(fx.reply, reply, fx.file));
    }
    assertEquals(problems, []);
    assertEquals(sim.site(1).users.has("fixture_editor"), false, "deleted by 31");
    assertEquals(sim.site(1).users.get("admin")?.password, "admin-password", "34 set the same password");
  });
});

Deno.test("simulated users: a created user is listed with its role, re-roled, edited and deleted", async () => {
  const keys = await testKeys();
  await withSimulator({ count: 1 }, async (sim) => {
    await send(sim, 1, {
      function: "register",
      user: "admin",
      mainwpver: "6.1.2",
      pubkey: keys.publicKeyPem,
      userpwd: "admin-password",
    });
    let nonce = 1;
    const call = async (fn: string, fields: FormFields) => {
      const n = String(nonce++);
      const signature = signRequest(keys.privateKeyPem, fn, n, 7);
      const fixed = { user: "admin", function: fn, nonce: n, sign_algo: 7, mainwpsignature: signature };
      return (await send(sim, 1, { ...fixed, ...fields })).reply as Record<string, unknown>;
    };
    const user = { user_login: "kim", user_email: "kim@example.com", user_pass: "pw", role: "contributor" };
    const created = await call("newuser", { new_user: btoa(JSON.stringify(user)), send_password: 0 });
    assertEquals(created.added, true);
    const id = (created.other_data as Record<string, Record<string, number>>).new_user_data.user_id;
    const roles = async () =>
      (await call("get_all_users", { role: "contributor,author" }) as unknown as {
        login: string;
        role: string;
      }[])
        .map((u) => `${u.login}:${u.role}`);
    assertEquals(await roles(), ["kim:contributor"]);
    assertEquals(
      (await call("newuser", { new_user: btoa(JSON.stringify({ ...user, user_login: "kim2" })) })).error,
      "Sorry, that email address is already used!",
    );
    await call("user_action", { action: "changeRole", id, extra: "author", optimize: 1 });
    assertEquals(await roles(), ["kim:author"]);
    const updated = await call("user_action", {
      action: "update_user",
      id,
      extra: { display_name: "Kim K", email: "", role: "donotupdate" },
      optimize: 1,
    });
    assertEquals(updated.status, "SUCCESS");
    assertEquals(sim.site(1).users.get("kim")?.display_name, "Kim K");
    assertEquals(sim.site(1).users.get("kim")?.email, "kim@example.com", "an empty e-mail is kept");
    assertEquals((await call("user_action", { action: "delete", id, optimize: 1 })).status, "SUCCESS");
    assertEquals(await roles(), []);
    // The protocol user's password changes; a login the site does not know answers [].
    await call("newadminpassword", { new_password: btoa("Zz-9") });
    assertEquals(sim.site(1).users.get("admin")?.password, "Zz-9");
  });
});
