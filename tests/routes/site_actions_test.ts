import { assert, assertEquals, assertMatch } from "@std/assert";
import { simulatedApp, type TestApp } from "../helpers.ts";
import { getSite, getSiteSync } from "../../store/sites.ts";

const V2 = "/wp-json/mainwp/v2";

const setup = (count: number) => simulatedApp(count);

async function add(t: TestApp, token: string, url: string, extra: Record<string, unknown> = {}) {
  return await t.call("POST", `${V2}/sites/add`, {
    token,
    json: { url, name: "Sim", admin: "admin", adminpassword: "admin-password", ...extra },
  });
}

Deno.test("POST /sites/add registers with the child, stores the first sync, refuses duplicates", async () => {
  const { t, sim, token, close } = await setup(2);
  try {
    const res = await add(t, token, sim.url(1), { groupids: "Production", client_id: 0 });
    assertEquals(res.status, 200);
    assertEquals(res.body, {
      success: 1,
      data: { id: "1", name: "Sim", url: sim.url(1), client_id: "0" },
      message: "Site successfully added - Visit the Site&#039;s Dashboard now.",
    });
    assert(res.text.includes("Site&#039;s"));
    const site = await getSite(t.ctx.kv, 1);
    assert(site?.privkey.startsWith("fpk1."), "private key encrypted at rest");
    assertEquals(site?.privkey.includes("PRIVATE KEY"), false);
    assert((await getSiteSync(t.ctx.kv, 1))?.plugins?.startsWith("["));
    const view = await t.call("GET", `${V2}/sites/1`, { token });
    assertEquals(Object.values(view.body.data.tags), ["Production"]);
    assert(view.body.data.wp_version !== "");
    const again = await add(t, token, sim.url(1).replace("http://", "https://"));
    assertEquals(again.body, {
      success: 0,
      error: "The site is already connected to your MainWP Dashboard",
      found_id: "1",
    });
    const wrongPassword = await add(t, token, sim.url(2), { adminpassword: "nope" });
    assertEquals(wrongPassword.body.success, 0);
    assert(typeof wrongPassword.body.error === "string" && wrongPassword.body.error.length > 0);
    const refused = await add(t, token, "http://127.0.0.1:9/");
    assertEquals(refused.body.success, 0);
    const metadata = await add(t, token, "http://169.254.169.254/");
    assertEquals(metadata.body.success, 0);
    const ftp = await add(t, token, "ftp://127.0.0.1/");
    assertEquals(ftp.body.success, 0);
    assertEquals((await t.call("GET", `${V2}/sites/count`, { token })).body, { count: 1 });
    const badType = await t.call("POST", `${V2}/sites/add`, {
      token,
      json: { url: sim.url(2), client_id: "x" },
    });
    assertEquals([badType.status, badType.body.code], [400, "rest_invalid_param"]);
  } finally {
    await close();
  }
});

Deno.test("sync: one site, and in bulk a bad site fails only its own item while stored data stays", async () => {
  const { t, sim, token, close } = await setup(4);
  try {
    for (const i of [1, 2, 3, 4]) assertEquals((await add(t, token, sim.url(i))).body.success, 1);
    const one = await t.call("POST", `${V2}/sites/1/sync`, { token });
    assertEquals(one.body.success, 1);
    assertEquals(one.body.data.id, "1");
    const before = await getSiteSync(t.ctx.kv, 3);
    sim.site(2).controls.offline = true;
    sim.site(3).controls.garbage = "invalid-json";
    sim.site(4).controls.latencyMs = 3000; // past the 1.5 s time limit
    const bulk = await t.call("POST", `${V2}/sites/sync`, { token });
    assertEquals(bulk.body.total, 4);
    assertEquals(Object.keys(bulk.body.data), ["1", "2", "3", "4"]);
    assertEquals(
      ["1", "2", "3", "4"].map((id) => bulk.body.data[id].result),
      ["success", "failed", "failed", "failed"],
    );
    assertEquals(bulk.body.data["2"].status, "disconnected");
    assert(bulk.body.data["2"].sync_errors !== "");
    assertEquals(await getSiteSync(t.ctx.kv, 3), before);
    const subset = await t.call("POST", `${V2}/sites/sync`, { token, json: { include: [1], exclude: "2" } });
    assertEquals(Object.keys(subset.body.data), ["1"]);
    const failedOne = await t.call("POST", `${V2}/sites/2/sync`, { token });
    assertEquals(failedOne.body, { success: 0, data: [] });
    assertEquals((await t.call("POST", `${V2}/sites/99/sync`, { token })).status, 404);
  } finally {
    await close();
  }
});

Deno.test("check: one and bulk store the uptime result", async () => {
  const { t, sim, token, close } = await setup(2);
  try {
    for (const i of [1, 2]) await add(t, token, sim.url(i));
    const one = await t.call("POST", `${V2}/sites/1/check`, { token });
    assertEquals(one.body, {
      success: 1,
      data: { id: "1", name: "Sim", url: sim.url(1), client_id: "0", status: 1, http_code: 200 },
    });
    sim.site(2).controls.offline = true;
    const bulk = await t.call("POST", `${V2}/sites/check`, { token });
    assertEquals([bulk.body.data["1"].result, bulk.body.data["2"].result], ["success", "failed"]);
    assertEquals((await getSite(t.ctx.kv, 2))?.offline_check_result, -1);
    assertEquals((await getSite(t.ctx.kv, 1))?.http_response_code, 200);
  } finally {
    await close();
  }
});

