import { assert, assertEquals } from "@std/assert";
import { simulatedApp, testApp } from "../helpers.ts";
import { abilityClient } from "./_helpers.ts";
import { createSite, getSite, getSiteSync, updateSite } from "../../store/sites.ts";

Deno.test("add-site-v1 registers with the child and answers the full site; bad input, duplicates, bad credentials", async () => {
  const env = await simulatedApp(2);
  const { t, sim } = env;
  try {
    const a = await abilityClient(t);
    const added = await a.run("mainwp/add-site-v1", {
      url: sim.url(1),
      name: "Sim One",
      admin_username: "admin",
      adminpassword: "admin-password",
    });
    assertEquals(added.status, 200, added.text);
    assertEquals([added.body.id, added.body.url, added.body.name, added.body.status], [
      1,
      sim.url(1),
      "Sim One",
      "connected",
    ]);
    assert(added.body.child_version !== "");
    const again = await a.run("mainwp/add-site-v1", { url: sim.url(1), name: "x", admin_username: "admin" });
    assertEquals([again.status, again.body.code], [409, "mainwp_site_already_exists"]);
    const blank = await a.run("mainwp/add-site-v1", { url: " ", name: "x", admin_username: "admin" });
    assertEquals([blank.status, blank.body.code], [400, "mainwp_invalid_input"]);
    const notUrl = await a.run("mainwp/add-site-v1", { url: "ftp://x", name: "x", admin_username: "admin" });
    assertEquals([notUrl.status, notUrl.body.code], [400, "mainwp_invalid_url"]);
    const alias = sim.url(1).replace("127.0.0.1", "localhost");
    const aliased = await a.run("mainwp/add-site-v1", { url: alias, name: "x", admin_username: "admin" });
    assertEquals([aliased.status, aliased.body.code], [409, "mainwp_site_already_exists"]);
    const query = await a.run("mainwp/add-site-v1", {
      url: `${sim.url(2)}?x=1`,
      name: "x",
      admin_username: "admin",
    });
    assertEquals([query.status, query.body.code], [400, "mainwp_invalid_url"]);
    const wrong = await a.run("mainwp/add-site-v1", {
      url: sim.url(2),
      name: "Two",
      admin_username: "admin",
      adminpassword: "wrong",
    });
    assertEquals(wrong.status >= 400, true);
    assert(
      ["mainwp_invalid_credentials", "mainwp_site_add_failed", "mainwp_connection_failed"].includes(
        wrong.body.code,
      ),
    );
    const missing = await a.run("mainwp/add-site-v1", { url: sim.url(2) });
    assertEquals([missing.status, missing.body.code], [400, "ability_invalid_input"]);
  } finally {
    await env.close();
  }
});

Deno.test("update-site-v1, suspend/unsuspend, disconnect and reconnect answer the full site; 404 from execute", async () => {
  const env = await simulatedApp(1, { add: true });
  const { t } = env;
  const suspended: unknown[] = [];
  t.ctx.hooks.addAction(
    "mainwp_site_suspended",
    (_site: unknown, value: unknown) => void suspended.push(value),
  );
  try {
    const a = await abilityClient(t);
    const tag = await t.call("POST", "/wp-json/mainwp/v2/tags/add", {
      token: env.token,
      json: { name: "VIP" },
    });
    const edited = await a.run("mainwp/update-site-v1", {
      site_id_or_domain: 1,
      name: "Renamed",
      tag_ids: [Number(tag.body.data.id)],
      verify_certificate: 0,
    });
    assertEquals([edited.status, edited.body.name], [200, "Renamed"]);
    const stored = await getSite(t.ctx.kv, 1);
    assertEquals([stored?.tag_ids, stored?.verify_certificate], [[Number(tag.body.data.id)], 0]);
    assertEquals((await a.run("mainwp/update-site-v1", { site_id_or_domain: 99, name: "x" })).status, 404);
    assertEquals((await a.run("mainwp/update-site-v1", { site_id_or_domain: 1, bogus: 1 })).status, 400);

    const s = await a.run("mainwp/suspend-site-v1", { site_id_or_domain: 1 });
    assertEquals([s.body.suspended, s.body.site.status], [true, "suspended"]);
    const u = await a.run("mainwp/unsuspend-site-v1", { site_id_or_domain: 1 });
    assertEquals([u.body.unsuspended, u.body.site.status], [true, "connected"]);
    assertEquals(suspended, [1, 0]);
    assertEquals((await a.run("mainwp/suspend-site-v1", {})).status, 400);

    const d = await a.run("mainwp/disconnect-site-v1", { site_id_or_domain: 1 });
    assertEquals([d.body.disconnected, d.body.site.status], [true, "disconnected"]);
    assertEquals((await getSite(t.ctx.kv, 1))?.sync_errors, "Manually disconnected");
    const r = await a.run("mainwp/reconnect-site-v1", { site_id_or_domain: 1 });
    assertEquals([r.status, r.body.reconnected, r.body.site.status], [200, true, "connected"]);
    assertEquals(
      (await a.run("mainwp/reconnect-site-v1", { site_id_or_domain: "nope.example" })).status,
      404,
    );
    assertEquals((await a.run("mainwp/disconnect-site-v1", { site_id_or_domain: true })).status, 400);
  } finally {
    await env.close();
  }
});

