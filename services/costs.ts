/**
 * @module
 * Cost-tracker logic shared by the REST routes and (later) the Abilities API: the two response shapes
 * (rest-v2.md §6.4 — the HTML-escaped *list object* inside maps keyed by cost id, and the *raw row* of
 * single reads and writes), request-field mapping (`payment_type`→`type`, `product_slug`→`slug`,
 * `cost_tracker_status`→`cost_status`, `icon_hidden`→`cost_icon`, `product_color`→`cost_color`), renewal
 * dates, list filters, and resolving a cost's sites (its sites, the sites of its tags, the sites of its
 * clients) and a client's costs. Every write fires `mainwp_cost_updated`.
 *
 * @example
 * ```ts
 * const saved = await saveCost(ctx, { name: "Hosting", payment_type: "subscription", price: 20, sites: [3] });
 * if ("cost" in saved) costRawRow(saved.cost).price; // "20.00000000"
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { RestError, restError } from "../rest/errors.ts";
import { keys } from "../store/keys.ts";
import { listIds } from "../store/kv.ts";
import {
  costIdsOf,
  type CostRecord,
  createCost,
  deleteCost,
  emptyCost,
  getCost,
  getCosts,
  listCosts,
  type NewCost,
  updateCost,
} from "../store/costs.ts";
import { type ClientRecord, getClients } from "../store/clients.ts";
import { getSites } from "../store/sites.ts";
import { mysqlDate } from "./dates.ts";
import { compareClientsByName } from "./clients.ts";
import { escHtml, sanitizeTextField } from "../wp/format.ts";
import { sanitizeHexColor } from "../wp/format.ts";

export type { CostRecord } from "../store/costs.ts";

/** Payment types (`type`, request `payment_type`). */
export const PAYMENT_TYPES = ["subscription", "lifetime"] as const;
/** Cost statuses (`cost_status`, request `cost_tracker_status`). */
export const COST_STATUSES = ["active", "canceled", "onhold", "expired", "pending_cancelation"] as const;
/** Built-in product types (custom types come with the cost-tracker settings). */
export const PRODUCT_TYPES = ["plugin", "theme", "hosting", "service", "other"] as const;
/** License types. */
export const LICENSE_TYPES = ["single_site", "multi_site"] as const;
/** Renewal frequencies. */
export const RENEWAL_TYPES = ["weekly", "monthly", "quarterly", "yearly", "disabled"] as const;
/** Largest value MySQL's signed INT (the date columns) holds. */
export const MAX_TIMESTAMP = 2_147_483_647;
/** Largest absolute price a DECIMAL(26,8) holds (18 integer digits). */
export const MAX_PRICE = 1e18;

/** The cost list object (§6.4): escaped text, `id` an integer, dates as text or integer 0. */
export interface CostListObject {
  id: number;
  name: string;
  url: string;
  type: string;
  product_type: string;
  slug: string;
  license_type: string;
  cost_status: string;
  payment_method: string;
  price: string;
  renewal_type: string;
  last_renewal: string | 0;
  next_renewal: string | 0;
  last_alert: string | 0;
  sites: string;
  groups: string;
  clients: string;
  note: string;
}

/** A cost write, with the request's field names. Omitted fields: empty on add, unchanged on edit. */
export interface CostInput {
  name?: string;
  payment_type?: string;
  product_type?: string;
  product_slug?: string;
  license_type?: string;
  cost_tracker_status?: string;
  url?: string;
  icon_hidden?: string;
  product_color?: string;
  price?: number;
  payment_method?: string;
  renewal_type?: string;
  /** Unix seconds (0 = none); see {@link parseRenewalDate}. */
  last_renewal?: number;
  note?: string;
  /** One of these three decides the owners: the first one given wins (sites, then groups, then clients). */
  sites?: number[];
  groups?: number[];
  clients?: number[];
}

/** Filters of the cost list. */
export interface CostListQuery {
  /** Payment types (`any`, `subscription`, `lifetime`); all-invalid → 400. */
  type?: string[];
  /** Cost statuses; unknown values are dropped. */
  status?: string[];
  /** Product types or `any`; unknown values are dropped. */
  category?: string[];
  /** Substring of the id or the name (case-insensitive). */
  search?: string;
  include?: number[];
  exclude?: number[];
  /** Paging applies only when both are positive. */
  page?: number;
  per_page?: number;
}

/** Result of {@link saveCost}. */
export type CostSaveResult =
  | { cost: CostRecord; created: boolean }
  | { error: string }
  | { notFound: true };

