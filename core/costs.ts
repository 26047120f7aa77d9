/**
 * @module
 * The cost tracker: costs (a price, a payment type, renewal dates) that apply to sites, to tags (MainWP
 * "groups") or to clients. Reads resolve a cost's sites and clients and a site's or client's costs;
 * writes sanitise the fields as MainWP stores them, recompute the next renewal, keep one cost per
 * plugin/theme and fire `mainwp_cost_updated`. Errors are domain errors (`core/errors.ts`).
 *
 * @example
 * ```ts
 * const cost = await addCost(ctx, { name: "Hosting", type: "subscription", price: 20, sites: [3] });
 * cost.price; // 20
 * ```
 */
import type { HookDeps, StoreDeps } from "./deps.ts";
import { Conflict, InvalidInput, NotFound } from "./errors.ts";
import { escUrlRaw, formatPrice, nextRenewal } from "./cost-values.ts";
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
import { compareClientsByName } from "./clients.ts";
import { sanitizeHexColor, sanitizeTextField } from "../wp/format.ts";
import { paymentMethodSlugs, productTypeSlugs } from "./settings/cost-tracker.ts";

/** Payment types (`type`). */
export const PAYMENT_TYPES = ["subscription", "lifetime"] as const;
/** Cost statuses (`cost_status`). */
export const COST_STATUSES = ["active", "canceled", "onhold", "expired", "pending_cancelation"] as const;
/** Built-in product types, the defaults of the Cost Tracker settings (`core/settings/cost-tracker.ts`). */
export const PRODUCT_TYPES = ["plugin", "theme", "hosting", "service", "other"] as const;
/** License types. */
export const LICENSE_TYPES = ["single_site", "multi_site"] as const;
/** Renewal frequencies. */
export const RENEWAL_TYPES = ["weekly", "monthly", "quarterly", "yearly", "disabled"] as const;

/**
 * A cost: the stored record with its price as a number. Dates are unix seconds (0 = none); `sites`,
 * `groups` (tags) and `clients` are the owner ids as given.
 */
export interface Cost extends Omit<CostRecord, "price"> {
  price: number;
}

/**
 * The fields a write sets (column names; the REST presenter maps MainWP's request names). Omitted
 * fields are empty on add and unchanged on edit. Text is sanitised as MainWP stores it.
 */
export interface CostFields {
  name?: string;
  /** Payment type. */
  type?: string;
  product_type?: string;
  /** Product slug: one cost per plugin/theme slug. */
  slug?: string;
  license_type?: string;
  cost_status?: string;
  url?: string;
  cost_icon?: string;
  /** A hex colour; anything else is stored as `""`. */
  cost_color?: string;
  price?: number;
  payment_method?: string;
  renewal_type?: string;
  /** Unix seconds (0 = none). */
  last_renewal?: number;
  note?: string;
  /** One of these three decides the owners: the first one given wins (sites, then groups, then clients). */
  sites?: number[];
  groups?: number[];
  clients?: number[];
}

