import { assertEquals, assertInstanceOf } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { createSite, getSite, type SiteRecord } from "../../../store/sites.ts";
import { Conflict, InvalidInput, NotFound } from "../../../core/errors.ts";
import { editSite, removeSite, setSiteSuspended } from "../../../core/sites/edit.ts";
import { MANUALLY_DISCONNECTED, markSiteDisconnected } from "../../../core/sites/connection.ts";

async function site(kv: Deno.Kv, url: string): Promise<SiteRecord> {
  const created = await createSite(kv, { url });
  if (!("site" in created)) throw new Error("duplicate");
  return created.site;
}

/** What `work` rejects with (fails when it resolves). */
async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

Deno.test("editSite: answers the stored record and the previous one; fires the update hooks", async () => {
  const t = await testApp();
  try {
    const a = await site(t.ctx.kv, "https://a.example");
    const fired: string[] = [];
    t.ctx.hooks.addAction("mainwp_site_updated", () => void fired.push("updated"));
    t.ctx.hooks.addAction("mainwp_site_suspended", () => void fired.push("suspended"));
    const { site: next, previous } = await editSite(t.ctx, a, { name: "Shop", suspended: "1" });
    assertEquals([next.name, next.suspended, previous.suspended], ["Shop", 1, 0]);
    assertEquals((await getSite(t.ctx.kv, a.id))?.name, "Shop");
    assertEquals(fired, ["updated", "suspended"]);
  } finally {
    await t.close();
  }
});

Deno.test("editSite: refusals are domain errors and change nothing", async () => {
  const t = await testApp();
  try {
    const a = await site(t.ctx.kv, "https://a.example");
    const b = await site(t.ctx.kv, "https://b.example");
    const client = await rejection(editSite(t.ctx, a, { client_id: 42, name: "X" }));
    assertInstanceOf(client, InvalidInput);
    assertEquals([client.field, client.message], ["client_id", "Invalid or not found client ID."]);
    const taken = await rejection(editSite(t.ctx, a, { url: "https://www.b.example/" }));
    assertInstanceOf(taken, Conflict);
    assertEquals(taken.existingId, b.id);
    assertEquals((await getSite(t.ctx.kv, a.id))?.name, a.name);
    assertInstanceOf(await rejection(editSite(t.ctx, { ...a, id: 999 }, { name: "Y" })), NotFound);
  } finally {
    await t.close();
  }
});

Deno.test("setSiteSuspended: `changed` tells whether the state moved; the hook fires on change or always", async () => {
  const t = await testApp();
  try {
    const a = await site(t.ctx.kv, "https://a.example");
    let fired = 0;
    t.ctx.hooks.addAction("mainwp_site_suspended", () => void fired++);
    assertEquals((await setSiteSuspended(t.ctx, a, 1)).changed, true);
    const again = await setSiteSuspended(t.ctx, a, 1);
    assertEquals([again.changed, again.site.suspended, fired], [false, 1, 1]);
    await setSiteSuspended(t.ctx, a, 1, { alwaysFire: true });
    assertEquals(fired, 2);
    assertInstanceOf(await rejection(setSiteSuspended(t.ctx, { ...a, id: 999 }, 0)), NotFound);
  } finally {
    await t.close();
  }
});

Deno.test("removeSite without the child: the record goes, the hook fires, a second removal is NotFound", async () => {
  const t = await testApp();
  try {
    const a = await site(t.ctx.kv, "https://a.example");
    const deleted: unknown[] = [];
    t.ctx.hooks.addAction("mainwp_delete_site", (s: unknown) => void deleted.push(s));
    const { site: removed, child } = await removeSite(t.ctx, a, { notifyChild: false });
    assertEquals([removed.id, child], [a.id, { told: "unconfirmed" }]);
    assertEquals(await getSite(t.ctx.kv, a.id), null);
    assertEquals(deleted.length, 1);
    assertInstanceOf(await rejection(removeSite(t.ctx, a, { notifyChild: false })), NotFound);
  } finally {
    await t.close();
  }
});

Deno.test("markSiteDisconnected: sets MainWP's sync error; null for a site that is gone", async () => {
  const t = await testApp();
  try {
    const a = await site(t.ctx.kv, "https://a.example");
    assertEquals((await markSiteDisconnected(t.ctx, a))?.sync_errors, MANUALLY_DISCONNECTED);
    assertEquals(await markSiteDisconnected(t.ctx, { ...a, id: 999 }), null);
  } finally {
    await t.close();
  }
});
