import { assert, assertEquals } from "@std/assert";
import { keys } from "../../store/keys.ts";
import {
  type ClientRecord,
  clientSiteIds,
  createClient,
  deleteClient,
  findClientByEmail,
  getClient,
  listClients,
  updateClient,
} from "../../store/clients.ts";
import { createSite } from "../../store/sites.ts";
import { FLEET_REV } from "../../store/keys.ts";

async function created(kv: Deno.Kv, name: string, email = ""): Promise<ClientRecord> {
  const result = await createClient(kv, { name, client_email: email });
  if (!("client" in result)) throw new Error(`email taken by ${result.email_taken}`);
  return result.client;
}

Deno.test("createClient: defaults, unique case-insensitive e-mail index, fleet revision", async () => {
  const kv = await Deno.openKv(":memory:");
  const a = await created(kv, "ACME", "Ops@ACME.test");
  assertEquals([a.client_id, a.suspended, a.primary_contact_id, a.city], [1, 0, 0, ""]);
  assert(a.created > 0);
  assertEquals((await kv.get(keys.clientByEmail("ops@acme.test"))).value, 1);
  assertEquals(await createClient(kv, { name: "Dup", client_email: "OPS@acme.TEST" }), { email_taken: 1 });
  const b = await created(kv, "No mail");
  const c = await created(kv, "No mail either");
  assertEquals([b.client_id, c.client_id], [2, 3]);
  assertEquals((await findClientByEmail(kv, "ops@acme.test"))?.name, "ACME");
  assertEquals(await findClientByEmail(kv, ""), null);
  assertEquals((await listClients(kv)).map((x) => x.client_id), [1, 2, 3]);
  assertEquals((await kv.get<Deno.KvU64>(FLEET_REV)).value?.value, 3n);
  kv.close();
});

Deno.test("updateClient moves the e-mail index, refuses a taken address, keeps concurrent edits", async () => {
  const kv = await Deno.openKv(":memory:");
  await created(kv, "A", "a@x.test");
  await created(kv, "B", "b@x.test");
  assertEquals(await updateClient(kv, 2, (c) => ({ ...c, client_email: "A@x.test" })), { email_taken: 1 });
  assertEquals((await getClient(kv, 2))?.client_email, "b@x.test");
  await updateClient(kv, 2, (c) => ({ ...c, client_email: "c@x.test" }));
  assertEquals((await kv.get(keys.clientByEmail("b@x.test"))).value, null);
  assertEquals((await kv.get(keys.clientByEmail("c@x.test"))).value, 2);
  await updateClient(kv, 2, (c) => ({ ...c, client_email: "C@X.test" })); // same key, new spelling
  assertEquals(
    [(await kv.get(keys.clientByEmail("c@x.test"))).value, (await getClient(kv, 2))?.client_email],
    [
      2,
      "C@X.test",
    ],
  );
  await updateClient(kv, 2, (c) => ({ ...c, client_email: "" }));
  assertEquals((await kv.get(keys.clientByEmail("c@x.test"))).value, null);
  assertEquals(await updateClient(kv, 9, (c) => c), null);
  // 20 concurrent edits of different fields: none is lost.
  const fields = [
    "address_1",
    "address_2",
    "city",
    "zip",
    "state",
    "country",
    "note",
    "client_phone",
  ] as const;
  await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) => updateClient(kv, 1, (c) => ({ ...c, [fields[i % fields.length]]: `v${i % fields.length}` })),
    ),
  );
  const a = await getClient(kv, 1);
  for (const [i, f] of fields.entries()) assertEquals(a?.[f], `v${i}`);
  kv.close();
});

Deno.test("deleteClient removes the record and its e-mail index; clientSiteIds reads the index", async () => {
  const kv = await Deno.openKv(":memory:");
  await created(kv, "A", "a@x.test");
  await createSite(kv, { url: "https://s.example", client_id: 1 });
  assertEquals(await clientSiteIds(kv, 1), [1]);
  assertEquals((await deleteClient(kv, 1))?.name, "A");
  assertEquals([await getClient(kv, 1), (await kv.get(keys.clientByEmail("a@x.test"))).value], [null, null]);
  assertEquals(await deleteClient(kv, 1), null);
  assertEquals((await created(kv, "Again", "a@x.test")).client_id, 2);
  kv.close();
});

Deno.test("createClient under contention: unique ids, one owner per e-mail", async () => {
  const kv = await Deno.openKv(":memory:");
  const results = await Promise.all(
    Array.from(
      { length: 40 },
      (_, i) => createClient(kv, { name: `C${i}`, client_email: `shared${i % 4}@x.test` }),
    ),
  );
  const ok = results.flatMap((r) => ("client" in r ? [r.client] : []));
  assertEquals(ok.length, 4);
  const all = await listClients(kv);
  assertEquals(all.length, 4);
  assertEquals(new Set(all.map((c) => c.client_id)).size, 4);
  for (const c of all) assertEquals((await kv.get(keys.clientByEmail(c.client_email))).value, c.client_id);
  kv.close();
});