Deno.test("reconnect of an offline site is 503 mainwp_reconnect_failed; check-site-v1 online and offline", async () => {
  const env = await simulatedApp(1, { add: true });
  const { t, sim } = env;
  try {
    const a = await abilityClient(t);
    const ok = await a.run("mainwp/check-site-v1", { site_id_or_domain: 1 });
    assertEquals([ok.body.checked, ok.body.site_id, ok.body.status.online, ok.body.status.http_code], [
      true,
      1,
      true,
      200,
    ]);
    assertEquals(typeof ok.body.response_time, "number");
    sim.site(1).controls.offline = true;
    const off = await a.run("mainwp/check-site-v1", { site_id_or_domain: 1 });
    assertEquals([off.body.status.online, off.body.status.http_code], [false, 503]);
    assertEquals((await getSite(t.ctx.kv, 1))?.offline_check_result, -1);
    const failed = await a.run("mainwp/reconnect-site-v1", { site_id_or_domain: 1 });
    assertEquals([failed.status, failed.body.code], [503, "mainwp_reconnect_failed"]);
    assertEquals((await a.run("mainwp/check-site-v1", { site_id_or_domain: [] })).status, 400);
  } finally {
    await env.close();
  }
});

Deno.test("delete-site-v1: both flags, dry run, confirmation, deletion (the child is left alone)", async () => {
  const env = await simulatedApp(1, { add: true });
  const { t, sim } = env;
  try {
    const a = await abilityClient(t);
    const both = await a.run("mainwp/delete-site-v1", { site_id_or_domain: 1, confirm: true, dry_run: true });
    assertEquals([both.status, both.body.code], [400, "mainwp_invalid_input"]);
    const dry = await a.run("mainwp/delete-site-v1", { site_id_or_domain: 1, dry_run: true });
    assertEquals([dry.body.dry_run, dry.body.would_affect.id, dry.body.warnings.length], [true, 1, 4]);
    assert(await getSite(t.ctx.kv, 1));
    const unconfirmed = await a.run("mainwp/delete-site-v1", { site_id_or_domain: 1 });
    assertEquals([unconfirmed.status, unconfirmed.body.code], [400, "mainwp_confirmation_required"]);
    const done = await a.run("mainwp/delete-site-v1", { site_id_or_domain: 1, confirm: true });
    assertEquals(done.body, {
      dry_run: false,
      deleted: true,
      site: { id: 1, url: sim.url(1), name: done.body.site.name },
      would_affect: [],
      warnings: [],
    });
    assertEquals(await getSite(t.ctx.kv, 1), null);
    assertEquals(sim.calls(1).deactivate, undefined);
    assertEquals((await a.run("mainwp/delete-site-v1", { site_id_or_domain: 1, confirm: true })).status, 404);
    assertEquals((await a.run("mainwp/delete-site-v1", { confirm: true })).status, 400);
  } finally {
    await env.close();
  }
});

