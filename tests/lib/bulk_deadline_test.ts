import { assertEquals, assertRejects } from "@std/assert";
import { testApp } from "../helpers.ts";
import {
  BULK_DEADLINE_SECONDS,
  bulkDeadlineMs,
  bulkWorkSettled,
  mapUntilDeadline,
} from "../../lib/bulk-deadline.ts";

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

Deno.test("the deadline comes from fleetpress_bulk_deadline; 0, negative and huge values turn it off", async () => {
  const t = await testApp();
  try {
    assertEquals(await bulkDeadlineMs(t.ctx), BULK_DEADLINE_SECONDS * 1000);
    let value: unknown = 1.5;
    t.ctx.hooks.addFilter("fleetpress_bulk_deadline", () => value);
    assertEquals(await bulkDeadlineMs(t.ctx), 1500);
    for (const off of [0, -3, Infinity, 1e12]) {
      value = off;
      assertEquals(await bulkDeadlineMs(t.ctx), Infinity, String(off));
    }
    value = "not a number";
    assertEquals(await bulkDeadlineMs(t.ctx), BULK_DEADLINE_SECONDS * 1000);
  } finally {
    await t.close();
  }
});

Deno.test("items not done by the deadline get their late answer; their work ends in the background", async () => {
  const t = await testApp();
  try {
    t.ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 0.05);
    const held = gate();
    const finished: number[] = [];
    const run = await mapUntilDeadline(t.ctx, [1, 2, 3], 2, async (n) => {
      if (n === 1) await held.promise;
      finished.push(n);
      return `done ${n}`;
    }, (n, ms) => `late ${n} after ${ms} ms`);
    assertEquals(run.results, ["late 1 after 50 ms", "done 2", "done 3"]);
    assertEquals(run.late, [0]);
    held.open();
    await bulkWorkSettled(t.ctx);
    await run.settled;
    assertEquals(finished.sort(), [1, 2, 3]);
  } finally {
    await t.close();
  }
});

Deno.test("a failure before the deadline fails the call; one after it is logged, not thrown", async () => {
  const t = await testApp();
  const logged: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    const early = await assertRejects(async () => {
      await mapUntilDeadline(t.ctx, [1], 1, () => Promise.reject(new Error("early")), () => "late");
    });
    assertEquals((early as Error).message, "early");
    t.ctx.hooks.addFilter("fleetpress_bulk_deadline", () => 0.05);
    const held = gate();
    const run = await mapUntilDeadline(t.ctx, [1], 1, async () => {
      await held.promise;
      throw new Error("after the answer");
    }, () => "late");
    assertEquals(run.results, ["late"]);
    held.open();
    await bulkWorkSettled(t.ctx);
    assertEquals(logged.length, 1);
  } finally {
    console.error = original;
    await t.close();
  }
});
