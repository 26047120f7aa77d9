import { assert, assertEquals } from "@std/assert";
import {
  MAX_SITE_CHANGES,
  mergeChangesLogs,
  mergeSiteChanges,
  SITE_CHANGES_OPTION,
  siteChangesOptions,
} from "../../../core/sync/changes.ts";
import { recordSyncValues } from "../../../core/sync/sync.ts";
import { getSiteSync } from "../../../store/sites.ts";
import { replyProxy, siteApp, V2 } from "../../routes/_site_fixtures.ts";

const ENTRY = (created: number, extra: Record<string, unknown> = {}) => ({
  context: "plugins",
  action: "activated",
  action_user: "bob",
  created,
  meta_data: { name: "Hello Dolly", version: "1.7.2" },
  ...extra,
});

Deno.test("mergeSiteChanges: MainWP's row columns, skips incomplete and known entries, keeps order", () => {
  const first = mergeSiteChanges(3, [], {
    "17": ENTRY(1700000100),
    "12": ENTRY(1700000000, { context: "wordpress", action: "updated", meta_data: "" }),
    "13": ENTRY(1700000050, { action_user: "" }),
    connected_admin: "admin",
  });
  assertEquals(first, [
    {
      action_id: "1",
      wpid: "3",
      object_id: "12",
      context: "wordpress",
      action: "updated",
      action_user: "bob",
      created: "1700000000",
      meta_data: "",
      dismiss: "0",
      summary: "WP Core WordPress",
    },
    {
      action_id: "2",
      wpid: "3",
      object_id: "17",
      context: "plugins",
      action: "activated",
      action_user: "bob",
      created: "1700000100",
      meta_data: '{"name":"Hello Dolly","version":"1.7.2","user_meta_json":"[]"}',
      dismiss: "0",
      summary: "Hello Dolly Plugin",
    },
  ], "oldest first, ids in arrival order");
  assertEquals(
    mergeSiteChanges(3, first, { "17": ENTRY(1700000100) }),
    first,
    "known entries are not added again",
  );
  const next = mergeSiteChanges(3, first, [ENTRY(1700000200, { object_id: "20", context: "themes" })]);
  assertEquals(next.length, 3);
  assertEquals([next[2].object_id, next[2].action_id, next[2].summary], ["20", "3", "Hello Dolly Theme"]);
  assertEquals(mergeSiteChanges(3, first, "garbage"), first);
  const timed = mergeSiteChanges(4, [], { "4": ENTRY(1700000200), "30": ENTRY(1700000100) });
  assertEquals(
    timed.map((r) => [r.object_id, r.action_id]),
    [["30", "1"], ["4", "2"]],
    "numbered in time order",
  );
});

