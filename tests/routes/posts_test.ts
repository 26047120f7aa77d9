import { assert, assertEquals, assertMatch } from "@std/assert";
import { updateSite } from "../../store/sites.ts";
import { bulkWorkSettled } from "../../lib/bulk-deadline.ts";
import { siteApp, V2 } from "./_site_fixtures.ts";

/** Creates a published post on site `site`; returns its id. */
// deno-lint-ignore no-explicit-any
async function publish(t: any, token: string, site: number, title: string, kind = "posts"): Promise<number> {
  const res = await t.call("POST", `${V2}/${kind}/${site}/create`, {
    token,
    json: { post_title: title, post_content: `<p>${title}</p>`, post_status: "publish", post_name: "" },
  });
  assertEquals(res.body.success, 1, JSON.stringify(res.body));
  return res.body.data.post_id;
}

/** The posts of site `id` in a `GET /posts` answer, by title. */
// deno-lint-ignore no-explicit-any
function titles(body: any, url: string): string[] {
  return (body.data?.[url] ?? []).map((p: { title: string }) => p.title);
}

Deno.test("posts: created, listed, read, edited, unpublished, published, trashed, restored and deleted", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, sim, token } = env;
  const url = sim.url(1);
  try {
    const created = await t.call("POST", `${V2}/posts/1/create`, {
      token,
      json: {
        post_title: "Launch <b>notes</b>",
        post_content: "<p>We launched.</p>",
        post_status: "publish",
        post_name: "Launch Notes!",
        post_tags: "alpha,beta",
        post_category: "Fixtures,News",
      },
    });
    assertEquals(created.status, 200);
    assertEquals([created.body.success, created.body.message], [1, "Create post successfully."]);
    const id = created.body.data.post_id;
    assert(typeof id === "number" && id > 0);
    assertEquals(created.body.data.link, `${url}launch-notes/`);

    const listed = await t.call("GET", `${V2}/posts?websites=1&status=publish`, { token });
    assertEquals(listed.status, 200);
    assertEquals(listed.body.message, "Get posts successfully.");
    const mine = listed.body.data[url].find((p: { id: number }) => p.id === id);
    assertEquals(Object.keys(mine), [
      "id",
      "website_id",
      "post_type",
      "status",
      "title",
      "comment_count",
      "author",
      "post_category",
      "post_tags",
      "dts",
    ]);
    // The title was sanitized; categories were created without quote marks (MainWP's REST create quotes them).
    assertEquals([mine.title, mine.website_id, mine.comment_count], ["Launch notes", 1, "0"]);
    assertEquals([mine.post_category, mine.post_tags], ["Fixtures, News", "alpha, beta"]);
    assertMatch(mine.dts, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const one = await t.call("GET", `${V2}/posts/1/${id}`, { token });
    assertEquals(one.body.message, "Get post successfully.");
    assertEquals(one.body.data.post_title, "Launch notes");
    assertEquals(one.body.data.post_category, "Fixtures,News");
    assertEquals(one.body.data.post_tags, "alpha,beta");
    assertEquals(one.body.data.is_sticky, 0);
    assertEquals(one.body.data.upload_dir.baseurl, `${url}wp-content/uploads`);

    // An edit changes what it names and keeps the rest (content, status, tags).
    const edited = await t.call("PATCH", `${V2}/posts/1/${id}/edit`, {
      token,
      json: { post_title: "Renamed" },
    });
    assertEquals(edited.body, { success: 1, message: "Edit post successfully." });
    const after = (await t.call("GET", `${V2}/posts/1/${id}`, { token })).body.data;
    assertEquals([after.post_title, after.post_content, after.post_status], [
      "Renamed",
      "<p>We launched.</p>",
      "publish",
    ]);
    assertEquals(after.post_tags, "alpha,beta");

    const status = async (s: string) =>
      (await t.call("PUT", `${V2}/posts/1/${id}/update-status`, { token, json: { status: s } })).body;
    const statusOf = async () =>
      (await t.call("GET", `${V2}/posts/1/${id}`, { token })).body.data.post_status;
    assertEquals(await status("unpublish"), { success: 1, message: "Update post status successfully." });
    assertEquals(await statusOf(), "draft");
    const drafts = await t.call("GET", `${V2}/posts?websites=1&status=draft`, { token });
    assert(titles(drafts.body, url).includes("Renamed"));
    assertEquals((await status("approve")).success, 1);
    assertEquals(await statusOf(), "publish");
    assertEquals((await status("trash")).success, 1);
    assertEquals(await statusOf(), "trash");
    assertEquals((await status("restore")).success, 1);
    assertEquals(await statusOf(), "draft");

    const deleted = await t.call("DELETE", `${V2}/posts/1/${id}/delete`, { token });
    assertEquals(deleted.body, { success: 1, message: "Delete post successfully." });
    const gone = await t.call("GET", `${V2}/posts/1/${id}`, { token });
    assertEquals([gone.status, gone.body.code, gone.body.message], [
      404,
      "post_not_exist",
      "Post not exist.",
    ]);
  } finally {
    await env.close();
  }
});

