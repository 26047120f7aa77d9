/**
 * @module
 * Client records on Deno KV (MainWP's `wp_mainwp_wp_clients` columns).
 *
 * @example
 * ```ts
 * const client = await getClient(kv, 2);
 * ```
 */
import { keys } from "./keys.ts";
import { getManyChunked } from "./kv.ts";

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

/** One client, or `null`. */
export async function getClient(kv: Deno.Kv, id: number): Promise<ClientRecord | null> {
  return (await kv.get<ClientRecord>(keys.client(id))).value;
}

/** Clients by id, in the given order, skipping missing ones. */
export async function getClients(kv: Deno.Kv, ids: number[]): Promise<ClientRecord[]> {
  const entries = await getManyChunked<ClientRecord>(kv, ids.map(keys.client));
  return entries.flatMap((e) => (e.value ? [e.value] : []));
}
