import { assert, assertEquals, assertMatch } from "@std/assert";
import { decryptPrivateKey } from "../../child/keys.ts";
import { createClient } from "../../store/clients.ts";
import { createSite, getSite, getSiteSync } from "../../store/sites.ts";
import { listTags } from "../../store/tags.ts";
import { SECURITY_CHECK_NAMES } from "../../sim/catalog.ts";
import { siteApp, TEST_SECRET, V2 } from "./_site_fixtures.ts";

const mini = (id: number, url: string, name = `Sim ${id}`) => ({ id: String(id), name, url, client_id: "0" });

/** The order of a bulk answer's keys as sent (JSON.parse would sort integer-like keys). */
const keyOrder = (raw: string) => [...raw.matchAll(/[{,]"(\d+)":\{"result"/g)].map((m) => m[1]);

Deno.test("POST /sites/add: register handshake, stored keys and first sync, hooks, exact answer", async () => {
  const env = await siteApp(2);
  const { t, sim, token } = env;
  try {
    const seen: unknown[][] = [];
    t.ctx.hooks.addAction("mainwp_site_added", (...args: unknown[]) => void seen.push(["added", ...args]));
    t.ctx.hooks.addAction("mainwp_added_new_site", (...args: unknown[]) => void seen.push(["new", ...args]));
    await t.call("POST", `${V2}/tags/add`, { token, json: { name: "Existing" } });
    const client = await createClient(t.ctx.kv, { name: "ACME" });
    assert("client" in client);
    const res = await t.call("POST", `${V2}/sites/add`, {
      token,
      json: {
        url: sim.url(1),
        name: "Shop",
        admin: "admin",
        adminpassword: "admin-password",
        groupids: "1,Production,99",
        client_id: client.client.client_id,
      },
    });
    assertEquals(res.status, 200);
    assertEquals(res.body, {
      success: 1,
      data: { id: "1", name: "Shop", url: sim.url(1), client_id: String(client.client.client_id) },
      message: "Site successfully added - Visit the Site&#039;s Dashboard now.",
    });
    assert(res.text.includes("Site&#039;s Dashboard"), "the message arrives HTML-escaped");

    const site = await getSite(t.ctx.kv, 1);
    assert(site);
    assertEquals([site.adminname, site.verify_certificate, site.sync_errors], ["admin", 1, ""]);
    assert(site.pubkey.startsWith("-----BEGIN PUBLIC KEY-----"));
    assert(site.privkey.startsWith("fpk1.") && !site.privkey.includes("PRIVATE KEY"), "encrypted at rest");
    assert((await decryptPrivateKey(site.privkey, TEST_SECRET)).startsWith("-----BEGIN PRIVATE KEY-----"));
    assert(site.dtsSync > 0, "the register reply is the first sync");
    const sync = await getSiteSync(t.ctx.kv, 1);
    assertMatch(sync?.options?.register_verify_key ?? "", /^[0-9a-f]{40}-[0-9a-f]{40}$/);
    assert(sync?.plugins?.startsWith("[{"));
    // Tags: id 1 linked, "Production" created, unknown id 99 dropped.
    assertEquals((await listTags(t.ctx.kv)).map((tag) => tag.name), ["Existing", "Production"]);
    assertEquals(site.tag_ids, [1, 2]);
    const view = (await t.call("GET", `${V2}/sites/1`, { token })).body.data;
    assertEquals(view.tags, { 1: "Existing", 2: "Production" });
    assert(view.wp_version !== "" && view.child_version !== "");

    assertEquals(seen.map((s) => s[0]), ["added", "new"]);
    assertEquals((seen[0][1] as { id: number }).id, 1);
    const reply = seen[0][2] as Record<string, unknown>;
    assertEquals([reply.register, "regverify" in reply], ["OK", false]);
    assertEquals(seen[1][1], 1);

    // `_fields` applies to the site object; the envelope stays.
    const second = await t.call("POST", `${V2}/sites/add?_fields=name`, {
      token,
      form: { url: sim.url(2), admin: "admin", adminpassword: "admin-password" },
    });
    assertEquals(second.body.data, { id: "2", name: sim.url(2).replace("http://", "").replace(/\/$/, "") });
  } finally {
    await env.close();
  }
});

Deno.test("POST /sites/add: soft errors — known address, child refusals, refused URLs, bad input", async () => {
  const env = await siteApp(2, { add: [1] });
  const { t, sim, token } = env;
  const add = (json: Record<string, unknown>) => t.call("POST", `${V2}/sites/add`, { token, json });
  try {
    assertEquals((await add({ url: sim.url(1).replace("http://", "https://www.") + "/" })).body, {
      success: 0,
      error: "The site is already connected to your MainWP Dashboard",
      found_id: "1",
    });
    const wrong = await add({ url: sim.url(2), admin: "admin", adminpassword: "nope" });
    assertEquals(wrong.body.success, 0);
    assertMatch(wrong.body.error, /password/i);
    const notChild = await add({
      url: sim.url(2).replace("site-2", "site-99"),
      admin: "a",
      adminpassword: "b",
    });
    assertEquals(
      notChild.body.error,
      "MainWP Child plugin not detected or could not be reached! Ensure the MainWP Child plugin is installed and activated on the child site, and there are no security rules blocking requests.  If you continue experiencing this issue, check the MainWP Community for help.",
    );
    assertMatch((await add({ url: "http://127.0.0.1:9/", admin: "a" })).body.error, /^HTTP error - /);
    assertEquals((await add({ url: "http://169.254.169.254/latest/" })).body, {
      success: 0,
      error:
        "The site URL http://169.254.169.254/latest/ is not allowed: 169.254.169.254 is a link-local address.",
    });
    assertMatch((await add({ url: "http://[fe80::1]/" })).body.error, /fe80::1 is a link-local address/);
    assertMatch(
      (await add({ url: "ftp://127.0.0.1/" })).body.error,
      /only http and https are supported, not ftp/,
    );
    assertEquals((await add({ url: "" })).body, { success: 0, error: "Add site failed. Please try again." });
    const before = sim.calls(2).register ?? 0;
    assertEquals((await add({ url: sim.url(2), admin: "admin", adminpassword: "x", client_id: 42 })).body, {
      success: 0,
      error: "Invalid or not found client ID.",
    });
    assertEquals(
      sim.calls(2).register ?? 0,
      before,
      "an unknown client is refused before the child is asked",
    );
    const badType = await add({ url: sim.url(2), client_id: "x" });
    assertEquals([badType.status, badType.body.code], [400, "rest_invalid_param"]);
    assertEquals((await t.call("GET", `${V2}/sites/add`, { token })).body.code, "rest_no_route");
    assertEquals((await t.call("GET", `${V2}/sites/count`, { token })).body, { count: 1 });
    assertEquals(await listTags(t.ctx.kv), []);
    // The pre-insert filter sees MainWP's field names and may change them.
    t.ctx.hooks.addFilter("mainwp_rest_pre_insert_site_item", (item: Record<string, unknown>) => ({
      ...item,
      name: `${item.name} (filtered)`,
    }));
    const filtered = await add({
      url: sim.url(2),
      name: "Two",
      admin: "admin",
      adminpassword: "admin-password",
    });
    assertEquals(filtered.body.data.name, "Two (filtered)");
  } finally {
    await env.close();
  }
});

Deno.test("sync: one site answers its view; a failed sync answers data [] and records the error", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, sim, token } = env;
  try {
    const one = await t.call("POST", `${V2}/sites/1/sync`, { token });
    const view = (await t.call("GET", `${V2}/sites/1`, { token })).body.data;
    assertEquals(one.body, { success: 1, data: view });
    assertEquals((await t.call("PUT", `${V2}/sites/1/sync?_fields=name`, { token })).body, {
      success: 1,
      data: { id: "1", name: "Sim 1" },
    });
    sim.site(2).controls.offline = true;
    assertEquals((await t.call("POST", `${V2}/sites/2/sync`, { token })).body, { success: 0, data: [] });
    assert((await getSite(t.ctx.kv, 2))?.sync_errors !== "");
    assertEquals(
      (await t.call("POST", `${V2}/sites/99/sync`, { token })).body.code,
      "mainwp_rest_invalid_site_id",
    );
  } finally {
    await env.close();
  }
});

