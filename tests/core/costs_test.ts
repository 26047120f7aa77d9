import { assertEquals, assertInstanceOf, assertRejects, assertThrows } from "@std/assert";
import { HookRegistry } from "../../hooks/registry.ts";
import { Conflict, type DomainError, InvalidInput, NotFound } from "../../core/errors.ts";
import {
  addCost,
  costClients,
  costFromRecord,
  costSiteIds,
  costsOfClient,
  costsOfSite,
  editCost,
  findCosts,
  getCostById,
  normalizeCostQuery,
  removeCost,
} from "../../core/costs.ts";
import { type CostRecord, emptyCost, getCost, listCosts } from "../../store/costs.ts";
import { createSite, type NewSite } from "../../store/sites.ts";
import { createClient } from "../../store/clients.ts";

const NOW = Date.UTC(2024, 4, 15, 12);
const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000;

async function deps() {
  return { kv: await Deno.openKv(":memory:"), hooks: new HookRegistry() };
}

/** The domain error `fn` rejects with, asserted to be a `type`. */
// deno-lint-ignore no-explicit-any
async function rejection<T extends new (...args: any[]) => DomainError>(
  fn: () => Promise<unknown>,
  type: T,
): Promise<InstanceType<T>> {
  const error = await assertRejects(fn);
  assertInstanceOf(error, type);
  return error;
}

async function site(kv: Deno.Kv, input: NewSite): Promise<number> {
  const result = await createSite(kv, input);
  if (!("site" in result)) throw new Error("duplicate site");
  return result.site.id;
}

Deno.test("addCost: sanitised fields, numeric price, renewals from `now`, the hook gets the stored record", async () => {
  const d = await deps();
  const events: [CostRecord, string][] = [];
  d.hooks.addAction("mainwp_cost_updated", (c: CostRecord, action: string) => events.push([c, action]));
  const cost = await addCost(d, {
    name: " Hosting <b>x</b> ",
    type: "subscription",
    cost_status: "active",
    renewal_type: "monthly",
    last_renewal: at(2024, 4, 1),
    price: 20,
    url: "host.example/panel",
    cost_color: " #1e90ff ",
    sites: [3, 7],
    groups: [4],
  }, NOW);
  assertEquals([cost.id, cost.name, cost.price, cost.url, cost.cost_color], [
    1,
    "Hosting x",
    20,
    "http://host.example/panel",
    "#1e90ff",
  ]);
  assertEquals([cost.next_renewal, cost.next_renewal_today], [at(2024, 6, 1), at(2024, 6, 1)]);
  assertEquals([cost.sites, cost.groups, cost.clients], [[3, 7], [], []]); // the first list given wins
  assertEquals((await getCost(d.kv, 1))?.price, "20.00000000"); // stored as DECIMAL text
  assertEquals(events.map(([c, action]) => [c.price, action]), [["20.00000000", "created"]]);
  const lifetime = await addCost(d, {
    type: "lifetime",
    renewal_type: "yearly",
    last_renewal: 1,
    clients: [2],
  }, NOW);
  assertEquals(lifetime.next_renewal_today, 0);
  assertEquals(await getCostById(d, 1), cost);
  d.kv.close();
});

Deno.test("addCost refuses missing or empty owners and a taken plugin/theme slug, storing nothing", async () => {
  const d = await deps();
  for (const fields of [{ name: "x" }, { name: "x", sites: [] }, { groups: [], clients: [2] }]) {
    const error = await rejection(() => addCost(d, fields, NOW), InvalidInput);
    assertEquals([error.field, error.entity, error.message], [
      "sites",
      "cost",
      "Please enter websites or groups or clients.",
    ]);
  }
  await addCost(d, { product_type: "plugin", slug: "akismet", sites: [1] }, NOW);
  await addCost(d, { product_type: "theme", slug: "astra", sites: [1] }, NOW);
  const plugin = await rejection(
    () => addCost(d, { product_type: "plugin", slug: "Akismet", sites: [2] }, NOW),
    Conflict,
  );
  assertEquals([plugin.existingId, plugin.message], [1, "A cost tracker for this plugin already exists."]);
  const theme = await rejection(
    () => addCost(d, { product_type: "theme", slug: "astra", sites: [2] }, NOW),
    Conflict,
  );
  assertEquals(theme.message, "A cost tracker for this theme already exists.");
  assertEquals((await listCosts(d.kv)).length, 2);
  d.kv.close();
});

Deno.test("editCost keeps omitted fields and owners; checks owners, then existence, then the slug", async () => {
  const d = await deps();
  const events: string[] = [];
  d.hooks.addAction(
    "mainwp_cost_updated",
    (c: CostRecord, action: string) => events.push(`${c.id}:${action}`),
  );
  await addCost(
    d,
    { name: "A", price: 5, renewal_type: "weekly", last_renewal: at(2024, 5, 1), groups: [4] },
    NOW,
  );
  await addCost(d, { name: "B", product_type: "plugin", slug: "b", sites: [1] }, NOW);
  const edited = await editCost(d, 1, { cost_status: "canceled" }, NOW);
  assertEquals([edited.name, edited.price, edited.groups, edited.cost_status], ["A", 5, [4], "canceled"]);
  assertEquals([edited.next_renewal, edited.next_renewal_today], [at(2024, 5, 15), 0]);
  const moved = await editCost(d, 1, { clients: [2] }, NOW);
  assertEquals([moved.sites, moved.groups, moved.clients], [[], [], [2]]);
  await rejection(() => editCost(d, 99, { sites: [] }, NOW), InvalidInput);
  const missing = await rejection(() => editCost(d, 99, { name: "x" }, NOW), NotFound);
  assertEquals([missing.entity, missing.id], ["cost", 99]);
  await rejection(() => editCost(d, 1, { product_type: "plugin", slug: "b" }, NOW), Conflict);
  assertEquals((await getCost(d.kv, 1))?.slug, "");
  assertEquals(events, ["1:created", "2:created", "1:updated", "1:updated"]);
  d.kv.close();
});

