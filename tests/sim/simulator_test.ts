import {
  assert,
  assertEquals,
  assertGreater,
  assertLess,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import { Buffer } from "node:buffer";
import { encodePhpForm, type FormFields, parseEnvelope, signRequest } from "../../child/index.ts";
import { parseSimArgs } from "../../sim/main.ts";
import { type ChildSimulator, startChildSimulator } from "../../sim/server.ts";
import { rejectsWith, testKeys, withSimulator } from "../child/_fixtures.ts";
import { withDeadline } from "../helpers.ts";

async function post(url: string, fields: FormFields): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encodePhpForm(fields),
  });
  return { status: response.status, body: await response.text() };
}

async function protocol(
  sim: ChildSimulator,
  i: number,
  fields: FormFields,
): Promise<Record<string, unknown>> {
  const { body } = await post(sim.url(i) + "wp-admin/admin-ajax.php", fields);
  return parseEnvelope(body) as Record<string, unknown>;
}

async function register(sim: ChildSimulator, i: number): Promise<string> {
  const keys = await testKeys();
  const reply = await protocol(sim, i, {
    function: "register",
    user: "admin",
    pubkey: keys.publicKeyPem,
    server: "http://dash.test/wp-admin/",
    mainwpver: "6.1.2",
    userpwd: "admin-password",
  });
  assertEquals(reply.register, "OK");
  return keys.privateKeyPem;
}

function signed(privateKeyPem: string, fn: string, extra: FormFields = {}, algo = 7): FormFields {
  const nonce = "77";
  return {
    user: "admin",
    function: fn,
    nonce,
    ...extra,
    sign_algo: algo,
    mainwpsignature: signRequest(privateKeyPem, fn, nonce, algo),
  };
}

const AUTH_FAILED =
  "Authentication failed! Please deactivate and re-activate the MainWP Child plugin on this site.";

Deno.test("sites live under /site-N/ on one loopback port", async () => {
  await withSimulator({ count: 3 }, async (sim) => {
    assertMatch(sim.url(1), /^http:\/\/127\.0\.0\.1:\d+\/site-1\/$/);
    assertEquals(sim.url(3), `http://127.0.0.1:${sim.port}/site-3/`);
    assertEquals(sim.count, 3);
    const index = await (await fetch(`http://127.0.0.1:${sim.port}/`)).json();
    assertEquals(index.sites, [sim.url(1), sim.url(2), sim.url(3)]);
    const missing = await fetch(`http://127.0.0.1:${sim.port}/site-4/`);
    assertEquals(missing.status, 404);
    await missing.body?.cancel();
    await rejectsWith(Promise.resolve().then(() => sim.site(4)), RangeError);
  });
});

Deno.test("invalid options are refused", async () => {
  await rejectsWith(startChildSimulator({ count: 0 }), RangeError);
  await rejectsWith(startChildSimulator({ count: 1, hostname: "0.0.0.0" as "127.0.0.1" }), TypeError);
});

Deno.test("the site URL answers GET, HEAD and POST test=yes with an HTML page", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const page = await fetch(sim.url(1));
    assertEquals([page.status, page.headers.get("content-type")], [200, "text/html; charset=UTF-8"]);
    assertStringIncludes(await page.text(), "Just another WordPress site");
    const head = await fetch(sim.url(1), { method: "HEAD" });
    assertEquals(head.status, 200);
    await head.body?.cancel();
    const legacy = await post(sim.url(1), { test: "yes" });
    assertEquals(legacy.status, 200);
    assertEquals(sim.calls(1), { "#page": 3 });
  });
});

Deno.test("register and a signed call, as the real child checks them", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const privateKeyPem = await register(sim, 1);
    const stats = await protocol(sim, 1, signed(privateKeyPem, "stats"));
    assertEquals(stats.version, "6.1");
    assertEquals(sim.calls(1), { register: 1, stats: 1 });
  });
});

