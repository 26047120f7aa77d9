import { assert, assertEquals } from "@std/assert";
import { siteApp, V2 } from "./_site_fixtures.ts";

Deno.test("pages: created, listed, read, edited, status-changed and deleted", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, sim, token } = env;
  const url = sim.url(1);
  try {
    const created = await t.call("POST", `${V2}/pages/1/create`, {
      token,
      json: {
        post_title: "About us",
        post_content: "<p>Who we are.</p>",
        post_status: "publish",
        post_name: "",
      },
    });
    assertEquals([created.body.success, created.body.message], [1, "Create page successfully."]);
    const id = created.body.data.post_id;
    assertEquals(created.body.data.link, `${url}about-us/`);

    const listed = await t.call("GET", `${V2}/pages?websites=1,2&status=publish`, { token });
    assertEquals(listed.body.message, "Get pages successfully.");
    const page = listed.body.data[url].find((p: { id: number }) => p.id === id);
    assertEquals(Object.keys(page), [
      "id",
      "website_id",
      "post_type",
      "status",
      "title",
      "comment_count",
      "author",
      "dts",
      "authorEmail",
    ]);
    assertEquals([page.title, page.post_type, page.authorEmail], ["About us", "page", "admin@site-1.test"]);
    assertEquals(listed.body.errors, undefined);

    const one = await t.call("GET", `${V2}/pages/1/${id}`, { token });
    assertEquals(one.body.message, "Get page successfully.");
    assertEquals([one.body.data.id, one.body.data.website_id, one.body.data.post_type], [id, "1", "page"]);
    assertEquals([one.body.data.post_content, one.body.data.post_title], ["<p>Who we are.</p>", "About us"]);

    const edited = await t.call("PUT", `${V2}/pages/1/${id}/edit`, {
      token,
      json: { post_content: "New body" },
    });
    assertEquals(edited.body, { success: 1, message: "Edit page successfully." });
    const after = (await t.call("GET", `${V2}/pages/1/${id}`, { token })).body.data;
    assertEquals([after.post_content, after.post_title, after.post_status], [
      "New body",
      "About us",
      "publish",
    ]);

    const status = await t.call("PATCH", `${V2}/pages/1/${id}/update-status`, {
      token,
      json: { status: "unpublish" },
    });
    assertEquals(status.body, { success: 1, message: "Update page status successfully." });
    const drafts = await t.call("GET", `${V2}/pages?websites=1&status=draft`, { token });
    assert(drafts.body.data[url].some((p: { id: number }) => p.id === id));

    const deleted = await t.call("DELETE", `${V2}/pages/1/${id}/delete`, { token });
    assertEquals(deleted.body, { success: 1, message: "Delete page successfully." });
    const gone = await t.call("GET", `${V2}/pages/1/${id}`, { token });
    assertEquals([gone.status, gone.body.code, gone.body.message], [
      404,
      "post_not_exist",
      "Page not exist.",
    ]);
    assertEquals(sim.site(2).calls.get("newpost") ?? 0, 0, "site 2 untouched");
  } finally {
    await env.close();
  }
});

Deno.test("pages: MainWP's page errors, the default maximum of 10, and refused input changing nothing", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t, sim, token } = env;
  try {
    const site = sim.site(1);
    for (let i = 0; i < 12; i++) {
      const res = await t.call("POST", `${V2}/pages/1/create`, {
        token,
        json: { post_title: `Page ${i}`, post_content: "x", post_status: "draft", post_name: "" },
      });
      assertEquals(res.body.success, 1);
    }
    const listed = await t.call("GET", `${V2}/pages?websites=1&status=draft`, { token });
    assertEquals(listed.body.data[sim.url(1)].length, 10);
    // Pages check the site filters and the search pair, not the dates (as MainWP).
    const dates = await t.call("GET", `${V2}/pages?websites=1&status=draft&dtsstart=2024-01-01`, { token });
    assertEquals(dates.status, 200);
    const pair = await t.call("GET", `${V2}/pages?websites=1&search_on=title`, { token });
    assertEquals([pair.status, pair.body.code], [400, "incomplete_search"]);
    const none = await t.call("GET", `${V2}/pages`, { token });
    assertEquals([none.status, none.body.code, none.body.message], [
      404,
      "no_website_found",
      "No website found.",
    ]);

    site.calls.clear();
    const post = await t.call("POST", `${V2}/posts/1/create`, {
      token,
      json: { post_title: "A post", post_content: "x", post_status: "publish", post_name: "" },
    });
    const postId = post.body.data.post_id;
    const asPage = await t.call("GET", `${V2}/pages/1/${postId}`, { token });
    assertEquals([asPage.status, asPage.body.code, asPage.body.message], [
      404,
      "post_not_exist",
      "Page not exist.",
    ]);
    const zero = await t.call("DELETE", `${V2}/pages/1/0/delete`, { token });
    assertEquals([zero.status, zero.body.message], [400, "Page id not found."]);

    const before = (await t.call("GET", `${V2}/pages?websites=1&status=draft&maximum=200`, { token })).body;
    const id = before.data[sim.url(1)][0].id;
    for (
      const json of [
        { post_title: "x".repeat(256) },
        { post_name: "y".repeat(300) },
        { post_status: "gone" },
        { post_date_gmt: "2024-01-01 25:00:00" },
        { is_sticky: 3 },
      ]
    ) {
      const res = await t.call("PATCH", `${V2}/pages/1/${id}/edit`, { token, json });
      assertEquals(
        [res.status, res.body.code],
        [400, "rest_invalid_param"],
        JSON.stringify(json).slice(0, 40),
      );
    }
    assertEquals(site.calls.get("newpost"), 1, "only the post created above");
    const after = (await t.call("GET", `${V2}/pages?websites=1&status=draft&maximum=200`, { token })).body;
    assertEquals(after, before);

    site.controls.offline = true;
    const failing = await t.call("PATCH", `${V2}/pages/1/${id}/update-status`, {
      token,
      json: { status: "trash" },
    });
    assertEquals([failing.status, failing.body.code], [502, "get_post_error"]);
  } finally {
    await env.close();
  }
});

Deno.test("discovery lists the posts and pages routes with their methods and arguments", async () => {
  const env = await siteApp(1);
  try {
    const res = await env.t.call("GET", "/wp-json/mainwp/v2", { token: env.token });
    const routes = res.body.routes as Record<string, { methods: string[]; endpoints: { args: object }[] }>;
    const site = "(?P<id_domain>(\\d+|[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}))";
    for (const [kind, id] of [["posts", "id_post"], ["pages", "id_page"]]) {
      const item = `/mainwp/v2/${kind}/${site}/(?P<${id}>[\\d]+)`;
      const expected: Record<string, string[]> = {
        [`/mainwp/v2/${kind}`]: ["GET"],
        [item]: ["GET"],
        [`${item}/update-status`]: ["PUT", "PATCH"],
        [`${item}/edit`]: ["PUT", "PATCH"],
        [`/mainwp/v2/${kind}/${site}/create`]: ["POST"],
        [`${item}/delete`]: ["DELETE"],
      };
      for (const [route, methods] of Object.entries(expected)) {
        assertEquals(routes[route]?.methods, methods, route);
      }
      assert("post_title" in routes[`/mainwp/v2/${kind}/${site}/create`].endpoints[0].args);
    }
  } finally {
    await env.close();
  }
});
