import { assert, assertEquals } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";
import { getSettingsSection } from "../../store/settings.ts";

const API = "/wp-json/mainwp/v2/settings";

async function setup(): Promise<{ t: TestApp; token: string }> {
  const t = await testApp();
  return { t, token: await t.key("read_write") };
}

/** Every stored settings section, to show a refused write changed nothing. */
async function storedSettings(t: TestApp) {
  const sections = [
    "general",
    "advanced",
    "emails",
    "cost_tracker",
    "insights",
    "api_backups",
    "tools",
  ] as const;
  return Object.fromEntries(
    await Promise.all(sections.map(async (s) => [s, await getSettingsSection(t.ctx.kv, s)])),
  );
}

Deno.test("GET /settings/general: MainWP's defaults in its field order", async () => {
  const { t, token } = await setup();
  const res = await t.call("GET", `${API}/general`, { token });
  assertEquals(res.status, 200);
  assertEquals(res.body.success, 1);
  const d = res.body.data;
  assertEquals(Object.keys(d).slice(0, 5), [
    "time_daily_update",
    "frequency_daily_update",
    "date_format",
    "time_format",
    "timezone_string",
  ]);
  assertEquals([d.frequency_daily_update, d.date_format, d.time_format, d.timezone_string], [
    2,
    "F j, Y",
    "g:i a",
    "UTC+0",
  ]);
  assertEquals([d.delay_autoupdate, d.numberdays_outdate_plugin_theme, d.mainwp_archive_format], [
    1,
    365,
    "tar.gz",
  ]);
  assertEquals(d.mainwp_primary_backup, { value: "", title: "Native backups" });
  assertEquals(d.mainwp_widgets.overview, 1);
  assert("disable_update_confirmations" in d);
  await t.close();
});

Deno.test("PUT /settings/general/edit: stores the fields given and answers the edit context", async () => {
  const { t, token } = await setup();
  const res = await t.call("PUT", `${API}/general/edit`, {
    token,
    json: {
      frequency_daily_update: 6,
      plugin_automatic_daily_update: true,
      timezone_string: "UTC+5:30",
      time_daily_update: "9:00",
      mainwp_widgets: { clients: 0 },
      date_format: "Y/m/d",
    },
  });
  assertEquals(res.status, 200);
  assertEquals(res.body.message, "General settings updated successfully.");
  const d = res.body.data;
  assertEquals([d.frequency_daily_update, d.plugin_automatic_daily_update, d.timezone_string], [
    6,
    1,
    "UTC+5.5",
  ]);
  assertEquals([d.time_daily_update, d.date_format, d.mainwp_widgets.clients, d.mainwp_widgets.overview], [
    "9:00",
    "Y/m/d",
    0,
    1,
  ]);
  assert(!("disable_update_confirmations" in d), "view-only fields are not in the edit answer");
  const again = (await t.call("GET", `${API}/general`, { token })).body.data;
  assertEquals([again.frequency_daily_update, again.theme_automatic_daily_update], [6, 0]);
  // PATCH works the same; an IANA zone is stored as its offset now.
  await t.call("PATCH", `${API}/general/edit`, { token, json: { timezone_string: "UTC" } });
  assertEquals((await t.call("GET", `${API}/general`, { token })).body.data.timezone_string, "UTC+0");
  await t.close();
});