Deno.test("non-mainwp-changes: stored from register and action replies, listed with MainWP's parameters", async () => {
  const env = await siteApp(1);
  const { t, sim, token } = env;
  let log: Record<string, unknown> = {
    "5": ENTRY(1700000000),
    "6": ENTRY(1700000300, { context: "themes" }),
  };
  const proxy = replyProxy(sim, (fn, reply) => {
    if (fn === "register") return { ...reply, child_site_actions_data: log };
    if (reply.sync && typeof reply.sync === "object") {
      return { ...reply, sync: { ...reply.sync as object, child_site_actions_data: log } };
    }
    return reply;
  });
  try {
    const added = await t.call("POST", `${V2}/sites/add`, {
      token,
      json: { url: proxy.url(1), name: "Proxied", admin: "admin", adminpassword: "admin-password" },
    });
    assertEquals(added.body.success, 1);
    const site = { id: "1", name: "Proxied", url: proxy.url(1), client_id: "0" };
    const list = await t.call("GET", `${V2}/sites/1/non-mainwp-changes`, { token });
    assertEquals(list.body.success, 1);
    assertEquals(list.body.total, 2);
    assertEquals(list.body.site, site);
    assertEquals(Object.keys(list.body.data[0]), [
      "name",
      "url",
      "action_id",
      "wpid",
      "object_id",
      "context",
      "action",
      "action_user",
      "created",
      "meta_data",
      "dismiss",
      "summary",
    ]);
    assertEquals(list.body.data.map((r: { object_id: string }) => r.object_id), ["6", "5"], "newest first");
    assertEquals(list.body.data[0].name, "Proxied");

    // A plugin action's reply carries a sync: its new entries are stored too, known ones not twice.
    log = { ...log, "9": ENTRY(1700000600, { action: "deactivated" }) };
    const plugins = (await t.call("GET", `${V2}/sites/1/plugins`, { token })).body.data;
    await t.call("POST", `${V2}/sites/1/plugins/activate`, { token, json: { slug: plugins[0].slug } });
    const get = async (q: string) =>
      (await t.call("GET", `${V2}/sites/1/non-mainwp-changes${q}`, { token })).body;
    assertEquals((await get("")).data.map((r: { object_id: string }) => r.object_id), ["9", "6", "5"]);
    assertEquals(
      (await get("?order=asc&orderby=created&limit=2")).data.map((r: { object_id: string }) => r.object_id),
      [
        "5",
        "6",
      ],
    );
    assertEquals((await get("?page=2&per_page=2")).data.map((r: { object_id: string }) => r.object_id), [
      "5",
    ]);
    assertEquals((await get("?contexts=themes")).total, 1);
    assertEquals((await get("?actions=deactivated,activated")).total, 3);
    assertEquals(await get("?total_count=1"), { success: 1, total: 3, data: { total: 3 }, site });
    assertEquals([(await get("?source=all")).total, (await get("?source=wpadmin")).total], [3, 3]);
    assertEquals([(await get("?source=dashboard")).data, (await get("?source=other")).total], [[], 0]);

    // The same entries again add nothing.
    const stored = (await getSiteSync(t.ctx.kv, 1))?.options?.[SITE_CHANGES_OPTION];
    await recordSyncValues(t.ctx, 1, {}, log);
    assertEquals((await getSiteSync(t.ctx.kv, 1))?.options?.[SITE_CHANGES_OPTION], stored);
    assert((await t.call("GET", `${V2}/sites/2/non-mainwp-changes`, { token })).status === 404);
  } finally {
    await proxy.close();
    await env.close();
  }
});

Deno.test("change reports from a hostile child stay bounded and never store unusable times", () => {
  const many: Record<string, unknown> = {};
  for (let i = 1; i <= 3000; i++) {
    many[String(i)] = {
      id: i,
      log_type_id: 1461,
      created_on: String(1700000000 + i),
      username: "admin",
      context: "plugin",
      action_name: "activated",
      meta_data: { plugindata: { name: "P" }, blob: "x".repeat(10_000), user_meta: { wp_user_id: 1 } },
    };
  }
  const { rows, lastCreated } = mergeChangesLogs(1, [], many, 0);
  assert(rows.length <= MAX_SITE_CHANGES);
  assert(JSON.stringify(rows).length <= 300_000);
  assert(rows.every((r) => r.meta_data.length <= 4_000 && r.summary === "P Plugin"));
  assertEquals(lastCreated, 1700001000, "at most 1000 entries are read from one reply");

  const odd = mergeChangesLogs(1, [], [
    null,
    "x",
    { id: 1, log_type_id: 1461, created_on: "1e400", username: "a" },
    { id: 2, log_type_id: 1461, created_on: 99999999999, username: "a" },
    { id: 3, log_type_id: "x", created_on: 1700000000, username: "a" },
    { id: 4, log_type_id: 1930, created_on: 1700000001, username: "a" },
    { id: 5, log_type_id: 1570, created_on: 1700000002, username: "" },
  ], 0);
  assertEquals(odd.rows, []);
  assertEquals(odd.lastCreated, 1700000002, "skipped types and rows without a user still move the mark");
  const options = siteChangesOptions(1, null, {
    "9": { action_user: "a", created: 1e300, context: "plugins" },
  });
  assertEquals(options, {});
});
