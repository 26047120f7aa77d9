/**
 * @module
 * The `/wp-json/mainwp/v2/costs` routes (rest-v2.md §2.5), registered in MainWP's order;
 * `/costs/batch` comes with the batch work (its place is marked below). Lists answer the cost *list
 * object* in a map keyed by cost id (`[]` when empty); single reads and writes answer the *raw row*
 * (§6.4). Request names differ from response names (`payment_type` → `type`, …; see services/costs.ts).
 *
 * Like MainWP, these routes read the merged `id` parameter, so a query/body `id` overrides the path's.
 *
 * @example
 * ```ts
 * registerCostsRoutes(rest);
 * ```
 */
import { z } from "zod";
import { listArgs, opt, parseIdList, parseList, wp } from "../rest/args.ts";
import { restError } from "../rest/errors.ts";
import { DELETABLE, EDITABLE, READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import { clientView } from "../services/client-view.ts";
import {
  COST_MESSAGES,
  COST_STATUSES,
  costClients,
  type CostInput,
  costListMap,
  type CostListQuery,
  costRawRow,
  type CostRecord,
  costSiteIds,
  findCost,
  LICENSE_TYPES,
  listCostRecords,
  MAX_PRICE,
  parseRenewalDate,
  PAYMENT_TYPES,
  removeCost,
  RENEWAL_TYPES,
  saveCost,
} from "../services/costs.ts";
import { siteViewsByIds } from "../services/site-view.ts";

const NS = "mainwp/v2";

/** Site-view keys MainWP leaves blank on `GET /costs/{id}/sites` (rest-v2.md §10). */
export const COST_SITES_BLANK = [
  "tags",
  "database_size",
  "http_status",
  "health_score",
  "last_post_time",
] as const;

/**
 * Most ids one owner list may hold: a cost's index entries move in one atomic commit, and a commit
 * holds at most 1,000 mutations (an edit may drop one list and add another).
 */
export const MAX_COST_OWNERS = 490;

/** A choice among `values`; `""` is accepted (MainWP stores it) and clears the field. */
const choice = (values: readonly string[]) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : v),
    z.string({ error: "%s is not of type string." }).refine((s) => s === "" || values.includes(s), {
      error: `%s is not one of ${values.join(", ")}.`,
    }),
  ).optional();

/** `sites[]`, `groups[]`, `clients[]`: an array of ids; any other value is ignored, as in MainWP. */
const ownerList = () =>
  z.preprocess(
    (v) =>
      Array.isArray(v) ? v : v !== null && typeof v === "object" ? Object.values(v as object) : undefined,
    wp.intArray().max(MAX_COST_OWNERS, { error: `%s must contain at most ${MAX_COST_OWNERS} items.` })
      .optional(),
  );

/** The fields of one cost (add, edit and the batch items), with the request's names. */
export const costItemArgs = z.looseObject({
  id: opt(),
  name: opt(),
  payment_type: choice(PAYMENT_TYPES),
  product_type: opt(),
  product_slug: opt(),
  license_type: choice(LICENSE_TYPES),
  cost_tracker_status: choice(COST_STATUSES),
  url: opt(),
  icon_hidden: opt(),
  product_color: opt(),
  price: z.preprocess(
    (v) => (v === "" || v === null ? 0 : v),
    wp.num().refine((n) => Math.abs(n) < MAX_PRICE, { error: "%s is out of range." }),
  ).optional(),
  payment_method: opt(),
  renewal_type: choice(RENEWAL_TYPES),
  last_renewal: z.preprocess(
    (v) => parseRenewalDate(v) ?? "invalid",
    z.int({ error: "%s is not a valid date (e.g. 2024-04-01 or 2024-04-01 00:00:00)." }),
  ).optional(),
  note: opt(),
  sites: ownerList(),
  groups: ownerList(),
  clients: ownerList(),
});

/** The parsed item arguments. */
type CostItemArgs = z.output<typeof costItemArgs>;

/** `GET /costs` (no types in MainWP; `type` is checked by the handler). */
export const costListArgs = listArgs({
  type: opt(),
  status: opt(),
  category: opt(),
});

/** Routes acting on one cost with no other input. */
export const costRefArgs = z.looseObject({ id: opt(), context: opt() });

/** A request value as PHP text (`null` and arrays are not text). */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return value === true ? "1" : "";
}

function intParam(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^\s*[+-]?\d+/.exec(value);
  return m ? Number(m[0]) : undefined;
}

/**
 * A cost write from validated arguments (request names kept; the service maps them to columns).
 *
 * @example
 * ```ts
 * costInputFromArgs({ name: "Hosting", price: 20, sites: [3] });
 * ```
 */
