import { assert, assertEquals } from "@std/assert";
import { allocateId, atomicRetry, isDatabaseLocked, WriteConflict } from "../../store/kv.ts";

Deno.test("two KV handles on one file: concurrent read-modify-writes lose nothing and ids stay unique", async () => {
  const dir = await Deno.makeTempDir();
  const a = await Deno.openKv(`${dir}/x.kv`);
  const b = await Deno.openKv(`${dir}/x.kv`);
  try {
    const bump = (kv: Deno.Kv) =>
      atomicRetry(kv, async (op) => {
        const id = await allocateId(kv, op, "things");
        const counter = await kv.get<number>(["counter"]);
        op.check(counter).set(["counter"], (counter.value ?? 0) + 1).set(["things", id], true);
        return id;
      });
    const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => bump(i % 2 ? a : b)));
    assertEquals(new Set(ids).size, 60);
    assertEquals((await a.get<number>(["counter"])).value, 60);
    // A step redone after a conflict on ["counter"] leaves its id unused (a gap), never a duplicate.
    assert((await b.get<number>(["seq", "things"])).value! >= Math.max(...ids));
  } finally {
    a.close();
    b.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a locked database is recognised", () => {
  assertEquals(isDatabaseLocked(new TypeError("database is locked")), true);
  assertEquals(isDatabaseLocked(new Error("other")), false);
});

Deno.test("a write that always conflicts gives up with WriteConflict (a store error) and writes nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let attempts = 0;
    let thrown: unknown;
    try {
      await atomicRetry(kv, async (op) => {
        attempts++;
        const entry = await kv.get<number>(["counter"]);
        op.check(entry).set(["result"], true);
        // Someone else writes the checked key before every commit.
        await kv.set(["counter"], attempts);
      });
    } catch (error) {
      thrown = error;
    }
    assert(thrown instanceof WriteConflict, String(thrown));
    assertEquals(attempts, 64);
    assertEquals((await kv.get(["result"])).value, null);
  } finally {
    kv.close();
  }
});
