import {
  assert,
  assertEquals,
  assertExists,
  assertFalse,
  assertGreater,
  assertLess,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import { Buffer } from "node:buffer";
import { verify } from "node:crypto";
import {
  assertChildVersion,
  ChildError,
  type ChildRequestInfo,
  type ChildRequestOutcome,
  DASHBOARD_VERSION,
  generateSiteKeys,
  rawUrlDecode,
} from "../../child/index.ts";
import {
  closedPort,
  makeConnector,
  registerSite,
  rejectsWith,
  testKeys,
  withSimulator,
} from "./_fixtures.ts";

Deno.test("register sends public key, admin user and password; returns keys and a full sync", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const keys = await testKeys();
    const result = await connector.register(sim.url(1), {
      adminUser: "admin",
      adminPassword: "admin-password",
      keys,
    });
    assertEquals(result.keys, keys);
    assertEquals(result.reply.register, "OK");
    assertEquals([result.user, result.uniqueId, result.childVersion, result.childOutdated], [
      "admin",
      "",
      "6.1",
      false,
    ]);
    assertMatch(result.regverify ?? "", /^[0-9a-f]{40}-[0-9a-f]{40}$/);
    for (
      const key of [
        "wpversion",
        "siteurl",
        "site_info",
        "plugins",
        "themes",
        "plugin_updates",
        "securityStats",
      ]
    ) {
      assert(key in result.reply, key);
    }
    assert(sim.site(1).connected);
    assertEquals(sim.site(1).server, "http://localhost/wp-admin/");
    assertEquals(sim.calls(1), { register: 1 });
  });
});

Deno.test("register generates a fresh key pair when none is given", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const result = await connector.register(sim.url(1), {
      adminUser: "admin",
      adminPassword: "admin-password",
    });
    assertNotSame(result.keys.publicKeyPem, (await testKeys()).publicKeyPem);
    const site = { url: sim.url(1), adminName: "admin", privateKeyPem: result.keys.privateKeyPem };
    assertEquals((await connector.call(site, "stats")).version, "6.1");
  });
});

function assertNotSame(a: string, b: string) {
  assert(a !== b, "expected different values");
}

Deno.test("signed calls work after register, and sync maps the reply", async () => {
  await withSimulator({ count: 2 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 2);
    const sync = await connector.sync(site);
    assertEquals([sync.childVersion, sync.childOutdated], ["6.1", false]);
    assertEquals(sync.values.siteurl, sim.url(2).replace(/\/$/, ""));
    assertExists(sync.values.site_info?.phpversion);
    assert(Array.isArray(sync.values.plugins));
    assert(Array.isArray(sync.reply.users), "optimize=1 is sent, so users come back");
    assertEquals(sim.calls(2), { register: 1, stats: 1 });
  });
});

