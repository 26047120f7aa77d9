/**
 * @module
 * Cost records on Deno KV (MainWP's cost-tracker table). A cost applies to sites, tags (MainWP "groups")
 * or clients; each of those links is mirrored by an index entry `["idx", "<owner>_costs", ownerId,
 * costId]`, and a plugin/theme cost also holds its product slug under `["idx", "cost_slug", …]` so one
 * product has one cost. Record, indexes and the fleet revision change in one atomic commit.
 *
 * @example
 * ```ts
 * const result = await createCost(kv, { ...emptyCost(), name: "Hosting", sites: [3, 7] });
 * if ("cost" in result) console.log(result.cost.id);
 * ```
 */
import { keys } from "./keys.ts";
import { allocateId, atomicRetry, bumpFleetRev, getManyChunked, listIds, listValues } from "./kv.ts";
import { assertFitsKey } from "../lib/limits.ts";

/** A cost, with MainWP's column names (request names differ: see routes/costs.ts). */
export interface CostRecord {
  id: number;
  name: string;
  url: string;
  /** Payment type: `subscription` | `lifetime` (request field `payment_type`). */
  type: string;
  /** `plugin`, `theme`, `hosting`, `service`, `other` or a custom type. */
  product_type: string;
  /** Product slug (request field `product_slug`). */
  slug: string;
  /** `single_site` | `multi_site`. */
  license_type: string;
  /** `active`, `canceled`, `onhold`, `expired`, `pending_cancelation` (request field `cost_tracker_status`). */
  cost_status: string;
  payment_method: string;
  /** DECIMAL(26,8) as text, e.g. `"49.00000000"`. */
  price: string;
  /** `weekly`, `monthly`, `quarterly`, `yearly`, `disabled`. */
  renewal_type: string;
  /** Unix seconds (0 = none), labelled "purchase date" in MainWP. */
  last_renewal: number;
  /** Unix seconds (0 = none), computed from `last_renewal` and `renewal_type`. */
  next_renewal: number;
  /** `next_renewal` for active subscriptions, else 0 (MainWP's sort column). */
  next_renewal_today: number;
  /** Unix seconds of the last renewal alert (0 = never). */
  last_alert: number;
  /** Request field `icon_hidden`. */
  cost_icon: string;
  /** Hex colour or `""` (request field `product_color`). */
  cost_color: string;
  /** Site ids, as given (MainWP keeps the list verbatim). */
  sites: number[];
  /** Tag ids. */
  groups: number[];
  /** Client ids. */
  clients: number[];
  note: string;
}

/** The fields of a new cost (the id is allocated). */
export type NewCost = Omit<CostRecord, "id">;

/** What links a cost to its owners, per owner kind. */
export type CostOwner = "site" | "tag" | "client";

/** Product types whose slug identifies one product (one cost per product). */
const SLUGGED_TYPES = ["plugin", "theme"];

/**
 * A cost with every field empty (MainWP's values for omitted request fields).
 *
 * @example
 * ```ts
 * emptyCost().price; // "0.00000000"
 * ```
 */
export function emptyCost(): NewCost {
  return {
    name: "",
    url: "",
    type: "",
    product_type: "",
    slug: "",
    license_type: "",
    cost_status: "",
    payment_method: "",
    price: "0.00000000",
    renewal_type: "",
    last_renewal: 0,
    next_renewal: 0,
    next_renewal_today: 0,
    last_alert: 0,
    cost_icon: "",
    cost_color: "",
    sites: [],
    groups: [],
    clients: [],
    note: "",
  };
}

/**
 * The product-slug index key of a cost, or `null` when it has none (not a plugin/theme, or no slug).
 *
 * @example
 * ```ts
 * costSlugKey({ product_type: "plugin", slug: "Akismet" }); // ["idx", "cost_slug", "plugin", "akismet"]
 * ```
 */
export function costSlugKey(cost: Pick<CostRecord, "product_type" | "slug">): Deno.KvKey | null {
  assertFitsKey(cost.slug, "slug");
  return SLUGGED_TYPES.includes(cost.product_type) && cost.slug !== ""
    ? keys.costBySlug(cost.product_type, cost.slug)
    : null;
}

/**
 * The owner index keys of a cost (positive ids, de-duplicated).
 *
 * @example
 * ```ts
 * ownerKeys({ id: 12, sites: [3, 3], groups: [], clients: [] }); // [["idx", "site_costs", 3, 12]]
 * ```
 */
export function ownerKeys(cost: Pick<CostRecord, "id" | "sites" | "groups" | "clients">): Deno.KvKey[] {
  const out: Deno.KvKey[] = [];
  const add = (owner: CostOwner, ids: number[]) => {
    for (const id of new Set(ids)) {
      if (Number.isInteger(id) && id > 0) out.push(keys.ownerCost(owner, id, cost.id));
    }
  };
  add("site", cost.sites);
  add("tag", cost.groups);
  add("client", cost.clients);
  return out;
}

const keyString = (key: Deno.KvKey) => JSON.stringify(key);