/** Messages MainWP answers with. */
export const COST_MESSAGES = {
  invalidData: "Please enter websites or groups or clients.",
  duplicatePlugin: "A cost tracker for this plugin already exists.",
  duplicateTheme: "A cost tracker for this theme already exists.",
  addFailed: "Add cost failed. Please try again.",
  invalidType: "The type argument should be: any,subscription,lifetime",
} as const;

// ---------------------------------------------------------------------------------------------------
// Formatting

/**
 * A price as MySQL's DECIMAL(26,8) returns it.
 *
 * @example
 * ```ts
 * formatPrice(49); // "49.00000000"
 * ```
 */
export function formatPrice(price: number): string {
  const text = (Number.isFinite(price) ? price : 0).toFixed(8);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

/**
 * An owner list as MainWP stores it: a JSON array string, or `""` when empty.
 *
 * @example
 * ```ts
 * ownerListString([3, 7]); // "[3,7]"
 * ```
 */
export function ownerListString(ids: number[]): string {
  return ids.length > 0 ? JSON.stringify(ids) : "";
}

const listDate = (unix: number): string | 0 => (unix > 0 ? mysqlDate(unix) : 0);

/**
 * The cost list object. `note` is the note as the `mainwp_escape_content` filter returned it (default:
 * HTML-escaped); {@link costListMap} applies the filter.
 *
 * @example
 * ```ts
 * costListObject(cost).id; // 12 (an integer)
 * ```
 */
export function costListObject(c: CostRecord, note: string = escHtml(c.note)): CostListObject {
  return {
    id: c.id,
    name: escHtml(c.name),
    url: escHtml(c.url),
    type: escHtml(c.type),
    product_type: escHtml(c.product_type),
    slug: escHtml(c.slug),
    license_type: escHtml(c.license_type),
    cost_status: escHtml(c.cost_status),
    payment_method: escHtml(c.payment_method),
    price: escHtml(c.price),
    renewal_type: escHtml(c.renewal_type),
    last_renewal: listDate(c.last_renewal),
    next_renewal: listDate(c.next_renewal),
    last_alert: listDate(c.last_alert),
    sites: escHtml(ownerListString(c.sites)),
    groups: escHtml(ownerListString(c.groups)),
    clients: escHtml(ownerListString(c.clients)),
    note,
  };
}

/**
 * Costs as MainWP lists them: an object keyed by cost id (ascending), or `[]` when there are none
 * (PHP's empty array). Each note goes through the `mainwp_escape_content` filter.
 *
 * @example
 * ```ts
 * const data = await costListMap(ctx, costs); // { "12": {...}, "15": {...} }
 * ```
 */
export async function costListMap(
  ctx: AppContext,
  costs: CostRecord[],
): Promise<Record<string, CostListObject> | []> {
  if (costs.length === 0) return [];
  const out: Record<string, CostListObject> = {};
  for (const c of costs) {
    const note = await ctx.hooks.applyFilters("mainwp_escape_content", escHtml(c.note), c.note);
    out[String(c.id)] = costListObject(c, String(note ?? ""));
  }
  return out;
}

/**
 * The raw row (`GET /costs/{id}`, add/edit/remove): every column as a string, unescaped.
 *
 * @example
 * ```ts
 * costRawRow(cost).last_renewal; // "1711929600"
 * ```
 */
export function costRawRow(c: CostRecord): Record<string, string> {
  return {
    id: String(c.id),
    name: c.name,
    url: c.url,
    type: c.type,
    product_type: c.product_type,
    slug: c.slug,
    license_type: c.license_type,
    cost_status: c.cost_status,
    payment_method: c.payment_method,
    price: c.price,
    renewal_type: c.renewal_type,
    last_renewal: String(c.last_renewal),
    next_renewal: String(c.next_renewal),
    next_renewal_today: String(c.next_renewal_today),
    last_alert: String(c.last_alert),
    cost_icon: c.cost_icon,
    cost_color: c.cost_color,
    sites: ownerListString(c.sites),
    groups: ownerListString(c.groups),
    clients: ownerListString(c.clients),
    note: c.note,
  };
}

// ---------------------------------------------------------------------------------------------------
// Dates and sanitising

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function utcSeconds(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  return Math.floor(Date.UTC(y, mo - 1, d, h, mi, s) / 1000);
}

function zoneOffset(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
}

const TIME = String.raw`(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?`;
const ISO_RE = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`, "i");
const YMD_SLASH_RE = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})${TIME}$`, "i");
const MDY_SLASH_RE = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`, "i");
const DMY_RE = new RegExp(String.raw`^(\d{1,2})[-.](\d{1,2})[-.](\d{4})${TIME}$`, "i");
const DAY_MONTH_RE = /^(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})$/i;
const MONTH_DAY_RE = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;

function withTime(y: string, mo: string, d: string, m: RegExpExecArray, at: number): number | null {
  const base = utcSeconds(
    Number(y),
    Number(mo),
    Number(d),
    Number(m[at] ?? 0),
    Number(m[at + 1] ?? 0),
    Number(m[at + 2] ?? 0),
  );
  return base === null ? null : base - zoneOffset(m[at + 3]);
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/**
 * Parses a renewal date leniently, in UTC, as PHP's `strtotime` would for the common forms:
 * `2024-04-01`, `2024-04-01 00:00:00`, ISO 8601 with `T`/zone, `2024/04/01`, `04/01/2024` (m/d/Y),
 * `01-04-2024` (d-m-Y), `1 April 2024`, `April 1, 2024`, `20240401`, `@1711929600`, a unix timestamp
 * (number, or digit string of 9+ digits), `now`, `today`, `tomorrow`, `yesterday`. Empty → 0.
 * Returns `null` when the value is not a date (or outside MySQL's INT range).
 *
 * @example
 * ```ts
 * parseRenewalDate("2024-04-01"); // 1711929600
 * parseRenewalDate("next tuesday-ish"); // null
 * ```
 */
export function parseRenewalDate(value: unknown, now: number = Date.now()): number | null {
  if (value === undefined || value === null || value === false || value === "") return 0;
  let result: number | null = null;
  if (typeof value === "number") {
    result = Number.isFinite(value) ? Math.trunc(value) : null;
  } else if (typeof value === "string") {
    const s = value.trim();
    const today = new Date(now);
    const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) / 1000;
    let m: RegExpExecArray | null;
    if (s === "") result = 0;
    else if (/^now$/i.test(s)) result = Math.floor(now / 1000);
    else if (/^(today|midnight)$/i.test(s)) result = midnight;
    else if (/^tomorrow$/i.test(s)) result = midnight + 86400;
    else if (/^yesterday$/i.test(s)) result = midnight - 86400;
    else if ((m = /^@(-?\d+)$/.exec(s))) result = Number(m[1]);
    else if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
      result = utcSeconds(Number(m[1]), Number(m[2]), Number(m[3]));
    } else if (/^\d{9,}$/.test(s)) result = Number(s);
    else if ((m = ISO_RE.exec(s)) || (m = YMD_SLASH_RE.exec(s))) result = withTime(m[1], m[2], m[3], m, 4);
    else if ((m = MDY_SLASH_RE.exec(s))) result = withTime(m[3], m[1], m[2], m, 4);
    else if ((m = DMY_RE.exec(s))) result = withTime(m[3], m[2], m[1], m, 4);
    else if ((m = DAY_MONTH_RE.exec(s)) && monthIndex(m[2]) > 0) {
      result = utcSeconds(Number(m[3]), monthIndex(m[2]), Number(m[1]));
    } else if ((m = MONTH_DAY_RE.exec(s)) && monthIndex(m[1]) > 0) {
      result = utcSeconds(Number(m[3]), monthIndex(m[1]), Number(m[2]));
    }
  }
  return result !== null && result >= 0 && result <= MAX_TIMESTAMP ? result : null;
}

function addMonths(unix: number, months: number): number {
  const d = new Date(unix * 1000);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + months,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ) / 1000;
}

const RENEWAL_STEPS: Record<string, (unix: number) => number> = {
  weekly: (t) => t + 7 * 86400,
  monthly: (t) => addMonths(t, 1),
  quarterly: (t) => addMonths(t, 3),
  yearly: (t) => addMonths(t, 12),
};

/**
 * The next renewal after `lastRenewal`: one period later (`+1 week`, `+1 month`, `+3 months`,
 * `+1 year`, with PHP's day overflow, e.g. Jan 31 + 1 month = Mar 2/3), rolled forward period by
 * period until it is not before today (00:00 UTC). 0 without a date or for `disabled`/unknown types.
 *
 * @example
 * ```ts
 * nextRenewal(Date.UTC(2024, 3, 1) / 1000, "monthly", Date.UTC(2024, 4, 15)); // 2024-06-01 00:00:00
 * ```
 */
export function nextRenewal(lastRenewal: number, renewalType: string, now: number = Date.now()): number {
  const step = Object.hasOwn(RENEWAL_STEPS, renewalType) ? RENEWAL_STEPS[renewalType] : undefined;
  if (!lastRenewal || !step) return 0;
  const today = new Date(now);
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) / 1000;
  let next = step(lastRenewal);
  while (next < midnight) next = step(next);
  return next;
}

const URL_PROTOCOLS = [
  "http",
  "https",
  "ftp",
  "ftps",
  "mailto",
  "news",
  "irc",
  "irc6",
  "ircs",
  "gopher",
  "nntp",
  "feed",
  "telnet",
  "mms",
  "rtsp",
  "sms",
  "svn",
  "tel",
  "fax",
  "xmpp",
  "webcal",
  "urn",
];

/**
 * WordPress's `esc_url_raw`: characters a URL cannot hold are dropped, `http://` is assumed when no
 * scheme is given, and a scheme outside WordPress's allowed protocols yields `""`.
 *
 * @example
 * ```ts
 * escUrlRaw("host.example/panel"); // "http://host.example/panel"
 * ```
 */
