/** The commit scheduler on its own: shared commits, per-write checks, conflicts redone write by write. */
import { assertEquals, assertRejects } from "@std/assert";
import { CommitScheduler, markRemoteKv, type PreparedWrite } from "../../store/commit-scheduler.ts";

/** A write that adds `by` to the counter `name` (read, checked, set), optionally with a racing hook. */
interface Bump {
  name: string;
  by: number;
  /** Runs after the read and before the commit (a racing writer), on the first preparation only. */
  race?: (kv: Deno.Kv) => Promise<void>;
  /** `prepare` finds nothing to write. */
  skip?: boolean;
  /** `prepare` fails. */
  fail?: boolean;
}

function counters(options: { maxWrites?: number; maxWritesRemote?: number; maxBytes?: number } = {}) {
  let finished = 0;
  const scheduler = new CommitScheduler<Bump, number>({
    ...options,
    identity: (bump) => bump.name,
    finish: (op) => {
      finished++;
      op.sum(["commits"], 1n);
    },
    prepare: async (kv, bump): Promise<PreparedWrite<number> | null> => {
      if (bump.fail) throw new Error(`cannot prepare ${bump.name}`);
      if (bump.skip) return null;
      const entry = await kv.get<number>(["count", bump.name]);
      const race = bump.race;
      bump.race = undefined;
      await race?.(kv);
      const next = (entry.value ?? 0) + bump.by;
      return { result: next, bytes: 100, apply: (op) => op.check(entry).set(["count", bump.name], next) };
    },
  });
  return { scheduler, finished: () => finished };
}

async function commits(kv: Deno.Kv): Promise<number> {
  return Number((await kv.get<Deno.KvU64>(["commits"])).value?.value ?? 0n);
}

Deno.test("writes of one turn share commits, at most maxWrites each", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { scheduler } = counters({ maxWrites: 40 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => scheduler.submit(kv, { name: `c${i}`, by: i + 1 })),
    );
    assertEquals(results, Array.from({ length: 100 }, (_, i) => i + 1));
    assertEquals(await commits(kv), 3);
    // Writes of one commit share its versionstamp.
    const stamps = new Set<string>();
    for (let i = 0; i < 100; i++) stamps.add((await kv.get(["count", `c${i}`])).versionstamp!);
    assertEquals(stamps.size, 3);
  } finally {
    kv.close();
  }
});

Deno.test("maxBytes closes a group early; a remote handle takes maxWritesRemote", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const bySize = counters({ maxWrites: 40, maxBytes: 250 });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => bySize.scheduler.submit(kv, { name: `b${i}`, by: 1 })),
    );
    assertEquals(await commits(kv), 3);
    const remote = await Deno.openKv(":memory:");
    try {
      markRemoteKv(remote);
      const small = counters({ maxWrites: 40, maxWritesRemote: 4 });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => small.scheduler.submit(remote, { name: `r${i}`, by: 1 })),
      );
      assertEquals(await commits(remote), 3);
    } finally {
      remote.close();
    }
  } finally {
    kv.close();
  }
});

Deno.test("one identity twice in a turn: never in one commit, both applied", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { scheduler } = counters();
    const results = await Promise.all([
      scheduler.submit(kv, { name: "same", by: 1 }),
      scheduler.submit(kv, { name: "other", by: 5 }),
      scheduler.submit(kv, { name: "same", by: 10 }),
    ]);
    assertEquals(results[0], 1);
    assertEquals(results[1], 5);
    // Prepared from the same read as the first, its check failed and it was redone on fresh data.
    assertEquals(results[2], 11);
    assertEquals((await kv.get<number>(["count", "same"])).value, 11);
  } finally {
    kv.close();
  }
});

Deno.test("a conflicting shared commit is redone write by write: no update lost", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { scheduler, finished } = counters();
    const results = await Promise.all([
      scheduler.submit(kv, { name: "a", by: 1 }),
      // Someone else bumps "b" between its read and the shared commit.
      scheduler.submit(kv, {
        name: "b",
        by: 2,
        race: async (kv) => {
          await kv.set(["count", "b"], 100);
        },
      }),
      scheduler.submit(kv, { name: "c", by: 3 }),
    ]);
    assertEquals(results, [1, 102, 3]);
    assertEquals((await kv.get<number>(["count", "b"])).value, 102);
    // The shared commit failed whole (nothing of it landed), then three commits of one write each.
    assertEquals(await commits(kv), 3);
    assertEquals(finished(), 4);
  } finally {
    kv.close();
  }
});

Deno.test("nothing to write resolves null; a failing preparation rejects only its own write", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { scheduler } = counters();
    const skipped = scheduler.submit(kv, { name: "s", by: 1, skip: true });
    const failed = scheduler.submit(kv, { name: "f", by: 1, fail: true });
    const fine = scheduler.submit(kv, { name: "ok", by: 4 });
    assertEquals(await skipped, null);
    const error = await assertRejects(() => failed);
    assertEquals((error as Error).message, "cannot prepare f");
    assertEquals(await fine, 4);
    assertEquals((await kv.get(["count", "s"])).value, null);
    assertEquals((await kv.get(["count", "f"])).value, null);
    assertEquals(await commits(kv), 1);
  } finally {
    kv.close();
  }
});

Deno.test("queues are per KV handle; a later turn gets a commit of its own", async () => {
  const a = await Deno.openKv(":memory:");
  const b = await Deno.openKv(":memory:");
  try {
    const { scheduler } = counters();
    await Promise.all([scheduler.submit(a, { name: "x", by: 1 }), scheduler.submit(b, { name: "x", by: 2 })]);
    assertEquals((await a.get<number>(["count", "x"])).value, 1);
    assertEquals((await b.get<number>(["count", "x"])).value, 2);
    assertEquals(await scheduler.submit(a, { name: "x", by: 1 }), 2);
    assertEquals(await commits(a), 2);
    assertEquals(await commits(b), 1);
  } finally {
    a.close();
    b.close();
  }
});
