/**
 * @module
 * A queued batch over MCP: with a `progressToken`, the tool call follows the job and the client gets
 * progress notifications fed by the job engine until the job completes; without one, it answers the
 * queued job at once (as `/run` does).
 *
 * @example
 * ```sh
 * deno test -A tests/mcp/progress_test.ts
 * ```
 */
import { assert, assertEquals } from "@std/assert";
import { withDeadline } from "../helpers.ts";
import { mcpApp } from "./_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("MCP progress: a queued sync reports the job's progress until it completes", async () => {
  const env = await mcpApp({ sites: 3 });
  const stop = env.ctx.jobs.start();
  try {
    const hooks = env.ctx.hooks;
    hooks.addFilter("mainwp_abilities_batch_threshold", () => 2);
    hooks.addFilter("mainwp_abilities_cron_chunk_size", () => 1);
    hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0);
    hooks.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0);
    const client = await env.client(env.basic);

    const quiet: Json = await client.callTool({ name: "sync_sites_v1", arguments: {} });
    assertEquals(quiet.structuredContent.queued, true, JSON.stringify(quiet));
    assertEquals(quiet.content.length, 1, "no progressToken: the queued answer at once");

    const seen: { progress: number; total?: number; message?: string }[] = [];
    const result: Json = await withDeadline(
      client.callTool({ name: "sync_sites_v1", arguments: {} }, undefined, {
        onprogress: (p: { progress: number; total?: number; message?: string }) => seen.push(p),
        resetTimeoutOnProgress: true,
        timeout: 30_000,
      }),
      45_000,
      "the followed sync",
    );
    assert(!result.isError, JSON.stringify(result));
    assertEquals(result.structuredContent.queued, true);
    assertEquals(result.structuredContent.sites_queued, 3);
    const final = JSON.parse(result.content[1].text).job_status;
    assertEquals([final.job_id, final.status, final.processed, final.total], [
      result.structuredContent.job_id,
      "completed",
      3,
      3,
    ]);
    assert(seen.length >= 1, "at least one progress notification");
    assertEquals(seen.at(-1), { progress: 3, total: 3, message: seen.at(-1)!.message });
    assert(seen.at(-1)!.message?.includes("completed"));
    for (let i = 1; i < seen.length; i++) {
      assert(seen[i].progress >= seen[i - 1].progress, "progress never goes back");
    }
  } finally {
    await stop();
    await env.close();
  }
});