Deno.test("plugins and themes: lists from stored data, actions through the child, visible on the next read", async () => {
  const { t, sim, token, close } = await setup(1);
  try {
    await add(t, token, sim.url(1));
    const plugins = await t.call("GET", `${V2}/sites/1/plugins`, { token });
    assertEquals(plugins.body.success, 1);
    assertEquals(plugins.body.site.id, "1");
    assert(plugins.body.total > 0);
    const inactive = plugins.body.data.find((p: { active: number; slug: string }) =>
      Number(p.active) === 0 && !p.slug.includes("mainwp-child")
    );
    assert(inactive, "the simulator has an inactive plugin");
    const activated = await t.call("POST", `${V2}/sites/1/plugins/activate`, {
      token,
      json: { slug: inactive.slug },
    });
    assertEquals(activated.body.success, 1);
    assertEquals(activated.body.data[0].slug, inactive.slug);
    const after = await t.call("GET", `${V2}/sites/1/plugins?status[]=active`, { token });
    assert(after.body.data.some((p: { slug: string }) => p.slug === inactive.slug));
    const empty = await t.call("POST", `${V2}/sites/1/plugins/activate`, { token, json: {} });
    assertEquals([empty.status, empty.body.code], [400, "mainwp_rest_invalid_plugins_slugs"]);
    const deleted = await t.call(
      "DELETE",
      `${V2}/sites/1/plugins/delete?slug=${encodeURIComponent(inactive.slug)}`,
      { token },
    );
    assertEquals(deleted.body.success, 1);
    const gone = await t.call("GET", `${V2}/sites/1/plugins?search=${encodeURIComponent(inactive.name)}`, {
      token,
    });
    assertEquals(gone.body.data.some((p: { slug: string }) => p.slug === inactive.slug), false);

    const themes = await t.call("GET", `${V2}/sites/1/themes`, { token });
    const other = themes.body.data.find((th: { active: number }) => Number(th.active) === 0);
    assert(other, "the simulator has an inactive theme");
    const switched = await t.call("POST", `${V2}/sites/1/themes/activate`, {
      token,
      json: { slug: other.slug },
    });
    assertEquals(switched.body.success, 1);
    assertEquals(switched.body.data.activate.slug, other.slug);
    assert(switched.body.data.deactivate);
    const view = await t.call("GET", `${V2}/sites/1`, { token });
    assertMatch(
      view.body.data.active_theme,
      new RegExp(`^${other.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `),
    );
    const active = await t.call("DELETE", `${V2}/sites/1/themes/delete?slug=${other.slug}`, { token });
    assertEquals(active.body, {
      success: 0,
      data: { error: `The theme ${other.slug} is active.` },
      site: view.body.data && plugins.body.site,
    });
    assertEquals((await t.call("GET", `${V2}/sites/1/plugins/abandoned`, { token })).body.success, 1);
    assertEquals((await t.call("GET", `${V2}/sites/1/themes/abandoned`, { token })).body.site.id, "1");
  } finally {
    await close();
  }
});

Deno.test("security, disconnect, reconnect, non-mainwp-changes and remove (which deactivates the child)", async () => {
  const { t, sim, token, close } = await setup(2);
  try {
    for (const i of [1, 2]) await add(t, token, sim.url(i));
    const security = await t.call("GET", `${V2}/sites/1/security`, { token });
    assertEquals(security.body.site.id, "1");
    assertEquals(security.body.data.fetch_url_output, {
      http_status: 200,
      connection_step: "verify_credentials",
    });
    assertEquals((await t.call("GET", `${V2}/sites/1/non-mainwp-changes`, { token })).body.total, 0);
    sim.site(2).controls.offline = true;
    await t.call("POST", `${V2}/sites/2/sync`, { token });
    sim.site(2).controls.offline = false;
    const reconnect = await t.call("POST", `${V2}/sites/reconnect`, { token });
    assertEquals(reconnect.body.data, { 1: "success", 2: "success" });
    assertEquals((await getSite(t.ctx.kv, 2))?.sync_errors, "");
    const disconnect = await t.call("POST", `${V2}/sites/2/disconnect`, { token });
    assertEquals(disconnect.body.success, 1);
    const removed = await t.call("DELETE", `${V2}/sites/1/remove`, { token });
    assertEquals(
      removed.body.message,
      "The site has been removed and the MainWP Child plugin has been disabled.",
    );
    assertEquals(await getSite(t.ctx.kv, 1), null);
    // The child was deactivated: adding it again fails until it is reactivated.
    assertEquals((await add(t, token, sim.url(1))).body.success, 0);
    sim.site(1).reactivate();
    assertEquals((await add(t, token, sim.url(1))).body.success, 1);
  } finally {
    await close();
  }
});