Deno.test("plugin and theme abilities: activate, deactivate, delete (dry run, confirm), activate theme; outdated child", async () => {
  const env = await simulatedApp(1, { add: true });
  const { t, sim } = env;
  try {
    const a = await abilityClient(t);
    const plugins = (await a.run("mainwp/get-site-plugins-v1", { site_id_or_domain: 1 })).body.plugins as {
      slug: string;
      active: boolean;
    }[];
    const inactive = plugins.find((p) => !p.active)!.slug;
    const active = plugins.find((p) => p.active)!.slug;
    const on = await a.run("mainwp/activate-site-plugins-v1", { site_id_or_domain: 1, plugins: [inactive] });
    assertEquals(on.body, {
      activated: [{
        slug: inactive,
        name: inactive,
        version: "",
        active: true,
        has_update: false,
        update_version: null,
      }],
      errors: [],
    });
    const off = await a.run("mainwp/deactivate-site-plugins-v1", {
      site_id_or_domain: 1,
      plugins: [inactive],
    });
    assertEquals(off.body.deactivated[0].active, false);
    assertEquals(
      (await a.run("mainwp/activate-site-plugins-v1", { site_id_or_domain: 1, plugins: [] })).status,
      400,
    );

    const dry = await a.run("mainwp/delete-site-plugins-v1", {
      site_id_or_domain: 1,
      plugins: [active],
      dry_run: true,
    });
    assertEquals([dry.body.dry_run, dry.body.count, dry.body.warnings], [true, 1, [
      `Plugin ${active} is currently active.`,
    ]]);
    const both = await a.run("mainwp/delete-site-plugins-v1", {
      site_id_or_domain: 1,
      plugins: [inactive],
      dry_run: true,
      confirm: true,
    });
    assertEquals(both.body.code, "mainwp_invalid_input");
    const unconfirmed = await a.run("mainwp/delete-site-plugins-v1", {
      site_id_or_domain: 1,
      plugins: [inactive],
    });
    assertEquals(unconfirmed.body.code, "mainwp_confirmation_required");
    const deleted = await a.run("mainwp/delete-site-plugins-v1", {
      site_id_or_domain: 1,
      plugins: [inactive],
      confirm: true,
    });
    assertEquals([deleted.body.dry_run, deleted.body.count, deleted.body.errors], [false, 1, []]);

    const themes = (await a.run("mainwp/get-site-themes-v1", { site_id_or_domain: 1 })).body;
    const other = (themes.themes as { slug: string }[]).find((x) => x.slug !== themes.active_theme)!.slug;
    const activated = await a.run("mainwp/activate-site-theme-v1", { site_id_or_domain: 1, theme: other });
    assertEquals([activated.body.activated, activated.body.theme.slug, activated.body.theme.active], [
      true,
      other,
      false,
    ]);
    assertEquals(
      (await a.run("mainwp/activate-site-theme-v1", { site_id_or_domain: 1, theme: " " })).body.code,
      "mainwp_invalid_input",
    );
    const themeDry = await a.run("mainwp/delete-site-themes-v1", {
      site_id_or_domain: 1,
      themes: [themes.active_theme],
      dry_run: true,
    });
    assertEquals(themeDry.body.would_affect[0].slug, themes.active_theme);
    const themeGone = await a.run("mainwp/delete-site-themes-v1", {
      site_id_or_domain: 1,
      themes: [themes.active_theme],
      confirm: true,
    });
    assertEquals(themeGone.body.dry_run, false);
    assertEquals((await a.run("mainwp/delete-site-themes-v1", { site_id_or_domain: 1 })).status, 400);

    sim.site(1).controls.childVersion = "3.9";
    await t.call("POST", "/wp-json/mainwp/v2/sites/1/sync", { token: env.token });
    const outdated = await a.run("mainwp/activate-site-plugins-v1", {
      site_id_or_domain: 1,
      plugins: [inactive],
    });
    assertEquals([outdated.status, outdated.body.code], [400, "mainwp_child_outdated"]);
  } finally {
    await env.close();
  }
});

