/**
 * Uptime monitors end to end against the simulator: a site goes down → a retry (PENDING) → DOWN with an
 * incident opened and `fleetpress_incident_opened` fired; it comes back → the incident closes. Two
 * runners on one KV file (queue and poll mode) never check one due time twice; a restart loses nothing.
 * Intervals are shortened with `fleetpress_monitor_interval_seconds`; every wait is bounded.
 */
import { assert, assertEquals } from "@std/assert";
import { simulatedApp, withDeadline } from "../../helpers.ts";
import { createApp } from "../../../app.ts";
import { loadConfig } from "../../../lib/config.ts";
import { startChildSimulator } from "../../../sim/server.ts";
import { createSite } from "../../../store/sites.ts";
import { getMonitorState, type Heartbeat, listHeartbeats, listIncidents } from "../../../store/monitors.ts";
import type { IncidentEvent } from "../../../hooks/types.ts";
import type { AppContext } from "../../../app-context.ts";
import { updateGlobalMonitorSettings } from "../../../core/monitors/settings.ts";
import { MonitorRunner } from "../../../core/monitors/runner.ts";

/** Waits (bounded) until `test` holds, polling every 50 ms. */
async function until(what: string, test: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const allBeats = (ctx: AppContext, siteId: number) =>
  listHeartbeats(ctx.kv, siteId, { from: 0, to: Date.now() + 60_000 });

/** No monitor's due time was checked twice, and a monitor's scheduled checks are an interval apart. */
function assertOncePerDue(beats: Heartbeat[], intervalMs: number, retryMs: number): void {
  const dues = beats.filter((b) => b.lateMs !== null).map((b) => b.time - b.lateMs!);
  assertEquals(new Set(dues).size, dues.length, `a due time was checked twice: ${dues.join(", ")}`);
  const sorted = [...dues].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    assert(
      sorted[i] - sorted[i - 1] >= Math.min(intervalMs, retryMs),
      `checks too close: ${sorted.join(", ")}`,
    );
  }
}

Deno.test("a site goes down: retry, then DOWN with an incident and its hook; back up: the incident closes", async () => {
  const { t, sim, token, close } = await simulatedApp(1, { add: true });
  const stop = { fn: async () => {} };
  try {
    const ctx = t.ctx;
    ctx.hooks.addFilter("fleetpress_monitor_interval_seconds", () => 0.3);
    const opened: IncidentEvent[] = [];
    const closed: IncidentEvent[] = [];
    ctx.hooks.addAction("fleetpress_incident_opened", (e: IncidentEvent) => void opened.push(e));
    ctx.hooks.addAction("fleetpress_incident_closed", (e: IncidentEvent) => void closed.push(e));
    const res = await t.call("PUT", "/wp-json/mainwp/v2/monitors/settings", {
      token,
      json: { active: true, maxretries: 1, method: "get" },
    });
    assertEquals(res.status, 200, res.text);
    stop.fn = ctx.monitors.start();

    await until("an UP check", async () => (await getMonitorState(ctx.kv, 1))?.lastStatus === 1);
    sim.site(1).controls.httpStatus = 500;
    await until("the incident to open", () => opened.length === 1);
    const beats = await allBeats(ctx, 1);
    const firstDown = beats.findIndex((b) => b.httpCode === 500);
    assertEquals(beats[firstDown].status, 2, "the first failed check is PENDING (a retry follows)");
    assertEquals(beats[firstDown + 1].status, 0, "the retry finds it DOWN");
    assertEquals(beats[firstDown + 1].importance, 1);
    assertEquals(opened[0].siteId, 1);
    assertEquals(opened[0].endedAt, null);
    assert(opened[0].cause.startsWith("500 - down."), opened[0].cause);

    sim.site(1).controls.httpStatus = null;
    await until("the incident to close", () => closed.length === 1);
    assertEquals(closed[0].incidentId, opened[0].incidentId);
    assert(closed[0].endedAt !== null);
    const [incident] = await listIncidents(ctx.kv, 1);
    assert(incident.ended !== null && incident.downCount >= 1);
    assertEquals(opened.length, 1, "DOWN checks during the incident open no second one");

    const list = await t.call("GET", "/wp-json/mainwp/v2/monitors/1/incidents", { token });
    assertEquals(list.body.success, 1);
    assertEquals(list.body.data[0].resolved, true);
    const count = await t.call("GET", "/wp-json/mainwp/v2/monitors/1/incidents/count", { token });
    assertEquals(count.body.count, list.body.data[0].down_count);
    await stop.fn();
    stop.fn = async () => {};
    assertOncePerDue(await allBeats(ctx, 1), 300, 300);
  } finally {
    await stop.fn();
    await close();
  }
});

