import { assertEquals, assertRejects, fail } from "@std/assert";
import {
  addClientField,
  editClientField,
  findClientField,
  listClientFieldPage,
  removeClientField,
  requireClientField,
} from "../../core/client-fields.ts";
import { Conflict, InvalidInput, NotFound } from "../../core/errors.ts";
import { listClientFields } from "../../store/client-fields.ts";

/** Awaits `fn`'s rejection and checks it is a `type` (returned typed). */
async function rejects<T>(fn: () => Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const error = await assertRejects(fn);
  return error instanceof type ? error : fail(`expected a ${type.name}, got ${error}`);
}

Deno.test("addClientField sanitises and refuses empty or taken names with domain errors", async () => {
  const kv = await Deno.openKv(":memory:");
  const field = await addClientField({ kv }, { name: " VAT <i>no</i> ", description: "VAT number" });
  assertEquals([field.field_id, field.field_name, field.field_desc], [1, "VAT no", "VAT number"]);
  await rejects(() => addClientField({ kv }, { name: "X", description: " " }), InvalidInput);
  await rejects(() => addClientField({ kv }, { description: "d" }), InvalidInput);
  const c = await rejects(() => addClientField({ kv }, { name: "vat NO", description: "d" }), Conflict);
  assertEquals([c.entity, c.existingId], ["client_field", 1]);
  assertEquals((await listClientFields(kv)).length, 1);
  kv.close();
});

Deno.test("findClientField by id or name ([ ] ignored); requireClientField throws NotFound", async () => {
  const kv = await Deno.openKv(":memory:");
  await addClientField({ kv }, { name: "VAT", description: "d" });
  assertEquals((await findClientField({ kv }, "1"))?.field_name, "VAT");
  assertEquals((await findClientField({ kv }, "[vat]"))?.field_id, 1);
  assertEquals([await findClientField({ kv }, ""), await findClientField({ kv }, "2")], [null, null]);
  const e = await rejects(() => requireClientField({ kv }, "nope"), NotFound);
  assertEquals([e.entity, e.id], ["client_field", "nope"]);
  kv.close();
});

Deno.test("editClientField keeps empty values; a taken name is a Conflict and changes nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  await addClientField({ kv }, { name: "VAT", description: "d1" });
  await addClientField({ kv }, { name: "Phone", description: "d2" });
  const edited = await editClientField({ kv }, "VAT", { name: "", description: "EU VAT" });
  assertEquals([edited.field_name, edited.field_desc], ["VAT", "EU VAT"]);
  await rejects(() => editClientField({ kv }, "2", { name: "vat" }), Conflict);
  await rejects(() => editClientField({ kv }, "9", { name: "x" }), NotFound);
  assertEquals((await findClientField({ kv }, "2"))?.field_name, "Phone");
  kv.close();
});

Deno.test("listClientFieldPage filters, orders by name and clamps the page; removeClientField", async () => {
  const kv = await Deno.openKv(":memory:");
  for (const name of ["b-field", "A-field", "c-other"]) {
    await addClientField({ kv }, { name, description: "d" });
  }
  const page = await listClientFieldPage({ kv }, { search: "FIELD", page: 9, per_page: 1 });
  assertEquals([page.total, page.pages, page.page, page.items.map((f) => f.field_name)], [2, 2, 2, [
    "b-field",
  ]]);
  const all = await listClientFieldPage({ kv }, { exclude: [3] });
  assertEquals([all.pages, all.items.map((f) => f.field_id)], [1, [2, 1]]);
  assertEquals((await listClientFieldPage({ kv }, { include: [3] })).items.length, 1);
  assertEquals((await removeClientField({ kv }, "c-other")).field_id, 3);
  await rejects(() => removeClientField({ kv }, "3"), NotFound);
  kv.close();
});