Deno.test("the request carries exactly MainWP's protocol fields and headers", async () => {
  const seen: { path: string; headers: Headers; fields: URLSearchParams }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    seen.push({
      path: new URL(request.url).pathname,
      headers: request.headers,
      fields: new URLSearchParams(await request.text()),
    });
    return new Response(`<mainwp>${btoa(JSON.stringify({ register: "OK", result: "ok" }))}</mainwp>`);
  });
  try {
    const { connector } = makeConnector({ dashboardUrl: "https://dash.example" });
    const keys = await testKeys();
    const url = `http://127.0.0.1:${server.addr.port}/blog`;
    await connector.register(url, { adminUser: "admin", adminPassword: "p@ss 100%+&", uniqueId: "U1", keys });
    const site = {
      url,
      adminName: "admin",
      privateKeyPem: keys.privateKeyPem,
      httpUser: "basic",
      httpPass: "pw",
    };
    await connector.call(site, "plugin_action", {
      action: "activate",
      plugin: "a/a.php",
      function: "evil",
      nonce: "1",
    });

    const [register, call] = seen;
    assertEquals(register.path, "/blog/wp-admin/admin-ajax.php");
    assertEquals(Object.fromEntries(register.fields), {
      user: "admin",
      function: "register",
      mainwpver: DASHBOARD_VERSION,
      pubkey: keys.publicKeyPem,
      server: "https://dash.example/wp-admin/",
      uniqueId: "U1",
      userpwd: "p%40ss%20100%25%2B%26",
    });
    assertEquals(rawUrlDecode(register.fields.get("userpwd")!), "p@ss 100%+&");
    assertEquals(
      register.headers.get("user-agent"),
      `Mozilla/5.0 (compatible; MainWP/${DASHBOARD_VERSION}; +http://mainwp.com)`,
    );
    assertEquals(register.headers.get("x-requested-with"), "XMLHttpRequest");
    assertEquals(register.headers.get("referer"), "https://dash.example/");
    assertEquals(register.headers.get("content-type"), "application/x-www-form-urlencoded");
    assertEquals(register.headers.get("authorization"), null);

    const fields = call.fields;
    assertEquals([...fields.keys()], [
      "user",
      "function",
      "nonce",
      "mainwpver",
      "optimize",
      "action",
      "plugin",
      "sign_algo",
      "mainwpsignature",
    ]);
    assertEquals([fields.get("function"), fields.get("user"), fields.get("sign_algo")], [
      "plugin_action",
      "admin",
      "7",
    ]);
    const nonce = Number(fields.get("nonce"));
    assert(Number.isInteger(nonce) && nonce >= 0 && nonce <= 9999);
    const signed = Buffer.from(`plugin_action${fields.get("nonce")}`);
    assert(
      verify("sha256", signed, keys.publicKeyPem, Buffer.from(fields.get("mainwpsignature")!, "base64")),
    );
    assertEquals(call.headers.get("authorization"), `Basic ${btoa("basic:pw")}`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("child refusals of register come back with the child's codes", async () => {
  await withSimulator({ count: 3, uniqueId: "" }, async (sim) => {
    const { connector } = makeConnector();
    const keys = await testKeys();
    const attempt = (i: number, adminUser: string, adminPassword?: string) =>
      rejectsWith(connector.register(sim.url(i), { adminUser, adminPassword, keys }), ChildError);
    assertEquals((await attempt(1, "admin", "wrong")).code, "REG_ERROR7");
    assertEquals((await attempt(1, "nobody", "x")).code, "REG_ERROR7");
    assertEquals((await attempt(1, "editor", "editor-password")).code, "REG_ERROR9");
    assertEquals((await attempt(1, "admin")).code, "REG_ERROR7", "password authentication is on");
    assertFalse(sim.site(1).connected);

    await registerSite(connector, sim, 2);
    const other = makeConnector({ dashboardUrl: "https://other-dashboard.example/" }).connector;
    const taken = await rejectsWith(
      other.register(sim.url(2), { adminUser: "admin", adminPassword: "admin-password", keys }),
      ChildError,
    );
    assertEquals([taken.code, taken.category, taken.status], ["REG_ERROR2", "child", 200]);
    assertStringIncludes(taken.message, "Public key already set");
  });
});

Deno.test("a reconnect with the stored regverify needs no password", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const keys = await testKeys();
    const first = await connector.register(sim.url(1), {
      adminUser: "admin",
      adminPassword: "admin-password",
      keys,
    });
    const again = await connector.register(sim.url(1), {
      adminUser: "admin",
      regverify: first.regverify,
      keys,
    });
    assertEquals(again.reply.register, "OK");
    const bad = await rejectsWith(
      connector.register(sim.url(1), { adminUser: "admin", regverify: "0-0", keys }),
      ChildError,
    );
    assertEquals(bad.code, "reconnect_failed");
  });
});

Deno.test("a unique security ID is required when the child has one", async () => {
  await withSimulator({ count: 1, uniqueId: "SECRET-ID" }, async (sim) => {
    const { connector } = makeConnector();
    const keys = await testKeys();
    const base = { adminUser: "admin", adminPassword: "admin-password", keys };
    assertEquals((await rejectsWith(connector.register(sim.url(1), base), ChildError)).code, "REG_ERROR3");
    assertEquals(
      (await rejectsWith(connector.register(sim.url(1), { ...base, uniqueId: "X" }), ChildError)).code,
      "REG_ERROR4",
    );
    assertEquals(
      (await connector.register(sim.url(1), { ...base, uniqueId: "SECRET-ID" })).uniqueId,
      "SECRET-ID",
    );
  });
});

