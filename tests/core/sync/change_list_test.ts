import { assert, assertEquals } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { createSite } from "../../../store/sites.ts";
import { recordSyncValues } from "../../../core/sync/sync.ts";
import { countSiteChanges, siteChangeItems, siteChanges } from "../../../core/sync/change-list.ts";

const entry = (
  context: string,
  action: string,
  created: number,
  user_meta: Record<string, unknown> = {},
) => ({
  context,
  action,
  action_user: "bob",
  created,
  meta_data: { name: `${context} ${created}`, user_meta },
});

Deno.test("siteChanges: filter, order, page or limit; countSiteChanges; siteChangeItems in natural types", async () => {
  const t = await testApp();
  try {
    const created = await createSite(t.ctx.kv, { url: "https://shop.example/", name: "Shop" });
    assert("site" in created);
    const id = created.site.id;
    await recordSyncValues(t.ctx, id, {}, {
      "1": entry("plugins", "activated", 1700000100, { wp_user_id: "7" }),
      "2": entry("themes", "switched", 1700000300),
      "3": entry("plugins", "deactivated", 1700000200),
    });
    const ids = (rows: { object_id: string }[]) => rows.map((r) => r.object_id);
    assertEquals(ids(await siteChanges(t.ctx, id)), ["2", "3", "1"], "newest first");
    assertEquals(ids(await siteChanges(t.ctx, id, {}, { orderBy: "action", order: "asc" })), ["1", "3", "2"]);
    assertEquals(ids(await siteChanges(t.ctx, id, { contexts: ["plugins"] })), ["3", "1"]);
    assertEquals(ids(await siteChanges(t.ctx, id, { actions: ["switched"] })), ["2"]);
    assertEquals(ids(await siteChanges(t.ctx, id, { source: "dashboard" })), []);
    assertEquals(ids(await siteChanges(t.ctx, id, {}, { page: { page: 2, perPage: 2 }, limit: 1 })), ["1"]);
    assertEquals(ids(await siteChanges(t.ctx, id, {}, { limit: 1 })), ["2"]);
    assertEquals(ids(await siteChanges(t.ctx, id, {}, { limit: 0 })), ["2", "3", "1"], "0: no cut");
    assertEquals(await countSiteChanges(t.ctx, id, { contexts: ["plugins", "themes"] }), 3);
    const { items, total } = await siteChangeItems(t.ctx, id, { page: 2, perPage: 1, contexts: ["plugins"] });
    assertEquals(total, 2);
    assertEquals(items, [{
      id: 1,
      type: "plugins",
      action: "activated",
      item: "plugins 1700000100 Plugin",
      user_id: 7,
      user: "bob",
      timestamp: "2023-11-14T22:15:00+00:00",
    }]);
    assertEquals(await countSiteChanges(t.ctx, 999), 0);
  } finally {
    await t.close();
  }
});
