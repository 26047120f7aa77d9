import { assert, assertEquals } from "@std/assert";
import { runCli } from "../../cli/main.ts";
import { testApp, withDeadline } from "../helpers.ts";
import { createSite } from "../../store/sites.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const draw: string[] = [];
  return {
    io: {
      out: (l: string) => void out.push(l),
      err: (l: string) => void err.push(l),
      draw: (l: string) => void draw.push(l),
    },
    out,
    err,
    draw,
  };
}

Deno.test("job show draws a progress bar; --follow redraws until the job ends; job list; unknown id", async () => {
  const t = await testApp({ env: { JOBS_MODE: "poll" } });
  try {
    for (let i = 1; i <= 4; i++) await createSite(t.ctx.kv, { url: `https://s${i}.example`, name: `S${i}` });
    t.ctx.hooks.addFilter("mainwp_abilities_cron_chunk_size", () => 1);
    t.ctx.hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0.05);
    t.ctx.hooks.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0.02);
    const job = await t.ctx.jobs.queue({ type: "suspend", sites: [1, 2, 3, 4] });
    const before = capture();
    assertEquals(await runCli(["job", "show", job.job_id], t.ctx.kv, before.io), 0);
    assert(before.out[0].endsWith(`[${"-".repeat(30)}]   0%  0/4  ok 0  failed 0  queued`), before.out[0]);
    const stop = t.ctx.jobs.start();
    const follow = capture();
    const code = await withDeadline(
      runCli(["job", "show", job.job_id, "--follow"], t.ctx.kv, follow.io),
      15_000,
      "job show --follow",
    );
    assertEquals(code, 0);
    await stop();
    assert(follow.draw.length >= 2, follow.draw.join("\n"));
    assert(follow.out.at(-1)!.endsWith(`[${"#".repeat(30)}] 100%  4/4  ok 4  failed 0  completed`));
    const list = capture();
    await runCli(["job", "list"], t.ctx.kv, list.io);
    assertEquals(list.out.length, 1);
    const missing = capture();
    assertEquals(await runCli(["job", "show", "sync_nope"], t.ctx.kv, missing.io), 1);
  } finally {
    await t.close();
  }
});