Deno.test("a tampered signature, wrong nonce or call before register is refused", async () => {
  await withSimulator({ count: 2 }, async (sim) => {
    const privateKeyPem = await register(sim, 1);
    const fields = signed(privateKeyPem, "stats");
    const bytes = Buffer.from(String(fields.mainwpsignature), "base64");
    bytes[0] ^= 0x01;
    assertEquals(await protocol(sim, 1, { ...fields, mainwpsignature: bytes.toString("base64") }), {
      error: AUTH_FAILED,
    });
    assertEquals(await protocol(sim, 1, { ...fields, nonce: "78" }), { error: AUTH_FAILED });
    assertEquals(await protocol(sim, 1, { ...fields, function: "upgrade" }), { error: AUTH_FAILED });
    assertEquals(await protocol(sim, 2, fields), { error: AUTH_FAILED }, "site 2 has no key yet");
  });
});

Deno.test("after SHA-256 the child refuses SHA-1 and unsigned-algorithm requests", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const privateKeyPem = await register(sim, 1);
    assertEquals((await protocol(sim, 1, signed(privateKeyPem, "stats"))).version, "6.1");
    const sha1 = await protocol(sim, 1, signed(privateKeyPem, "stats", {}, 1));
    assertStringIncludes(String(sha1.error), "To use OPENSSL_ALGO_SHA1");
    const { sign_algo: _, ...noAlgo } = signed(privateKeyPem, "stats", {}, 1);
    assertEquals(await protocol(sim, 1, noAlgo), { error: AUTH_FAILED });
  });
});

Deno.test("user checks: unknown and non-admin users", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const privateKeyPem = await register(sim, 1);
    const unknown = await protocol(sim, 1, { ...signed(privateKeyPem, "stats"), user: "ghost" });
    assertStringIncludes(String(unknown.error), "Unexisting administrator user");
    const editor = await protocol(sim, 1, { ...signed(privateKeyPem, "stats"), user: "editor" });
    assertStringIncludes(String(editor.error), "User not administrator");
  });
});

Deno.test("unknown functions, unsigned calls and known-but-unsimulated functions", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const privateKeyPem = await register(sim, 1);
    const unknown = await protocol(sim, 1, signed(privateKeyPem, "frobnicate"));
    assertEquals(unknown.error_code, "child_plugin_incompatible");
    const unsigned = await post(sim.url(1) + "wp-admin/admin-ajax.php", {
      function: "upgrade",
      user: "admin",
    });
    assertEquals([unsigned.status, unsigned.body], [400, "0"], "WordPress answers, the child does not");
    const backup = await protocol(sim, 1, signed(privateKeyPem, "backup"));
    assertEquals(backup.error_code, "sim_not_implemented");
  });
});

Deno.test("register is refused with an old Dashboard version and no password", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const keys = await testKeys();
    const reply = await protocol(sim, 1, {
      function: "register",
      user: "admin",
      pubkey: keys.publicKeyPem,
      mainwpver: "5.2",
    });
    assertEquals(reply.error_code, "REG_ERROR10");
    assertEquals((await protocol(sim, 1, { function: "register", user: "admin" })).error_code, "REG_ERROR1");
  });
});

Deno.test("content is deterministic per site and varies between sites", async () => {
  const statsOf = async (sim: ChildSimulator, i: number) => {
    const reply = await protocol(sim, i, { ...signed(await register(sim, i), "stats") });
    const { siteurl: _, ...rest } = reply;
    return rest;
  };
  const first = await withSimulator(
    { count: 3 },
    async (sim) => [await statsOf(sim, 2), await statsOf(sim, 3)],
  );
  const again = await withSimulator({ count: 3 }, (sim) => statsOf(sim, 2));
  assertEquals(again, first[0]);
  assertNotEquals(first[0].plugins, first[1].plugins);
  const withUpdates = await withSimulator(
    { count: 12 },
    (sim) => Promise.resolve([...Array(12).keys()].map((n) => sim.site(n + 1).pendingUpdates)),
  );
  assert(
    withUpdates.some((p) => p.plugins > 0) && withUpdates.some((p) => p.plugins === 0 || p.themes === 0),
  );
  assert(withUpdates.some((p) => p.core) && withUpdates.some((p) => !p.core));
});

