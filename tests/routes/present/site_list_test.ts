import { assert, assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import { testApp } from "../../helpers.ts";
import { RestError } from "../../../rest/errors.ts";
import { createSite, defaultSite, type SiteRecord } from "../../../store/sites.ts";
import {
  activeTheme,
  customFieldValue,
  formatSiteView,
  FULL_PRESENTATION,
  httpStatusText,
  presentView,
  SITE_VIEW_KEYS,
  siteStatus,
} from "../../../routes/present/site-format.ts";
import { hasAvailableUpdate } from "../../../core/sites/fleet.ts";
import { LIST_DEFAULTS, parseSiteListQuery } from "../../../routes/present/site-list.ts";
import { siteViewsByIds } from "../../../routes/present/site-view.ts";
import { escHtml } from "../../../wp/format.ts";
import { isPhpEmpty, phpIntval } from "../../../wp/php.ts";

const site = (input: Partial<SiteRecord> = {}): SiteRecord =>
  defaultSite(input.id ?? 1, { url: "https://shop.example", name: "Shop", ...input });

Deno.test("site view: key order, types, never-synced defaults", () => {
  const view = formatSiteView(site({ tag_ids: [9, 4, 77] }), null, new Map([[4, "A"], [9, "B"]]));
  assertEquals(Object.keys(view), [...SITE_VIEW_KEYS]);
  for (const [key, value] of Object.entries(view)) {
    if (key !== "tags") assertEquals(typeof value, "string", key);
  }
  assertEquals(view.tags, { "4": "A", "9": "B" });
  assertEquals(formatSiteView(site(), null, new Map()).tags, []);
  assertEquals([view.last_sync, view.database_size, view.last_post_time, view.plugins], [
    "1970-01-01T00:00:00",
    "0",
    "0",
    "",
  ]);
});

Deno.test("site view helpers: http status, status, active theme, updates, escaping, custom fields", () => {
  assertEquals([httpStatusText(200), httpStatusText(404), httpStatusText(0), httpStatusText(599)], [
    "200 - OK",
    "404 - Not Found",
    "0",
    "599",
  ]);
  assertEquals(siteStatus({ suspended: 1, sync_errors: "x" }), "suspended");
  assertEquals(siteStatus({ suspended: 0, sync_errors: "x" }), "disconnected");
  assertEquals(siteStatus({ suspended: 0, sync_errors: "" }), "connected");
  assertEquals(
    activeTheme('[{"name":"A","version":"1","active":0},{"name":"B & C","version":"2","active":1}]'),
    "B &amp; C 2",
  );
  assertEquals(activeTheme('{"tt4":{"name":"T","version":"1.1","active":"1"}}'), "T 1.1");
  assertEquals([activeTheme(""), activeTheme("nope"), activeTheme("[]")], ["", "", ""]);
  assertEquals(hasAvailableUpdate(null), false);
  assertEquals(hasAvailableUpdate({ plugin_upgrades: "[]", theme_upgrades: "{}", wp_upgrades: "" }), false);
  assertEquals(hasAvailableUpdate({ wp_upgrades: '{"current":"6.4","new":"6.5"}' }), true);
  assertEquals(
    escHtml(`a & b &amp; <i> "q" 'x' &#39; &#x27;`),
    "a &amp; b &amp; &lt;i&gt; &quot;q&quot; &#039;x&#039; &#39; &#x27;",
  );
  const s = site({ dtsSync: 5 });
  assertEquals(customFieldValue(s, null, "dtsSync"), "5");
  assertEquals(customFieldValue(s, null, "privkey"), "");
  assertEquals(customFieldValue(s, null, "tag_ids"), "");
  assertEquals(customFieldValue(s, { dbsize: 3, options: { x: "y" } }, "dbsize"), "3");
  assertEquals(customFieldValue(s, { options: { x: "y" } }, "x"), "y");
  assertEquals(customFieldValue(s, null, "missing"), "");
});

Deno.test("presentView copies: the cached view is never changed", () => {
  const view = formatSiteView(site({ tag_ids: [4] }), null, new Map([[4, "A"]]));
  const before = structuredClone(view);
  const out = presentView(view, site(), null, {
    withTags: false,
    fullData: false,
    customFields: ["dtsSync", "pubkey"],
    blank: ["ip", "name"],
  });
  assertEquals([out.tags, out.database_size, out.ip, out.name, out.dtsSync], ["", "", "", "", "0"]);
  assert(!("pubkey" in out));
  assertEquals(view, before);
  const full = presentView(view, site(), null, FULL_PRESENTATION);
  (full.tags as Record<string, string>)["4"] = "changed";
  assertEquals(view.tags, { "4": "A" });
});

Deno.test("list query parsing: legacy pagination, alias, flags, status validation", () => {
  const q = parseSiteListQuery(
    { page: "2", per_page: "5", with_tags: "no", full_data: "YES" },
    LIST_DEFAULTS,
  );
  assertEquals([q.page, q.perPage, q.withTags, q.fullData], [2, 5, false, true]);
  assertEquals(parseSiteListQuery({ per_page: "5" }, LIST_DEFAULTS).page, null);
  assertEquals(parseSiteListQuery({ paged: "3", per_page: "5" }, LIST_DEFAULTS).page, 3);
  assertEquals(parseSiteListQuery({ page: "0", per_page: "5" }, LIST_DEFAULTS).page, null);
  assertEquals(parseSiteListQuery({ page: "1", per_page: "-1" }, LIST_DEFAULTS).page, null);
  assertEquals(parseSiteListQuery({ include: "3, 5,x", exclude: ["7"] }, LIST_DEFAULTS).include, [3, 5]);
  assertEquals(parseSiteListQuery({ status: "bogus,connected" }, LIST_DEFAULTS).status, ["connected"]);
  assertEquals(parseSiteListQuery({ status: ["suspended"] }, LIST_DEFAULTS).status, ["suspended"]);
  assertEquals(parseSiteListQuery({ status: "" }, LIST_DEFAULTS).status, []);
  const err = assertThrows(() => parseSiteListQuery({ status: "unsuspended" }, LIST_DEFAULTS));
  assertInstanceOf(err, RestError);
  assertEquals([err.code, err.status], ["mainwp_rest_invalid_param", 400]);
  assertEquals(parseSiteListQuery({ custom_fields: "a, b" }, LIST_DEFAULTS).customFields, ["a", "b"]);
});

Deno.test("PHP helpers: intval, !empty", () => {
  assertEquals([phpIntval("12abc"), phpIntval(" -3"), phpIntval("x"), phpIntval(4.9), phpIntval(true)], [
    12,
    -3,
    0,
    4,
    1,
  ]);
  assertEquals([!isPhpEmpty("0"), !isPhpEmpty(""), !isPhpEmpty([]), !isPhpEmpty("0.0"), !isPhpEmpty(["a"])], [
    false,
    false,
    false,
    true,
    true,
  ]);
});

Deno.test("siteViewsByIds: URL order, staging and unknown ids left out, blanks and fields", async () => {
  const t = await testApp();
  await createSite(t.ctx.kv, { url: "https://z.example", name: "Z", ip: "1.2.3.4" });
  await createSite(t.ctx.kv, { url: "https://a.example", name: "A" });
  await createSite(t.ctx.kv, { url: "https://s.example", name: "S", is_staging: 1 });
  const views = await siteViewsByIds(t.ctx, [1, 2, 3, 99, 1]);
  assertEquals(views.map((v) => v.name), ["A", "Z"]);
  const blanked = await siteViewsByIds(t.ctx, [1], { blank: ["ip", "tags"], fields: ["ip", "tags", "name"] });
  assertEquals(blanked, [{ id: "1", name: "Z", tags: "", ip: "" }]);
  assertEquals(await siteViewsByIds(t.ctx, []), []);
  await t.close();
});