Deno.test("PUT /settings/general/edit: refusals change nothing", async () => {
  const { t, token } = await setup();
  await t.call("PUT", `${API}/general/edit`, { token, json: { frequency_daily_update: 3 } });
  const before = await storedSettings(t);
  const cases: [unknown, string, string][] = [
    [{ frequency_daily_update: 13 }, "frequency_daily_update", "invalid_frequency_daily_update"],
    [{ mainwp_widgets: { overview: 1, bogus_widget: 1 } }, "mainwp_widgets", "invalid_mainwp_widgets_keys"],
    [{ mainwp_widgets: { overview: 2 } }, "mainwp_widgets", "invalid_mainwp_widgets_value"],
    [{ mainwp_widgets: "all" }, "mainwp_widgets", "invalid_mainwp_widgets_type"],
    [{ time_daily_update: "25:00" }, "time_daily_update", "invalid_time_update"],
    [{ date_format: "Y-m-d 1" }, "date_format", "invalid_date_format_numeric"],
    [{ timezone_string: "Mars/Olympus" }, "timezone_string", "invalid_timezone_string"],
    [{ delay_autoupdate: 8, frequency_daily_update: 4 }, "delay_autoupdate", "invalid_delay_autoupdate"],
    [
      { check_http_response_method: "post" },
      "check_http_response_method",
      "invalid_check_http_response_method",
    ],
  ];
  for (const [json, param, code] of cases) {
    const res = await t.call("PUT", `${API}/general/edit`, { token, json });
    assertEquals(res.status, 400, JSON.stringify(json));
    assertEquals(res.body.code, "rest_invalid_param");
    assert(Object.hasOwn(res.body.data.params, param), JSON.stringify(res.body));
    assertEquals(res.body.data.details[param].code, code);
  }
  const widgets = await t.call("PUT", `${API}/general/edit`, {
    token,
    json: { mainwp_widgets: { bogus_widget: 1 } },
  });
  assert(
    widgets.body.data.params.mainwp_widgets.startsWith("Invalid widget keys: bogus_widget. Allowed keys: "),
  );
  // MainWP's backup rule, checked in the write's commit.
  const backup = await t.call("PUT", `${API}/general/edit`, {
    token,
    json: { mainwp_primary_backup: "module-api-backups", mainwp_enable_legacy_backup_feature: 1 },
  });
  assertEquals([backup.status, backup.body.code], [400, "invalid_backup_config"]);
  // Not JSON, empty body.
  const form = await t.call("PUT", `${API}/general/edit`, { token, form: { frequency_daily_update: "5" } });
  assertEquals([form.status, form.body.code], [400, "invalid_content_type"]);
  const empty = await t.call("PUT", `${API}/general/edit`, { token, json: {} });
  assertEquals([empty.status, empty.body.code], [400, "empty_body"]);
  // A read key cannot write; POST is not a route here.
  const reader = await t.key("read");
  const denied = await t.call("PUT", `${API}/general/edit`, {
    token: reader,
    json: { frequency_daily_update: 5 },
  });
  assertEquals(denied.status, 401);
  assertEquals(
    (await t.call("POST", `${API}/general/edit`, { token, json: { x: 1 } })).body.code,
    "rest_no_route",
  );
  assertEquals(await storedSettings(t), before);
  await t.close();
});

Deno.test("PUT /settings/general/edit: a query-string value is validated but only the body changes settings", async () => {
  const { t, token } = await setup();
  const res = await t.call("PUT", `${API}/general/edit?frequency_daily_update=7`, {
    token,
    json: { delay_autoupdate: 3 },
  });
  assertEquals([res.status, res.body.data.frequency_daily_update, res.body.data.delay_autoupdate], [
    200,
    2,
    3,
  ]);
  await t.close();
});