Deno.test("the stats payload has the spec's keys and shapes", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const stats = await protocol(sim, 1, signed(await register(sim, 1), "stats", { optimize: 1 }));
    for (
      const key of [
        "version",
        "wpversion",
        "siteurl",
        "wpe",
        "wphost",
        "site_info",
        "wp_updates",
        "plugin_updates",
        "theme_updates",
        "translation_updates",
        "plugins",
        "themes",
        "users",
        "recent_comments",
        "recent_posts",
        "recent_pages",
        "securityIssues",
        "securityStats",
        "directories",
        "categories",
        "categories_list",
        "dbsize",
        "extauth",
        "last_post_gmt",
        "mainwpdir",
        "uniqueId",
        "plugins_outdate_info",
        "themes_outdate_info",
        "health_site_status",
        "admin_nicename",
        "admin_useremail",
      ]
    ) assert(key in stats, key);
    const info = stats.site_info as Record<string, unknown>;
    for (
      const key of [
        "wpversion",
        "phpversion",
        "child_version",
        "memory_limit",
        "mysql_version",
        "ip",
        "site_lang",
      ]
    ) {
      assert(key in info, key);
    }
    const plugins = stats.plugins as Record<string, unknown>[];
    assert(plugins.some((p) => p.slug === "mainwp-child/mainwp-child.php" && p.mainwp === "T"));
    assertEquals(Object.keys(plugins[0]).sort(), [
      "active",
      "description",
      "mainwp",
      "name",
      "slug",
      "version",
    ]);
    const themes = stats.themes as Record<string, unknown>[];
    assertEquals(themes.filter((t) => t.active === 1).length, 1);
  });
});

Deno.test("a wp-admin change: deactivation in the actions data, activation in the change log", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const key = await register(sim, 1);
    const file = (await protocol(sim, 1, signed(key, "get_all_plugins")) as { data: { slug: string }[] })
      .data.find((p) => p.slug !== "mainwp-child/mainwp-child.php")!.slug;
    const control = (action: string) => post(sim.url(1) + "__sim/wp-admin", { plugin: file, action });
    assertEquals((await control("dance")).status, 400);
    const first =
      (await protocol(sim, 1, signed(key, "get_all_plugins")) as { data: { slug: string; active: number }[] })
        .data.find((p) => p.slug === file)!.active;
    assertEquals((await control(first ? "activate" : "deactivate")).status, 409, "already in that state");
    assertEquals((await control(first ? "deactivate" : "activate")).status, 200);
    assertEquals((await control(first ? "activate" : "deactivate")).status, 200);
    const plain = await protocol(sim, 1, signed(key, "stats", { params_logs: "" }));
    assertEquals(plain.changes_logs_data, "");
    assert(!("dbsize_activitylogs" in plain));
    const actions = Object.values(plain.child_site_actions_data as Record<string, Record<string, unknown>>);
    assertEquals(actions.map((a) => [a.context, a.action]), [["plugins", "deactivated"]]);
    const logs = { params_logs: { newer_than: 0, events_count: 100, ignore_sync_changes_logs: -1 } };
    const withLogs = await protocol(sim, 1, signed(key, "stats", logs));
    assertEquals(typeof withLogs.dbsize_activitylogs, "number");
    const rows = Object.values(withLogs.changes_logs_data as Record<string, Record<string, unknown>>);
    assertEquals(rows.map((r) => [r.log_type_id, r.action_name]), [[1461, "activated"]]);
    const created = Number(rows[0].created_on);
    const newer = { params_logs: { ...logs.params_logs, newer_than: created } };
    assertEquals((await protocol(sim, 1, signed(key, "stats", newer))).changes_logs_data, []);
    const later = { child_actions_last_created: Number(actions[0].created) };
    assertEquals((await protocol(sim, 1, signed(key, "stats", later))).child_site_actions_data, []);
  });
});

