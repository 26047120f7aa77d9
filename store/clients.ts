/**
 * @module
 * Client records on Deno KV (MainWP's `wp_mainwp_wp_clients` columns). A client's e-mail address is
 * unique (case-insensitively, as MainWP's DB layer enforces it): `["idx", "client_email", email]` holds
 * the owning client's id and moves in the same atomic commit as the record. Which sites belong to a
 * client is stored on the site records (`client_id`, see store/sites.ts), not here.
 *
 * @example
 * ```ts
 * const client = await getClient(kv, 2);
 * ```
 */
import { keys } from "./keys.ts";
import { allocateId, atomicRetry, bumpFleetRev, getManyChunked, listIds, listValues } from "./kv.ts";
import { assertFitsKey, fitsKey } from "../lib/limits.ts";

/** A client, with MainWP's column names. */
export interface ClientRecord {
  client_id: number;
  name: string;
  address_1: string;
  address_2: string;
  city: string;
  zip: string;
  state: string;
  country: string;
  note: string;
  client_email: string;
  client_phone: string;
  client_facebook: string;
  client_twitter: string;
  client_instagram: string;
  client_linkedin: string;
  /** Unix seconds (0 = unknown). */
  created: number;
  /** 0 active, 1 suspended, 2 lead, 3 lost. */
  suspended: number;
  primary_contact_id: number;
  /** Values of custom client fields, by field id. */
  custom_fields?: Record<string, string>;
}

/** Fields a caller gives for a new client; everything else gets MainWP's defaults. */
export type NewClient = Partial<Omit<ClientRecord, "client_id">> & { name: string };

/** Why a write was refused: the e-mail address belongs to client `email_taken`. */
export interface EmailTaken {
  email_taken: number;
}

/**
 * A new record with MainWP's defaults (`created` = now).
 *
 * @example
 * ```ts
 * defaultClient(4, { name: "ACME" }).suspended; // 0
 * ```
 */
export function defaultClient(id: number, input: NewClient): ClientRecord {
  return {
    address_1: "",
    address_2: "",
    city: "",
    zip: "",
    state: "",
    country: "",
    note: "",
    client_email: "",
    client_phone: "",
    client_facebook: "",
    client_twitter: "",
    client_instagram: "",
    client_linkedin: "",
    created: Math.floor(Date.now() / 1000),
    suspended: 0,
    primary_contact_id: 0,
    ...input,
    client_id: id,
  };
}

/** The e-mail index key of a client, or `null` without an address. */
function emailKey(email: string): Deno.KvKey | null {
  return email.trim() === "" ? null : keys.clientByEmail(email.trim());
}

/**
 * Creates a client with a new id; refuses an e-mail address another client has.
 *
 * @example
 * ```ts
 * const result = await createClient(kv, { name: "ACME", client_email: "ops@acme.test" });
 * if ("client" in result) console.log(result.client.client_id);
 * ```
 */
export async function createClient(
  kv: Deno.Kv,
  input: NewClient,
): Promise<{ client: ClientRecord } | EmailTaken> {
  assertFitsKey((input.client_email ?? "").trim(), "client_email");
  return await atomicRetry(kv, async (op) => {
    const key = emailKey(input.client_email ?? "");
    if (key) {
      const taken = await kv.get<number>(key);
      if (taken.value !== null) return { email_taken: taken.value };
      op.check(taken);
    }
    const id = await allocateId(kv, op, "clients");
    const client = defaultClient(id, input);
    op.set(keys.client(id), client);
    if (key) op.set(key, id);
    bumpFleetRev(op);
    return { client };
  });
}

/**
 * Applies `change` to a client atomically (re-run on conflict, so concurrent edits of different fields
 * all land), moving the e-mail index. Returns the new and previous records, `{ email_taken }` when the
 * new address belongs to another client, or `null` if the client does not exist. `change` may return
 * `null` to leave the client as it is.
 *
 * @example
 * ```ts
 * await updateClient(kv, 2, (c) => ({ ...c, suspended: 1 }));
 * ```
 */
