import { assertEquals } from "@std/assert";
import { defaultSite, type SiteRecord } from "../../../store/sites.ts";
import { applySiteEdit, parseGroupIds, validEmails } from "../../../core/sites/edit.ts";
import { parseSiteRef } from "../../../core/sites/resolve.ts";

const site = (input: Partial<SiteRecord> = {}): SiteRecord =>
  defaultSite(input.id ?? 1, { url: "https://shop.example", name: "Shop", ...input });

Deno.test("site refs: numeric is an id (PHP is_numeric/intval), else a domain", () => {
  assertEquals(parseSiteRef("12"), { by: "id", id: 12 });
  assertEquals(parseSiteRef("3.7"), { by: "id", id: 3 });
  assertEquals(parseSiteRef("1e2"), { by: "id", id: 100 });
  assertEquals(parseSiteRef("shop.example"), { by: "domain", domain: "shop.example" });
  assertEquals(parseSiteRef(undefined), { by: "domain", domain: "" });
});

Deno.test("applySiteEdit: MainWP's mapping rules and this project's deviations", () => {
  const links = { tagExists: (id: number) => id < 10, clientExists: (id: number) => id === 2 };
  const base = site({ client_id: 2, tag_ids: [1], ssl_version: 1, backup_before_upgrade: 2 });
  const same = applySiteEdit(base, {}, links);
  assertEquals(same, base);
  const next = applySiteEdit(base, {
    name: "",
    http_user: 0,
    sslversion: "0",
    suspended: "2",
    groupids: "3, 3,12,x,4",
    force_use_ipv4: "-1",
    backup_before_upgrade: "yes",
    protocol: "ftp",
  }, links) as SiteRecord;
  assertEquals([next.name, next.http_user, next.ssl_version, next.suspended], ["Shop", "", 1, 0]);
  assertEquals([next.tag_ids, next.force_use_ipv4, next.backup_before_upgrade, next.url], [
    [3, 4],
    0,
    1,
    "https://shop.example/",
  ]);
  assertEquals(next.client_id, 2);
  assertEquals(applySiteEdit(base, { client_id: 5 }, links), { refuse: "client" });
  assertEquals((applySiteEdit(base, { client_id: "-4" }, links) as SiteRecord).client_id, 0);
  assertEquals((applySiteEdit(base, { protocol: "http" }, links) as SiteRecord).url, "http://shop.example/");
  assertEquals(parseGroupIds([3, "4", 0, "x"]), [3, 4]);
  assertEquals(validEmails(["a@b.test", "bad"]), "a@b.test");
  assertEquals(validEmails(5), "");
});
