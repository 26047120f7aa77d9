/**
 * @module
 * The shared output objects of MainWP's abilities (abilities.md §2.4): site (basic) and client.
 *
 * @example
 * ```ts
 * siteBasicObject(site); // { id: 1, url: "…", name: "…", status: "connected", client_id: null }
 * ```
 */
import type { SiteRecord } from "../../store/sites.ts";
import type { ClientRecord } from "../../store/clients.ts";

/**
 * The basic site object: `name` without `http(s)://`, `client_id` or `null`, status from suspended,
 * the last uptime check and the last sync.
 *
 * @example
 * ```ts
 * siteBasicObject(site).status; // "connected"
 * ```
 */
export function siteBasicObject(site: SiteRecord) {
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
    created: c.created > 0 ? new Date(c.created * 1000).toISOString().replace(".000Z", "+00:00") : null,
    facebook: c.client_facebook ?? "",
    twitter: c.client_twitter ?? "",
    instagram: c.client_instagram ?? "",
    linkedin: c.client_linkedin ?? "",
  };
}
