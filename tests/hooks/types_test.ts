// The hook map (hooks/types.ts) and the catalogue (hooks/catalog.ts, which generates HOOKS.md) name the same
// hooks, with the same kinds and argument counts. These are type-level checks: `deno test` type-checks
// this file, so a drift fails it before anything runs.
import { assert, assertEquals } from "@std/assert";
import { CATALOGUE } from "../../hooks/catalog.ts";
import type { ActionHooks, FilterHooks } from "../../hooks/types.ts";
import { HookRegistry } from "../../hooks/registry.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Entry = (typeof CATALOGUE)[number];
type Named<Kind> = Extract<Entry, { kind: Kind }>["name"];

/** Entries whose argument count differs from the map's (a filter's value is not in `args`). */
type ArityDrift<E> = E extends { name: infer N; kind: infer K; args: infer A extends readonly unknown[] }
  ? K extends "filter"
    ? N extends keyof FilterHooks
      ? Parameters<FilterHooks[N]>["length"] extends [unknown, ...A]["length"] ? never : N
    : N
  : N extends keyof ActionHooks ? Parameters<ActionHooks[N]>["length"] extends A["length"] ? never : N
  : N
  : never;

const filtersMatch: Equal<Named<"filter">, keyof FilterHooks> = true;
const actionsMatch: Equal<Named<"action">, keyof ActionHooks> = true;
const aritiesMatch: Equal<ArityDrift<Entry>, never> = true;

Deno.test("the hook map names exactly the catalogue's hooks, with their kinds and argument counts", () => {
  assert(filtersMatch && actionsMatch && aritiesMatch);
});

Deno.test("known hooks are typed; a plugin's own hook names take any arguments", async () => {
  const hooks = new HookRegistry();
  // Parameters are typed from the map without annotations.
  hooks.addFilter(
    "mainwp_rest_batch_items_limit",
    (limit, context) => context === "sites" ? limit * 2 : limit,
  );
  const limit: number = await hooks.applyFilters("mainwp_rest_batch_items_limit", 100, "sites");
  assertEquals(limit, 200);
  // @ts-expect-error: the context argument is missing.
  await hooks.applyFilters("mainwp_rest_batch_items_limit", 100);
  // @ts-expect-error: the value must be a number.
  await hooks.applyFilters("mainwp_rest_batch_items_limit", "100", "sites");
  // @ts-expect-error: a callback must return the value's type.
  hooks.addFilter("rest_jsonp_enabled", () => "yes");
  // @ts-expect-error: an action's arguments are checked.
  await hooks.doAction("mainwp_added_new_group", "7", "Blog");
  // @ts-expect-error: a known name cannot take the untyped path by its callback.
  hooks.addAction("mainwp_delete_site", (site: string) => site);

  hooks.addFilter("my_plugin_filter", (value: string, suffix: string) => value + suffix);
  assertEquals(await hooks.applyFilters("my_plugin_filter", "a", "b"), "ab");
  const seen: unknown[] = [];
  hooks.addAction("my_plugin_action", (...args: unknown[]) => void seen.push(args));
  await hooks.doAction("my_plugin_action", 1, "two");
  assertEquals(seen, [[1, "two"]]);
});
