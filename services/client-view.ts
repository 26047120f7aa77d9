/**
 * @module
 * Client response objects (rest-v2.md §6.2): the view object of lists and the simple object of single
 * reads and writes. All values are strings, as MainWP reads them from the database.
 *
 * @example
 * ```ts
 * clientView(record).id; // "2"
 * ```
 */
import type { ClientRecord } from "../store/clients.ts";
import { isoNoZone } from "./dates.ts";

const s = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** `created` as MainWP shows it: ISO without zone, or `"0"`. */
export function clientCreated(created: number): string {
  return created > 0 ? isoNoZone(created) : "0";
}

/**
 * The client view object (lists, tag/cost client lists).
 *
 * @example
 * ```ts
 * clientView(record); // { id: "2", name: "ACME Inc", …, primary_contact_id: "0" }
 * ```
 */
export function clientView(c: ClientRecord): Record<string, string> {
  return {
    id: s(c.client_id),
    name: s(c.name),
    address_1: s(c.address_1),
    address_2: s(c.address_2),
    city: s(c.city),
    zip: s(c.zip),
    state: s(c.state),
    country: s(c.country),
    note: s(c.note),
    client_email: s(c.client_email),
    client_phone: s(c.client_phone),
    client_facebook: s(c.client_facebook),
    client_twitter: s(c.client_twitter),
    client_instagram: s(c.client_instagram),
    client_linkedin: s(c.client_linkedin),
    created: clientCreated(c.created),
    suspended: s(c.suspended),
    primary_contact_id: s(c.primary_contact_id),
  };
}

/**
 * The client simple object (get/add/edit/delete/suspend).
 *
 * @example
 * ```ts
 * clientSimple(record).suspended; // "0"
 * ```
 */
export function clientSimple(c: ClientRecord): Record<string, string> {
  const v = clientView(c);
  return {
    id: v.id,
    name: v.name,
    address_1: v.address_1,
    address_2: v.address_2,
    city: v.city,
    zip: v.zip,
    state: v.state,
    country: v.country,
    client_email: v.client_email,
    client_phone: v.client_phone,
    created: v.created,
    suspended: v.suspended,
  };
}

/**
 * The client simple object plus `selected_sites` (comma-joined site ids, `""` when none), as add and
 * edit answer.
 *
 * @example
 * ```ts
 * clientSimpleWithSites(record, [3, 5]).selected_sites; // "3,5"
 * ```
 */
export function clientSimpleWithSites(c: ClientRecord, siteIds: number[]): Record<string, string> {
  return { ...clientSimple(c), selected_sites: siteIds.join(",") };
}
