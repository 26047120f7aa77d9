/**
 * @module
 * MainWP's wire shapes for clients (rest-v2.md §6.2) and the request-reading rules of the `/clients`
 * routes: the view object of lists, the simple object of single reads and writes (all values strings,
 * as MainWP reads them from the database), the raw row, the custom field view, and the PHP `empty()`
 * rules that turn request parameters into the core's typed inputs.
 *
 * @example
 * ```ts
 * clientView(record).id; // "2"
 * ```
 */
import type { ClientRecord } from "../../core/clients.ts";
import {
  CLIENT_TEXT_FIELDS,
  type ClientCustomFieldInput,
  type ClientInput,
  type ClientListQuery,
} from "../../core/clients.ts";
import type { ClientFieldRecord } from "../../core/client-fields.ts";
import { isoNoZone } from "../../wp/dates.ts";
import { parseIdList, parseList } from "../../rest/args.ts";
import { isPhpEmpty, PHP_NUMERIC } from "../../wp/php.ts";
import { isPlainObject } from "../../lib/objects.ts";

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

/** A custom field as the REST API shows it (strings; key order as MainWP's schema). */
export interface ClientFieldView {
  name: string;
  field_id: string;
  description: string;
}

/**
 * The REST view of a custom field.
 *
 * @example
 * ```ts
 * clientFieldView({ field_id: 3, field_name: "VAT", field_desc: "VAT number", client_id: 0 });
 * // { name: "VAT", field_id: "3", description: "VAT number" }
 * ```
 */
export function clientFieldView(f: ClientFieldRecord): ClientFieldView {
  return { name: f.field_name, field_id: String(f.field_id), description: f.field_desc };
}

/**
 * A request value as the text PHP would see (arrays and objects are not text).
 *
 * @example
 * ```ts
 * phpText(5); // "5"
 * phpText(["a"]); // ""
 * ```
 */
export function phpText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return value === true ? "1" : "";
}

/** PHP `intval` of a list parameter, or `undefined` when absent or not a number. */
export function intParam(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^\s*[+-]?\d+/.exec(value);
  return m ? Number(m[0]) : undefined;
}

function customFieldsOf(value: unknown): ClientCustomFieldInput[] {
  const items = Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value) : [];
  return items.flatMap((item) =>
    isPlainObject(item)
      ? [{
        field_name: phpText(item.field_name),
        field_value: phpText(item.field_value),
        field_desc: phpText(item.field_desc),
      }]
      : []
  );
}

/**
 * A client write from request arguments, MainWP-style: PHP-empty values are dropped, `selected_sites`
 * is a comma list or array of ids, `created` must be numeric.
 *
 * @example
 * ```ts
 * clientInputOf({ name: "ACME", city: "", selected_sites: "3,5" });
 * // { name: "ACME", selected_sites: [3, 5] }
 * ```
 */
export function clientInputOf(args: Readonly<Record<string, unknown>>): ClientInput {
  const input: ClientInput = {};
  for (const field of CLIENT_TEXT_FIELDS) {
    if (!isPhpEmpty(args[field])) input[field] = phpText(args[field]);
  }
  if (!isPhpEmpty(args.selected_sites)) input.selected_sites = parseIdList(args.selected_sites);
  const created = args.created;
  if (!isPhpEmpty(created) && (typeof created === "number" || PHP_NUMERIC.test(String(created)))) {
    input.created = Math.trunc(Number(created));
  }
  if (!isPhpEmpty(args.custom_fields)) input.custom_fields = customFieldsOf(args.custom_fields);
  return input;
}

/**
 * The client list filters from request arguments (`paged` is an alias of `page`).
 *
 * @example
 * ```ts
 * clientListQuery({ status: "lead,lost", page: "2", per_page: "10" });
 * ```
 */
export function clientListQuery(args: Readonly<Record<string, unknown>>): ClientListQuery {
  return {
    search: typeof args.search === "string" ? args.search : undefined,
    include: parseIdList(args.include),
    exclude: parseIdList(args.exclude),
    status: parseList(args.status),
    page: intParam(args.page ?? args.paged),
    per_page: intParam(args.per_page),
  };
}