Deno.test("POST /sites/sync: all sites when include is absent, include/exclude, keyed by id, _fields per site", async () => {
  const env = await siteApp(4, { add: [3, 1, 2], sim: { latencyMs: 100 } });
  const { t, sim, token } = env;
  try {
    sim.resetMetrics();
    const started = performance.now();
    const all = await t.call("POST", `${V2}/sites/sync`, { token });
    const elapsed = performance.now() - started;
    // Keys in URL order (site-1, site-2, site-3 → ids 2, 3, 1), MainWP's legacy keyed shape.
    assertEquals(keyOrder(all.text), ["2", "3", "1"]);
    assertEquals(all.body.total, 3);
    const views = (await t.call("GET", `${V2}/sites`, { token })).body.data;
    for (const v of views) assertEquals(all.body.data[v.id], { result: "success", ...v });
    assert(sim.metrics().maxInFlight >= 2, "the sites are synced concurrently");
    assert(elapsed < 3 * 100 + 250, `concurrent, not one after another (${elapsed.toFixed(0)} ms)`);

    const some = await t.call("POST", `${V2}/sites/sync?_fields=url`, {
      token,
      form: { include: "1,2,3", exclude: "2" },
    });
    assertEquals(keyOrder(some.text), ["3", "1"]);
    assertEquals(some.body, {
      total: 2,
      data: {
        3: { result: "success", id: "3", url: sim.url(2) },
        1: { result: "success", id: "1", url: sim.url(3) },
      },
    });
    assertEquals((await t.call("PATCH", `${V2}/sites/sync`, { token, json: { include: [77] } })).body, {
      total: 1,
      data: { 77: { result: "failed" } },
    });
  } finally {
    await env.close();
  }
});

