import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";

Deno.test("GET /wp-json/: WordPress's index keys, in its order, with Fleetpress's values", async () => {
  const t = await testApp();
  try {
    const res = await t.call("GET", "/wp-json/");
    assertEquals(res.status, 200);
    assertEquals(Object.keys(res.body), [
      "name",
      "description",
      "url",
      "home",
      "gmt_offset",
      "timezone_string",
      "page_for_posts",
      "page_on_front",
      "show_on_front",
      "namespaces",
      "authentication",
      "routes",
      "site_logo",
      "site_icon",
      "site_icon_url",
      "_links",
    ]);
    const { routes: _routes, namespaces: _namespaces, ...site } = res.body;
    const url = t.ctx.config.publicUrl;
    assertEquals(site, {
      name: "Fleetpress",
      description: "MainWP-compatible dashboard API",
      url,
      home: url,
      gmt_offset: "0",
      timezone_string: "UTC",
      page_for_posts: 0,
      page_on_front: 0,
      show_on_front: "posts",
      authentication: {
        "application-passwords": {
          endpoints: { authorization: `${url}/wp-admin/authorize-application.php` },
        },
      },
      site_logo: 0,
      site_icon: 0,
      site_icon_url: "",
      _links: { help: [{ href: "https://developer.wordpress.org/rest-api/" }] },
    });
  } finally {
    await t.close();
  }
});
