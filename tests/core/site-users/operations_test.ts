/**
 * The core users operations called directly (no REST) against simulated child sites: site selection,
 * listing with a late site, creating, editing, deleting, admin passwords and the CSV import.
 */
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import {
  createSiteUsers,
  generatePassword,
  lateWriteMessage,
  newUserField,
  setAdminPasswords,
} from "../../../core/site-users/create.ts";
import { deleteSiteUser, sentChanges, updateSiteUser } from "../../../core/site-users/edit.ts";
import { importSiteUsers, notRunMessage } from "../../../core/site-users/import.ts";
import { parseUserCsv } from "../../../core/site-users/csv.ts";
import { listSiteUsers } from "../../../core/site-users/list.ts";
import { resolveUserTargets, type UserTargets } from "../../../core/site-users/targets.ts";
import { InvalidInput, NotFound, OperationFailed } from "../../../core/errors.ts";
import { getSite, updateSite } from "../../../store/sites.ts";
import { createTag } from "../../../store/tags.ts";
import { siteApp } from "../../routes/_site_fixtures.ts";

const none: UserTargets = { websites: [], groups: [], clients: [] };

/** The error `fn` rejects with, checked to be a `type` whose message includes `text`. */
async function rejection<E extends Error>(
  fn: () => Promise<unknown>,
  type: new (...args: never[]) => E,
  text = "",
): Promise<E> {
  const error = await assertRejects(fn);
  assertInstanceOf(error, type);
  assertStringIncludes(error.message, text);
  return error;
}

Deno.test("resolveUserTargets: ids and tags united in URL order, disconnected sites left out", async () => {
  const env = await siteApp(3, { add: [1, 2, 3] });
  const { ctx } = env.t;
  try {
    const tag = await createTag(ctx.kv, { name: "A & B" });
    await updateSite(ctx.kv, 3, (s) => ({ ...s, tag_ids: [tag.id] }));
    const ids = async (t: typeof none) => (await resolveUserTargets(ctx, t)).map((s) => s.id);
    assertEquals(await ids({ ...none, websites: ["3", "1"] }), [1, 3]);
    assertEquals(
      await ids({ ...none, websites: ["1"], groups: ["A & B"] }),
      [1, 3],
      "an escaped tag name matches",
    );
    await updateSite(ctx.kv, 1, (s) => ({ ...s, sync_errors: "HTTP error" }));
    assertEquals(await ids({ ...none, websites: ["1", "2"] }), [2]);
    await rejection(
      () => resolveUserTargets(ctx, { ...none, websites: ["1"] }),
      OperationFailed,
      "No website found.",
    );
    const invalid = await rejection(
      () => resolveUserTargets(ctx, { ...none, websites: ["2", "x<y"] }),
      InvalidInput,
    );
    assertEquals([invalid.field, invalid.message], ["websites", "Invalid site ID: x&lt;y."]);
  } finally {
    await env.close();
  }
});

Deno.test("listSiteUsers: a site late for the bulk deadline is its own error; the others answer", async () => {
  const env = await siteApp(2, { add: [1, 2], child: { timeoutMs: 5000 } });
  const { ctx } = env.t;
  try {
    ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 0.3);
    env.sim.site(2).controls.latencyMs = 1500;
    const sites = [await getSite(ctx.kv, 1), await getSite(ctx.kv, 2)].filter((s) => s !== null);
    const [first, second] = await listSiteUsers(ctx, sites, { roles: ["administrator"], search: "" });
    assert("users" in first);
    assertEquals(first.users.map((u) => [u.id, u.login, u.role, u.postCount]), [[
      1,
      "admin",
      "administrator",
      0,
    ]]);
    assert("error" in second);
    assertEquals(second.error, "The site did not answer within 0.3 seconds.");
  } finally {
    await env.close();
  }
});

Deno.test("createSiteUsers: the sent user, per-site results, a generated password when none", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { ctx } = env.t;
  try {
    const sites = await resolveUserTargets(ctx, { ...none, websites: ["1", "2"] });
    const input = {
      login: "zoë",
      email: "zoe@example.com",
      password: null,
      role: "author" as const,
      url: "",
      firstName: "Zoë",
      lastName: "",
      sendPassword: true,
    };
    env.sim.site(2).controls.httpStatus = 500;
    const { user, results } = await createSiteUsers(ctx, sites, input);
    assertEquals(user.password.length, 24);
    assertEquals(results.map((r) => [r.site.id, r.result.ok]), [[1, true], [2, false]]);
    assert(results[0].result.ok && results[0].result.data?.displayName === "Zoë", "UTF-8 survives base64");
    assertEquals(env.sim.site(1).users.get("zoë")?.password, user.password);
    assertEquals(
      Object.keys(
        JSON.parse(
          new TextDecoder().decode(Uint8Array.from(atob(newUserField(user)), (c) => c.charCodeAt(0))),
        ),
      ),
      [
        "user_pass",
        "user_email",
        "user_login",
        "user_url",
        "first_name",
        "last_name",
        "role",
      ],
    );
  } finally {
    await env.close();
  }
});