/** Two apps (two processes' worth: own hooks, connector and runner) on one KV file. */
async function appsOnOneFile(mode: "queue" | "poll", count: number) {
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-monitors-" });
  const path = `${dir}/kv.sqlite`;
  const sim = await startChildSimulator({ count });
  const seed = await Deno.openKv(path);
  for (let i = 1; i <= count; i++) await createSite(seed, { url: sim.url(i), name: `Sim ${i}` });
  seed.close();
  const open = async () => {
    const kv = await Deno.openKv(path);
    const config = loadConfig({
      KV_PATH: path,
      PUBLIC_URL: "https://dashboard.test",
      SECRET_KEY: "0123456789abcdef0123",
      JOBS_MODE: mode,
    });
    const { ctx } = await createApp({
      config,
      kv,
      child: { maxPerHost: 16, maxConcurrent: 16, timeoutMs: 1500 },
    });
    ctx.hooks.addFilter("fleetpress_monitor_interval_seconds", () => 0.4);
    return ctx;
  };
  return {
    sim,
    open,
    async close() {
      await sim.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

for (const mode of ["queue", "poll"] as const) {
  Deno.test(`${mode} mode: two runners on one KV never check one due time twice; a restart loses nothing`, async () => {
    const env = await appsOnOneFile(mode, 3);
    const a = await env.open();
    const b = await env.open();
    const stops: (() => Promise<void>)[] = [];
    const cleanups: (() => void)[] = [];
    try {
      await updateGlobalMonitorSettings(a, { active: true, maxretries: 0, method: "get" });
      const closeAll = () => {
        for (const ctx of [a, b]) {
          try {
            ctx.kv.close();
          } catch { /* closed by the restart */ }
        }
      };
      cleanups.push(closeAll);
      stops.push(a.monitors.start(), b.monitors.start());
      await withDeadline(
        until("three checks of each monitor", async () => {
          for (let i = 1; i <= 3; i++) if ((await allBeats(a, i)).length < 3) return false;
          return true;
        }),
        20_000,
        "the first checks",
      );
      // Site 2 goes down before the restart: its incident opens in the first processes.
      env.sim.site(2).controls.httpStatus = 500;
      await withDeadline(
        until("site 2's incident", async () => (await listIncidents(a.kv, 2)).length === 1),
        20_000,
        "the incident",
      );
      // A "restart": both runners stop and their stores close; a fresh process on the same file takes over
      // (re-sending, after a second, a run whose queue message went with a closed store).
      await Promise.all(stops.splice(0).map((s) => s()));
      const before = await Promise.all([1, 2, 3].map(async (i) => (await allBeats(a, i)).length));
      a.kv.close();
      b.kv.close();
      env.sim.site(2).controls.httpStatus = null;
      const c = await env.open();
      const closed: IncidentEvent[] = [];
      c.hooks.addAction("fleetpress_incident_closed", (e: IncidentEvent) => void closed.push(e));
      try {
        stops.push(new MonitorRunner(() => c, { mode, recoveryMs: 1000 }).start());
        await withDeadline(
          until("checks after the restart", async () => {
            for (let i = 1; i <= 3; i++) if ((await allBeats(c, i)).length < before[i - 1] + 2) return false;
            return closed.length === 1;
          }),
          20_000,
          "the checks after the restart",
        );
        await Promise.all(stops.splice(0).map((s) => s()));
        for (let i = 1; i <= 3; i++) assertOncePerDue(await allBeats(c, i), 400, 400);
        // The incident opened before the restart is the one closed after it; no second one opened.
        const incidents = await listIncidents(c.kv, 2);
        assertEquals(incidents.length, 1);
        assertEquals(closed[0].incidentId, String(incidents[0].started));
        assertEquals((await getMonitorState(c.kv, 2))?.lastStatus, 1);
      } finally {
        await Promise.all(stops.splice(0).map((s) => s()));
        c.kv.close();
      }
    } finally {
      await Promise.all(stops.map((s) => s()));
      for (const cleanup of cleanups) cleanup();
      await env.close();
    }
  });
}