Deno.test("posts: the listing fans out to the selected sites and reports each failing or late site", async () => {
  const env = await siteApp(4, { add: [1, 2, 3, 4], child: { timeoutMs: 6000 } });
  const { t, sim, token } = env;
  try {
    for (const i of [1, 2, 3, 4]) await publish(t, token, i, `Hello ${i}`);
    sim.site(2).controls.offline = true;
    sim.site(3).controls.latencyMs = 2500;
    t.ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 1);
    const res = await t.call("GET", `${V2}/posts?websites=1,2,3&status=publish`, { token });
    assertEquals(res.status, 200);
    assertEquals(Object.keys(res.body.data), [sim.url(1)]);
    assertEquals(Object.keys(res.body.errors).sort(), ["2", "3"]);
    assertMatch(res.body.errors["3"], /did not finish within 1 seconds/);
    await bulkWorkSettled(t.ctx);

    // Tags (by name) and clients select sites too; disconnected and suspended sites are left out.
    const tag = await t.call("POST", `${V2}/tags/add`, { token, json: { name: "Blue" } });
    await t.call("POST", `${V2}/sites/4/edit`, { token, json: { groupids: String(tag.body.data.id) } });
    const byTag = await t.call("GET", `${V2}/posts?groups=Blue&status=publish`, { token });
    assertEquals(Object.keys(byTag.body.data), [sim.url(4)]);
    await updateSite(t.ctx.kv, 4, (s) => ({ ...s, suspended: 1 }));
    const none = await t.call("GET", `${V2}/posts?groups=Blue`, { token });
    assertEquals([none.status, none.body.code, none.body.message], [
      404,
      "website_not_found",
      "Website not found.",
    ]);

    sim.site(1).controls.offline = true;
    const allDown = await t.call("GET", `${V2}/posts?websites=1,2`, { token });
    assertEquals([allDown.status, allDown.body.code], [502, "posts_fetch_error"]);
    assertEquals(Object.keys(allDown.body.data.errors), ["1", "2"]);
  } finally {
    await env.close();
  }
});

Deno.test("posts: the listing refuses unknown sites, tags and clients and bad filters before any child call", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, sim, token } = env;
  try {
    const calls = () => sim.site(1).calls.get("get_all_posts") ?? 0;
    const cases: [string, string, string][] = [
      ["websites=1,99", "websites", "Invalid site ID: 99."],
      ["groups=Nope", "groups", "Invalid Group: Nope."],
      ["clients=7", "clients", "Invalid client ID: 7."],
      [
        "websites=1&status=publish,draft",
        "status",
        "Invalid status. Allowed values: publish, pending, private, future, draft, trash.",
      ],
      ["websites=1&maximum=500", "maximum", "maximum must be between 1 (inclusive) and 200 (inclusive)"],
      [
        "websites=1&dtsstart=2024-02-30",
        "dtsstart",
        "dtsstart is invalid: Invalid date value. Use a real date.",
      ],
      [`websites=1&search=${"x".repeat(300)}`, "search", "search must be at most 255 characters long."],
    ];
    for (const [query, param, message] of cases) {
      const res = await t.call("GET", `${V2}/posts?${query}`, { token });
      assertEquals([res.status, res.body.code], [400, "rest_invalid_param"], query);
      assertEquals(Object.keys(res.body.data.params), [param], query);
      if (!param.startsWith("search")) assertEquals(res.body.data.params[param], message, query);
    }
    // MainWP's route-level filter checks (sent there without a status: HTTP 500).
    const filters: [string, string, string][] = [
      [
        "websites=1&groups=Blue",
        "invalid_filter_params",
        "Only one of clients, groups, or websites can be specified.",
      ],
      [
        "websites=1&dtsstart=2024-01-01",
        "incomplete_date_range",
        "Both start date and stop date must be provided together.",
      ],
      [
        "websites=1&dtsstart=2024-02-01&dtsstop=2024-01-01",
        "invalid_date_range",
        "Start date must be before stop date.",
      ],
      [
        "websites=1&search=zebra",
        "incomplete_search",
        "Both search and search_on must be provided together.",
      ],
    ];
    for (const [query, code, message] of filters) {
      const res = await t.call("GET", `${V2}/posts?${query}`, { token });
      assertEquals([res.status, res.body.code, res.body.message], [400, code, message], query);
    }
    const none = await t.call("GET", `${V2}/posts`, { token });
    assertEquals([none.status, none.body.code], [404, "website_not_found"]);
    assertEquals(calls(), 0);
    // Without a status the child lists what WordPress lists by default (published items).
    const all = await t.call("GET", `${V2}/posts?websites=1`, { token });
    assertEquals(all.status, 200);
    assertEquals(calls(), 1);
  } finally {
    await env.close();
  }
});