Deno.test("a signature made with another key is rejected", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    const stranger = await generateSiteKeys();
    const error = await rejectsWith(
      connector.call({ ...site, privateKeyPem: stranger.privateKeyPem }, "stats"),
      ChildError,
    );
    assertEquals([error.code, error.category], ["CHILD_ERROR", "child"]);
    assertEquals(
      error.message,
      "Authentication failed! Please deactivate and re-activate the MainWP Child plugin on this site.",
    );
    assertEquals(error.reply, { error: error.message });
  });
});

Deno.test("calls before register fail authentication; the unsigned probe works only before", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const keys = await testKeys();
    const site = { url: sim.url(1), adminName: "admin", privateKeyPem: keys.privateKeyPem };
    const error = await rejectsWith(connector.call(site, "stats"), ChildError);
    assertStringIncludes(error.message, "Authentication failed!");
    assertEquals(await connector.probe(sim.url(1), { adminUser: "admin" }), {
      version: "6.1",
      wpversion: (await probeWp(sim.url(1))).wpversion,
      wpe: 0,
      wphost: "",
    });
    await registerSite(connector, sim, 1);
    const linked = await rejectsWith(connector.probe(sim.url(1), { adminUser: "admin" }), ChildError);
    assertStringIncludes(linked.message, "This site already contains a link");
  });

  async function probeWp(url: string) {
    const response = await fetch(url + "wp-admin/admin-ajax.php", {
      method: "POST",
      body: new URLSearchParams({ function: "stats" }),
    });
    return JSON.parse(atob((await response.text()).replace(/<\/?mainwp>/g, "")));
  }
});

Deno.test("an unknown function is child_plugin_incompatible", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    const error = await rejectsWith(connector.call(site, "no_such_function"), ChildError);
    assertEquals(error.code, "child_plugin_incompatible");
    assertStringIncludes(error.message, "Required version has not been detected");
  });
});

Deno.test("an offline site (HTTP 503) is NOMAINWP after MainWP's retry on the bare URL", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector, hooks } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    const attempts: ChildRequestInfo[] = [];
    hooks.addAction("mainwp_before_child_request", (info: ChildRequestInfo) => attempts.push(info));
    sim.site(1).controls.offline = true;
    const error = await rejectsWith(connector.call(site, "stats"), ChildError);
    assertEquals([error.code, error.category, error.status], ["NOMAINWP", "not_mainwp", 503]);
    assertEquals(attempts.map((a) => [a.url, a.attempt]), [[sim.url(1) + "wp-admin/admin-ajax.php", 1], [
      sim.url(1),
      2,
    ]]);
  });
});

Deno.test("a refused connection is HTTPERROR", async () => {
  const { connector } = makeConnector();
  const keys = await testKeys();
  const site = {
    url: `http://127.0.0.1:${closedPort()}/`,
    adminName: "admin",
    privateKeyPem: keys.privateKeyPem,
  };
  const error = await rejectsWith(connector.call(site, "stats"), ChildError);
  assertEquals([error.code, error.category, error.status], ["HTTPERROR", "http", undefined]);
  assertMatch(error.message, /^HTTP error - .*Connection refused/);
});

Deno.test("a slow site runs into the per-request timeout", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    sim.site(1).controls.latencyMs = 5000;
    const started = performance.now();
    const error = await rejectsWith(connector.call(site, "stats", {}, { timeoutMs: 200 }), ChildError);
    assertEquals([error.code, error.category], ["HTTPERROR", "timeout"]);
    assertEquals(error.message, "HTTP error - Operation timed out after 200 milliseconds");
    assertLess(performance.now() - started, 1500, "no retry after a timeout");
  });
});

Deno.test("the caller can cancel a request", async () => {
  await withSimulator({ count: 1, latencyMs: 2000 }, async (sim) => {
    const { connector } = makeConnector();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejectsWith(
      connector.probe(sim.url(1), { adminUser: "admin", signal: controller.signal }),
      ChildError,
    );
    assertEquals([error.code, error.category], ["ABORTED", "aborted"]);
  });
});

Deno.test("an HTTP error status without an envelope is NOMAINWP with that status", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    sim.site(1).controls.httpStatus = 500;
    const error = await rejectsWith(connector.call(site, "stats"), ChildError);
    assertEquals([error.code, error.status], ["NOMAINWP", 500]);
  });
});