export function costInputFromArgs(a: CostItemArgs): CostInput {
  const input: CostInput = {
    name: textOf(a.name),
    payment_type: a.payment_type,
    product_type: textOf(a.product_type),
    product_slug: textOf(a.product_slug),
    license_type: a.license_type,
    cost_tracker_status: a.cost_tracker_status,
    url: textOf(a.url),
    icon_hidden: textOf(a.icon_hidden),
    product_color: textOf(a.product_color),
    price: a.price,
    payment_method: textOf(a.payment_method),
    renewal_type: a.renewal_type,
    last_renewal: a.last_renewal,
    note: textOf(a.note),
    sites: a.sites,
    groups: a.groups,
    clients: a.clients,
  };
  for (const key of Object.keys(input) as (keyof CostInput)[]) {
    if (input[key] === undefined) delete input[key];
  }
  return input;
}

/**
 * The cost list filters from request parameters (`paged` is an alias of `page`).
 *
 * @example
 * ```ts
 * costListQuery({ type: "subscription", status: "active,onhold" });
 * ```
 */
export function costListQuery(params: Record<string, unknown>): CostListQuery {
  return {
    type: parseList(params.type),
    status: parseList(params.status),
    category: parseList(params.category),
    search: typeof params.search === "string" ? params.search : undefined,
    include: parseIdList(params.include),
    exclude: parseIdList(params.exclude),
    page: intParam(params.page ?? params.paged),
    per_page: intParam(params.per_page),
  };
}

/** A positive id from the merged `id` parameter, else 0. */
function idParam(value: unknown): number {
  const s = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  return /^\d+$/.test(s) ? Number(s) : 0;
}

const notFound = () => restError("mainwp_rest_invalid_costs_id", "Invalid or not found ID.", 404);

/** The cost named by the merged `id` parameter, or 404. */
async function costOf(req: RestRequest): Promise<CostRecord> {
  const cost = await findCost(req.ctx, idParam(req.params.id));
  if (!cost) throw notFound();
  return cost;
}

/**
 * Registers the costs routes in MainWP's order.
 *
 * @example
 * ```ts
 * registerCostsRoutes(rest);
 * ```
 */
export function registerCostsRoutes(rest: RestServer): void {
  // GET /costs
  rest.register(NS, "/costs", {
    methods: READABLE,
    args: costListArgs,
    handler: async (req) => {
      const query = await req.ctx.hooks.applyFilters(
        "mainwp_rest_object_object_query",
        costListQuery(req.params),
        req.params,
      );
      const costs = await listCostRecords(req.ctx, query);
      return { success: 1, total: costs.length, data: await costListMap(req.ctx, costs) };
    },
  });
  // POST|PUT|PATCH /costs/add (an `id` turns it into an update)
  rest.register(NS, "/costs/add", {
    methods: EDITABLE,
    args: costItemArgs,
    handler: async (req) => {
      const args = req.args as CostItemArgs;
      const id = idParam(args.id);
      const result = await saveCost(req.ctx, costInputFromArgs(args), id > 0 ? id : undefined);
      if ("notFound" in result) return { success: 0, error: COST_MESSAGES.addFailed };
      if ("error" in result) return { success: 0, error: result.error };
      return { success: 1, data: costRawRow(result.cost) };
    },
  });
  // GET /costs/{id}
  rest.register(NS, "/costs/(?P<id>[\\d]+)", {
    methods: READABLE,
    args: costRefArgs,
    handler: async (req) => ({ success: 1, data: costRawRow(await costOf(req)) }),
  });
  // POST|PUT|PATCH /costs/{id}/edit
  rest.register(NS, "/costs/(?P<id>[\\d]+)/edit", {
    methods: EDITABLE,
    args: costItemArgs,
    handler: async (req) => {
      const cost = await costOf(req);
      const result = await saveCost(req.ctx, costInputFromArgs(req.args as CostItemArgs), cost.id);
      if ("notFound" in result) throw notFound();
      if ("error" in result) return { success: 0, error: result.error };
      return { success: 1, data: costRawRow(result.cost) };
    },
  });
  // DELETE /costs/{id}/remove
  rest.register(NS, "/costs/(?P<id>[\\d]+)/remove", {
    methods: DELETABLE,
    args: costRefArgs,
    handler: async (req) => {
      const cost = await costOf(req);
      const removed = await removeCost(req.ctx, cost.id);
      return {
        success: removed ? 1 : 0,
        message: removed ? "Cost deleted successfully." : "Failed to delete cost.",
        data: costRawRow(cost),
      };
    },
  });
  // GET /costs/{id}/sites
  rest.register(NS, "/costs/(?P<id>[\\d]+)/sites", {
    methods: READABLE,
    args: costRefArgs,
    handler: async (req) => {
      const ids = await costSiteIds(req.ctx, await costOf(req));
      const data = ids.length > 0
        ? await siteViewsByIds(req.ctx, ids, { blank: COST_SITES_BLANK, params: req.params })
        : [];
      return { success: 1, total: data.length, data };
    },
  });
  // GET /costs/{id}/clients
  rest.register(NS, "/costs/(?P<id>[\\d]+)/clients", {
    methods: READABLE,
    args: costRefArgs,
    handler: async (req) => {
      const clients = await costClients(req.ctx, await costOf(req));
      return { success: 1, total: clients.length, data: clients.map(clientView) };
    },
  });
  // POST|PUT|PATCH /costs/batch (controller batch, later).
}
