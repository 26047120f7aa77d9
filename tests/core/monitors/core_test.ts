/**
 * Monitor core units: MainWP's status decision and settings resolution, the claim (at most one per due
 * time, also when many claim at once), the lifecycle (a monitor per site, removed with it), heartbeat
 * retention filter and the heartbeat window parser of the routes.
 */
import { assert, assertEquals } from "@std/assert";
import { decide, retentionDays } from "../../../core/monitors/check.ts";
import { type EffectiveSettings, intervalMs, resolveSettings } from "../../../core/monitors/settings.ts";
import {
  claimDueCheck,
  createMonitor,
  removeMonitor,
  rescheduleMonitors,
} from "../../../core/monitors/schedule.ts";
import { updateGlobalMonitorSettings, updateMonitorSettings } from "../../../core/monitors/settings.ts";
import {
  DEFAULT_GLOBAL_SETTINGS,
  DEFAULT_OVERRIDES,
  getMonitorState,
  listDueMonitors,
} from "../../../store/monitors.ts";
import { keys } from "../../../store/keys.ts";
import { createSite } from "../../../store/sites.ts";
import { testApp } from "../../helpers.ts";

const settings = (over: Partial<EffectiveSettings> = {}): EffectiveSettings => ({
  active: true,
  type: "http",
  method: "get",
  intervalMinutes: 5,
  timeoutSeconds: 60,
  maxretries: 1,
  upCodes: [200],
  keyword: "",
  ...over,
});

Deno.test("decide: UP on an up-code; PENDING while retries are left; DOWN after; no answer is down", () => {
  const ok = { httpCode: 200, httpCodeString: "OK", responseTimeMs: 5 };
  const fail = { httpCode: 500, httpCodeString: "Internal Server Error", responseTimeMs: 5 };
  assertEquals(decide(ok, settings(), 1), { status: 1, retries: 0, retry: false, msg: "200 - up! OK" });
  assertEquals(decide(fail, settings(), 0).status, 2);
  assertEquals(decide(fail, settings(), 0).retries, 1);
  assertEquals(decide(fail, settings(), 1), {
    status: 0,
    retries: 1,
    retry: false,
    msg: "500 - down. Internal Server Error",
  });
  assertEquals(decide(fail, settings({ maxretries: 0 }), 0).status, 0);
  const none = { httpCode: 0, httpCodeString: "", responseTimeMs: 0, error: "connection refused" };
  assertEquals(decide(none, settings({ maxretries: 0 }), 0).msg, "0 - down. Error: connection refused");
  const missing = { ...ok, keywordFound: false };
  assertEquals(decide(missing, settings({ maxretries: 0 }), 0).status, 0);
  assert(decide(missing, settings({ maxretries: 0 }), 0).msg.includes("Keyword not found"));
  assertEquals(decide(ok, settings({ upCodes: [301] }), 0).status, 2);
});

Deno.test("resolveSettings: -1 / useglobal follow the global settings; useglobal inside up-codes", () => {
  const global = { ...DEFAULT_GLOBAL_SETTINGS, active: 1 as const, keyword: "Shop" };
  const all = resolveSettings(global, DEFAULT_OVERRIDES);
  assertEquals(all, {
    active: true,
    type: "http",
    method: "head",
    intervalMinutes: 60,
    timeoutSeconds: 60,
    maxretries: 1,
    upCodes: [200, 201, 202, 203, 204, 205, 206],
    keyword: "Shop",
  });
  const own = resolveSettings(global, {
    ...DEFAULT_OVERRIDES,
    active: 0,
    type: "keyword",
    keyword: "Cart",
    interval: 5,
    up_status_codes: "useglobal,301",
  });
  assertEquals([own.active, own.type, own.keyword, own.intervalMinutes], [false, "keyword", "Cart", 5]);
  assertEquals(own.upCodes, [200, 201, 202, 203, 204, 205, 206, 301]);
});

