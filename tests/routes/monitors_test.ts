/**
 * The monitors routes (MainWP's 13 operations) and `/settings/monitoring`: wire shapes, filters, paging,
 * MainWP's not-found answers, and refused input that changes nothing.
 */
import { assert, assertEquals } from "@std/assert";
import { simulatedApp, type TestApp } from "../helpers.ts";
import { createSite } from "../../store/sites.ts";

const V2 = "/wp-json/mainwp/v2";

/** Every monitor key in the store, with its value (to prove a refused request changed nothing). */
async function monitorKeys(t: TestApp): Promise<string> {
  const out: string[] = [];
  for await (const e of t.ctx.kv.list({ prefix: [] })) {
    const kind = String(e.key[0]);
    if (kind.startsWith("monitor") || (kind === "settings" && e.key[1] === "uptime_monitoring")) {
      out.push(JSON.stringify([e.key, e.value]));
    }
  }
  return out.join("\n");
}

Deno.test("monitor routes: list, basic, count, one, check, heartbeat, incidents, per-site settings", async () => {
  const { t, sim, token, close } = await simulatedApp(2, { add: true });
  try {
    // GET /monitors before any check: one monitor per site, never checked.
    const list = await t.call("GET", `${V2}/monitors`, { token });
    assertEquals(list.status, 200);
    assertEquals(list.body.success, 1);
    assertEquals(list.body.total, 2);
    const first = list.body.data[0];
    assertEquals(Object.keys(first), [
      "id",
      "url",
      "type",
      "last_status",
      "check_frequency",
      "last_check_at",
      "last_status_code",
      "uptime_24h",
      "uptime_ratio_7d",
      "uptime_ratio_30d",
      "incidents_count_7d",
      "incidents_count_30d",
      "response_time_avg_ms",
      "response_time_min_ms",
      "response_time_max_ms",
    ]);
    assertEquals(first.id, 1);
    assertEquals(first.url, sim.url(1));
    assertEquals(first.type, "http");
    assertEquals(first.check_frequency, "60m");
    assertEquals(first.last_status, "unknown");
    assertEquals(first.last_check_at, "");
    assertEquals(first.last_status_code, "");
    assertEquals(first.uptime_24h.length, 24);

    // POST /monitors/1/check: up; site 2 fails with a 500 (one retry by default: PENDING first).
    const up = await t.call("POST", `${V2}/monitors/1/check`, { token });
    assertEquals(up.body, { success: 1, data: { http_code: 200, uptime_status: "up" } });
    sim.site(2).controls.httpStatus = 500;
    const pending = await t.call("POST", `${V2}/monitors/2/check`, { token });
    assertEquals(pending.body.data.http_code, 500);
    const down = await t.call("POST", `${V2}/monitors/2/check`, { token });
    assertEquals(down.body.data.uptime_status, "down");

    const basic = await t.call("GET", `${V2}/monitors/basic?status=down`, { token });
    assertEquals(basic.body, {
      success: 1,
      total: 1,
      data: [{ id: 2, url: sim.url(2), last_status: "down" }],
    });
    const count = await t.call("GET", `${V2}/monitors/count?status=up`, { token });
    assertEquals(count.body, { success: 1, count: 1 });
    const paged = await t.call("GET", `${V2}/monitors?per_page=1&page=2`, { token });
    assertEquals(paged.body.data.map((m: { id: number }) => m.id), [2]);
    const excluded = await t.call("GET", `${V2}/monitors/count?exclude=1`, { token });
    assertEquals(excluded.body.count, 1);

    // GET /monitors/1: the monitor view with its heartbeats.
    const one = await t.call("GET", `${V2}/monitors/1`, { token });
    assertEquals(one.body.success, 1);
    assertEquals(typeof one.body.data.name, "string");
    assertEquals(one.body.data.last_status, "up");
    assertEquals(one.body.data.last_status_code, 200);
    assertEquals(one.body.data.uptime_ratio_7d, 100);
    assertEquals(one.body.data.heartbeats.length, 1);
    assertEquals(one.body.data.heartbeats[0].http_code, "200");
    assert(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(one.body.data.last_check_at));

    // Heartbeats: filters and paging.
    const beats = await t.call("GET", `${V2}/monitors/2/heartbeat?period=24h&limit=1`, { token });
    assertEquals(beats.body.success, 1);
    assertEquals(beats.body.meta, { page: 1, per_page: 1, total: 2, total_pages: 2 });
    assertEquals(Object.keys(beats.body.data[0]), [
      "monitor_id",
      "heartbeat_id",
      "status",
      "msg",
      "importance",
      "time",
      "ping_ms",
      "http_code",
    ]);
    assertEquals(beats.body.data[0].status, 2);
    assert(beats.body.data[0].msg.startsWith("500 - pending."), beats.body.data[0].msg);
    assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(beats.body.data[0].time));
    const downs = await t.call("GET", `${V2}/monitors/2/heartbeat?status=down`, { token });
    assertEquals(downs.body.data.map((b: { status: number }) => b.status), [0]);
    const future = await t.call("GET", `${V2}/monitors/2/heartbeat?since=2999-01-01T00:00:00Z`, { token });
    assertEquals(future.body, { success: 0, message: "No heartbeats found." });
    const range = await t.call("GET", `${V2}/monitors/2/heartbeat?period=2020-01-01T00:00:00Z/2020-01-02`, {
      token,
    });
    assertEquals(range.body.success, 0);

    // Incidents: one open incident on site 2.
    const incidents = await t.call("GET", `${V2}/monitors/2/incidents`, { token });
    assertEquals(incidents.body.success, 1);
    assertEquals(incidents.body.data.length, 1);
    assertEquals(incidents.body.data[0].resolved, false);
    assertEquals(incidents.body.data[0].ended_at, "");
    assertEquals(incidents.body.data[0].down_count, 1);
    const incidentCount = await t.call("GET", `${V2}/monitors/2/incidents/count`, { token });
    assertEquals(incidentCount.body, { success: 1, count: 1 });
    sim.site(2).controls.httpStatus = null;
    await t.call("POST", `${V2}/monitors/2/check`, { token });
    const resolved = await t.call("GET", `${V2}/monitors/2/incidents`, { token });
    assertEquals(resolved.body.data[0].resolved, true);

    // Per-site settings.
    const set = await t.call("PUT", `${V2}/monitors/1/settings`, {
      token,
      json: {
        interval: "5m",
        active: "useglobal",
        expected_status: "200,301",
        type: "keyword",
        keyword: "WordPress",
      },
    });
    assertEquals(set.body, {
      success: 1,
      data: {
        monitor_id: 1,
        active: -1,
        interval: 5,
        up_status_codes: "200,301",
        keyword: "WordPress",
        type: "keyword",
      },
    });
    const after = await t.call("GET", `${V2}/monitors?include=1`, { token });
    assertEquals(after.body.data[0].check_frequency, "5m");
    assertEquals(after.body.data[0].type, "keyword");
    const keyword = await t.call("POST", `${V2}/monitors/1/check`, { token });
    assertEquals(
      keyword.body.data.uptime_status,
      "up",
      "the simulated page says 'Just another WordPress site'",
    );

    // Removing the site removes its monitor, heartbeats and incidents.
    const removed = await t.call("DELETE", `${V2}/sites/2/remove`, { token });
    assertEquals(removed.status, 200, removed.text);
    assertEquals((await t.call("GET", `${V2}/monitors/2`, { token })).body.success, 0);
    for await (const e of t.ctx.kv.list({ prefix: [] })) {
      const ofMonitor2 = String(e.key[0]).startsWith("monitor") && e.key[1] === 2;
      assert(
        !ofMonitor2 && !(e.key[1] === "monitor_due" && e.key[3] === 2),
        `left: ${JSON.stringify(e.key)}`,
      );
    }
    assertEquals((await t.call("GET", `${V2}/monitors/count`, { token })).body.count, 1);

    // A monitor that does not exist: MainWP's 200 answer.
    for (
      const path of ["/monitors/99", "/monitors/99/basic", "/monitors/99/heartbeat", "/monitors/99/incidents"]
    ) {
      const res = await t.call("GET", `${V2}${path}`, { token });
      assertEquals([res.status, res.body], [200, { success: 0, message: "Monitor not found." }], path);
    }
  } finally {
    await close();
  }
});