Deno.test("garbage bodies give clear errors", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector({ maxBodyBytes: 1024 * 1024 });
    const site = await registerSite(connector, sim, 1);
    const expected = {
      "html": "NOMAINWP",
      "invalid-base64": "INVALID_RESPONSE",
      "invalid-json": "INVALID_RESPONSE",
      "truncated": "INVALID_RESPONSE",
      "oversized": "TOO_LARGE",
    } as const;
    for (const [mode, code] of Object.entries(expected)) {
      sim.site(1).controls.garbage = mode as keyof typeof expected;
      const started = performance.now();
      const error = await rejectsWith(connector.call(site, "stats"), ChildError);
      assertEquals(error.code, code, mode);
      assertLess(performance.now() - started, 2000, mode);
    }
  });
});

Deno.test("a deactivated child no longer answers the protocol", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    assertEquals(await connector.call(site, "deactivate"), { deactivated: true });
    const error = await rejectsWith(connector.call(site, "stats"), ChildError);
    assertEquals([error.code, error.status], ["NOMAINWP", 200]);
    assertEquals(sim.calls(1)["#page"], undefined);
    assertEquals(sim.calls(1).stats, 2, "admin-ajax.php, then the bare URL");
  });
});

Deno.test("disconnect makes the child forget the Dashboard", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    assertEquals(await connector.call(site, "disconnect"), { result: "success" });
    assertFalse(sim.site(1).connected);
    assertStringIncludes(
      (await rejectsWith(connector.call(site, "stats"), ChildError)).message,
      "Authentication failed!",
    );
    await registerSite(connector, sim, 1);
  });
});

Deno.test("an outdated child version is reported", async () => {
  await withSimulator({ count: 1, childVersion: "3.5.2" }, async (sim) => {
    const { connector } = makeConnector();
    const keys = await testKeys();
    const result = await connector.register(sim.url(1), {
      adminUser: "admin",
      adminPassword: "admin-password",
      keys,
    });
    assertEquals([result.childVersion, result.childOutdated], ["3.5.2", true]);
    const site = { url: sim.url(1), adminName: "admin", privateKeyPem: keys.privateKeyPem };
    sim.site(1).controls.childVersion = "3.9";
    const sync = await connector.sync(site);
    assertEquals([sync.childVersion, sync.childOutdated], ["3.9", true]);
    const error = await rejectsWith(
      Promise.resolve().then(() => assertChildVersion(sync.childVersion)),
      ChildError,
    );
    assertEquals([error.code, error.status], ["mainwp_child_outdated", 400]);
  });
});

Deno.test("applied updates disappear from the next sync", async () => {
  await withSimulator({ count: 8 }, async (sim) => {
    const { connector } = makeConnector();
    const i = [1, 2, 3, 4, 5, 6, 7, 8].find((n) => {
      const p = sim.site(n).pendingUpdates;
      return p.core && p.plugins > 0 && p.themes > 0;
    }) ?? [1, 2, 3, 4, 5, 6, 7, 8].find((n) => sim.site(n).pendingUpdates.plugins > 0)!;
    const site = await registerSite(connector, sim, i);
    const before = await connector.sync(site);
    const plugins = Object.keys(before.values.plugin_upgrades ?? {});
    assertGreater(plugins.length, 0);

    const upgraded = await connector.call(site, "upgradeplugintheme", {
      type: "plugin",
      list: plugins.join(","),
    });
    assertEquals(upgraded.upgrades, Object.fromEntries(plugins.map((p) => [p, true])));
    assertEquals(upgraded.plugin_updates, []);
    const themes = Object.keys(before.values.theme_upgrades ?? {});
    if (themes.length > 0) {
      const themeReply = await connector.call(site, "upgradeplugintheme", {
        type: "theme",
        list: themes.join(","),
      });
      assertEquals((themeReply.sync as Record<string, unknown>).theme_updates, []);
    }
    const core = await connector.call(site, "upgrade");
    assertEquals(
      core.upgrade,
      before.values.wp_upgrades && !Array.isArray(before.values.wp_upgrades) ? "SUCCESS" : "NORESPONSE",
    );
    assertEquals((await connector.call(site, "upgrade")).upgrade, "NORESPONSE");

    const after = await connector.sync(site);
    assertEquals([after.values.plugin_upgrades, after.values.theme_upgrades, after.values.wp_upgrades], [
      [],
      [],
      [],
    ]);
    assertEquals(sim.site(i).pendingUpdates, {
      core: false,
      plugins: 0,
      themes: 0,
      translations: sim.site(i).pendingUpdates.translations,
    });
  });
});

