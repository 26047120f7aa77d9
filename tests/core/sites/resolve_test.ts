import { assertEquals, assertInstanceOf } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { createSite, type SiteRecord } from "../../../store/sites.ts";
import { AccessDenied, NotFound } from "../../../core/errors.ts";
import {
  checkSiteAccess,
  findSite,
  requireAccessibleSite,
  resolveSite,
  resolveSiteList,
} from "../../../core/sites/resolve.ts";
import { mainwpRestErrorOf } from "../../../routes/errors.ts";
import { abilityErrorOf } from "../../../abilities/errors.ts";

/** What `work` rejects with, checked to be a `type`. */
async function rejection<E>(work: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await work;
  } catch (error) {
    assertInstanceOf(error, type);
    return error;
  }
  throw new Error("expected a rejection");
}

async function site(kv: Deno.Kv, url: string, extra: Partial<SiteRecord> = {}): Promise<SiteRecord> {
  const created = await createSite(kv, { url, ...extra });
  if (!("site" in created)) throw new Error("duplicate");
  return created.site;
}

Deno.test("resolveSite: ids (PHP is_numeric / intval) and domains in any spelling, one way for every surface", async () => {
  const t = await testApp();
  try {
    const a = await site(t.ctx.kv, "https://www.shop.example/");
    const b = await site(t.ctx.kv, "http://blog.example");
    assertEquals((await resolveSite(t.ctx, a.id)).id, a.id);
    assertEquals((await resolveSite(t.ctx, String(b.id))).id, b.id);
    assertEquals((await resolveSite(t.ctx, `${b.id}.9`)).id, b.id);
    for (const spelling of ["shop.example", "https://shop.example", "http://WWW.shop.example/"]) {
      assertEquals((await resolveSite(t.ctx, spelling)).id, a.id, spelling);
    }
    assertEquals((await findSite(t.ctx, { by: "domain", domain: "blog.example" })).id, b.id);
  } finally {
    await t.close();
  }
});

Deno.test("resolveSite: a missing site is NotFound carrying the id (number) or the domain (string)", async () => {
  const t = await testApp();
  try {
    const byId = await rejection(resolveSite(t.ctx, 999), NotFound);
    assertEquals([byId.entity, byId.id], ["site", 999]);
    assertEquals((await rejection(resolveSite(t.ctx, 0), NotFound)).id, 0);
    const byDomain = await rejection(resolveSite(t.ctx, "nowhere.example"), NotFound);
    assertEquals(byDomain.id, "nowhere.example");
    assertEquals((await rejection(resolveSite(t.ctx, ""), NotFound)).id, "");
    // Each surface words the two as MainWP does.
    assertEquals(mainwpRestErrorOf(byId)?.code, "mainwp_rest_invalid_site_id");
    assertEquals(mainwpRestErrorOf(byDomain)?.code, "mainwp_rest_invalid_site_data");
    assertEquals(mainwpRestErrorOf(byDomain)?.message, "Invalid or not found domain.");
    assertEquals(abilityErrorOf(byId)?.message, "No site found with ID 999.");
    assertEquals(abilityErrorOf(byDomain)?.message, 'No site found matching "nowhere.example".');
  } finally {
    await t.close();
  }
});

Deno.test("checkSiteAccess: mainwp_check_site_access refuses with AccessDenied (403 mainwp_access_denied)", async () => {
  const t = await testApp();
  try {
    const a = await site(t.ctx.kv, "https://a.example");
    const b = await site(t.ctx.kv, "https://b.example");
    const seen: unknown[] = [];
    t.ctx.hooks.addFilter("mainwp_check_site_access", (allowed: unknown, id: unknown, input: unknown) => {
      seen.push([id, input]);
      return id === b.id ? false : allowed;
    });
    await checkSiteAccess(t.ctx, a, { q: 1 });
    assertEquals(seen, [[a.id, { q: 1 }]]);
    const denied = await rejection(requireAccessibleSite(t.ctx, "b.example", {}), AccessDenied);
    assertEquals(abilityErrorOf(denied)?.status, 403);
    assertEquals(abilityErrorOf(denied)?.message, "You do not have permission to access this site.");
  } finally {
    await t.close();
  }
});

Deno.test("resolveSiteList: failures keep their identifier, in order; an empty list is every listed site", async () => {
  const t = await testApp();
  try {
    const a = await site(t.ctx.kv, "https://a.example");
    const b = await site(t.ctx.kv, "https://b.example");
    await site(t.ctx.kv, "https://staging.example", { is_staging: 1 });
    t.ctx.hooks.addFilter("mainwp_check_site_access", (ok: unknown, id: unknown) => id === b.id ? false : ok);
    const { allowed, denied } = await resolveSiteList(
      t.ctx,
      [a.id, "missing.example", "b.example", a.id],
      {},
    );
    assertEquals(allowed.map((s) => s.id), [a.id, a.id]);
    assertEquals(denied.map((d) => d.identifier), ["missing.example", "b.example"]);
    assertInstanceOf(denied[0].error, NotFound);
    assertInstanceOf(denied[1].error, AccessDenied);
    const all = await resolveSiteList(t.ctx, [], {});
    assertEquals(all.allowed.map((s) => s.id), [a.id]);
    assertEquals(all.denied, []);
  } finally {
    await t.close();
  }
});