/** Filters of the cost list. */
export interface CostListQuery {
  /** Payment types (`any`, `subscription`, `lifetime`); all-invalid → {@link InvalidInput}. */
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

/** MainWP's messages for the errors the cost operations raise. */
export const COST_MESSAGES = {
  invalidData: "Please enter websites or groups or clients.",
  duplicatePlugin: "A cost tracker for this plugin already exists.",
  duplicateTheme: "A cost tracker for this theme already exists.",
  invalidType: "The type argument should be: any,subscription,lifetime",
  invalidProductType: "Invalid product type. Use one of the Cost Tracker settings' product types.",
  invalidPaymentMethod: "Invalid payment method. Use one of the Cost Tracker settings' payment methods.",
} as const;

/**
 * A stored record as a {@link Cost}.
 *
 * @example
 * ```ts
 * costFromRecord({ ...emptyCost(), id: 1, price: "49.00000000" }).price; // 49
 * ```
 */
export function costFromRecord(record: CostRecord): Cost {
  const price = Number(record.price);
  return { ...record, price: Number.isFinite(price) ? price : 0 };
}

// ---------------------------------------------------------------------------------------------------
// Reads

/**
 * One cost; {@link NotFound} when `id` names none.
 *
 * @example
 * ```ts
 * await getCostById(ctx, 12);
 * ```
 */
export async function getCostById({ kv }: StoreDeps, id: number): Promise<Cost> {
  const record = Number.isInteger(id) && id > 0 ? await getCost(kv, id) : null;
  if (!record) throw new NotFound("cost", id);
  return costFromRecord(record);
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
export function matchesCostQuery(
  c: Pick<Cost, "id" | "name" | "type" | "cost_status" | "product_type">,
  q: CostListQuery,
): boolean {
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
 * `any, subscription, lifetime` are dropped, `category` keeps `any` and the `productTypes` given (the
 * Cost Tracker settings' slugs; the built-in ones by default), and when every given value was invalid the query is
 * refused ({@link InvalidInput} on `type`); unknown `status` and `category` values are dropped silently.
 *
 * @example
 * ```ts
 * normalizeCostQuery({ type: ["lifetime", "x"], status: ["bogus"] }); // { type: ["lifetime"], status: [] }
 * ```
 */
export function normalizeCostQuery(
  q: CostListQuery,
  productTypes: readonly string[] = PRODUCT_TYPES,
): CostListQuery {
  const validTypes: readonly string[] = ["any", ...PAYMENT_TYPES];
  const types = (q.type ?? []).filter((t) => validTypes.includes(t));
  if ((q.type ?? []).length > 0 && types.length === 0) {
    throw new InvalidInput("type", COST_MESSAGES.invalidType, "cost");
  }
  const statuses: readonly string[] = COST_STATUSES;
  const categories: readonly string[] = ["any", ...productTypes];
  return {
    ...q,
    type: types,
    status: (q.status ?? []).filter((s) => statuses.includes(s)),
    category: (q.category ?? []).filter((c) => categories.includes(c)),
  };
}

/**
 * Lists costs (id order), filtered and paged when both `page` and `per_page` are given. Throws the
 * {@link InvalidInput} of {@link normalizeCostQuery}.
 *
 * @example
 * ```ts
 * const active = await findCosts(ctx, { status: ["active"] });
 * ```
 */
export async function findCosts({ kv }: StoreDeps, query: CostListQuery = {}): Promise<Cost[]> {
  const q = normalizeCostQuery(query, await productTypeSlugs({ kv }));
  const base = q.include && q.include.length > 0
    ? await getCosts(kv, [...new Set(q.include)].sort((a, b) => a - b))
    : await listCosts(kv);
  const rows = base.filter((c) => matchesCostQuery(c, q));
  const page = q.page && q.per_page && q.page > 0 && q.per_page > 0
    ? rows.slice((q.page - 1) * q.per_page, q.page * q.per_page)
    : rows;
  return page.map(costFromRecord);
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
export async function costSiteIds(
  { kv }: StoreDeps,
  cost: Pick<Cost, "sites" | "groups" | "clients">,
): Promise<number[]> {
  const lists = await Promise.all([
    ...sortedUnique(cost.groups).map((tagId) => listIds(kv, keys.tagSites(tagId))),
    ...sortedUnique(cost.clients).map((clientId) => listIds(kv, keys.clientSites(clientId))),
  ]);
  const ids = sortedUnique([...cost.sites, ...lists.flat()]);
  return (await getSites(kv, ids)).map((s) => s.id);
}

/**
 * The distinct clients of a cost's sites, ordered by name.
 *
 * @example
 * ```ts
 * await costClients(ctx, cost);
 * ```
 */
export async function costClients(
  deps: StoreDeps,
  cost: Pick<Cost, "sites" | "groups" | "clients">,
): Promise<ClientRecord[]> {
  const sites = await getSites(deps.kv, await costSiteIds(deps, cost));
  const clients = await getClients(deps.kv, sortedUnique(sites.map((s) => s.client_id)));
  return clients.sort(compareClientsByName);
}

/**
 * Costs linked directly to a site (its id is in the cost's `sites`, not via its tags or client), id order.
 *
 * @example
 * ```ts
 * await costsOfSite(ctx, 3);
 * ```
 */
export async function costsOfSite({ kv }: StoreDeps, siteId: number): Promise<Cost[]> {
  return (await getCosts(kv, await costIdsOf(kv, "site", siteId))).map(costFromRecord);
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
export async function costsOfClient({ kv }: StoreDeps, clientId: number): Promise<Cost[]> {
  const siteIds = await listIds(kv, keys.clientSites(clientId));
  const sites = await getSites(kv, siteIds);
  const tagIds = sortedUnique(sites.flatMap((s) => s.tag_ids));
  const lists = await Promise.all([
    costIdsOf(kv, "client", clientId),
    ...sites.map((s) => costIdsOf(kv, "site", s.id)),
    ...tagIds.map((tagId) => costIdsOf(kv, "tag", tagId)),
  ]);
  return (await getCosts(kv, sortedUnique(lists.flat()))).map(costFromRecord);
}

// ---------------------------------------------------------------------------------------------------
// Writes

type Owners = Pick<CostRecord, "sites" | "groups" | "clients">;

/**
 * The owner lists a write sets, or `null` when it sets none (MainWP: the first of `sites`, `groups`,
 * `clients` that is given wins; the other two are emptied).
 *
 * @example
 * ```ts
 * pickOwners({ groups: [4], clients: [2] }); // { sites: [], groups: [4], clients: [] }
 * ```
 */
export function pickOwners(fields: CostFields): Owners | null {
  if (fields.sites) return { sites: fields.sites, groups: [], clients: [] };
  if (fields.groups) return { sites: [], groups: fields.groups, clients: [] };
  if (fields.clients) return { sites: [], groups: [], clients: fields.clients };
  return null;
}

/** Refuses a write whose chosen owner list is empty (or, when `required`, that names no owners). */
function checkOwners(owners: Owners | null, required: boolean): void {
  if ((owners === null && required) || (owners && Object.values(owners).every((l) => l.length === 0))) {
    throw new InvalidInput("sites", COST_MESSAGES.invalidData, "cost");
  }
}

/** Applies the given fields to a record (sanitised as MainWP stores them). */
function applyFields(base: NewCost, fields: CostFields): NewCost {
  const next: NewCost = { ...base };
  const text = (
    v: string | undefined,
    fallback: string,
  ) => (v === undefined ? fallback : sanitizeTextField(v));
  next.name = text(fields.name, next.name);
  next.type = text(fields.type, next.type);
  next.product_type = text(fields.product_type, next.product_type);
  next.slug = text(fields.slug, next.slug);
  next.license_type = text(fields.license_type, next.license_type);
  next.cost_status = text(fields.cost_status, next.cost_status);
  next.payment_method = text(fields.payment_method, next.payment_method);
  next.renewal_type = text(fields.renewal_type, next.renewal_type);
  next.cost_icon = text(fields.cost_icon, next.cost_icon);
  if (fields.url !== undefined) next.url = escUrlRaw(fields.url);
  if (fields.cost_color !== undefined) next.cost_color = sanitizeHexColor(fields.cost_color.trim()) ?? "";
  if (fields.price !== undefined) next.price = formatPrice(fields.price);
  if (fields.last_renewal !== undefined) next.last_renewal = fields.last_renewal;
  if (fields.note !== undefined) next.note = fields.note;
  return next;
}

/** Recomputes `next_renewal` (rolled past today) and `next_renewal_today`. */
function withRenewals<T extends NewCost>(cost: T, now: number): T {
  const next = nextRenewal(cost.last_renewal, cost.renewal_type, now);
  const today = cost.type === "lifetime" || cost.cost_status !== "active" ? 0 : next;
  return { ...cost, next_renewal: next, next_renewal_today: today };
}

/**
 * Refuses a product type or payment method the Cost Tracker settings do not list ({@link InvalidInput}
 * on `product_type` / `payment_method`); empty values are allowed, as MainWP stores them for "none".
 */
async function checkCategories(deps: StoreDeps, fields: CostFields): Promise<void> {
  const productType = fields.product_type === undefined ? "" : sanitizeTextField(fields.product_type);
  if (productType !== "" && !(await productTypeSlugs(deps)).includes(productType)) {
    throw new InvalidInput("product_type", COST_MESSAGES.invalidProductType, "cost");
  }
  const method = fields.payment_method === undefined ? "" : sanitizeTextField(fields.payment_method);
  if (method !== "" && !(await paymentMethodSlugs(deps)).includes(method)) {
    throw new InvalidInput("payment_method", COST_MESSAGES.invalidPaymentMethod, "cost");
  }
}

const duplicate = (productType: string, existingId: number) =>
  new Conflict(
    "cost",
    existingId,
    productType === "theme" ? COST_MESSAGES.duplicateTheme : COST_MESSAGES.duplicatePlugin,
  );

/**
 * Adds a cost. {@link InvalidInput} (`sites`) when no owner list is given or the chosen one is empty, or
 * (`product_type` / `payment_method`) when the Cost Tracker settings do not list the value;
 * {@link Conflict} when another cost has the plugin/theme slug. Fires `mainwp_cost_updated` ("created").
 *
 * @example
 * ```ts
 * await addCost(ctx, { name: "Akismet", product_type: "plugin", slug: "akismet", sites: [3] });
 * ```
 */
export async function addCost(deps: HookDeps, fields: CostFields, now: number = Date.now()): Promise<Cost> {
  const owners = pickOwners(fields);
  checkOwners(owners, true);
  await checkCategories(deps, fields);
  const cost = withRenewals({ ...applyFields(emptyCost(), fields), ...owners! }, now);
  const result = await createCost(deps.kv, cost);
  if ("duplicate" in result) throw duplicate(cost.product_type, result.duplicate);
  await deps.hooks.doAction("mainwp_cost_updated", result.cost, "created");
  return costFromRecord(result.cost);
}

/**
 * Edits cost `id`: omitted fields keep their values (MainWP wipes them) and omitting all of
 * `sites`/`groups`/`clients` keeps the owners; `next_renewal` is always recomputed. Checks the owners
 * first ({@link InvalidInput}), then {@link NotFound} and {@link Conflict} (a slug another cost has).
 * Fires `mainwp_cost_updated` ("updated").
 *
 * @example
 * ```ts
 * await editCost(ctx, 12, { cost_status: "canceled" });
 * ```
 */
export async function editCost(
  deps: HookDeps,
  id: number,
  fields: CostFields,
  now: number = Date.now(),
): Promise<Cost> {
  const owners = pickOwners(fields);
  checkOwners(owners, false);
  await checkCategories(deps, fields);
  let productType = "";
  const result = await updateCost(deps.kv, id, (current) => {
    const next = withRenewals({ ...current, ...applyFields(current, fields), ...(owners ?? {}) }, now);
    productType = next.product_type;
    return next;
  });
  if (result === null) throw new NotFound("cost", id);
  if ("duplicate" in result) throw duplicate(productType, result.duplicate);
  await deps.hooks.doAction("mainwp_cost_updated", result.cost, "updated");
  return costFromRecord(result.cost);
}

/**
 * Deletes a cost; returns it, or `null` when it did not exist. Fires `mainwp_cost_updated` ("deleted").
 *
 * @example
 * ```ts
 * await removeCost(ctx, 12);
 * ```
 */
export async function removeCost(deps: HookDeps, id: number): Promise<Cost | null> {
  const removed = await deleteCost(deps.kv, id);
  if (removed) await deps.hooks.doAction("mainwp_cost_updated", removed, "deleted");
  return removed ? costFromRecord(removed) : null;
}
