import { assertEquals, assertThrows } from "@std/assert";
import { HookRegistry } from "../../hooks/registry.ts";

Deno.test("filters run by ascending priority; equal priorities keep insertion order", async () => {
  const hooks = new HookRegistry();
  const trail: string[] = [];
  const add = (label: string, priority?: number) =>
    hooks.addFilter("f", (v: string) => {
      trail.push(label);
      return v + label;
    }, priority);
  add("b", 20);
  add("a1");
  add("z", 5);
  add("a2");
  add("c", 20);
  assertEquals(await hooks.applyFilters("f", ">"), ">za1a2bc");
  assertEquals(trail, ["z", "a1", "a2", "b", "c"]);
});

Deno.test("extra arguments reach every callback; async callbacks are awaited", async () => {
  const hooks = new HookRegistry();
  hooks.addFilter("limit", async (v: number, ctx: string) => {
    await new Promise((r) => setTimeout(r, 1));
    return ctx === "sites" ? v * 2 : v;
  });
  hooks.addFilter("limit", (v: number, ctx: string, extra: number) => v + (ctx === "sites" ? extra : 0), 11);
  assertEquals(await hooks.applyFilters("limit", 100, "sites", 1), 201);
  assertEquals(await hooks.applyFilters("limit", 100, "tags", 1), 100);
  assertEquals(await hooks.applyFilters("unhooked", 7), 7);
});

Deno.test("remove and has, as WordPress: has returns the priority", () => {
  const hooks = new HookRegistry();
  const cb = (v: unknown) => v;
  assertEquals(hooks.hasFilter("x"), false);
  hooks.addFilter("x", cb, 15);
  assertEquals(hooks.hasFilter("x"), true);
  assertEquals(hooks.hasFilter("x", cb), 15);
  assertEquals(hooks.removeFilter("x", cb, 10), false);
  assertEquals(hooks.removeFilter("x", cb), true);
  assertEquals(hooks.hasFilter("x"), false);
  assertThrows(() => hooks.addFilter("x", cb, Number.NaN));
});

Deno.test("actions fire in priority order with their arguments and are counted", async () => {
  const hooks = new HookRegistry();
  const seen: unknown[] = [];
  const late = (...args: unknown[]) => void seen.push(["late", ...args]);
  hooks.addAction("a", late, 50);
  hooks.addAction("a", (...args: unknown[]) => void seen.push(["early", ...args]), 1);
  await hooks.doAction("a", 1, "two");
  assertEquals(seen, [["early", 1, "two"], ["late", 1, "two"]]);
  assertEquals(hooks.hasAction("a", late), 50);
  hooks.removeAction("a", late);
  await hooks.doAction("a");
  assertEquals(seen.length, 3);
  assertEquals(hooks.didAction("a"), 2);
});