Deno.test("check: one site and bulk store offline_check_result, http_response_code and the check time", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, sim, token } = env;
  try {
    const one = await t.call("POST", `${V2}/sites/1/check`, { token });
    assertEquals(one.body, { success: 1, data: { ...mini(1, sim.url(1)), status: 1, http_code: 200 } });
    const stored = await getSite(t.ctx.kv, 1);
    assertEquals([stored?.offline_check_result, stored?.http_response_code], [1, 200]);
    assert((stored?.offline_checks_last ?? 0) > 0);
    // The check is not the child protocol: an unsigned POST test=yes to the site URL.
    assertEquals(sim.calls(1)["#page"], 1);

    sim.site(2).controls.offline = true;
    assertEquals(
      (await t.call("POST", `${V2}/sites/2/check?_fields=name,status,http_code`, { token })).body,
      {
        success: 1,
        data: { id: "2", name: "Sim 2", status: 0, http_code: 503 },
      },
    );
    assertEquals((await getSite(t.ctx.kv, 2))?.offline_check_result, -1);

    const bulk = await t.call("POST", `${V2}/sites/check`, { token });
    assertEquals(bulk.body.total, 2);
    assertEquals(bulk.body.data["1"].result, "success");
    assertEquals(bulk.body.data["2"].result, "success", "the check ran; the site's answer is in http_status");
    assertEquals(bulk.body.data["2"].http_status, "503 - Service Unavailable");
    assertEquals([bulk.body.data["1"].tags, bulk.body.data["1"].icon], ["", "uploaded:;selected:;color:"]);

    // A stored URL the connector may not contact: nothing is checked, nothing stored.
    const created = await createSite(t.ctx.kv, { url: "http://169.254.169.254/", name: "Meta" });
    assert("site" in created);
    const refused = await t.call("POST", `${V2}/sites/${created.site.id}/check`, { token });
    assertEquals(refused.body.success, 0);
    assertMatch(refused.body.error, /link-local/);
    assertEquals((await getSite(t.ctx.kv, created.site.id))?.offline_checks_last, undefined);
    const badType = await t.call("POST", `${V2}/sites/1/check`, { token, json: { suspended: 5 } });
    assertEquals([badType.status, badType.body.code], [400, "rest_invalid_param"]);
  } finally {
    await env.close();
  }
});

