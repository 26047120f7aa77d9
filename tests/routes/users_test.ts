/**
 * The `/users` routes over `app.request` against simulated child sites: exact answers, the sites' state
 * after each write, and every refused write leaving the sites unchanged (no child write was made).
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { createClient } from "../../store/clients.ts";
import { getSiteSync, updateSite } from "../../store/sites.ts";
import { createTag } from "../../store/tags.ts";
import type { SimAccount } from "../../sim/users.ts";
import { type SiteApp, siteApp, V2 } from "./_site_fixtures.ts";

/** Logins and roles of simulated site `i`. */
const roster = (env: SiteApp, i: number) =>
  [...env.sim.site(i).users].map(([login, a]: [string, SimAccount]) => `${login}:${a.role}`).sort();

/** Child calls of `fns` made to site `i`. */
const writes = (env: SiteApp, i: number, fns = ["newuser", "user_action", "newadminpassword"]) =>
  fns.reduce((n, fn) => n + (env.sim.calls(i)[fn] ?? 0), 0);

/** A multipart body with the CSV as the `csv_file` part. */
function multipart(csv: string, name = "users.csv", extra: Record<string, string> = {}) {
  const boundary = "----fleetpress-test-boundary";
  const parts = Object.entries(extra).map(([k, v]) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="csv_file"; filename="${name}"\r\n` +
      `Content-Type: text/csv\r\n\r\n${csv}\r\n`,
  );
  return {
    body: `${parts.join("")}--${boundary}--\r\n`,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

Deno.test("GET /users lists each site's users under its URL, filters by role and search", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, token, sim } = env;
  try {
    const all = await t.call("GET", `${V2}/users?websites=1,2`, { token });
    assertEquals(all.status, 200);
    assertEquals(all.body.success, 1);
    assertEquals(Object.keys(all.body.data), [sim.url(1), sim.url(2)]);
    assertEquals(all.body.data[sim.url(1)], [
      {
        id: 1,
        website_id: 1,
        username: "admin",
        email: "admin@site-1.test",
        role: "administrator",
        posts: "0",
        name: "admin",
      },
      {
        id: 2,
        website_id: 1,
        username: "editor",
        email: "editor@site-1.test",
        role: "editor",
        posts: "0",
        name: "editor",
      },
    ]);
    assert(!("errors" in all.body));

    const editors = await t.call("GET", `${V2}/users?websites=2&roles=editor`, { token });
    assertEquals(editors.body.data[sim.url(2)].map((u: { username: string }) => u.username), ["editor"]);
    const asArray = await t.call("GET", `${V2}/users?websites=2&roles[]=editor&roles[]=author`, { token });
    assertEquals(asArray.body.data[sim.url(2)].length, 1);
    const search = await t.call("GET", `${V2}/users?websites=1&search=ADM`, { token });
    assertEquals(search.body.data[sim.url(1)].map((u: { username: string }) => u.username), ["admin"]);
    const nobody = await t.call("GET", `${V2}/users?websites=1&search=zzz`, { token });
    assertEquals(nobody.body, { success: 1, data: [] });

    const badRole = await t.call("GET", `${V2}/users?websites=1&roles=editor,overlord`, { token });
    assertEquals(badRole.status, 400);
    assertEquals(badRole.body.code, "rest_invalid_param");
    assertEquals(
      badRole.body.data.params.roles,
      "Invalid roles. Allowed values: administrator, subscriber, editor, author, contributor.",
    );
  } finally {
    await env.close();
  }
});

Deno.test("GET /users: selection by tag and client, MainWP's errors for unknown ones and for none", async () => {
  const env = await siteApp(3, { add: [1, 2, 3] });
  const { t, token, sim } = env;
  try {
    const tag = await createTag(t.ctx.kv, { name: "VIP" });
    await updateSite(t.ctx.kv, 2, (s) => ({ ...s, tag_ids: [tag.id] }));
    const client = await createClient(t.ctx.kv, { name: "ACME" });
    assert("client" in client);
    await updateSite(t.ctx.kv, 3, (s) => ({ ...s, client_id: client.client.client_id }));

    const byTag = await t.call("GET", `${V2}/users?groups=VIP`, { token });
    assertEquals(Object.keys(byTag.body.data), [sim.url(2)]);
    const both = await t.call("GET", `${V2}/users?groups=VIP&clients=${client.client.client_id}`, { token });
    assertEquals(Object.keys(both.body.data), [sim.url(2), sim.url(3)]);

    const unknownSite = await t.call("GET", `${V2}/users?websites=1,99`, { token });
    assertEquals(unknownSite.status, 400);
    assertEquals(unknownSite.body, {
      code: "rest_invalid_param",
      message: "Invalid parameter(s): websites",
      data: {
        status: 400,
        params: { websites: "Invalid site ID: 99." },
        details: { websites: { code: "invalid_site", message: "Invalid site ID: 99.", data: null } },
      },
    });
    const unknownTag = await t.call("GET", `${V2}/users?groups=Nope`, { token });
    assertEquals(unknownTag.body.data.params, { groups: "Invalid Group: Nope." });
    const unknownClient = await t.call("GET", `${V2}/users?clients=42`, { token });
    assertEquals(unknownClient.body.data.params, { clients: "Invalid client ID: 42." });

    const none = await t.call("GET", `${V2}/users`, { token });
    assertEquals(none.status, 404);
    assertEquals(none.body, {
      code: "no_website_found",
      message: "No website found.",
      data: { status: 404 },
    });
    // A suspended site takes no part.
    await updateSite(t.ctx.kv, 1, (s) => ({ ...s, suspended: 1 }));
    assertEquals((await t.call("GET", `${V2}/users?websites=1`, { token })).body.code, "no_website_found");
    assertEquals(sim.calls(1).search_users ?? 0, 0, "refused listings and a suspended site never reach it");
  } finally {
    await env.close();
  }
});

Deno.test("GET /users: a failing or slow site is that site's error; all failing is users_fetch_error", async () => {
  const env = await siteApp(3, { add: [1, 2, 3], child: { timeoutMs: 400 } });
  const { t, token, sim } = env;
  try {
    sim.site(2).controls.offline = true;
    sim.site(3).controls.latencyMs = 1500;
    const res = await t.call("GET", `${V2}/users?websites=1,2,3`, { token });
    assertEquals(res.status, 200);
    assertEquals(Object.keys(res.body.data), [sim.url(1)]);
    assertEquals(Object.keys(res.body.errors), ["2", "3"]);
    assertMatch(res.body.errors["2"], /^MainWP Child plugin not detected/);
    assertMatch(res.body.errors["3"], /^HTTP error/);

    sim.site(1).controls.httpStatus = 500;
    const all = await t.call("GET", `${V2}/users?websites=1,2`, { token });
    assertEquals(all.status, 503);
    assertEquals(all.body.code, "users_fetch_error");
    assertEquals(all.body.message, "Error fetching users from child sites.");
    assertEquals(Object.keys(all.body.data.errors), ["1", "2"]);
  } finally {
    await env.close();
  }
});

Deno.test("POST /users/create creates the user on every site; a duplicate fails per site", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, token, sim } = env;
  try {
    const json = {
      websites: "1,2",
      username: "jane",
      email: "jane@example.com",
      password: "S3cret!pass",
      role: "editor",
      first_name: "Jane",
      last_name: "Doe",
      user_url: "https://jane.example",
    };
    const res = await t.call("POST", `${V2}/users/create`, { token, json });
    assertEquals(res.status, 200);
    assertEquals(res.body, {
      success: 1,
      message: "User created successfully on all 2 website(s).",
      data: {
        user_info: {
          user_pass: "S3cret!pass",
          user_email: "jane@example.com",
          user_login: "jane",
          user_url: "https://jane.example",
          first_name: "Jane",
          last_name: "Doe",
          role: "editor",
        },
        total_sites: 2,
        total_success: 2,
        total_failed: 0,
        created_sites: {
          1: { url: sim.url(1), message: "User created successfully." },
          2: { url: sim.url(2), message: "User created successfully." },
        },
        failed_sites: [],
      },
    });
    for (const i of [1, 2]) {
      const jane = sim.site(i).users.get("jane");
      assertEquals([jane?.role, jane?.email, jane?.display_name, jane?.password], [
        "editor",
        "jane@example.com",
        "Jane Doe",
        "S3cret!pass",
      ]);
    }

    sim.site(1).users.get("jane");
    const again = await t.call("POST", `${V2}/users/create`, { token, json: { ...json, websites: "1" } });
    assertEquals(again.body.message, "User creation failed on all 1 website(s).");
    assertEquals(again.body.data.failed_sites, {
      1: { url: sim.url(1), message: "ERROR: Sorry, that username already exists!" },
    });
    assertEquals(again.body.data.created_sites, []);

    // No password: a generated one, shown once in the answer, is what the site got.
    const gen = await t.call("POST", `${V2}/users/create`, {
      token,
      json: { websites: "2", username: "bob", email: "bob@example.com" },
    });
    const password = gen.body.data.user_info.user_pass;
    assertEquals(password.length, 24);
    assertEquals(sim.site(2).users.get("bob")?.password, password);
    assertEquals(sim.site(2).users.get("bob")?.role, "subscriber");
  } finally {
    await env.close();
  }
});

Deno.test("POST /users/create refused before any child call: nothing changes on the sites", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, token } = env;
  try {
    const before = roster(env, 1);
    const base = { websites: "1", username: "x1", email: "x1@example.com" };
    const cases: [string, Record<string, unknown> | null, number, string][] = [
      ["form body", null, 415, "invalid_content_type"],
      ["no username", { websites: "1", email: "a@example.com" }, 400, "rest_missing_callback_param"],
      ["bad role", { ...base, role: "overlord" }, 400, "rest_invalid_param"],
      ["bad email", { ...base, email: "not-an-address" }, 400, "rest_invalid_param"],
      ["unknown site", { ...base, websites: "1,7" }, 400, "rest_invalid_param"],
      ["no site", { username: "x1", email: "x1@example.com" }, 404, "no_website_found"],
      ["long username", { ...base, username: "u".repeat(300) }, 400, "rest_invalid_param"],
    ];
    for (const [name, json, status, code] of cases) {
      const res = json === null
        ? await t.call("POST", `${V2}/users/create`, { token, form: { ...base } })
        : await t.call("POST", `${V2}/users/create`, { token, json });
      assertEquals([name, res.status, res.body.code], [name, status, code]);
    }
    assertEquals(writes(env, 1), 0);
    assertEquals(roster(env, 1), before);
  } finally {
    await env.close();
  }
});

Deno.test("PUT /users/{site}/{id}/edit updates the child's user and stores its users list", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, token, sim } = env;
  try {
    const res = await t.call("PUT", `${V2}/users/1/2/edit`, {
      token,
      json: {
        email: "ed@example.org",
        role: "author",
        display_name: "Ed",
        password: "n3w-Pass",
        nickname: "",
      },
    });
    assertEquals(res.status, 200);
    assertEquals(res.body, {
      success: 1,
      message: "User updated successfully.",
      data: {
        website_id: "1",
        website_url: sim.url(1),
        user_id: 2,
        updated_data: { email: "ed@example.org", role: "author", display_name: "Ed" },
      },
    });
    assert(!res.text.includes("n3w-Pass"), "the password is not echoed");
    const editor = sim.site(1).users.get("editor");
    assertEquals([editor?.email, editor?.role, editor?.display_name, editor?.password], [
      "ed@example.org",
      "author",
      "Ed",
      "n3w-Pass",
    ]);
    const stored = (await getSiteSync(t.ctx.kv, 1))?.options?.users ?? "";
    assert(stored.includes("ed@example.org"), "the reply's users list is stored with the site's sync data");

    const patch = await t.call("PATCH", `${V2}/users/1/2/edit`, { token, json: { first_name: "Eddie" } });
    assertEquals(patch.body.data.updated_data, { role: "donotupdate", first_name: "Eddie" });
    assertEquals(sim.site(1).users.get("editor")?.role, "author", "role kept");
  } finally {
    await env.close();
  }
});

Deno.test("edit and delete refusals: MainWP's errors, and the user is unchanged", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, token, sim } = env;
  try {
    const snapshot = () => JSON.stringify([...sim.site(1).users]);
    const before = snapshot();
    const expect = async (method: string, path: string, json: unknown, status: number, code: string) => {
      const res = await t.call(method, `${V2}${path}`, { token, json });
      assertEquals([path, res.status, res.body.code], [path, status, code], JSON.stringify(res.body));
      return res;
    };
    const missing = await expect("PUT", "/users/1/999/edit", { first_name: "X" }, 404, "user_not_found");
    assertEquals(missing.body.message, "User not found.");
    await expect("PUT", "/users/9/2/edit", { first_name: "X" }, 404, "mainwp_rest_invalid_site_id");
    await expect(
      "PUT",
      "/users/nosuch.test/2/edit",
      { first_name: "X" },
      404,
      "mainwp_rest_invalid_site_data",
    );
    await expect("PUT", "/users/1/2/edit", {}, 400, "missing_required_fields");
    await expect("PUT", "/users/1/2/edit", { role: "overlord" }, 400, "rest_invalid_param");
    await expect("PUT", "/users/1/2/edit", { email: "nope" }, 400, "rest_invalid_param");
    const admin = await expect("PUT", "/users/1/1/edit", { first_name: "X" }, 403, "user_update_error");
    assertEquals(admin.body.message, "This user is used for our secure link, it can not be changed.");
    await expect("PUT", "/users/1/0/edit", { first_name: "X" }, 400, "user_id_not_found");
    // The child refuses an e-mail address another user has.
    const taken = await expect(
      "PUT",
      "/users/1/2/edit",
      { email: "admin@site-1.test" },
      400,
      "user_update_error",
    );
    assertEquals(
      taken.body.message,
      " &lt;strong&gt;ERROR&lt;/strong&gt;: This email is already registered, please choose another one.",
    );
    const form = await t.call("PUT", `${V2}/users/1/2/edit`, { token, form: { first_name: "X" } });
    assertEquals([form.status, form.body.code], [415, "invalid_content_type"]);

    const adminDelete = await expect("DELETE", "/users/1/1/delete", undefined, 403, "user_not_found");
    assertEquals(adminDelete.body.message, "This user is used for our secure link, it can not be deleted.");
    await expect("DELETE", "/users/1/999/delete", undefined, 404, "user_not_found");
    assertEquals(snapshot(), before);
    assertEquals(sim.calls(1).user_action !== undefined, true);

    const deleted = await t.call("DELETE", `${V2}/users/1/2/delete`, { token });
    assertEquals(deleted.body, { success: 1, message: "User deleted successfully." });
    assertEquals(roster(env, 1), ["admin:administrator"]);
  } finally {
    await env.close();
  }
});

Deno.test("PUT /users/update-admin-password sets the connected admin's password per site", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, token, sim } = env;
  try {
    sim.site(2).controls.offline = true;
    const res = await t.call("PUT", `${V2}/users/update-admin-password`, {
      token,
      json: { websites: "1,2", password: "Brand-new-1" },
    });
    assertEquals(res.status, 200);
    assertEquals(res.body.success, true);
    assertEquals(res.body.message, "Admin password updated on 1 of 2 websites.");
    assertEquals(res.body.success_websites, [{ id: 1, name: "Sim 1", url: sim.url(1) }]);
    assertEquals(res.body.failed_websites.length, 1);
    assertEquals(res.body.failed_websites[0].id, 2);
    assertMatch(res.body.failed_websites[0].message, /^MainWP Child plugin not detected/);
    assert(!res.text.includes("Brand-new-1"), "the password is not echoed");
    assertEquals(sim.site(1).users.get("admin")?.password, "Brand-new-1");

    sim.site(2).controls.offline = false;
    const refused = [
      await t.call("PATCH", `${V2}/users/update-admin-password`, {
        token,
        json: { websites: "2", password: "" },
      }),
      await t.call("PATCH", `${V2}/users/update-admin-password`, {
        token,
        json: { websites: "2", password: "0" },
      }),
      await t.call("PATCH", `${V2}/users/update-admin-password`, { token, json: { websites: "2" } }),
      await t.call("PATCH", `${V2}/users/update-admin-password`, {
        token,
        form: { websites: "2", password: "x" },
      }),
    ];
    assertEquals(refused.map((r) => [r.status, r.body.code]), [
      [400, "rest_invalid_param"],
      [400, "rest_invalid_param"],
      [400, "rest_missing_callback_param"],
      [415, "invalid_content_type"],
    ]);
    assertEquals(sim.site(2).users.get("admin")?.password, "admin-password");
    assertEquals(writes(env, 2), 0);
  } finally {
    await env.close();
  }
});

Deno.test("POST /users/import creates each valid row's user and reports every row", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, token, sim } = env;
  try {
    await createTag(t.ctx.kv, { name: "Team" });
    await updateSite(t.ctx.kv, 2, (s) => ({ ...s, tag_ids: [1] }));
    const csv = [
      "username,email,first_name,last_name,user_url,password,send_password,role,select_sites,select_groups",
      `amy,amy@example.com,Amy,Ant,,Pw-amy-1,0,Editor,${sim.url(1)},`,
      `"ben, jr",ben@example.com,Ben,"Bee ""B""",,,yes,,,Team`,
      "cat,not-an-email,,,,,0,,x,",
      `dan,dan@example.com,,,,,0,overlord,${sim.url(1)},`,
      "eve,eve@example.com,,,,,0,,nowhere.example,Nope",
      `=cmd|' /C calc'!A0,fx@example.com,=1+1,,,,0,,${sim.url(1)},`,
    ].join("\r\n");
    const res = await t.call("POST", `${V2}/users/import`, { token, ...multipart(`\uFEFF${csv}\r\n`) });
    assertEquals(res.status, 200, JSON.stringify(res.body));
    assertEquals([res.body.total, res.body.success_count, res.body.failed_count], [6, 3, 3]);
    assert(!("success" in res.body));
    assertEquals(res.body.success_users[0], {
      line_number: 2,
      username: "amy",
      email: "amy@example.com",
      success_sites: [{ id: 1, name: "Sim 1", url: sim.url(1) }],
      failed_sites: [],
      total_sites: 1,
      success_count: 1,
      failed_count: 0,
    });
    assertEquals(res.body.success_users[1].username, "ben, jr");
    assertEquals(res.body.success_users[1].success_sites, [{ id: 2, name: "Sim 2", url: sim.url(2) }]);
    assertEquals(res.body.failed_users, [
      { line_number: 4, username: "cat", email: "", error: "Email is required." },
      {
        line_number: 5,
        username: "dan",
        email: "dan@example.com",
        error: "Invalid role. Allowed roles: administrator, subscriber, editor, author, contributor",
      },
      {
        line_number: 6,
        username: "eve",
        email: "eve@example.com",
        error: "No valid websites found for this user.",
      },
    ]);
    assertEquals(sim.site(1).users.get("amy")?.role, "editor");
    assertEquals(sim.site(1).users.get("amy")?.password, "Pw-amy-1");
    assertEquals(sim.site(2).users.get("ben, jr")?.last_name, 'Bee "B"');
    // A formula-looking cell is plain text, sent as written.
    assertEquals(sim.site(1).users.get("=cmd|' /C calc'!A0")?.first_name, "=1+1");
  } finally {
    await env.close();
  }
});

Deno.test("POST /users/import refusals happen before any child call", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, token, sim } = env;
  try {
    const row = (n: number) => `user${n},user${n}@example.com,,,,,0,,${sim.url(1)},`;
    const cases: [string, { body: string; headers: Record<string, string> }, number, string][] = [
      [
        "no file",
        { body: "has_header=1", headers: { "content-type": "application/x-www-form-urlencoded" } },
        400,
        "no_file_uploaded",
      ],
      [
        "multipart without boundary",
        { body: "x", headers: { "content-type": "multipart/form-data" } },
        400,
        "no_file_uploaded",
      ],
      ["wrong type", multipart(row(1), "users.exe"), 400, "invalid_file_type"],
      ["empty", multipart(""), 400, "empty_file"],
      ["header only", multipart("username,email\r\n"), 200, ""],
      ["short row", multipart(`h\n${row(1)}\nshort,row`), 400, "invalid_csv_format"],
      [
        "too many rows",
        multipart(["h", ...Array.from({ length: 501 }, (_, i) => row(i))].join("\n")),
        413,
        "csv_too_many_rows",
      ],
      ["too large", multipart(`h\n${row(1)},${"x".repeat(1_100_000)}`), 413, "csv_file_too_large"],
    ];
    for (const [name, request, status, code] of cases) {
      const res = await t.call("POST", `${V2}/users/import`, { token, ...request });
      assertEquals([name, res.status, res.body.code ?? ""], [name, status, code], JSON.stringify(res.body));
    }
    const noBoundary = await t.call("POST", `${V2}/users/import`, {
      token,
      body: "x",
      headers: { "content-type": "multipart/form-data" },
    });
    assertMatch(noBoundary.body.message, /let the client add the boundary automatically/);
    const short = await t.call("POST", `${V2}/users/import`, {
      token,
      ...multipart(`h\n${row(1)}\n\nshort,row`),
    });
    assertEquals(short.body.message, "Invalid CSV format at line 4. Expected 10 columns.");
    assertEquals(writes(env, 1), 0);
    assertEquals(roster(env, 1), ["admin:administrator", "editor:editor"]);

    // A huge cell fails its own row only.
    const huge = await t.call("POST", `${V2}/users/import`, {
      token,
      ...multipart(`${row(1)}\n${"z".repeat(300)},z@example.com,,,,,0,,${sim.url(1)},`, "u.csv", {
        has_header: "0",
      }),
    });
    assertEquals([huge.body.success_count, huge.body.failed_count], [1, 1]);
    assertEquals(huge.body.failed_users[0].error, "username is longer than 255 characters.");
    assertEquals(huge.body.failed_users[0].line_number, 2);
  } finally {
    await env.close();
  }
});

Deno.test("discovery lists the users routes with their methods and arguments", async () => {
  const env = await siteApp(1);
  try {
    const res = await env.t.call("GET", "/wp-json/mainwp/v2");
    const routes = res.body.routes as Record<string, { methods: string[]; endpoints: { args: object }[] }>;
    const users = Object.keys(routes).filter((r) => r.startsWith("/mainwp/v2/users"));
    const site =
      "(?P<id_domain>(\\d+|[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}))/(?P<user_id>[\\d]+)";
    assertEquals(users, [
      "/mainwp/v2/users",
      "/mainwp/v2/users/create",
      `/mainwp/v2/users/${site}/edit`,
      `/mainwp/v2/users/${site}/delete`,
      "/mainwp/v2/users/update-admin-password",
      "/mainwp/v2/users/import",
    ]);
    assertEquals(routes["/mainwp/v2/users/update-admin-password"].methods, ["PUT", "PATCH"]);
    assertEquals(Object.keys(routes["/mainwp/v2/users/create"].endpoints[0].args).includes("username"), true);
  } finally {
    await env.close();
  }
});
