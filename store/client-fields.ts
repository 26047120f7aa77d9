/**
 * @module
 * Custom client fields on Deno KV (MainWP's `wp_clients_fields`: report tokens such as "VAT number").
 * Field names are unique, case-insensitively (MainWP: unique per client, and the REST API only creates
 * general fields, `client_id` 0); `["idx", "client_field_name", name]` holds the field id and moves in
 * the same commit as the record. A client's values live in its record (`custom_fields`, by field id);
 * field ids are never reused, so the values of a deleted field are simply never read again.
 *
 * @example
 * ```ts
 * const result = await createClientField(kv, { field_name: "VAT", field_desc: "VAT number" });
 * ```
 */
import { keys } from "./keys.ts";
import { allocateId, atomicRetry, bumpFleetRev, listValues } from "./kv.ts";
import { assertFitsKey, fitsKey } from "../lib/limits.ts";

/** A custom client field. */
export interface ClientFieldRecord {
  field_id: number;
  field_name: string;
  field_desc: string;
  /** 0 = general field (all clients); else the one client it belongs to. */
  client_id: number;
}

/** Why a write was refused: the name belongs to field `name_taken`. */
export interface NameTaken {
  name_taken: number;
}

/**
 * Creates a general field with a new id; refuses a name another field has.
 *
 * @example
 * ```ts
 * await createClientField(kv, { field_name: "VAT", field_desc: "VAT number" });
 * ```
 */
export async function createClientField(
  kv: Deno.Kv,
  input: { field_name: string; field_desc: string; client_id?: number },
): Promise<{ field: ClientFieldRecord } | NameTaken> {
  assertFitsKey(input.field_name, "name");
  return await atomicRetry(kv, async (op) => {
    const nameKey = keys.clientFieldByName(input.field_name);
    const taken = await kv.get<number>(nameKey);
    if (taken.value !== null) return { name_taken: taken.value };
    const id = await allocateId(kv, op, "client_fields");
    const field: ClientFieldRecord = {
      field_id: id,
      field_name: input.field_name,
      field_desc: input.field_desc,
      client_id: input.client_id ?? 0,
    };
    op.check(taken).set(nameKey, id).set(keys.clientField(id), field);
    bumpFleetRev(op);
    return { field };
  });
}

/**
 * Applies `change` to a field atomically, moving the name index on a rename. Returns the new record,
 * `{ name_taken }` when the new name belongs to another field, or `null` if the field does not exist.
 *
 * @example
 * ```ts
 * await updateClientField(kv, 3, (f) => ({ ...f, field_desc: "EU VAT number" }));
 * ```
 */
export async function updateClientField(
  kv: Deno.Kv,
  id: number,
  change: (field: ClientFieldRecord) => ClientFieldRecord,
): Promise<{ field: ClientFieldRecord } | NameTaken | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<ClientFieldRecord>(keys.clientField(id));
    if (!entry.value) return null;
    const field: ClientFieldRecord = { ...change(entry.value), field_id: id };
    assertFitsKey(field.field_name, "name");
    const oldKey = keys.clientFieldByName(entry.value.field_name);
    const newKey = keys.clientFieldByName(field.field_name);
    if (JSON.stringify(oldKey) !== JSON.stringify(newKey)) {
      const taken = await kv.get<number>(newKey);
      if (taken.value !== null && taken.value !== id) return { name_taken: taken.value };
      op.check(taken).set(newKey, id).delete(oldKey);
    }
    op.check(entry).set(keys.clientField(id), field);
    bumpFleetRev(op);
    return { field };
  });
}

/**
 * Deletes a field and its name index; returns the deleted record or `null`.
 *
 * @example
 * ```ts
 * await deleteClientField(kv, 3);
 * ```
 */
export async function deleteClientField(kv: Deno.Kv, id: number): Promise<ClientFieldRecord | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<ClientFieldRecord>(keys.clientField(id));
    if (!entry.value) return null;
    op.check(entry).delete(keys.clientField(id));
    const nameKey = keys.clientFieldByName(entry.value.field_name);
    const indexed = await kv.get<number>(nameKey);
    if (indexed.value === id) op.check(indexed).delete(nameKey);
    bumpFleetRev(op);
    return entry.value;
  });
}

/**
 * One field, or `null`.
 *
 * @example
 * ```ts
 * await getClientField(kv, 3);
 * ```
 */
export async function getClientField(kv: Deno.Kv, id: number): Promise<ClientFieldRecord | null> {
  return (await kv.get<ClientFieldRecord>(keys.clientField(id))).value;
}

/**
 * The field with this name (case-insensitive), or `null`.
 *
 * @example
 * ```ts
 * await findClientFieldByName(kv, "vat");
 * ```
 */
export async function findClientFieldByName(kv: Deno.Kv, name: string): Promise<ClientFieldRecord | null> {
  if (name === "" || !fitsKey(name)) return null;
  const id = (await kv.get<number>(keys.clientFieldByName(name))).value;
  return id === null ? null : await getClientField(kv, id);
}

/**
 * Every field, in id order.
 *
 * @example
 * ```ts
 * const fields = await listClientFields(kv);
 * ```
 */
export async function listClientFields(kv: Deno.Kv): Promise<ClientFieldRecord[]> {
  return await listValues<ClientFieldRecord>(kv, keys.clientFields());
}
