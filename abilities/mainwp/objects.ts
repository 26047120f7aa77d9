/**
 * @module
 * The shared output objects of MainWP's abilities (abilities.md §2.4): site (basic), client and cost.
 *
 * @example
 * ```ts
 * siteBasicObject(site); // { id: 1, url: "…", name: "…", status: "connected", client_id: null }
 * ```
 */
import { z } from "zod";
import type { SiteRecord } from "../../core/sites/resolve.ts";
import type { ClientRecord } from "../../core/clients.ts";
import type { Cost } from "../../core/costs.ts";

/** Unix seconds as ISO 8601 with `+00:00`, or `null` for 0 / missing. */
function isoOrNull(seconds: number | undefined): string | null {
  return seconds && seconds > 0
    ? new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00")
    : null;
}

/** The JSON shape of {@link siteBasicObject}, for output schemas. */
export const siteBasicSchema = z.object({
  id: z.int(),
  url: z.string(),
  name: z.string(),
  status: z.string(),
  client_id: z.int().nullable(),
});

/**
 * The basic site object: `name` without `http(s)://`, `client_id` or `null`, status from suspended,
 * the last uptime check and the last sync.
 *
 * @example
 * ```ts
 * siteBasicObject(site).status; // "connected"
 * ```
 */
export function siteBasicObject(
  site: Pick<
    SiteRecord,
    "id" | "url" | "name" | "suspended" | "offline_check_result" | "sync_errors" | "client_id"
  >,
) {
  const status = site.suspended
    ? "suspended"
    : site.offline_check_result === -1 || site.sync_errors
    ? "disconnected"
    : "connected";
  return {
    id: site.id,
    url: site.url,
    name: site.name.replaceAll("https://", "").replaceAll("http://", ""),
    status,
    client_id: site.client_id > 0 ? site.client_id : null,
  };
}

/**
 * The client object of the client abilities.
 *
 * @example
 * ```ts
 * clientAbilityObject(client).email; // "ops@acme.test"
 * ```
 */
export function clientAbilityObject(c: ClientRecord) {
  return {
    id: c.client_id,
    name: c.name ?? "",
    email: c.client_email ?? "",
    phone: c.client_phone ?? "",
    address_1: c.address_1 ?? "",
    address_2: c.address_2 ?? "",
    city: c.city ?? "",
    state: c.state ?? "",
    zip: c.zip ?? "",
    country: c.country ?? "",
    note: c.note ?? "",
    suspended: c.suspended ?? 0,
    created: isoOrNull(c.created),
    facebook: c.client_facebook ?? "",
    twitter: c.client_twitter ?? "",
    instagram: c.client_instagram ?? "",
    linkedin: c.client_linkedin ?? "",
  };
}

/** Output schema of {@link clientAbilityObject}. */
export const clientOutputSchema = z.object({
  id: z.int(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  address_1: z.string(),
  address_2: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  note: z.string(),
  suspended: z.int(),
  created: z.string().nullable(),
  facebook: z.string(),
  twitter: z.string(),
  instagram: z.string(),
  linkedin: z.string(),
});

/**
 * The cost object of the cost abilities: price as a number, renewal dates as ISO 8601 or `null`.
 *
 * @example
 * ```ts
 * costAbilityObject(cost).price; // 49
 * ```
 */
export function costAbilityObject(c: Cost) {
  return {
    id: c.id,
    name: c.name ?? "",
    type: c.type ?? "",
    price: Number.isFinite(c.price) ? c.price : 0,
    renewal_type: c.renewal_type ?? "",
    payment_method: c.payment_method ?? "",
    product_type: c.product_type ?? "",
    last_renewal: isoOrNull(c.last_renewal),
    next_renewal: isoOrNull(c.next_renewal),
  };
}

/** Output schema of {@link costAbilityObject}. */
export const costOutputSchema = z.object({
  id: z.int(),
  name: z.string(),
  type: z.string(),
  price: z.number(),
  renewal_type: z.string(),
  payment_method: z.string(),
  product_type: z.string(),
  last_renewal: z.string().nullable(),
  next_renewal: z.string().nullable(),
});
