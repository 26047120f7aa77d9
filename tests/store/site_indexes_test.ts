/** The site indexes: set with the record, moved by every write, claimed only when the address is free. */
import { assert, assertEquals } from "@std/assert";
import { keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import { deleteSite, findSiteByDomain, updateSite } from "../../store/sites.ts";
import { claimSiteDomain } from "../../store/site-indexes.ts";
import { KeyTooLong } from "../../lib/limits.ts";
import { newSiteRecord as newSite, withKv } from "./_helpers.ts";

Deno.test("a write moves the domain, client and tag indexes with the record; a delete removes them", async () => {
  await withKv(async (kv) => {
    const site = await newSite(kv, "https://a.example", { client_id: 2, tag_ids: [1, 3] });
    assertEquals((await kv.get(keys.siteByDomain("a.example"))).value, site.id);
    assertEquals(await listIds(kv, keys.clientSites(2)), [site.id]);
    assertEquals(await listIds(kv, keys.siteTags(site.id)), [1, 3]);
    const moved = await updateSite(
      kv,
      site.id,
      (s) => ({ ...s, url: "https://b.example", client_id: 4, tag_ids: [3] }),
    );
    assert(moved && "id" in moved);
    assertEquals((await kv.get(keys.siteByDomain("a.example"))).value, null);
    assertEquals((await findSiteByDomain(kv, "www.b.example"))?.id, site.id);
    assertEquals(await listIds(kv, keys.clientSites(2)), []);
    assertEquals(await listIds(kv, keys.clientSites(4)), [site.id]);
    assertEquals(await listIds(kv, keys.tagSites(1)), []);
    assertEquals(await listIds(kv, keys.tagSites(3)), [site.id]);
    await deleteSite(kv, site.id);
    const left = [];
    for await (const entry of kv.list({ prefix: ["idx"] })) left.push(entry.key);
    assertEquals(left, []);
  });
});

Deno.test("claimSiteDomain: same address needs nothing, another site's is a conflict, too long is KeyTooLong", async () => {
  await withKv(async (kv) => {
    const a = await newSite(kv, "https://a.example");
    const b = await newSite(kv, "https://b.example");
    const op = kv.atomic();
    assertEquals(await claimSiteDomain(kv, op, a, { ...a, url: "http://www.a.example/" }), { checks: 0 });
    assertEquals(await claimSiteDomain(kv, op, a, { ...a, url: "https://b.example/" }), { conflict: b.id });
    assertEquals(await claimSiteDomain(kv, op, a, { ...a, url: "https://c.example/" }), { checks: 1 });
    let thrown: unknown;
    try {
      await claimSiteDomain(kv, op, a, { ...a, url: `https://${"x".repeat(3000)}.example/` });
    } catch (error) {
      thrown = error;
    }
    assert(thrown instanceof KeyTooLong);
    assertEquals(thrown.param, "url");
    // Through updateSite: the conflict leaves both records and indexes as they were.
    assertEquals(await updateSite(kv, a.id, (s) => ({ ...s, url: "https://b.example" })), { conflict: b.id });
    assertEquals((await findSiteByDomain(kv, "a.example"))?.id, a.id);
    assertEquals((await findSiteByDomain(kv, "b.example"))?.id, b.id);
  });
});