Deno.test("monitor routes: a monitor by domain; global settings and /settings/monitoring", async () => {
  const { t, token, close } = await simulatedApp(1);
  try {
    await createSite(t.ctx.kv, { url: "https://shop.test/", name: "Shop" });
    const basic = await t.call("GET", `${V2}/monitors/shop.test/basic`, { token });
    assertEquals(basic.body, {
      success: 1,
      data: { id: 1, url: "https://shop.test/", last_status: "unknown" },
    });

    const view = await t.call("GET", `${V2}/settings/monitoring`, { token });
    assertEquals(view.body, {
      success: 1,
      data: {
        mainwp_disable_sites_health_monitoring: 1,
        mainwp_sitehealth_threshold: 80,
        mainwp_uptime_monitoring_active: 0,
        mainwp_uptime_monitoring_interval: "1h",
        mainwp_uptime_monitoring_method: "head",
        mainwp_uptime_monitoring_timeout: "60s",
        mainwp_uptime_monitoring_type: "http",
        mainwp_uptime_monitoring_up_status_codes: ["200", "201", "202", "203", "204", "205", "206"],
        mainwp_uptime_monitoring_down_confirmation_check: 1,
        mainwp_uptime_monitoring_keyword: "",
      },
    });
    const global = await t.call("PUT", `${V2}/monitors/settings`, {
      token,
      json: { interval: "15m", timeout: "2min", expected_status: "200,204", maxretries: 0, method: "get" },
    });
    assertEquals(global.body.success, 1);
    assertEquals(global.body.data.interval, 15);
    assertEquals(global.body.data.timeout, 120);
    assertEquals(global.body.data.maxretries, 0);
    const edited = await t.call("PATCH", `${V2}/settings/monitoring/edit`, {
      token,
      json: { mainwp_uptime_monitoring_active: 1, mainwp_uptime_monitoring_up_status_codes: [301, 200] },
    });
    assertEquals(edited.body.data.mainwp_uptime_monitoring_active, 1);
    assertEquals(edited.body.data.mainwp_uptime_monitoring_interval, "15m");
    assertEquals(edited.body.data.mainwp_uptime_monitoring_timeout, "2min");
    assertEquals(edited.body.data.mainwp_uptime_monitoring_up_status_codes, ["200", "301"]);
    const list = await t.call("GET", `${V2}/monitors`, { token });
    assertEquals(list.body.data[0].check_frequency, "15m");
  } finally {
    await close();
  }
});