Deno.test("GET|PUT /settings/advanced: defaults, edit, signature algorithm by label, sync data keys", async () => {
  const { t, token } = await setup();
  const get = (await t.call("GET", `${API}/advanced`, { token })).body.data;
  assertEquals([
    get.mainwp_maximum_requests,
    get.mainwp_maximum_ip_requests,
    get.mainwp_maximum_sync_requests,
  ], [4, 1, 8]);
  assertEquals(get.mainwp_connect_signature_algo, "OPENSSL_ALGO_SHA256 (Default)");
  assertEquals(get.sync_data.plugins, 1);
  const res = await t.call("PUT", `${API}/advanced/edit`, {
    token,
    json: {
      mainwp_maximum_requests: 2,
      mainwp_connect_signature_algo: "OPENSSL_ALGO_SHA512",
      sync_data: { users: 0 },
    },
  });
  assertEquals(res.status, 200);
  assertEquals(res.body.message, "General settings updated successfully.");
  assertEquals([res.body.data.mainwp_maximum_requests, res.body.data.mainwp_connect_signature_algo], [
    2,
    "OPENSSL_ALGO_SHA512",
  ]);
  assertEquals([res.body.data.sync_data.users, res.body.data.sync_data.plugins], [0, 1]);
  const before = await storedSettings(t);
  for (
    const json of [
      { mainwp_maximum_requests: 21 },
      { mainwp_minimum_delay: 150 },
      { sync_data: { nonsense: 1 } },
      { sync_data: { users: "yes" } },
      { mainwp_connect_signature_algo: "MD5" },
    ]
  ) {
    const bad = await t.call("PUT", `${API}/advanced/edit`, { token, json });
    assertEquals([bad.status, bad.body.code], [400, "rest_invalid_param"], JSON.stringify(json));
  }
  assertEquals(await storedSettings(t), before);
  await t.close();
});

Deno.test("emails: listed with defaults, edited one type at a time, unknown types and bad addresses refused", async () => {
  const { t, token } = await setup();
  const list = (await t.call("GET", `${API}/emails`, { token })).body.data;
  assertEquals(list.map((e: { type: string }) => e.type), [
    "daily_digest",
    "uptime",
    "site_health",
    "deactivated_license_alert",
  ]);
  assertEquals(Object.keys(list[0]), ["heading", "type", "subject", "recipients", "disable"]);
  const res = await t.call("PUT", `${API}/emails/uptime/edit`, {
    token,
    json: { recipients: "ops@example.com", disable: 1 },
  });
  assertEquals(res.body, {
    success: 1,
    message: "Email settings updated successfully.",
    data: {
      heading: "Uptime Monitoring",
      subject: "Uptime Monitoring Alert from your MainWP Dashboard",
      recipients: "ops@example.com",
      disable: 1,
    },
  });
  const before = await storedSettings(t);
  const unknown = await t.call("PUT", `${API}/emails/nope/edit`, { token, json: { disable: 1 } });
  assertEquals([unknown.status, unknown.body.data.params.mail_type], [400, "Email type does not exist."]);
  const bad = await t.call("PUT", `${API}/emails/uptime/edit`, {
    token,
    json: { recipients: "not an address" },
  });
  assertEquals([bad.status, bad.body.data.details.recipients.code], [400, "invalid_email"]);
  assertEquals(await storedSettings(t), before);
  // The HTTP-check e-mail exists while the check after updates is on.
  await t.call("PUT", `${API}/general/edit`, { token, json: { check_http_response: 1 } });
  const types = (await t.call("GET", `${API}/emails`, { token })).body.data.map((e: { type: string }) =>
    e.type
  );
  assertEquals(types.at(-1), "http_check");
  await t.close();
});

Deno.test("dashboard-insights and tools settings: stored and returned", async () => {
  const { t, token } = await setup();
  assertEquals((await t.call("GET", `${API}/dashboard-insights`, { token })).body.data, {
    enable_insights_logging: 1,
  });
  const ins = await t.call("PATCH", `${API}/dashboard-insights/edit`, {
    token,
    json: { enable_insights_logging: 0 },
  });
  assertEquals(ins.body.data, { enable_insights_logging: 0 });
  assertEquals((await t.call("GET", `${API}/dashboard-insights`, { token })).body.data, {
    enable_insights_logging: 0,
  });
  assertEquals((await t.call("GET", `${API}/tools`, { token })).body.data, {
    mainwp_theme: "default",
    guided_tours: 0,
    chatbase: 0,
    guided_video: 0,
  });
  const tools = await t.call("PUT", `${API}/tools/edit`, {
    token,
    json: { mainwp_theme: "dark", guided_tours: true },
  });
  assertEquals(tools.body.data, { mainwp_theme: "dark", guided_tours: 1, chatbase: 0, guided_video: 0 });
  const before = await storedSettings(t);
  const bad = await t.call("PUT", `${API}/tools/edit`, { token, json: { mainwp_theme: "neon" } });
  assertEquals([bad.status, bad.body.data.details.mainwp_theme.code], [400, "invalid_mainwp_theme"]);
  const badIns = await t.call("PUT", `${API}/dashboard-insights/edit`, {
    token,
    json: { enable_insights_logging: 3 },
  });
  assertEquals(badIns.status, 400);
  assertEquals(await storedSettings(t), before);
  await t.close();
});