/** Adds the index changes between two versions of a cost (only the difference is written). */
function moveOwnerIndexes(
  op: Deno.AtomicOperation,
  before: CostRecord | null,
  after: CostRecord | null,
): void {
  const old = new Map((before ? ownerKeys(before) : []).map((k) => [keyString(k), k]));
  const next = new Map((after ? ownerKeys(after) : []).map((k) => [keyString(k), k]));
  for (const [s, k] of old) if (!next.has(s)) op.delete(k);
  for (const [s, k] of next) if (!old.has(s)) op.set(k, true);
}

/**
 * Creates a cost with a new id; refuses a plugin/theme slug another cost already has (`duplicate`
 * holds that cost's id).
 *
 * @example
 * ```ts
 * await createCost(kv, { ...emptyCost(), name: "Akismet", product_type: "plugin", slug: "akismet", sites: [3] });
 * ```
 */
export async function createCost(
  kv: Deno.Kv,
  input: NewCost,
): Promise<{ cost: CostRecord } | { duplicate: number }> {
  return await atomicRetry(kv, async (op) => {
    const slugKey = costSlugKey(input);
    if (slugKey) {
      const taken = await kv.get<number>(slugKey);
      if (taken.value !== null) return { duplicate: taken.value };
      op.check(taken);
    }
    const id = await allocateId(kv, op, "costs");
    const cost: CostRecord = { ...input, id };
    op.set(keys.cost(id), cost);
    if (slugKey) op.set(slugKey, id);
    moveOwnerIndexes(op, null, cost);
    bumpFleetRev(op);
    return { cost };
  });
}

/**
 * Applies `change` to a cost atomically, moving its slug and owner indexes. Returns the new and previous
 * records, `{ duplicate }` when the new plugin/theme slug belongs to another cost, or `null` when the
 * cost does not exist.
 *
 * @example
 * ```ts
 * await updateCost(kv, 12, (c) => ({ ...c, cost_status: "canceled" }));
 * ```
 */
export async function updateCost(
  kv: Deno.Kv,
  id: number,
  change: (cost: CostRecord) => CostRecord,
): Promise<{ cost: CostRecord; previous: CostRecord } | { duplicate: number } | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<CostRecord>(keys.cost(id));
    if (!entry.value) return null;
    const previous = entry.value;
    const cost: CostRecord = { ...change(previous), id };
    const oldSlug = costSlugKey(previous);
    const newSlug = costSlugKey(cost);
    if (newSlug && (!oldSlug || keyString(oldSlug) !== keyString(newSlug))) {
      const taken = await kv.get<number>(newSlug);
      if (taken.value !== null && taken.value !== id) return { duplicate: taken.value };
      op.check(taken);
    }
    op.check(entry).set(keys.cost(id), cost);
    if (oldSlug && (!newSlug || keyString(oldSlug) !== keyString(newSlug))) op.delete(oldSlug);
    if (newSlug) op.set(newSlug, id);
    moveOwnerIndexes(op, previous, cost);
    bumpFleetRev(op);
    return { cost, previous };
  });
}

/**
 * Deletes a cost and its indexes in one commit; returns the deleted record or `null`.
 *
 * @example
 * ```ts
 * await deleteCost(kv, 12);
 * ```
 */
export async function deleteCost(kv: Deno.Kv, id: number): Promise<CostRecord | null> {
  return await atomicRetry(kv, async (op) => {
    const entry = await kv.get<CostRecord>(keys.cost(id));
    if (!entry.value) return null;
    op.check(entry).delete(keys.cost(id));
    const slugKey = costSlugKey(entry.value);
    if (slugKey) op.delete(slugKey);
    moveOwnerIndexes(op, entry.value, null);
    bumpFleetRev(op);
    return entry.value;
  });
}

/**
 * One cost, or `null`.
 *
 * @example
 * ```ts
 * const cost = await getCost(kv, 12);
 * ```
 */
export async function getCost(kv: Deno.Kv, id: number): Promise<CostRecord | null> {
  return (await kv.get<CostRecord>(keys.cost(id))).value;
}

/**
 * Costs by id, in the given order, skipping missing ones.
 *
 * @example
 * ```ts
 * const costs = await getCosts(kv, [12, 15]);
 * ```
 */
export async function getCosts(kv: Deno.Kv, ids: number[]): Promise<CostRecord[]> {
  const entries = await getManyChunked<CostRecord>(kv, ids.map(keys.cost));
  return entries.flatMap((e) => (e.value ? [e.value] : []));
}

/**
 * Every cost, in id order.
 *
 * @example
 * ```ts
 * const all = await listCosts(kv);
 * ```
 */
export async function listCosts(kv: Deno.Kv): Promise<CostRecord[]> {
  return await listValues<CostRecord>(kv, keys.costs());
}

/**
 * Ids of the costs linked directly to a site, tag or client (from the owner index), ascending.
 *
 * @example
 * ```ts
 * await costIdsOf(kv, "site", 3); // [12, 15]
 * ```
 */
export async function costIdsOf(kv: Deno.Kv, owner: CostOwner, ownerId: number): Promise<number[]> {
  return await listIds(kv, keys.ownerCosts(owner, ownerId));
}