Deno.test("posts: refused writes change nothing and never reach the child", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, sim, token } = env;
  try {
    const site = sim.site(1);
    await publish(t, token, 1, "Kept");
    await publish(t, token, 1, "Kept page", "pages");
    site.calls.clear();
    const before = (await t.call("GET", `${V2}/posts?websites=1&status=publish`, { token })).body;
    const post = before.data[sim.url(1)][0];
    const newposts = () => site.calls.get("newpost") ?? 0;
    const actions = () => site.calls.get("post_action") ?? 0;
    const base = { post_content: "x", post_status: "publish", post_name: "" };
    const refused: [string, string, unknown, number, string][] = [
      ["POST", "/posts/1/create", { ...base, post_title: "t".repeat(256) }, 400, "rest_invalid_param"],
      [
        "POST",
        "/posts/1/create",
        { ...base, post_title: "t", post_content: "c".repeat(1_048_577) },
        400,
        "rest_invalid_param",
      ],
      [
        "POST",
        "/posts/1/create",
        { post_title: "t", post_content: "c", post_status: "publish" },
        400,
        "rest_missing_callback_param",
      ],
      [
        "POST",
        "/posts/1/create",
        { ...base, post_title: "t", post_status: "live" },
        400,
        "rest_invalid_param",
      ],
      [
        "POST",
        "/posts/1/create",
        { ...base, post_title: "t", post_date: "yesterday" },
        400,
        "rest_invalid_param",
      ],
      ["POST", "/posts/99/create", { ...base, post_title: "t" }, 404, "mainwp_rest_invalid_site_id"],
      [
        "POST",
        "/posts/nowhere.test/create",
        { ...base, post_title: "t" },
        404,
        "mainwp_rest_invalid_site_data",
      ],
      ["PATCH", `/posts/1/${post.id}/edit`, { post_excerpt: "e".repeat(16_385) }, 400, "rest_invalid_param"],
      ["PATCH", `/posts/1/${post.id}/edit`, { comment_status: "maybe" }, 400, "rest_invalid_param"],
      ["PUT", `/posts/1/${post.id}/update-status`, { status: "burn" }, 400, "rest_invalid_param"],
      ["PUT", `/posts/1/${post.id}/update-status`, {}, 400, "rest_missing_callback_param"],
    ];
    for (const [method, path, json, status, code] of refused) {
      const res = await t.call(method, `${V2}${path}`, { token, json });
      assertEquals([res.status, res.body.code], [status, code], `${method} ${path}`);
    }
    assertEquals([newposts(), actions()], [0, 0], "no child call");
    // Unknown items are read (get_edit) and refused before any change; a page is no post.
    const page =
      (await t.call("GET", `${V2}/pages?websites=1&status=publish`, { token })).body.data[sim.url(1)][0];
    for (
      const [method, path] of [
        ["PATCH", "/posts/1/999999/edit"],
        ["PUT", "/posts/1/999999/update-status"],
        ["DELETE", "/posts/1/999999/delete"],
        ["PATCH", `/posts/1/${page.id}/edit`],
        ["DELETE", `/posts/1/${page.id}/delete`],
      ]
    ) {
      const res = await t.call(method, `${V2}${path}`, { token, json: { status: "trash", post_title: "x" } });
      assertEquals(
        [res.status, res.body.code, res.body.message],
        [404, "post_not_exist", "Post not exist."],
        path,
      );
    }
    const zero = await t.call("GET", `${V2}/posts/1/0`, { token });
    assertEquals([zero.status, zero.body.code, zero.body.message], [
      400,
      "post_id_not_found",
      "Post id not found.",
    ]);
    assertEquals(newposts(), 0);
    const after = (await t.call("GET", `${V2}/posts?websites=1&status=publish`, { token })).body;
    assertEquals(after, before);
    const pageAfter = (await t.call("GET", `${V2}/pages/1/${page.id}`, { token })).body.data;
    assertEquals(pageAfter.post_status, "publish");
  } finally {
    await env.close();
  }
});

Deno.test("posts: a failing child is the route's own error, never a 500", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, sim, token } = env;
  try {
    // The child refuses a post with neither title nor content ("Empty post id").
    const empty = await t.call("POST", `${V2}/posts/1/create`, {
      token,
      json: { post_title: "", post_content: "", post_status: "draft", post_name: "" },
    });
    assertEquals([empty.status, empty.body.code, empty.body.message], [
      400,
      "create_post_error",
      "Empty post id",
    ]);
    sim.site(1).controls.offline = true;
    const read = await t.call("GET", `${V2}/posts/1/1`, { token });
    assertEquals([read.status, read.body.code], [502, "get_post_error"]);
    const create = await t.call("POST", `${V2}/posts/1/create`, {
      token,
      json: { post_title: "t", post_content: "c", post_status: "draft", post_name: "" },
    });
    assertEquals([create.status, create.body.code], [502, "create_post_error"]);
  } finally {
    await env.close();
  }
});
