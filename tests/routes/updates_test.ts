import { assert, assertEquals } from "@std/assert";
import { simulatedApp } from "../helpers.ts";

const V2 = "/wp-json/mainwp/v2";

const setup = (count: number) => simulatedApp(count, { add: true });

Deno.test("GET /updates lists pending updates per site; type and search filter; not found is 404", async () => {
  const { t, token, close } = await setup(2);
  try {
    const all = await t.call("GET", `${V2}/updates`, { token });
    assertEquals(all.body.success, 1);
    assertEquals(Object.keys(all.body.data), ["1", "2"]);
    assertEquals(Object.keys(all.body.data["1"]), ["wp", "plugins", "themes", "translations"]);
    const plugins = await t.call("GET", `${V2}/updates/1?type=plugins`, { token });
    assertEquals(Object.keys(plugins.body.data), ["plugins"]);
    const slugs = Object.keys(plugins.body.data.plugins);
    assert(slugs.length > 0, "the simulator has pending plugin updates");
    const first = plugins.body.data.plugins[slugs[0]];
    assert(typeof first.Name === "string" && first.update?.new_version);
    const searched = await t.call(
      "GET",
      `${V2}/updates/1?type=plugins&search=${encodeURIComponent(first.Name)}`,
      { token },
    );
    assert(Object.keys(searched.body.data.plugins).includes(slugs[0]));
    assertEquals((await t.call("GET", `${V2}/updates/99`, { token })).status, 404);
    const badStatus = await t.call("GET", `${V2}/updates?status=nope`, { token });
    assertEquals([badStatus.status, badStatus.body.code], [400, "mainwp_rest_invalid_param"]);
  } finally {
    await close();
  }
});

Deno.test("updating plugins applies them on the child; the next GET no longer lists them", async () => {
  const { t, token, close } = await setup(1);
  try {
    const before = Object.keys(
      (await t.call("GET", `${V2}/updates/1?type=plugins`, { token })).body.data.plugins,
    );
    const res = await t.call("POST", `${V2}/updates/1/update/plugins`, { token, json: { slug: before[0] } });
    assertEquals(res.body.success, 1);
    assert(res.body.data[before[0]]?.success === 1);
    const after = Object.keys(
      (await t.call("GET", `${V2}/updates/1?type=plugins`, { token })).body.data.plugins,
    );
    assertEquals(after.includes(before[0]), false);
    assertEquals(after.length, before.length - 1);
    const none = await t.call("POST", `${V2}/updates/1/update/plugins`, { token, json: { slug: before[0] } });
    assertEquals(none.body, { success: 0, message: "No Plugins to update." });
    const core = await t.call("POST", `${V2}/updates/1/update/wp`, { token });
    assert(core.body.success === 1 || core.body.error === "An undefined error occured. Please try again.");
    const everything = await t.call("POST", `${V2}/updates/1/update`, { token });
    assertEquals(everything.body.message, "Batch updates for the site completed.");
    assertEquals(everything.body.site.id, "1");
    const left = (await t.call("GET", `${V2}/updates/1`, { token })).body.data;
    assertEquals([left.wp, left.plugins, left.themes, left.translations], [[], [], [], []]);
  } finally {
    await close();
  }
});

Deno.test("ignore flags and lists; suspended sites refuse updates", async () => {
  const { t, token, close } = await setup(1);
  try {
    const plugins = Object.keys(
      (await t.call("GET", `${V2}/updates/1?type=plugins`, { token })).body.data.plugins,
    );
    const ignore = await t.call("POST", `${V2}/updates/1/ignore/plugins`, {
      token,
      json: { slug: plugins[0] },
    });
    assertEquals(ignore.body.data, ["success"]);
    const ignored = await t.call("GET", `${V2}/updates/1/ignored?type=plugins`, { token });
    assertEquals(Object.keys(ignored.body.data.plugins), [plugins[0]]);
    assertEquals(ignored.body.data.plugins[plugins[0]].ignored_versions, ["all_versions"]);
    const listed = Object.keys(
      (await t.call("GET", `${V2}/updates/1?type=plugins`, { token })).body.data.plugins,
    );
    assertEquals(listed.includes(plugins[0]), false);
    assertEquals((await t.call("GET", `${V2}/updates/ignored`, { token })).body, { success: 1, data: [] });
    const all = await t.call("POST", `${V2}/updates/1/ignore/plugins`, { token });
    assertEquals(all.body.message, "Ignore update plugins per site successfully.");
    assertEquals(
      (await t.call("POST", `${V2}/updates/1/update/plugins`, { token })).body,
      { success: 0, message: "Plugins ignored updates per site." },
    );
    assertEquals(
      (await t.call("POST", `${V2}/updates/1/ignore/wp`, { token })).body.message,
      "Ignore core update successfully.",
    );
    assertEquals((await t.call("GET", `${V2}/updates/1?type=wp`, { token })).body.data.wp, []);
    await t.call("POST", `${V2}/sites/1/suspend`, { token });
    const suspended = await t.call("POST", `${V2}/updates/1/update`, { token });
    assertEquals([suspended.status, suspended.body.code], [400, "mainwp_rest_updates_site_error"]);
  } finally {
    await close();
  }
});

Deno.test("update everything: an offline site fails only its own part", async () => {
  const { t, sim, token, close } = await setup(2);
  try {
    sim.site(2).controls.offline = true;
    const res = await t.call("POST", `${V2}/updates/update`, { token });
    assertEquals(res.body.message, "Batch updates completed.");
    assert(res.body.summary.total_updated > 0);
    assert(res.body.summary.total_errors > 0);
    assertEquals(res.body.summary.sites_updated, 1);
    const left = (await t.call("GET", `${V2}/updates/1`, { token })).body.data;
    assertEquals(left.plugins, []);
    assert(
      Object.keys((await t.call("GET", `${V2}/updates/2?type=plugins`, { token })).body.data.plugins).length >
        0,
    );
  } finally {
    await close();
  }
});