Deno.test("plugin and theme actions change what the next sync reports", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    const { values } = await connector.sync(site);
    type Item = { slug: string; active: number };
    const plugin = (values.plugins as Item[]).find((p) => p.slug !== "mainwp-child/mainwp-child.php")!;
    const flipped = plugin.active ? "deactivate" : "activate";
    const reply = await connector.call(site, "plugin_action", { action: flipped, plugin: plugin.slug });
    assertEquals(reply.status, "SUCCESS");
    const synced = (reply.sync as { plugins: Item[] }).plugins.find((p) => p.slug === plugin.slug)!;
    assertEquals(synced.active, plugin.active ? 0 : 1);
    await connector.call(site, "plugin_action", { action: "delete", plugin: plugin.slug });
    const afterDelete = (await connector.sync(site)).values.plugins as Item[];
    assertFalse(afterDelete.some((p) => p.slug === plugin.slug));

    const themes = values.themes as Item[];
    const active = themes.find((t) => t.active)!;
    const deleteActive = await connector.call(site, "theme_action", { action: "delete", theme: active.slug });
    assertEquals(deleteActive, { error: { is_activated_theme: active.slug } });
    const other = themes.find((t) => !t.active)!;
    const activated = await connector.call(site, "theme_action", { action: "activate", theme: other.slug });
    assertEquals((activated.sync as { themes: Item[] }).themes.find((t) => t.active)?.slug, other.slug);
  });
});

Deno.test("security check and fix", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    const checks = await connector.call(site, "security");
    assertEquals(Object.keys(checks).length, 10);
    await connector.call(site, "securityFix", { feature: "all" });
    const fixed = await connector.call(site, "security");
    assertEquals(fixed.db_reporting, "Y");
  });
});

Deno.test("before/after actions fire around each request without secrets", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const { connector, hooks } = makeConnector();
    const site = await registerSite(connector, sim, 1);
    const events: [string, ChildRequestInfo, ChildRequestOutcome?][] = [];
    hooks.addAction("mainwp_before_child_request", (info: ChildRequestInfo) => events.push(["before", info]));
    hooks.addAction(
      "mainwp_after_child_request",
      (info: ChildRequestInfo, out: ChildRequestOutcome) => events.push(["after", info, out]),
    );
    await connector.call(site, "stats");
    await rejectsWith(connector.call(site, "nope"), ChildError);
    assertEquals(events.map(([kind, info]) => [kind, info.function]), [
      ["before", "stats"],
      ["after", "stats"],
      ["before", "nope"],
      ["after", "nope"],
    ]);
    assertEquals(events[1][2]?.status, 200);
    assertEquals(events[3][2]?.error?.code, "child_plugin_incompatible");
    assertFalse(JSON.stringify(events).includes("PRIVATE KEY"));
  });
});

async function inFlightPeak(
  run: () => Promise<unknown>[],
  sim: { resetMetrics(): void; metrics(): { maxInFlight: number } },
) {
  sim.resetMetrics();
  await Promise.all(run());
  return sim.metrics().maxInFlight;
}

Deno.test("never more than maxConcurrent requests in flight", async () => {
  await withSimulator({ count: 6, latencyMs: 120 }, async (sim) => {
    const { connector } = makeConnector({ maxConcurrent: 2, maxPerHost: 10 });
    const probes = () => [1, 2, 3, 4, 5, 6].map((i) => connector.probe(sim.url(i), { adminUser: "admin" }));
    assertEquals(await inFlightPeak(probes, sim), 2);
    assertEquals(connector.load, { active: 0, waiting: 0 });
  });
});

Deno.test("the per-host limit applies to sites sharing a host", async () => {
  await withSimulator({ count: 4, latencyMs: 80 }, async (sim) => {
    const { connector } = makeConnector({ maxConcurrent: 4, maxPerHost: 1 });
    const checks = () => [1, 2, 3, 4].map((i) => connector.checkSite(sim.url(i)));
    assertEquals(await inFlightPeak(checks, sim), 1);
  });
});