export async function updateClient(
  kv: Deno.Kv,
  id: number,
  change: (client: ClientRecord) => ClientRecord | null,
): Promise<{ client: ClientRecord; previous: ClientRecord } | EmailTaken | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<ClientRecord>(keys.client(id));
    if (!entry.value) return null;
    const previous = entry.value;
    const changed = change(previous);
    if (!changed) return { client: previous, previous };
    const client: ClientRecord = { ...changed, client_id: id };
    const oldKey = emailKey(previous.client_email);
    assertFitsKey(client.client_email.trim(), "client_email");
    const newKey = emailKey(client.client_email);
    const same = oldKey !== null && newKey !== null && JSON.stringify(oldKey) === JSON.stringify(newKey);
    if (newKey && !same) {
      const taken = await kv.get<number>(newKey);
      if (taken.value !== null && taken.value !== id) return { email_taken: taken.value };
      op.check(taken).set(newKey, id);
    }
    if (oldKey && !same) op.delete(oldKey);
    op.check(entry).set(keys.client(id), client);
    bumpFleetRev(op);
    return { client, previous };
  });
}

/**
 * Deletes a client and its e-mail index in one commit; returns the deleted record or `null`. The
 * client's sites keep pointing at it until the caller unassigns them (core/clients.ts does).
 *
 * @example
 * ```ts
 * await deleteClient(kv, 2);
 * ```
 */
export async function deleteClient(kv: Deno.Kv, id: number): Promise<ClientRecord | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<ClientRecord>(keys.client(id));
    if (!entry.value) return null;
    op.check(entry).delete(keys.client(id));
    const key = emailKey(entry.value.client_email);
    if (key) {
      const indexed = await kv.get<number>(key);
      if (indexed.value === id) op.check(indexed).delete(key);
    }
    bumpFleetRev(op);
    return entry.value;
  });
}

/**
 * One client, or `null`.
 *
 * @example
 * ```ts
 * const client = await getClient(kv, 2);
 * ```
 */
export async function getClient(kv: Deno.Kv, id: number): Promise<ClientRecord | null> {
  return (await kv.get<ClientRecord>(keys.client(id))).value;
}

/**
 * Clients by id, in the given order, skipping missing ones.
 *
 * @example
 * ```ts
 * const clients = await getClients(kv, [2, 5]);
 * ```
 */
export async function getClients(kv: Deno.Kv, ids: number[]): Promise<ClientRecord[]> {
  const entries = await getManyChunked<ClientRecord>(kv, ids.map(keys.client));
  return entries.flatMap((e) => (e.value ? [e.value] : []));
}

/**
 * The client with this e-mail address (case-insensitive), or `null`.
 *
 * @example
 * ```ts
 * await findClientByEmail(kv, "Ops@ACME.test");
 * ```
 */
export async function findClientByEmail(kv: Deno.Kv, email: string): Promise<ClientRecord | null> {
  if (!fitsKey(email.trim())) return null;
  const key = emailKey(email);
  if (!key) return null;
  const id = (await kv.get<number>(key)).value;
  return id === null ? null : await getClient(kv, id);
}

/**
 * Every client, in id order.
 *
 * @example
 * ```ts
 * const all = await listClients(kv);
 * ```
 */
export async function listClients(kv: Deno.Kv): Promise<ClientRecord[]> {
  return await listValues<ClientRecord>(kv, keys.clients());
}

/**
 * Ids of the sites assigned to a client (from the client→sites index), ascending.
 *
 * @example
 * ```ts
 * await clientSiteIds(kv, 2); // [3, 7]
 * ```
 */
export async function clientSiteIds(kv: Deno.Kv, clientId: number): Promise<number[]> {
  return await listIds(kv, keys.clientSites(clientId));
}
