/**
 * Every one of the 64 abilities refuses input its schema does not allow, with 400 and nothing changed:
 * a non-object input for all of them, and a field-level mistake for each.
 */
import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { abilityClient } from "./_helpers.ts";
import { createSite, listSiteEntries } from "../../store/sites.ts";
import { MAINWP_ABILITY_NAMES } from "../../abilities/mainwp/index.ts";

/** A field-level mistake per ability (a bad enum, a missing required field, a wrong type or range…). */
const FIELD_MISTAKES: Record<string, unknown> = {
  "list-sites-v1": { per_page: 0 },
  "get-site-v1": { include_stats: true },
  "sync-sites-v1": { exclude_ids: ["x"] },
  "get-site-plugins-v1": { site_id_or_domain: 1, status: "sleeping" },
  "get-site-themes-v1": { site_id_or_domain: 1, has_update: "maybe" },
  "add-site-v1": { url: "https://x.example", name: "x" },
  "update-site-v1": { site_id_or_domain: 1, suspended: 2 },
  "delete-site-v1": { site_id_or_domain: 1, confirm: "yes please" },
  "reconnect-site-v1": { site_id_or_domain: null },
  "disconnect-site-v1": {},
  "suspend-site-v1": { site_id_or_domain: [1] },
  "unsuspend-site-v1": {},
  "check-site-v1": { site_id_or_domain: { id: 1 } },
  "activate-site-plugins-v1": { site_id_or_domain: 1, plugins: [] },
  "deactivate-site-plugins-v1": { site_id_or_domain: 1 },
  "delete-site-plugins-v1": { site_id_or_domain: 1, plugins: [1] },
  "get-abandoned-plugins-v1": {},
  "activate-site-theme-v1": { site_id_or_domain: 1 },
  "delete-site-themes-v1": { site_id_or_domain: 1, themes: [] },
  "get-abandoned-themes-v1": { site_id_or_domain: [1] },
  "get-site-security-v1": {},
  "get-site-changes-v1": { site_id_or_domain: 1, per_page: 500 },
  "get-site-client-v1": {},
  "get-site-costs-v1": {},
  "count-sites-v1": { status: "sleeping" },
  "get-sites-basic-v1": { per_page: 0 },
  "reconnect-sites-v1": { site_ids_or_domains: [true] },
  "disconnect-sites-v1": { site_ids_or_domains: [null] },
  "check-sites-v1": { unknown: 1 },
  "suspend-sites-v1": { site_ids_or_domains: [{}] },
  "list-updates-v1": { types: ["everything"] },
  "run-updates-v1": { specific_items: [1] },
  "list-ignored-updates-v1": { types: ["translations"] },
  "set-ignored-updates-v1": { action: "ignore", site_id_or_domain: 1, type: "plugin" },
  "get-site-updates-v1": { site_id_or_domain: 1, types: ["wp"] },
  "update-site-core-v1": {},
  "update-site-plugins-v1": { site_id_or_domain: 1, slugs: [1] },
  "update-site-themes-v1": { site_id_or_domain: 1, extra: 1 },
  "update-site-translations-v1": {},
  "ignore-site-core-v1": { site_id_or_domain: 1, action: "toggle" },
  "ignore-site-plugins-v1": { site_id_or_domain: 1 },
  "ignore-site-themes-v1": { site_id_or_domain: 1, slugs: ["a"], action: "maybe" },
  "update-all-v1": { types: ["core", "all"] },
  "list-clients-v1": { per_page: 0 },
  "count-clients-v1": 5,
  "get-client-v1": {},
  "add-client-v1": { client_email: "a@b.example" },
  "update-client-v1": { name: "No id" },
  "delete-client-v1": { client_id_or_email: 1, dry_run: "perhaps" },
  "get-client-sites-v1": {},
  "count-client-sites-v1": { client_id_or_email: [1] },
  "get-client-costs-v1": {},
  "suspend-client-v1": {},
  "unsuspend-client-v1": { client_id_or_email: [] },
  "list-tags-v1": { per_page: 101 },
  "get-tag-v1": { tag_id: 0 },
  "add-tag-v1": { name: "Red", color: "red" },
  "update-tag-v1": { tag_id: 1, name: "" },
  "delete-tag-v1": {},
  "get-tag-sites-v1": { tag_id: -1 },
  "get-tag-clients-v1": { tag_id: 1, per_page: 0 },
  "get-batch-job-status-v1": { job_id: "backup_1" },
};

Deno.test("every ability answers 400 to input its schema refuses, and changes nothing", async () => {
  const t = await testApp();
  try {
    const a = await abilityClient(t);
    await createSite(t.ctx.kv, { url: "https://one.example", name: "One" });
    const before = JSON.stringify(await listSiteEntries(t.ctx.kv));
    const names = ["core/get-site-info", "core/get-environment-info", ...MAINWP_ABILITY_NAMES];
    assertEquals(names.length, 64);
    for (const name of names) {
      const notAnObject = await a.run(name, 42);
      assertEquals(notAnObject.status, 400, `${name} with input 42: ${notAnObject.text}`);
      const short = name.slice(name.indexOf("/") + 1);
      if (!name.startsWith("mainwp/")) continue;
      assertEquals(short in FIELD_MISTAKES, true, `no field mistake listed for ${name}`);
      const res = await a.run(name, FIELD_MISTAKES[short]);
      assertEquals([res.status, res.body.code], [400, "ability_invalid_input"], `${name}: ${res.text}`);
    }
    assertEquals(JSON.stringify(await listSiteEntries(t.ctx.kv)), before);
  } finally {
    await t.close();
  }
});
