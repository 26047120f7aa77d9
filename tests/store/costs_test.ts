import { assertEquals } from "@std/assert";
import { keys } from "../../store/keys.ts";
import { listIds } from "../../store/kv.ts";
import {
  costIdsOf,
  type CostRecord,
  createCost,
  deleteCost,
  emptyCost,
  getCost,
  listCosts,
  type NewCost,
  updateCost,
} from "../../store/costs.ts";

async function created(kv: Deno.Kv, input: Partial<NewCost>): Promise<CostRecord> {
  const result = await createCost(kv, { ...emptyCost(), ...input });
  if (!("cost" in result)) throw new Error(`duplicate of ${result.duplicate}`);
  return result.cost;
}

async function indexes(kv: Deno.Kv): Promise<string[]> {
  const out: string[] = [];
  for (const p of ["site_costs", "tag_costs", "client_costs", "cost_slug"]) {
    for await (const e of kv.list({ prefix: ["idx", p] })) out.push(`${e.key.join("/")}=${e.value}`);
  }
  return out;
}

Deno.test("createCost indexes its owners and plugin/theme slug", async () => {
  const kv = await Deno.openKv(":memory:");
  const a = await created(kv, { name: "A", sites: [3, 3, 7, 0], product_type: "plugin", slug: "Akismet" });
  await created(kv, { name: "B", groups: [4], product_type: "hosting", slug: "akismet" });
  await created(kv, { name: "C", clients: [2] });
  assertEquals(a.sites, [3, 3, 7, 0]); // kept verbatim, as MainWP stores the list
  assertEquals(await indexes(kv), [
    "idx/site_costs/3/1=true",
    "idx/site_costs/7/1=true",
    "idx/tag_costs/4/2=true",
    "idx/client_costs/2/3=true",
    "idx/cost_slug/plugin/akismet=1",
  ]);
  assertEquals(await createCost(kv, { ...emptyCost(), product_type: "plugin", slug: "AKISMET" }), {
    duplicate: 1,
  });
  assertEquals(await costIdsOf(kv, "site", 3), [1]);
  assertEquals((await listCosts(kv)).length, 3);
  kv.close();
});

Deno.test("updateCost writes only the index difference and moves the slug; deleteCost clears all", async () => {
  const kv = await Deno.openKv(":memory:");
  await created(kv, { name: "A", sites: [3, 7], product_type: "plugin", slug: "a" });
  await created(kv, { name: "B", sites: [1], product_type: "theme", slug: "b" });
  const moved = await updateCost(kv, 1, (c) => ({ ...c, sites: [7, 8], product_type: "theme", slug: "c" }));
  assertEquals(moved && "cost" in moved ? [moved.previous.slug, moved.cost.slug] : null, ["a", "c"]);
  assertEquals(await indexes(kv), [
    "idx/site_costs/1/2=true",
    "idx/site_costs/7/1=true",
    "idx/site_costs/8/1=true",
    "idx/cost_slug/theme/b=2",
    "idx/cost_slug/theme/c=1",
  ]);
  assertEquals(await updateCost(kv, 1, (c) => ({ ...c, slug: "B" })), { duplicate: 2 });
  assertEquals((await getCost(kv, 1))?.slug, "c");
  assertEquals(await updateCost(kv, 9, (c) => c), null);
  // Concurrent edits of different fields all land.
  await Promise.all([
    updateCost(kv, 1, (c) => ({ ...c, name: "renamed" })),
    updateCost(kv, 1, (c) => ({ ...c, note: "noted" })),
    updateCost(kv, 1, (c) => ({ ...c, groups: [5] })),
  ]);
  const c = await getCost(kv, 1);
  assertEquals([c?.name, c?.note, c?.groups], ["renamed", "noted", [5]]);
  assertEquals((await deleteCost(kv, 1))?.name, "renamed");
  assertEquals(await deleteCost(kv, 1), null);
  assertEquals(await indexes(kv), ["idx/site_costs/1/2=true", "idx/cost_slug/theme/b=2"]);
  assertEquals(await listIds(kv, keys.ownerCosts("tag", 5)), []);
  kv.close();
});

Deno.test("createCost under contention: one cost per slug, unique ids", async () => {
  const kv = await Deno.openKv(":memory:");
  const results = await Promise.all(
    Array.from(
      { length: 30 },
      (_, i) =>
        createCost(kv, {
          ...emptyCost(),
          name: `P${i}`,
          product_type: "plugin",
          slug: `p${i % 3}`,
          sites: [i + 1],
        }),
    ),
  );
  assertEquals(results.filter((r) => "cost" in r).length, 3);
  const all = await listCosts(kv);
  // Unique ids; like MySQL's AUTO_INCREMENT, an id reserved by a create that lost the race may be skipped.
  assertEquals(new Set(all.map((c) => c.id)).size, 3);
  assertEquals(all.map((c) => c.slug).sort(), ["p0", "p1", "p2"]);
  for (const c of all) assertEquals((await kv.get(keys.costBySlug("plugin", c.slug))).value, c.id);
  kv.close();
});