Deno.test("reconnect: sync first, else re-register with the stored verify key; bulk only the disconnected", async () => {
  const env = await siteApp(3, { add: [1, 2, 3] });
  const { t, sim, token } = env;
  try {
    const events: unknown[] = [];
    t.ctx.hooks.addAction("mainwp_site_reconnected", (_s: unknown, ok: boolean, error: string) => {
      events.push([ok, error]);
    });
    assertEquals((await t.call("POST", `${V2}/sites/1/reconnect`, { token })).body, {
      success: 1,
      data: mini(1, sim.url(1)),
    });
    // The child forgets this Dashboard: syncs fail, a re-register with the verify key (no password) works.
    await t.call("POST", `${V2}/sites/2/disconnect`, { token });
    assertEquals((await t.call("POST", `${V2}/sites/2/sync`, { token })).body.success, 0);
    const oldKey = (await getSite(t.ctx.kv, 2))?.pubkey;
    const registers = sim.calls(2).register ?? 0;
    sim.site(3).controls.offline = true;
    await t.call("POST", `${V2}/sites/3/sync`, { token });
    const bulk = await t.call("POST", `${V2}/sites/reconnect`, { token });
    assertEquals(
      bulk.body,
      { total: 2, data: { 2: "success", 3: "failed" } },
      "site 1 is connected: left alone",
    );
    assertEquals(sim.calls(2).register, registers + 1);
    const site2 = await getSite(t.ctx.kv, 2);
    assertEquals(site2?.sync_errors, "");
    assert(site2?.pubkey !== oldKey, "a fresh key pair");
    assertEquals((await t.call("POST", `${V2}/sites/2/sync`, { token })).body.success, 1);

    const failed = await t.call("POST", `${V2}/sites/3/reconnect`, { token });
    assertEquals([failed.status, failed.body.code, failed.body.data], [
      500,
      "mainwp_rest_reconnect_site_error",
      null,
    ]);
    assertMatch(failed.body.message, /^Reconnect Site "3" error:: MainWP Child plugin not detected/);
    assert(events.some((e) => (e as unknown[])[0] === false));
    assertEquals((await t.call("POST", `${V2}/sites/9/reconnect`, { token })).status, 404);
  } finally {
    await env.close();
  }
});

Deno.test("disconnect: one site (child answer, child error, unreachable child) and bulk", async () => {
  const env = await siteApp(3, { add: [1, 2, 3] });
  const { t, sim, token } = env;
  try {
    assertEquals((await t.call("POST", `${V2}/sites/1/disconnect`, { token })).body, {
      success: 1,
      data: mini(1, sim.url(1)),
    });
    assertEquals((await t.call("POST", `${V2}/sites/1/disconnect`, { token })).body, {
      success: 0,
      data: mini(1, sim.url(1)),
      error: "Authentication failed! Please deactivate and re-activate the MainWP Child plugin on this site.",
    });
    sim.site(3).controls.offline = true;
    const down = await t.call("POST", `${V2}/sites/3/disconnect`, { token });
    assertEquals([down.status, down.body.code, down.body.data], [
      500,
      "mainwp_rest_disconnect_site_error",
      null,
    ]);
    assertMatch(down.body.message, /^Disconnect Site "3" error:: /);
    const bulk = await t.call("POST", `${V2}/sites/disconnect`, { token });
    assertEquals(bulk.body, { total: 3, data: { 1: "failed", 2: "success", 3: "failed" } });
  } finally {
    await env.close();
  }
});

Deno.test("GET /sites/{id}/security: the child's checks with fetch_url_output; errors per MainWP", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, sim, token } = env;
  try {
    const res = await t.call("GET", `${V2}/sites/1/security`, { token });
    assertEquals(Object.keys(res.body), ["data", "site"]);
    assertEquals(res.body.site, mini(1, sim.url(1)));
    assertEquals(Object.keys(res.body.data).sort(), [...SECURITY_CHECK_NAMES, "fetch_url_output"].sort());
    assert(Object.values(res.body.data).slice(0, -1).every((v) => v === "Y" || v === "N"));
    assertEquals(res.body.data.fetch_url_output, { http_status: 200, connection_step: "verify_credentials" });
    sim.site(2).controls.offline = true;
    const down = await t.call("GET", `${V2}/sites/2/security`, { token });
    assertEquals([down.status, down.body.code], [404, "mainwp_rest_get_secure_site_error"]);
    sim.site(2).controls.offline = false;
    await t.call("POST", `${V2}/sites/2/disconnect`, { token });
    const refused = await t.call("GET", `${V2}/sites/2/security`, { token });
    assertEquals(refused.body.data, {
      error: "Authentication failed! Please deactivate and re-activate the MainWP Child plugin on this site.",
      fetch_url_output: { http_status: 200, connection_step: "verify_credentials" },
    });
  } finally {
    await env.close();
  }
});