Deno.test("api-backups: providers listed, secrets sealed at rest and shown masked", async () => {
  const { t, token } = await setup();
  const list = (await t.call("GET", `${API}/api-backups`, { token })).body.data.api_backups;
  assertEquals(Object.keys(list), [
    "cloudways",
    "gridpane",
    "vultr",
    "linode",
    "digitalocean",
    "cpanel",
    "plesk",
    "kinsta",
  ]);
  assertEquals(list.kinsta, {
    label: "Kinsta",
    enabled: 0,
    account_email: "",
    company_id: "",
    secrets: { api_key: "" },
  });
  assertEquals(list.cpanel.secrets, []);
  const secret = "kinsta-secret-api-key-1234";
  const res = await t.call("PUT", `${API}/api-backups/kinsta/edit`, {
    token,
    json: { enabled: true, company_id: "acme", secrets: { api_key: secret }, url: "https://ignored.example" },
  });
  assertEquals(res.body.data, { enabled: 1, company_id: "acme", api_key: "****1234" });
  const after = (await t.call("GET", `${API}/api-backups`, { token })).body.data.api_backups.kinsta;
  assertEquals([after.enabled, after.company_id, after.secrets.api_key], [1, "acme", "****1234"]);
  assert(
    !JSON.stringify(await getSettingsSection(t.ctx.kv, "api_backups")).includes(secret),
    "secret stored in clear",
  );
  const before = await storedSettings(t);
  const unknown = await t.call("PUT", `${API}/api-backups/dropbox/edit`, { token, json: { enabled: 1 } });
  assertEquals([unknown.status, unknown.body.data.params.api_slug], [400, "API slug not exists."]);
  const email = await t.call("PUT", `${API}/api-backups/cloudways/edit`, {
    token,
    json: { account_email: "x" },
  });
  assertEquals(email.status, 400);
  assertEquals(await storedSettings(t), before);
  await t.close();
});

Deno.test("clear-activation-data and restore-info-messages answer MainWP's messages", async () => {
  const { t, token } = await setup();
  assertEquals((await t.call("POST", `${API}/tools/clear-activation-data`, { token })).body, {
    success: 1,
    message: "Activation data cleared successfully.",
  });
  assertEquals((await t.call("POST", `${API}/tools/restore-info-messages`, { token })).body, {
    success: 1,
    message: "Info messages restored successfully.",
  });
  await t.close();
});

Deno.test("discovery lists the settings routes (37 operations without monitoring) and the 5 API key operations", async () => {
  const { t, token } = await setup();
  const routes = (await t.call("GET", "/wp-json/mainwp/v2", { token })).body.routes as Record<
    string,
    { methods: string[] }
  >;
  const count = (match: (path: string) => boolean) =>
    Object.entries(routes).filter(([path]) => match(path)).reduce((n, [, r]) => n + r.methods.length, 0);
  assertEquals(count((p) => p.startsWith("/mainwp/v2/settings/") && !p.includes("/settings/monitoring")), 37);
  assertEquals(count((p) => p.startsWith("/mainwp/v2/rest-api/")), 5);
  assert(
    Object.hasOwn(
      routes,
      "/mainwp/v2/settings/tools/renew-connections-status/(?P<renew_id>[a-zA-Z0-9_.\\-]+)",
    ),
  );
  assertEquals(routes["/mainwp/v2/settings/general/edit"].methods, ["PUT", "PATCH"]);
  await t.close();
});