Deno.test("batch site abilities run now below the threshold: sync, reconnect, disconnect, check, suspend", async () => {
  const env = await simulatedApp(3, { add: true });
  const { t, sim } = env;
  try {
    const a = await abilityClient(t);
    sim.site(2).controls.offline = true;
    await updateSite(t.ctx.kv, 3, (s) => ({ ...s, offline_check_result: -1 }));
    const sync = await a.run("mainwp/sync-sites-v1", {
      site_ids_or_domains: [1, 2, 3, 999],
      exclude_ids: [],
    });
    assertEquals(sync.body.queued, false);
    assertEquals(sync.body.synced.map((s: { id: number }) => s.id), [1]);
    assertEquals(sync.body.errors.map((e: { identifier: unknown; code: string }) => [e.identifier, e.code]), [
      [999, "mainwp_site_not_found"],
      [2, "mainwp_sync_failed"],
      [3, "mainwp_site_offline"],
    ]);
    assertEquals([sync.body.total_synced, sync.body.total_errors], [1, 3]);
    assertEquals((await a.run("mainwp/sync-sites-v1", { site_ids_or_domains: "x", bogus: 1 })).status, 400);
    await updateSite(t.ctx.kv, 3, (s) => ({ ...s, offline_check_result: 1 }));

    const check = await a.run("mainwp/check-sites-v1", { site_ids_or_domains: [1, 2] });
    assertEquals(check.body.checked.map((c: { status: { online: boolean } }) => c.status.online), [
      true,
      false,
    ]);
    assertEquals(check.body.total_checked, 2);
    const disconnect = await a.run("mainwp/disconnect-sites-v1", { site_ids_or_domains: [3] });
    assertEquals([disconnect.body.total_disconnected, disconnect.body.errors], [1, []]);
    const reconnect = await a.run("mainwp/reconnect-sites-v1", { site_ids_or_domains: [3, 2] });
    assertEquals(reconnect.body.reconnected.map((s: { id: number }) => s.id), [3]);
    assertEquals(reconnect.body.errors[0].identifier, sim.url(2));
    assertEquals(reconnect.body.errors[0].code, "mainwp_reconnect_failed");
    const suspend = await a.run("mainwp/suspend-sites-v1", { site_ids_or_domains: [1, "nope.example"] });
    assertEquals(suspend.body.suspended, [{
      id: 1,
      url: sim.url(1),
      name: suspend.body.suspended[0].name,
      suspended: 1,
    }]);
    assertEquals(suspend.body.errors[0].identifier, "nope.example");
    const none = await a.run("mainwp/check-sites-v1", { site_ids_or_domains: [404] });
    assertEquals([none.status, none.body.code, none.body.message], [
      404,
      "mainwp_site_not_found",
      "No valid sites found.",
    ]);
    assertEquals((await a.run("mainwp/suspend-sites-v1", { site_ids_or_domains: [true] })).status, 400);
  } finally {
    await env.close();
  }
});

Deno.test("site access filter: refused sites are 403 in execute and denied in batches", async () => {
  const t = await testApp();
  try {
    const a = await abilityClient(t);
    await createSite(t.ctx.kv, { url: "https://a.example" });
    await createSite(t.ctx.kv, { url: "https://b.example" });
    t.ctx.hooks.addFilter("mainwp_check_site_access", (ok: unknown, id: unknown) => ok && id !== 2);
    const one = await a.run("mainwp/suspend-site-v1", { site_id_or_domain: 2 });
    assertEquals([one.status, one.body.code], [403, "mainwp_access_denied"]);
    const many = await a.run("mainwp/suspend-sites-v1", { site_ids_or_domains: [1, 2] });
    assertEquals(many.body.errors.map((e: { code: string }) => e.code), ["mainwp_access_denied"]);
    assertEquals(many.body.total_suspended, 1);
    assertEquals(await getSiteSync(t.ctx.kv, 1), null);
  } finally {
    await t.close();
  }
});
