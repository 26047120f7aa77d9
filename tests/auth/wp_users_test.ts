import { assertEquals, assertMatch } from "@std/assert";
import { testApp } from "../helpers.ts";
import { READABLE } from "../../rest/server.ts";
import type { PluginHost } from "../../plugins/host.ts";
import { createAppPassword, createUser } from "../../store/users.ts";
import { createApiKey } from "../../store/api-keys.ts";

/** A probe route in the abilities namespace that answers who is calling. */
const probe = {
  register(host: PluginHost) {
    host.registerRoute("wp-abilities/v1", "/whoami", {
      methods: READABLE,
      handler: (req) => ({ user: req.auth.user?.login ?? null, role: req.auth.user?.role ?? null }),
    });
  },
};
const WHOAMI = "/wp-json/wp-abilities/v1/whoami";
const basic = (login: string, password: string) => ({
  Authorization: `Basic ${btoa(`${login}:${password}`)}`,
});

Deno.test("application passwords authenticate on wp-abilities; spaces are ignored; wrong ones are refused", async () => {
  const t = await testApp({ plugins: [probe] });
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, admin.id, "MCP");
  assertMatch(password, /^([A-Za-z0-9]{4} ){5}[A-Za-z0-9]{4}$/);
  assertEquals((await t.call("GET", WHOAMI, { headers: basic("admin", password) })).body, {
    user: "admin",
    role: "administrator",
  });
  assertEquals(
    (await t.call("GET", WHOAMI, { headers: basic("ADMIN", password.replaceAll(" ", "")) })).status,
    200,
  );
  const wrong = await t.call("GET", WHOAMI, { headers: basic("admin", "x".repeat(24)) });
  assertEquals([wrong.status, wrong.body.code], [401, "incorrect_password"]);
  const unknown = await t.call("GET", WHOAMI, { headers: basic("nobody", password) });
  assertEquals([unknown.status, unknown.body.code], [401, "invalid_username"]);
  const anonymous = await t.call("GET", WHOAMI);
  assertEquals([anonymous.status, anonymous.body], [401, {
    code: "rest_forbidden",
    message: "Sorry, you are not allowed to do that.",
    data: { status: 401 },
  }]);
  // Over plain HTTP from a remote peer the credentials are ignored.
  assertEquals(
    (await t.call("GET", WHOAMI, { headers: basic("admin", password), peer: "203.0.113.9" })).status,
    401,
  );
  await t.close();
});

Deno.test("a MainWP API key acts as its owner on wp-abilities (a Fleetpress extension)", async () => {
  const t = await testApp({ plugins: [probe] });
  const owner = (await createUser(t.ctx.kv, { login: "owner", role: "editor" }))!;
  const { token } = await createApiKey(t.ctx.kv, { permissions: "read", userId: owner.id });
  assertEquals((await t.call("GET", WHOAMI, { token })).body, { user: "owner", role: "editor" });
  const bad = await t.call("GET", WHOAMI, {
    headers: { Authorization: `Bearer ${"0".repeat(40)}==${"1".repeat(40)}` },
  });
  assertEquals([bad.status, bad.body.code], [401, "mainwp_permission_denied"]);
  await t.close();
});