Deno.test("the concurrency filters override the constructor limits", async () => {
  await withSimulator({ count: 6, latencyMs: 100 }, async (sim) => {
    const { connector, hooks } = makeConnector({ maxConcurrent: 1, maxPerHost: 1 });
    hooks.addFilter("fleetpress_child_max_concurrent", () => 3);
    hooks.addFilter("fleetpress_child_max_per_host", () => 0);
    const probes = () => [1, 2, 3, 4, 5, 6].map((i) => connector.probe(sim.url(i), { adminUser: "admin" }));
    assertEquals(await inFlightPeak(probes, sim), 3);
  });
});

Deno.test("refused URLs never reach the network", async () => {
  const { connector, hooks } = makeConnector();
  const keys = await testKeys();
  let requests = 0;
  hooks.addAction("mainwp_before_child_request", () => requests++);
  for (
    const url of ["http://169.254.169.254/", "ftp://127.0.0.1/", "http://[fe80::1]/", "http://10.0.0.8/"]
  ) {
    const site = { url, adminName: "admin", privateKeyPem: keys.privateKeyPem };
    assertEquals((await rejectsWith(connector.call(site, "stats"), ChildError)).code, "URL_NOT_ALLOWED", url);
    assertEquals((await rejectsWith(connector.checkSite(url), ChildError)).code, "URL_NOT_ALLOWED", url);
  }
  await rejectsWith(connector.register("http://169.254.169.254/", { adminUser: "admin", keys }), ChildError);
  assertEquals(requests, 0);
});

Deno.test("redirects are followed on protocol calls, each hop checked by the guard", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    let target = sim.url(1) + "wp-admin/admin-ajax.php";
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
      await request.body?.cancel();
      return new Response(null, { status: 307, headers: { location: target } });
    });
    try {
      const { connector } = makeConnector();
      const url = `http://127.0.0.1:${server.addr.port}/`;
      assertEquals((await connector.probe(url, { adminUser: "admin" })).version, "6.1");
      target = "http://169.254.169.254/latest/meta-data/";
      assertEquals(
        (await rejectsWith(connector.probe(url, { adminUser: "admin" }), ChildError)).code,
        "URL_NOT_ALLOWED",
      );
      target = url;
      const loop = await rejectsWith(connector.probe(url, { adminUser: "admin" }), ChildError);
      assertEquals([loop.code, loop.message], ["HTTPERROR", "HTTP error - Maximum (10) redirects followed"]);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("checkSite: online by up-codes and keyword, offline sites and dead hosts", async () => {
  await withSimulator({ count: 2 }, async (sim) => {
    const { connector, hooks } = makeConnector();
    const online = await connector.checkSite(sim.url(1));
    assertEquals([online.online, online.httpCode, online.httpCodeString, online.url], [
      true,
      200,
      "OK",
      sim.url(1),
    ]);
    assertEquals((await connector.checkSite(sim.url(1), { method: "post" })).online, true);
    assertEquals((await connector.checkSite(sim.url(1), { method: "head" })).httpCode, 200);
    assertEquals((await connector.checkSite(sim.url(1), { keyword: "just ANOTHER" })).keywordFound, true);
    const missing = await connector.checkSite(sim.url(1), { keyword: "checkout" });
    assertEquals([missing.online, missing.keywordFound], [false, false]);

    sim.site(2).controls.offline = true;
    const down = await connector.checkSite(sim.url(2));
    assertEquals([down.online, down.httpCode, down.httpCodeString], [false, 503, "Service Unavailable"]);
    hooks.addFilter("fleetpress_check_site_up_codes", (codes: number[]) => [...codes, 503]);
    assertEquals((await connector.checkSite(sim.url(2))).online, true);

    const dead = await connector.checkSite(`http://127.0.0.1:${closedPort()}/`);
    assertEquals([dead.online, dead.httpCode], [false, 0]);
    assertMatch(dead.error ?? "", /^HTTP error - /);
  });
});

Deno.test("checkSite follows no redirects unless mainwp_try_visit_follow_location says so", async () => {
  await withSimulator({ count: 1 }, async (sim) => {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response(null, { status: 301, headers: { location: sim.url(1) } }),
    );
    try {
      const { connector, hooks } = makeConnector();
      const url = `http://127.0.0.1:${server.addr.port}/`;
      assertEquals([(await connector.checkSite(url)).httpCode, (await connector.checkSite(url)).online], [
        301,
        false,
      ]);
      hooks.addFilter("mainwp_try_visit_follow_location", () => true);
      assertEquals((await connector.checkSite(url)).httpCode, 200);
    } finally {
      await server.shutdown();
    }
  });
});
