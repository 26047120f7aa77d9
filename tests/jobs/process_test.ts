import { assert, assertEquals } from "@std/assert";
import { simulatedFleet } from "../../bench/fleet.ts";
import { type ServerProcess, startServerProcess } from "../../bench/server.ts";

const PLUGINS = "./bench/plugins/connector-64.ts,./bench/plugins/fast-jobs.ts";

// deno-lint-ignore no-explicit-any
async function getJson(server: ServerProcess, path: string, token: string): Promise<any> {
  const res = await fetch(`${server.base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return await res.json();
}

/** Polls the job (bounded) until `done` says so; returns the last status. */
async function waitFor(
  server: ServerProcess,
  token: string,
  id: string,
  done: (s: { status: string; processed: number }) => boolean,
  limitMs: number,
) {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const status = await getJson(server, `/mainwp/v2/jobs/${id}`, token);
    if (done(status)) return status;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`job ${id} not there within ${limitMs} ms`);
}

Deno.test({
  name: "crash: a server killed with SIGKILL mid-job resumes after restart; at most one chunk repeats",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fleet = await simulatedFleet({ sites: 500, latencyMs: 20 });
    const env = { ...fleet.serverEnv, PLUGINS, JOB_LEASE_SECONDS: "2" };
    let server = await startServerProcess(env);
    try {
      const res = await fetch(`${server.base}/mainwp/v2/sites/sync`, {
        method: "POST",
        headers: { Authorization: `Bearer ${fleet.token}` },
      });
      const queued = await res.json();
      assertEquals([queued.success, queued.total], [1, 500]);
      await waitFor(server, fleet.token, queued.job_id, (s) => s.processed >= 160, 60_000);
      await server.kill("SIGKILL");
      server = await startServerProcess(env);
      const end = await waitFor(server, fleet.token, queued.job_id, (s) => s.status !== "processing", 90_000);
      assertEquals([end.status, end.processed, end.total, end.succeeded, end.failed], [
        "completed",
        500,
        500,
        500,
        0,
      ]);
      const counts = fleet.siteIds.map((_, i) => fleet.sim.calls(i + 1).stats ?? 0);
      assertEquals(counts.filter((n) => n === 0).length, 0, "every site was synced");
      const repeated = counts.filter((n) => n > 1).length;
      console.log(`sites synced twice after the crash: ${repeated} (chunk size 20)`);
      assert(repeated <= 20, `${repeated} sites were synced twice`);
    } finally {
      await server[Symbol.asyncDispose]();
    }
  },
});

Deno.test({
  name: "two server processes on one KV file share a job's chunks; each site is processed once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fleet = await simulatedFleet({ sites: 200, latencyMs: 10 });
    const env = { ...fleet.serverEnv, PLUGINS, FAST_JOBS_CHUNK: "5", JOB_WORKERS: "4" };
    await using a = await startServerProcess(env);
    await using b = await startServerProcess(env);
    const res = await fetch(`${a.base}/mainwp/v2/sites/sync`, {
      method: "POST",
      headers: { Authorization: `Bearer ${fleet.token}` },
    });
    const queued = await res.json();
    // Process B also picks the job up: its recovery pass and its own queue listener see A's lanes.
    const end = await waitFor(b, fleet.token, queued.job_id, (s) => s.status === "completed", 60_000);
    assertEquals([end.processed, end.succeeded], [200, 200]);
    const counts = fleet.siteIds.map((_, i) => fleet.sim.calls(i + 1).stats ?? 0);
    assertEquals(counts.filter((n) => n !== 1), []);
  },
});