Deno.test("monitor routes: refused input is MainWP's error and changes nothing", async () => {
  const { t, token, close } = await simulatedApp(1, { add: true });
  try {
    const before = await monitorKeys(t);
    const refusals: [string, string, unknown, number, string][] = [
      ["PUT", "/monitors/settings", { interval: "7m" }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", { timeout: "5s" }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", { maxretries: 5 }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", { type: "useglobal" }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", { method: "trace" }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", { expected_status: "200,999" }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", { active: "maybe" }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", { keyword: "k".repeat(300) }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", { interval: "5m", keyword: ["x"] }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/settings", {}, 400, "empty_body"],
      [
        "PUT",
        "/monitors/1/settings",
        { interval: "5m", url: "http://169.254.169.254/" },
        400,
        "rest_additional_properties_forbidden",
      ],
      ["PUT", "/monitors/1/settings", { active: "2" }, 400, "rest_invalid_param"],
      ["PUT", "/monitors/1/settings", {}, 400, "empty_body"],
      [
        "PUT",
        "/settings/monitoring/edit",
        { mainwp_uptime_monitoring_up_status_codes: "200" },
        400,
        "rest_invalid_param",
      ],
      ["PUT", "/settings/monitoring/edit", { mainwp_sitehealth_threshold: 90 }, 400, "rest_invalid_param"],
    ];
    for (const [method, path, json, status, code] of refusals) {
      const res = await t.call(method, `${V2}${path}`, { token, json });
      assertEquals(
        [res.status, res.body.code],
        [status, code],
        `${path} ${JSON.stringify(json)}: ${res.text}`,
      );
    }
    const details = await t.call("PUT", `${V2}/monitors/settings`, { token, json: { interval: "7m" } });
    assertEquals(details.body.data.params, { interval: "Invalid interval value." });
    assertEquals(details.body.data.details.interval.code, "invalid_interval");
    const form = await t.call("PUT", `${V2}/settings/monitoring/edit`, { token, form: { a: "1" } });
    assertEquals([form.status, form.body.code], [400, "invalid_content_type"]);
    const bad = [
      "/monitors?per_page=500",
      "/monitors?page=0",
      "/monitors?status=sideways",
      "/monitors/1/heartbeat?period=1y",
      "/monitors/1/heartbeat?period=2024-01-02/2024-01-01",
      "/monitors/1/heartbeat?since=yesterday",
    ];
    for (const path of bad) {
      const res = await t.call("GET", `${V2}${path}`, { token });
      assertEquals([res.status, res.body.code], [400, "rest_invalid_param"], `${path}: ${res.text}`);
    }
    const noRoute = await t.call("GET", `${V2}/monitors/not-a-domain`, { token });
    assertEquals(noRoute.status, 404);
    assertEquals(await monitorKeys(t), before);
    // A read-only key cannot change settings or run a check.
    const readOnly = await t.key("read");
    const denied = await t.call("POST", `${V2}/monitors/1/check`, { token: readOnly });
    assertEquals(denied.status, 401);
  } finally {
    await close();
  }
});