export function escUrlRaw(value: unknown): string {
  let url = (typeof value === "string" ? value : "").trim().replaceAll(" ", "%20");
  url = url.replace(/[^a-z0-9\-~+_.?#=!&;,/:%@$|*'()[\]\u0080-\uffff]/gi, "");
  if (url === "") return "";
  if (!url.includes(":") && !["/", "#", "?"].includes(url[0]) && !/^[a-z0-9-]+?\.php/i.test(url)) {
    url = `http://${url}`;
  }
  const scheme = /^([^:/?#]+):/.exec(url);
  if (scheme && !URL_PROTOCOLS.includes(scheme[1].toLowerCase())) return "";
  return url;
}

// ---------------------------------------------------------------------------------------------------
// Reads

/**
 * One cost, or `null`.
 *
 * @example
 * ```ts
 * await findCost(ctx, 12);
 * ```
 */
export async function findCost(ctx: AppContext, id: number): Promise<CostRecord | null> {
  return Number.isInteger(id) && id > 0 ? await getCost(ctx.kv, id) : null;
}

/**
 * Whether a cost passes the list filters (type, status, category, search, include/exclude). The
 * value lists must already be validated by {@link normalizeCostQuery}.
 *
 * @example
 * ```ts
 * matchesCostQuery(cost, { type: ["lifetime"] });
 * ```
 */
export function matchesCostQuery(c: CostRecord, q: CostListQuery): boolean {
  if (q.include && q.include.length > 0 && !q.include.includes(c.id)) return false;
  if (q.exclude?.includes(c.id)) return false;
  const type = q.type ?? [];
  if (type.length > 0 && !type.includes("any") && !type.includes(c.type)) return false;
  const status = q.status ?? [];
  if (status.length > 0 && !status.includes(c.cost_status)) return false;
  const category = q.category ?? [];
  if (category.length > 0 && !category.includes("any") && !category.includes(c.product_type)) return false;
  const search = (q.search ?? "").trim().toLowerCase();
  if (search !== "" && !String(c.id).includes(search) && !c.name.toLowerCase().includes(search)) return false;
  return true;
}

/**
 * Validates and normalises list filters as MainWP does: `type` values outside
 * `any, subscription, lifetime` are dropped, and when every given value was invalid the request fails
 * (400 `mainwp_rest_invalid_param`); unknown `status` and `category` values are dropped silently.
 *
 * @example
 * ```ts
 * normalizeCostQuery({ type: ["lifetime", "x"], status: ["bogus"] }); // { type: ["lifetime"], status: [] }
 * ```
 */
export function normalizeCostQuery(q: CostListQuery): CostListQuery {
  const validTypes: readonly string[] = ["any", ...PAYMENT_TYPES];
  const types = (q.type ?? []).filter((t) => validTypes.includes(t));
  if ((q.type ?? []).length > 0 && types.length === 0) {
    throw restError("mainwp_rest_invalid_param", COST_MESSAGES.invalidType, 400);
  }
  const statuses: readonly string[] = COST_STATUSES;
  const categories: readonly string[] = ["any", ...PRODUCT_TYPES];
  return {
    ...q,
    type: types,
    status: (q.status ?? []).filter((s) => statuses.includes(s)),
    category: (q.category ?? []).filter((c) => categories.includes(c)),
  };
}

/**
 * Lists costs (id order), filtered and paged when both `page` and `per_page` are given. Throws the
 * 400 of {@link normalizeCostQuery}.
 *
 * @example
 * ```ts
 * const active = await listCostRecords(ctx, { status: ["active"] });
 * ```
 */
export async function listCostRecords(ctx: AppContext, query: CostListQuery = {}): Promise<CostRecord[]> {
  const q = normalizeCostQuery(query);
  const base = q.include && q.include.length > 0
    ? await getCosts(ctx.kv, [...new Set(q.include)].sort((a, b) => a - b))
    : await listCosts(ctx.kv);
  const rows = base.filter((c) => matchesCostQuery(c, q));
  if (q.page && q.per_page && q.page > 0 && q.per_page > 0) {
    return rows.slice((q.page - 1) * q.per_page, q.page * q.per_page);
  }
  return rows;
}

const sortedUnique = (ids: Iterable<number>) =>
  [...new Set(ids)].filter((id) => Number.isInteger(id) && id > 0).sort((a, b) => a - b);

/**
 * Ids of the sites a cost applies to: its sites, the sites of its tags and the sites of its clients
 * (existing sites only), ascending.
 *
 * @example
 * ```ts
 * await costSiteIds(ctx, cost); // [3, 7, 12]
 * ```
 */
export async function costSiteIds(ctx: AppContext, cost: CostRecord): Promise<number[]> {
  const lists = await Promise.all([
    ...sortedUnique(cost.groups).map((tagId) => listIds(ctx.kv, keys.tagSites(tagId))),
    ...sortedUnique(cost.clients).map((clientId) => listIds(ctx.kv, keys.clientSites(clientId))),
  ]);
  const ids = sortedUnique([...cost.sites, ...lists.flat()]);
  return (await getSites(ctx.kv, ids)).map((s) => s.id);
}

/**
 * The distinct clients of a cost's sites, ordered by name.
 *
 * @example
 * ```ts
 * await costClients(ctx, cost);
 * ```
 */
export async function costClients(ctx: AppContext, cost: CostRecord): Promise<ClientRecord[]> {
  const sites = await getSites(ctx.kv, await costSiteIds(ctx, cost));
  const clients = await getClients(ctx.kv, sortedUnique(sites.map((s) => s.client_id)));
  return clients.sort(compareClientsByName);
}

/**
 * Costs linked directly to a site (its id is in the cost's `sites`), id order — what
 * `GET /sites/{id}/costs` lists.
 *
 * @example
 * ```ts
 * await costsOfSite(ctx, 3);
 * ```
 */
export async function costsOfSite(ctx: AppContext, siteId: number): Promise<CostRecord[]> {
  return await getCosts(ctx.kv, await costIdsOf(ctx.kv, "site", siteId));
}

/**
 * A client's costs: costs of its sites, of those sites' tags, and costs assigned to the client
 * directly; id order.
 *
 * @example
 * ```ts
 * await costsOfClient(ctx, 2);
 * ```
 */
export async function costsOfClient(ctx: AppContext, clientId: number): Promise<CostRecord[]> {
  const siteIds = await listIds(ctx.kv, keys.clientSites(clientId));
  const sites = await getSites(ctx.kv, siteIds);
  const tagIds = sortedUnique(sites.flatMap((s) => s.tag_ids));
  const lists = await Promise.all([
    costIdsOf(ctx.kv, "client", clientId),
    ...sites.map((s) => costIdsOf(ctx.kv, "site", s.id)),
    ...tagIds.map((tagId) => costIdsOf(ctx.kv, "tag", tagId)),
  ]);
  return await getCosts(ctx.kv, sortedUnique(lists.flat()));
}

// ---------------------------------------------------------------------------------------------------
// Writes

/**
 * The owner lists a request sets, or `null` when it sets none (MainWP: the first of `sites`, `groups`,
 * `clients` that is given wins; the other two are emptied).
 *
 * @example
 * ```ts
 * pickOwners({ groups: [4], clients: [2] }); // { sites: [], groups: [4], clients: [] }
 * ```
 */
export function pickOwners(input: CostInput): Pick<CostRecord, "sites" | "groups" | "clients"> | null {
  if (input.sites) return { sites: input.sites, groups: [], clients: [] };
  if (input.groups) return { sites: [], groups: input.groups, clients: [] };
  if (input.clients) return { sites: [], groups: [], clients: input.clients };
  return null;
}

/** Applies the given request fields to a record (request names → columns, sanitised). */
function applyInput(base: NewCost, input: CostInput): NewCost {
  const next: NewCost = { ...base };
  const text = (
    v: string | undefined,
    fallback: string,
  ) => (v === undefined ? fallback : sanitizeTextField(v));
  next.name = text(input.name, next.name);
  next.type = text(input.payment_type, next.type);
  next.product_type = text(input.product_type, next.product_type);
  next.slug = text(input.product_slug, next.slug);
  next.license_type = text(input.license_type, next.license_type);
  next.cost_status = text(input.cost_tracker_status, next.cost_status);
  next.payment_method = text(input.payment_method, next.payment_method);
  next.renewal_type = text(input.renewal_type, next.renewal_type);
  next.cost_icon = text(input.icon_hidden, next.cost_icon);
  if (input.url !== undefined) next.url = escUrlRaw(input.url);
  if (input.product_color !== undefined) {
    next.cost_color =
      sanitizeHexColor(typeof input.product_color === "string" ? input.product_color.trim() : "") ?? "";
  }
  if (input.price !== undefined) next.price = formatPrice(input.price);
  if (input.last_renewal !== undefined) next.last_renewal = input.last_renewal;
  if (input.note !== undefined) next.note = input.note;
  return next;
}

/** Recomputes `next_renewal` (rolled past today) and `next_renewal_today`. */
function withRenewals<T extends NewCost>(cost: T, now: number): T {
  const next = nextRenewal(cost.last_renewal, cost.renewal_type, now);
  const today = cost.type === "lifetime" || cost.cost_status !== "active" ? 0 : next;
  return { ...cost, next_renewal: next, next_renewal_today: today };
}

/**
 * Adds a cost (no `id`) or updates cost `id`. On update, omitted fields keep their values (MainWP
 * wipes them) and omitting all of `sites`/`groups`/`clients` keeps the owners. `next_renewal` is always
 * recomputed. Throws 400 `mainwp_rest_create_costs_invalid_data` when no owner list is given on add or
 * the chosen list is empty. Soft errors: a plugin/theme slug another cost has, or an unknown `id`
 * ("Add cost failed. Please try again."); `notFound` is for callers that check existence first.
 *
 * @example
 * ```ts
 * await saveCost(ctx, { name: "Akismet", product_type: "plugin", product_slug: "akismet", sites: [3] });
 * await saveCost(ctx, { cost_tracker_status: "canceled" }, 12);
 * ```
 */
export async function saveCost(
  ctx: AppContext,
  input: CostInput,
  id?: number,
  now: number = Date.now(),
): Promise<CostSaveResult> {
  const owners = pickOwners(input);
  if (
    (owners === null && id === undefined) || (owners && Object.values(owners).every((l) => l.length === 0))
  ) {
    throw new RestError("mainwp_rest_create_costs_invalid_data", COST_MESSAGES.invalidData, { status: 400 });
  }
  const duplicate = (productType: string) => ({
    error: productType === "theme" ? COST_MESSAGES.duplicateTheme : COST_MESSAGES.duplicatePlugin,
  });
  if (id === undefined) {
    const cost = withRenewals({ ...applyInput(emptyCost(), input), ...owners! }, now);
    const result = await createCost(ctx.kv, cost);
    if ("duplicate" in result) return duplicate(cost.product_type);
    await ctx.hooks.doAction("mainwp_cost_updated", result.cost, "created");
    return { cost: result.cost, created: true };
  }
  let productType = "";
  const result = await updateCost(ctx.kv, id, (current) => {
    const next = withRenewals({ ...current, ...applyInput(current, input), ...(owners ?? {}) }, now);
    productType = next.product_type;
    return next;
  });
  if (result === null) return { notFound: true };
  if ("duplicate" in result) return duplicate(productType);
  await ctx.hooks.doAction("mainwp_cost_updated", result.cost, "updated");
  return { cost: result.cost, created: false };
}

/**
 * Deletes a cost; returns the deleted record or `null`.
 *
 * @example
 * ```ts
 * await removeCost(ctx, 12);
 * ```
 */
export async function removeCost(ctx: AppContext, id: number): Promise<CostRecord | null> {
  const removed = await deleteCost(ctx.kv, id);
  if (removed) await ctx.hooks.doAction("mainwp_cost_updated", removed, "deleted");
  return removed;
}
