import { assertEquals } from "@std/assert";
import { ALREADY_CONNECTED_ERROR, QUERY_ERROR } from "../../../core/sites/add.ts";
import { findSameSite } from "../../../core/sites/duplicates.ts";
import { keys } from "../../../store/keys.ts";
import { reindexSites, siteIdentity } from "../../../store/site-identity.ts";
import { createSite, defaultSite, findSiteByDomain, updateSite } from "../../../store/sites.ts";
import { testApp } from "../../helpers.ts";
import { siteApp, V2 } from "../../routes/_site_fixtures.ts";

Deno.test("siteIdentity: one key per address, whatever the spelling", () => {
  const cases: [string, string][] = [
    ["http://127.1:8080/site-1/", "127.0.0.1:8080/site-1"],
    ["http://2130706433:8080/site-1//", "127.0.0.1:8080/site-1"],
    ["HTTP://LocalHost:8080/Site-1?x=1#top", "localhost:8080/site-1"],
    ["https://www.Example.com:443/blog/", "example.com/blog"],
    ["http://example.com:80", "example.com"],
    ["http://[0:0::FFFF:127.0.0.1]:8080/", "[::ffff:7f00:1]:8080"],
    ["example.com/blog/", "example.com/blog"],
    ["https://bücher.example/", "xn--bcher-kva.example"],
  ];
  for (const [url, expected] of cases) assertEquals(siteIdentity(url), expected, url);
});

Deno.test("a child added again under another spelling is already connected; the first record keeps working", async () => {
  const env = await siteApp(2);
  const { t, sim, token } = env;
  const add = (url: string) =>
    t.call("POST", `${V2}/sites/add`, {
      token,
      json: { url, admin: "admin", adminpassword: "admin-password" },
    });
  try {
    const port = new URL(sim.url(1)).port;
    const first = await add(`http://localhost:${port}/site-1/`);
    assertEquals(first.body.success, 1, first.text);
    const id = first.body.data.id;
    const registers = sim.calls(1).register;
    for (
      const url of [
        `http://127.0.0.1:${port}/site-1/`,
        `http://127.1:${port}/site-1/`,
        `http://2130706433:${port}/site-1//`,
        `http://127.0.0.1:${port}/site-1/?x=1`,
        `http://LOCALHOST:${port}/Site-1`,
        `http://localhost:${port}/site-1/#again`,
      ]
    ) {
      assertEquals((await add(url)).body, { success: 0, error: ALREADY_CONNECTED_ERROR, found_id: id }, url);
    }
    assertEquals(sim.calls(1).register, registers, "the child was not registered again");
    const synced = await t.call("POST", `${V2}/sites/${id}/sync`, { token });
    assertEquals(synced.body.success, 1, synced.text);
    assertEquals((await t.call("GET", `${V2}/sites/count`, { token })).body, { count: 1 });

    // A new site with a query string or fragment is refused before the child is asked.
    for (const url of [`${sim.url(2)}?x=1`, `${sim.url(2)}#top`]) {
      assertEquals((await add(url)).body, { success: 0, error: QUERY_ERROR }, url);
    }
    assertEquals(sim.calls(2).register ?? 0, 0);
  } finally {
    await env.close();
  }
});

Deno.test("findSameSite: an IP or localhost matches a site on the same address, port and path; two names do not", async () => {
  const t = await testApp({ child: { resolve: () => Promise.resolve(["127.0.0.1"]) } });
  try {
    const kv = t.ctx.kv;
    const ids: number[] = [];
    for (const url of ["https://shop.test/", "https://blog.test/", "http://127.0.0.1:8080/a/"]) {
      const created = await createSite(kv, { url });
      if (!("site" in created)) throw new Error(`could not create ${url}`);
      ids.push(created.site.id);
    }
    const idOf = async (url: string) => (await findSameSite(t.ctx, url))?.id ?? null;
    assertEquals(await idOf("https://new.test/"), null, "name-based virtual hosts on one address");
    assertEquals(await idOf("https://127.0.0.1/"), ids[0]);
    assertEquals(await idOf("http://127.0.0.1/"), null, "another port");
    assertEquals(await idOf("https://127.0.0.1/other/"), null, "another path");
    assertEquals(await idOf("http://localhost:8080/a"), ids[2]);
    assertEquals(await idOf("http://new.test:8080/a/"), ids[2]);
    assertEquals(await idOf("http://localhost:8080/b/"), null);
    assertEquals(await idOf("HTTPS://WWW.Shop.test:443"), ids[0]);
  } finally {
    await t.close();
  }
});

Deno.test("records indexed under the former key are still found, and move to the canonical key", async () => {
  const t = await testApp();
  try {
    const kv = t.ctx.kv;
    // As written before identities were canonical: the index key is the lower-cased text.
    for (
      const [id, url, legacy] of [[7, "http://127.1:8080/old/", "127.1:8080/old"], [
        8,
        "http://a.test:80/x/",
        "a.test:80/x",
      ]] as const
    ) {
      await kv.set(keys.site(id), defaultSite(id, { url }));
      await kv.set(keys.siteByDomain(legacy), id);
    }
    await kv.set(keys.seq("sites"), 8);
    assertEquals((await findSiteByDomain(kv, "http://127.1:8080/old/"))?.id, 7);
    assertEquals(await createSite(kv, { url: "http://127.1:8080/old" }), { found_id: 7 });
    assertEquals((await findSameSite(t.ctx, "http://127.0.0.1:8080/old/"))?.id, 7);

    // A write moves the record to its canonical key.
    await updateSite(kv, 8, (site) => ({ ...site, name: "renamed" }));
    assertEquals((await kv.get(keys.siteByDomain("a.test:80/x"))).value, null);
    assertEquals((await kv.get(keys.siteByDomain("a.test/x"))).value, 8);
    assertEquals((await findSiteByDomain(kv, "https://a.test/x"))?.id, 8);

    // The one-time reindex moves the rest.
    await kv.delete(["meta", "site_identity_v2"]);
    await reindexSites(kv);
    assertEquals((await kv.get(keys.siteByDomain("127.1:8080/old"))).value, null);
    assertEquals((await findSiteByDomain(kv, "127.0.0.1:8080/old"))?.id, 7);
  } finally {
    await t.close();
  }
});
