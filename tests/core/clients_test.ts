import { assertEquals, assertRejects, fail } from "@std/assert";
import {
  addClient,
  assignClientSites,
  clientSiteIdList,
  clientSites,
  countClientRecords,
  countClientSites,
  editClient,
  findClient,
  listClientRecords,
  removeClient,
  setClientSuspended,
} from "../../core/clients.ts";
import { addClientField } from "../../core/client-fields.ts";
import { Conflict, InvalidInput, NotFound } from "../../core/errors.ts";
import { HookRegistry } from "../../hooks/registry.ts";
import { createSite, getSite } from "../../store/sites.ts";
import { getClient } from "../../store/clients.ts";
import { getClientField } from "../../store/client-fields.ts";

/** Awaits `fn`'s rejection and checks it is a `type` (returned typed). */
async function rejects<T>(fn: () => Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const error = await assertRejects(fn);
  return error instanceof type ? error : fail(`expected a ${type.name}, got ${error}`);
}

/** Store and hooks on a fresh in-memory KV, with the `mainwp_client_updated` actions recorded. */
async function deps() {
  const kv = await Deno.openKv(":memory:");
  const hooks = new HookRegistry();
  const events: [number, string][] = [];
  hooks.addAction("mainwp_client_updated", (c: { client_id: number }, action: string) => {
    events.push([c.client_id, action]);
  });
  return { kv, hooks, events };
}

async function site(kv: Deno.Kv, url: string, extra: { is_staging?: number } = {}): Promise<number> {
  const result = await createSite(kv, { url, ...extra });
  if (!("site" in result)) throw new Error("duplicate site");
  return result.site.id;
}

Deno.test("addClient sanitises, assigns sites and fires created; findClient by id and e-mail", async () => {
  const d = await deps();
  const s1 = await site(d.kv, "https://a.example");
  const s2 = await site(d.kv, "https://b.example");
  const { client, siteIds } = await addClient(d, {
    name: "  ACME <b>Inc</b> ",
    client_email: "Ops@Acme.test",
    city: "",
    selected_sites: [s2, s1, s1, 999],
  });
  assertEquals([client.client_id, client.name, client.city, siteIds], [1, "ACME Inc", "", [s1, s2]]);
  assertEquals((await getSite(d.kv, s1))?.client_id, 1);
  assertEquals(d.events, [[1, "created"]]);
  assertEquals((await findClient(d, " 1 "))?.name, "ACME Inc");
  assertEquals((await findClient(d, "ops@acme.test"))?.client_id, 1);
  assertEquals(await findClient(d, "nobody@acme.test"), null);
  d.kv.close();
});

Deno.test("addClient refuses an empty name and a taken e-mail with domain errors, changing nothing", async () => {
  const d = await deps();
  const e = await rejects(() => addClient(d, { name: " <b></b> " }), InvalidInput);
  assertEquals(e.field, "name");
  await addClient(d, { name: "A", client_email: "a@x.test" });
  const c = await rejects(() => addClient(d, { name: "B", client_email: "A@x.test" }), Conflict);
  assertEquals([c.entity, c.existingId], ["client", 1]);
  assertEquals([await countClientRecords(d), d.events.length], [1, 1]);
  d.kv.close();
});

Deno.test("editClient keeps empty fields, sets custom fields and created; NotFound and Conflict", async () => {
  const d = await deps();
  await addClient(d, { name: "A", city: "Berlin", client_email: "a@x.test" });
  await addClient(d, { name: "B", client_email: "b@x.test" });
  const field = await addClientField(d, { name: "VAT", description: "VAT number" });
  const { client } = await editClient(d, 1, {
    city: "",
    country: "DE",
    created: 1704445200.9,
    custom_fields: [
      { field_name: "[VAT]", field_value: "DE123", field_desc: "EU VAT" },
      { field_name: "Unknown", field_value: "x" },
    ],
  });
  assertEquals([client.city, client.country, client.created], ["Berlin", "DE", 1704445200]);
  assertEquals(client.custom_fields, { [String(field.field_id)]: "DE123" });
  assertEquals((await getClientField(d.kv, field.field_id))?.field_desc, "EU VAT");
  await rejects(() => editClient(d, 99, { city: "X" }), NotFound);
  await rejects(() => editClient(d, 2, { client_email: "a@x.test", city: "Paris" }), Conflict);
  assertEquals((await getClient(d.kv, 2))?.city, "");
  assertEquals(d.events, [[1, "created"], [2, "created"], [1, "updated"]]);
  d.kv.close();
});

Deno.test("assignClientSites replaces the client's sites; clientSites leaves out staging sites", async () => {
  const d = await deps();
  await addClient(d, { name: "A" });
  const s1 = await site(d.kv, "https://a.example");
  const s2 = await site(d.kv, "https://b.example");
  const staging = await site(d.kv, "https://staging.a.example", { is_staging: 1 });
  await assignClientSites(d, 1, [s1, staging]);
  assertEquals(await clientSiteIdList(d, 1), [s1, staging]);
  assertEquals([(await clientSites(d, 1)).map((s) => s.id), await countClientSites(d, 1)], [[s1], 1]);
  await assignClientSites(d, 1, [s2]);
  assertEquals([await clientSiteIdList(d, 1), (await getSite(d.kv, s1))?.client_id], [[s2], 0]);
  d.kv.close();
});

Deno.test("listClientRecords filters by status, search, include/exclude and pages by name", async () => {
  const d = await deps();
  for (const name of ["delta", "Alpha", "charlie", "Bravo"]) await addClient(d, { name });
  await setClientSuspended(d, 2, true);
  const names = async (q: Parameters<typeof listClientRecords>[1]) =>
    (await listClientRecords(d, q)).map((c) => c.name);
  assertEquals(await names({}), ["Alpha", "Bravo", "charlie", "delta"]);
  assertEquals(await names({ status: ["suspended"] }), ["Alpha"]);
  assertEquals(await names({ status: ["active", "nonsense"] }), ["Bravo", "charlie", "delta"]);
  assertEquals(await names({ status: ["all", "lead"] }), ["Alpha", "Bravo", "charlie", "delta"]);
  assertEquals(await names({ search: " HAR " }), ["charlie"]);
  assertEquals(await names({ include: [1, 3], exclude: [3] }), ["delta"]);
  assertEquals(await names({ page: 2, per_page: 3 }), ["delta"]);
  assertEquals(await names({ page: 2 }), ["Alpha", "Bravo", "charlie", "delta"]);
  d.kv.close();
});

Deno.test("setClientSuspended fires only on a change; removeClient unassigns sites; both NotFound", async () => {
  const d = await deps();
  const s1 = await site(d.kv, "https://a.example");
  await addClient(d, { name: "A", selected_sites: [s1] });
  assertEquals((await setClientSuspended(d, 1, true)).suspended, 1);
  assertEquals((await setClientSuspended(d, 1, true)).suspended, 1);
  assertEquals((await setClientSuspended(d, 1, false)).suspended, 0);
  assertEquals((await removeClient(d, 1)).name, "A");
  assertEquals([(await getSite(d.kv, s1))?.client_id, await clientSiteIdList(d, 1)], [0, []]);
  assertEquals(d.events, [[1, "created"], [1, "suspended"], [1, "unsuspended"], [1, "deleted"]]);
  await rejects(() => removeClient(d, 1), NotFound);
  await rejects(() => setClientSuspended(d, 1, true), NotFound);
  d.kv.close();
});