Deno.test("removeCost returns the deleted cost once; getCostById then throws NotFound", async () => {
  const d = await deps();
  const events: string[] = [];
  d.hooks.addAction("mainwp_cost_updated", (_c: CostRecord, action: string) => events.push(action));
  const cost = await addCost(d, { name: "A", price: 1.5, sites: [1] }, NOW);
  assertEquals(await removeCost(d, 1), cost);
  assertEquals(await removeCost(d, 1), null);
  await rejection(() => getCostById(d, 1), NotFound);
  await rejection(() => getCostById(d, 0), NotFound);
  assertEquals(events, ["created", "deleted"]);
  d.kv.close();
});

Deno.test("findCosts filters by type, status, category, search, include/exclude and pages", async () => {
  const d = await deps();
  await addCost(d, { name: "Hosting", type: "subscription", cost_status: "active", sites: [1] }, NOW);
  await addCost(d, { name: "Theme", type: "lifetime", product_type: "theme", sites: [1] }, NOW);
  await addCost(d, { name: "Backup", type: "subscription", cost_status: "onhold", sites: [1] }, NOW);
  const names = async (q: Parameters<typeof findCosts>[1]) => (await findCosts(d, q)).map((c) => c.name);
  assertEquals(await names({}), ["Hosting", "Theme", "Backup"]);
  assertEquals(await names({ type: ["lifetime", "bogus"] }), ["Theme"]);
  assertEquals(await names({ type: ["any"], status: ["onhold", "bogus"] }), ["Backup"]);
  assertEquals(await names({ category: ["theme"] }), ["Theme"]);
  assertEquals(await names({ search: "HOST" }), ["Hosting"]);
  assertEquals(await names({ search: "3" }), ["Backup"]);
  assertEquals(await names({ include: [3, 1, 3], exclude: [1] }), ["Backup"]);
  assertEquals(await names({ page: 2, per_page: 2 }), ["Backup"]);
  assertEquals(await names({ page: 2 }), ["Hosting", "Theme", "Backup"]);
  const error = assertThrows(() => normalizeCostQuery({ type: ["bogus"] }));
  assertInstanceOf(error, InvalidInput);
  assertEquals([error.field, error.message], [
    "type",
    "The type argument should be: any,subscription,lifetime",
  ]);
  assertEquals(normalizeCostQuery({ status: ["bogus"], category: ["any", "x"] }).category, ["any"]);
  d.kv.close();
});

Deno.test("a cost's sites and clients, a site's and a client's costs, through tags and clients", async () => {
  const d = await deps();
  const acme = await createClient(d.kv, { name: "ACME", client_email: "a@x.test" });
  const beta = await createClient(d.kv, { name: "Beta", client_email: "b@x.test" });
  if (!("client" in acme) || !("client" in beta)) throw new Error("client");
  const s1 = await site(d.kv, { url: "https://one.example", client_id: beta.client.client_id });
  const s2 = await site(d.kv, { url: "https://two.example", tag_ids: [4], client_id: acme.client.client_id });
  const s3 = await site(d.kv, { url: "https://three.example", client_id: acme.client.client_id });
  const bySite = await addCost(d, { name: "By site", sites: [s1, 999] }, NOW);
  const byTag = await addCost(d, { name: "By tag", groups: [4] }, NOW);
  const byClient = await addCost(d, { name: "By client", clients: [acme.client.client_id] }, NOW);
  assertEquals(await costSiteIds(d, bySite), [s1]); // 999 does not exist
  assertEquals(await costSiteIds(d, byTag), [s2]);
  assertEquals(await costSiteIds(d, byClient), [s2, s3]);
  assertEquals((await costClients(d, byClient)).map((c) => c.name), ["ACME"]);
  assertEquals((await costClients(d, bySite)).map((c) => c.name), ["Beta"]);
  assertEquals((await costsOfSite(d, s1)).map((c) => c.id), [bySite.id]);
  assertEquals(await costsOfSite(d, s2), []); // only direct links
  assertEquals((await costsOfClient(d, acme.client.client_id)).map((c) => c.id), [byTag.id, byClient.id]);
  assertEquals((await costsOfClient(d, beta.client.client_id)).map((c) => c.id), [bySite.id]);
  d.kv.close();
});

Deno.test("costFromRecord: the stored DECIMAL text becomes a number (0 when unreadable)", () => {
  const record: CostRecord = { ...emptyCost(), id: 1, price: "49.50000000" };
  assertEquals(costFromRecord(record).price, 49.5);
  assertEquals(costFromRecord({ ...record, price: "x" }).price, 0);
});