Deno.test("generatePassword: 24 characters of WordPress's set, different each time", () => {
  const a = generatePassword();
  assertMatch(a, /^[A-Za-z0-9!@#$%^&*()]{24}$/);
  assert(a !== generatePassword());
});

Deno.test("updateSiteUser and deleteSiteUser: the connected admin is protected, other admins are not", async () => {
  const env = await siteApp(1, { add: [1] });
  const { ctx } = env.t;
  try {
    const site = (await getSite(ctx.kv, 1))!;
    const seen: string[] = [];
    ctx.hooks.addAction("mainwp_user_action", (s, action, data) => {
      seen.push(`${s.id} ${action} ${data?.roles}`);
    });
    const created = await createSiteUsers(ctx, [site], {
      login: "boss",
      email: "boss@example.com",
      password: "pw-1",
      role: "administrator",
      url: "",
      firstName: "",
      lastName: "",
      sendPassword: false,
    });
    const bossId = created.results[0].result.ok ? created.results[0].result.data?.userId ?? 0 : 0;
    assert(bossId > 1);
    await rejection(
      () => updateSiteUser(ctx, site, 1, { firstName: "X" }),
      OperationFailed,
      "can not be changed",
    );
    await rejection(() => deleteSiteUser(ctx, site, 1), OperationFailed, "can not be deleted");
    await rejection(() => deleteSiteUser(ctx, site, 4242), NotFound);
    const sent = await updateSiteUser(ctx, site, bossId, { role: "editor", password: "pw-2", url: "" });
    assertEquals(sent, { role: "editor" });
    assertEquals(env.sim.site(1).users.get("boss")?.password, "pw-2");
    await deleteSiteUser(ctx, site, bossId);
    assertEquals(env.sim.site(1).users.has("boss"), false);
    assertEquals(env.sim.site(1).users.get("admin")?.role, "administrator");
    // Refusals fire nothing; the data is what the child reported before each action.
    assertEquals(seen, ["1 created administrator", "1 update_user administrator", "1 delete editor"]);
  } finally {
    await env.close();
  }
});

Deno.test("sentChanges: non-empty fields under the child's names, role kept unless given", () => {
  assertEquals(sentChanges({ email: "a@example.com", firstName: "" }), {
    email: "a@example.com",
    role: "donotupdate",
  });
  assertEquals(sentChanges({ password: "p", displayName: "D" }), {
    user_pass: "p",
    role: "donotupdate",
    display_name: "D",
    pass1: "p",
    pass2: "p",
  });
});

Deno.test("setAdminPasswords changes the protocol user's password; importSiteUsers meets repeated logins", async () => {
  const env = await siteApp(1, { add: [1] });
  const { ctx } = env.t;
  try {
    const site = (await getSite(ctx.kv, 1))!;
    const [result] = await setAdminPasswords(ctx, [site], "Pässwörd-1");
    assertEquals(result.result.ok, true);
    assertEquals(env.sim.site(1).users.get("admin")?.password, "Pässwörd-1");

    const url = env.sim.url(1);
    const csv = `a1,a1@example.com,,,,,0,,${url},\na1,a2@example.com,,,,,0,,${url},\n`;
    const outcomes = await importSiteUsers(ctx, parseUserCsv(csv, false));
    assertEquals(outcomes.map((o) => "results" in o ? o.results.map((r) => r.result) : o.error), [
      [{ ok: true, data: { userId: 3, displayName: "a1", roles: "subscriber" } }],
      [{ ok: false, error: "ERROR: Sorry, that username already exists!" }],
    ]);
  } finally {
    await env.close();
  }
});

Deno.test("importSiteUsers keeps to the bulk deadline: rows not started by then are not run", async () => {
  const env = await siteApp(1, { add: [1], child: { timeoutMs: 5000 } });
  const { ctx } = env.t;
  try {
    ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 0.2);
    env.sim.site(1).controls.latencyMs = 600;
    const url = env.sim.url(1);
    const csv = [1, 2, 3].map((n) => `u${n},u${n}@example.com,,,,,0,,${url},`).join("\n") +
      "\nbad,,,,,,0,,x,";
    const outcomes = await importSiteUsers(ctx, parseUserCsv(csv, false));
    const errors = outcomes.map((o) => "error" in o ? o.error : o.results[0].result);
    assertEquals(errors, [
      { ok: false, error: lateWriteMessage(200) },
      notRunMessage(200),
      notRunMessage(200),
      "Email is required.",
    ]);
  } finally {
    await env.close();
  }
});