Deno.test("DELETE /sites/{id}/remove deactivates the child; the site goes whatever the child answers", async () => {
  const env = await siteApp(3, { add: [1, 2, 3] });
  const { t, sim, token } = env;
  try {
    assertEquals((await t.call("DELETE", `${V2}/sites/1/remove`, { token })).body, {
      success: 1,
      message: "The site has been removed and the MainWP Child plugin has been disabled.",
      data: mini(1, sim.url(1)),
    });
    assertEquals(await getSite(t.ctx.kv, 1), null);
    assertEquals(await getSiteSync(t.ctx.kv, 1), null);
    // Deactivated: adding it again fails until the plugin is reactivated; a re-added site gets a new id.
    const again = await t.call("POST", `${V2}/sites/add`, {
      token,
      json: { url: sim.url(1), admin: "admin", adminpassword: "admin-password" },
    });
    assertMatch(again.body.error, /^MainWP Child plugin not detected/);
    sim.site(1).reactivate();
    assertEquals(await env.add(1), 4);

    // The child already forgot this Dashboard: its error, no message, removed all the same.
    await t.call("POST", `${V2}/sites/2/disconnect`, { token });
    assertEquals((await t.call("DELETE", `${V2}/sites/2/remove`, { token })).body, {
      success: 0,
      error: "Authentication failed! Please deactivate and re-activate the MainWP Child plugin on this site.",
      data: mini(2, sim.url(2)),
    });
    assertEquals(await getSite(t.ctx.kv, 2), null);

    // An unreachable child: removed, with MainWP's "make sure" message.
    sim.site(3).controls.offline = true;
    assertEquals((await t.call("DELETE", `${V2}/sites/3/remove`, { token })).body, {
      success: 1,
      message:
        "The site has been removed. Please make sure that the MainWP Child plugin has been deactivated properly.",
      data: mini(3, sim.url(3)),
    });
    assertEquals(await getSite(t.ctx.kv, 3), null);
  } finally {
    await env.close();
  }
});

Deno.test("the child-site routes sit in the spec's table order among the sites routes", async () => {
  const env = await siteApp(1);
  try {
    const order = env.t.ctx.rest.routes("mainwp/v2").map((r) => r.pattern.replace("/mainwp/v2", ""))
      .filter((p) => p.startsWith("/sites") && p !== "/sites/batch")
      .map((p) =>
        p.replace(/\(\?P<id_domain>[^)]*\)\$?/, "{id}").replace(/\{id\}.*\.\[A-Za-z\]\{2,6\}\$\)/, "{domain}")
      );
    assertEquals(order.slice(0, 11), [
      "/sites",
      "/sites/basic",
      "/sites/count",
      "/sites/sync",
      "/sites/reconnect",
      "/sites/disconnect",
      "/sites/check",
      "/sites/{id}",
      order[8],
      "/sites/add",
      "/sites/{id}/edit",
    ]);
    assertEquals(order.slice(11), [
      "/sites/{id}/sync",
      "/sites/{id}/security",
      "/sites/{id}/plugins",
      "/sites/{id}/plugins/activate",
      "/sites/{id}/plugins/deactivate",
      "/sites/{id}/plugins/delete",
      "/sites/{id}/plugins/abandoned",
      "/sites/{id}/themes",
      "/sites/{id}/themes/activate",
      "/sites/{id}/themes/delete",
      "/sites/{id}/themes/abandoned",
      "/sites/{id}/non-mainwp-changes",
      "/sites/{id}/reconnect",
      "/sites/{id}/disconnect",
      "/sites/{id}/suspend",
      "/sites/{id}/unsuspend",
      "/sites/{id}/check",
      "/sites/{id}/remove",
      "/sites/{id}/client",
      "/sites/{id}/costs",
    ]);
  } finally {
    await env.close();
  }
});
