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
 * The client simple object plus `selected_sites`, as add and edit answer: the comma-joined site ids, or
 * `null` when the client has no site (MainWP reads it with SQL's `GROUP_CONCAT`, which gives NULL then).
 *
 * @example
 * ```ts
 * clientSimpleWithSites(record, [3, 5]).selected_sites; // "3,5"
 * clientSimpleWithSites(record, []).selected_sites; // null
 * ```
 */
export function clientSimpleWithSites(c: ClientRecord, siteIds: number[]): Record<string, string | null> {
  return { ...clientSimple(c), selected_sites: siteIds.length > 0 ? siteIds.join(",") : null };
}

/**
 * Columns of MainWP's primary-contact join (`wp_mainwp_wp_clients_contacts`, in table order; all `null`
 * when the client has no primary contact, which is always so in Fleetpress).
 */
const CONTACT_COLUMNS = [
  "contact_id",
  "contact_client_id",
  "contact_email",
  "contact_image",
  "contact_icon_info",
  "contact_name",
  "contact_phone",
  "contact_role",
  "facebook",
  "twitter",
  "instagram",
  "linkedin",
] as const;

/**
 * A client as MainWP's raw row (`GET /sites/{id}/client`): every `wp_mainwp_wp_clients` column in table
 * order as a string (`created` in unix seconds; `image` and `selected_icon_info` are `""`, the column
 * defaults, as the REST API never sets them), then the primary-contact columns.
 *
 * @example
 * ```ts
 * clientRawRow(client).created; // "1704445200"
 * ```
 */
export function clientRawRow(c: ClientRecord): Record<string, string | null> {
  const row: Record<string, string | null> = {
    client_id: s(c.client_id),
    image: "",
    name: s(c.name),
    address_1: s(c.address_1),
    address_2: s(c.address_2),
    city: s(c.city),
    zip: s(c.zip),
    state: s(c.state),
    country: s(c.country),
    note: s(c.note),
    selected_icon_info: "",
    client_email: s(c.client_email),
    client_phone: s(c.client_phone),
    client_facebook: s(c.client_facebook),
    client_twitter: s(c.client_twitter),
    client_instagram: s(c.client_instagram),
    client_linkedin: s(c.client_linkedin),
    created: s(c.created ?? 0),
    suspended: s(c.suspended ?? 0),
    primary_contact_id: s(c.primary_contact_id ?? 0),
  };
  for (const column of CONTACT_COLUMNS) row[column] = null;
  return row;
}