Deno.test("controls: offline, HTTP status, garbage, child version; calls are counted", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const site = sim.site(1);
    site.controls.offline = true;
    const offline = await post(sim.url(1), { function: "stats" });
    assertEquals(offline.status, 503);
    site.controls.offline = false;
    site.controls.httpStatus = 502;
    assertEquals((await post(sim.url(1), { function: "stats" })).status, 502);
    site.controls.httpStatus = null;
    site.controls.garbage = "truncated";
    const truncated = await post(sim.url(1), { function: "stats" });
    assert(truncated.body.startsWith("<mainwp>") && !truncated.body.includes("</mainwp>"));
    site.controls.garbage = null;
    site.controls.childVersion = "3.2";
    assertEquals((await protocol(sim, 1, { function: "stats" })).version, "3.2");
    assertEquals(sim.calls(1), { stats: 2 });
  });
});

Deno.test("latency is added per server and per site; concurrency is measured", async () => {
  await withSimulator({ count: 2, latencyMs: 50 }, async (sim) => {
    sim.site(2).controls.latencyMs = 100;
    const timed = async (i: number) => {
      const started = performance.now();
      await (await fetch(sim.url(i))).body?.cancel();
      return performance.now() - started;
    };
    assertGreater(await timed(1), 45);
    assertGreater(await timed(2), 145);
    sim.resetMetrics();
    await Promise.all([1, 2, 1, 2].map(timed));
    assertEquals(sim.metrics().maxInFlight, 4);
    assertEquals(sim.metrics().requests, 4);
  });
});

Deno.test("close() ends quickly even with slow requests and endless streams pending", async () => {
  const sim = await startChildSimulator({ count: 2 });
  sim.site(1).controls.latencyMs = 60_000;
  sim.site(2).controls.garbage = "oversized";
  sim.site(2).controls.oversizeBytes = 1024 * 1024 * 1024;
  const slow = fetch(sim.url(1)).then((r) => r.text()).catch(() => "connection closed");
  const stream = await fetch(sim.url(2), {
    method: "POST",
    body: new URLSearchParams({ function: "stats" }),
  });
  const reader = stream.body!.getReader();
  assert(!(await reader.read()).done);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  await sim.close();
  assertLess(performance.now() - started, 1000);
  assert(typeof await slow === "string");
  await reader.cancel().catch(() => {});
});

Deno.test("the CLI parses its options and serves until SIGTERM", async () => {
  assertEquals(parseSimArgs(["--count", "5", "--port", "0", "--latency-ms", "25"]), {
    count: 5,
    port: 0,
    latencyMs: 25,
  });
  await rejectsWith(Promise.resolve().then(() => parseSimArgs([])), RangeError);
  await rejectsWith(Promise.resolve().then(() => parseSimArgs(["--count", "x"])), RangeError);

  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      new URL("../../sim/main.ts", import.meta.url).pathname,
      "--count",
      "2",
      "--port",
      "0",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  for (let i = 0; i < 100 && !output.includes("site-2/"); i++) {
    const { value, done } = await withDeadline(reader.read(), 10_000, "the simulator's start banner");
    if (done) break;
    output += value;
  }
  const port = Number(/on port (\d+)/.exec(output)?.[1]);
  const page = await fetch(`http://127.0.0.1:${port}/site-2/`);
  assertEquals(page.status, 200);
  await page.body?.cancel();
  child.kill("SIGTERM");
  const status = await child.status;
  await reader.cancel();
  await child.stderr.cancel();
  assertEquals(status.code, 0);
});