Deno.test("monitor lifecycle: created with the site, scheduled when monitoring is on, removed with it", async () => {
  const t = await testApp();
  try {
    const ctx = t.ctx;
    const created = await createSite(ctx.kv, { url: "https://a.test/", name: "A" });
    assert("site" in created);
    const id = created.site.id;
    await createMonitor(ctx, id);
    assertEquals((await getMonitorState(ctx.kv, id))?.due, null, "monitoring is off by default (MainWP)");
    await updateGlobalMonitorSettings(ctx, { active: true });
    const state = await getMonitorState(ctx.kv, id);
    assert(state?.due !== null && state?.due !== undefined);
    assertEquals((await listDueMonitors(ctx.kv, Date.now() + 1, 10)).map((d) => d.siteId), [id]);
    await updateMonitorSettings(ctx, id, { active: 0 });
    assertEquals((await getMonitorState(ctx.kv, id))?.due, null);
    assertEquals(await listDueMonitors(ctx.kv, Date.now() + 1, 10), []);
    await ctx.kv.set(keys.monitorHeartbeat(id, 1, 1), { id: 1 });
    await removeMonitor(ctx, id);
    const left: unknown[] = [];
    for await (const e of ctx.kv.list({ prefix: [] })) {
      if (String(e.key[0]).startsWith("monitor")) left.push(e.key);
    }
    assertEquals(left, []);
  } finally {
    await t.close();
  }
});

Deno.test("claimDueCheck: of twenty claims at once exactly one wins; the next due time is an interval on", async () => {
  const t = await testApp();
  try {
    const ctx = t.ctx;
    ctx.hooks.addFilter("fleetpress_monitor_interval_seconds", () => 10);
    const created = await createSite(ctx.kv, { url: "https://a.test/", name: "A" });
    assert("site" in created);
    const id = created.site.id;
    await updateGlobalMonitorSettings(ctx, { active: true });
    await rescheduleMonitors(ctx, [id]);
    const due = (await getMonitorState(ctx.kv, id))!.due!;
    const now = due + 5;
    const claims = await Promise.all(Array.from({ length: 20 }, () => claimDueCheck(ctx, id, null, now)));
    const won = claims.filter((c) => c !== null);
    assertEquals(won.length, 1);
    assertEquals(won[0]!.due, due);
    assertEquals((await getMonitorState(ctx.kv, id))!.due, due + 10_000);
    assertEquals(await claimDueCheck(ctx, id, null, now), null, "not due again before the interval");
    // A stale queue message (old sequence) does nothing.
    const state = (await getMonitorState(ctx.kv, id))!;
    assertEquals(await claimDueCheck(ctx, id, state.seq - 1, due + 20_000), null);
    assert((await claimDueCheck(ctx, id, state.seq, due + 20_000)) !== null);
    // Missed runs are not made up: the next one is an interval after now.
    assertEquals((await getMonitorState(ctx.kv, id))!.due, due + 30_000);
  } finally {
    await t.close();
  }
});

Deno.test("filters: interval seconds and retention days, with their defaults for non-numbers", async () => {
  const t = await testApp();
  try {
    const monitor = { siteId: 1, url: "https://a.test/" };
    assertEquals(await intervalMs(t.ctx, monitor, 5), 300_000);
    assertEquals(await retentionDays(t.ctx), 30);
    t.ctx.hooks.addFilter("fleetpress_monitor_interval_seconds", () => "soon");
    t.ctx.hooks.addFilter("fleetpress_monitor_retention_days", () => -3);
    assertEquals(await intervalMs(t.ctx, monitor, 5), 300_000);
    assertEquals(await retentionDays(t.ctx), 30);
    t.ctx.hooks.addFilter("fleetpress_monitor_interval_seconds", () => 2, 20);
    assertEquals(await intervalMs(t.ctx, monitor, 5), 2_000);
  } finally {
    await t.close();
  }
});
