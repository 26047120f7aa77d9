/**
 * @module
 * The `/wp-json/mainwp/v2/costs` routes (rest-v2.md §2.5), registered in MainWP's order, as presenters
 * of core/costs.ts; `/costs/batch` (routes/batch.ts) runs its items through these routes. Lists answer
 * the cost *list object* in a map keyed by cost id (`[]` when empty); single reads and writes the *raw row*
 * (§6.4, built by routes/present/costs.ts). Request names differ from the columns (`payment_type` → `type`,
 * `product_slug` → `slug`, `cost_tracker_status` → `cost_status`, `icon_hidden` → `cost_icon`,
 * `product_color` → `cost_color`); {@link costFieldsFromArgs} maps them.
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
import { DELETABLE, EDITABLE, READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import { clientView } from "./present/clients.ts";
import {
  addCost,
  type Cost,
  COST_STATUSES,
  costClients,
  type CostFields,
  type CostListQuery,
  costSiteIds,
  editCost,
  findCosts,
  getCostById,
  LICENSE_TYPES,
  PAYMENT_TYPES,
  removeCost,
  RENEWAL_TYPES,
} from "../core/costs.ts";
import { MAX_PRICE, parseRenewalDate } from "../core/cost-values.ts";
import { Conflict, NotFound } from "../core/errors.ts";
import { costListMap, costRawRow } from "./present/costs.ts";
import { siteViewsByIds } from "./present/site-view.ts";

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

type CostRefArgs = z.output<typeof costRefArgs>;

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
 * The fields of a cost write from validated arguments (request names → columns).
 *
 * @example
 * ```ts
 * costFieldsFromArgs({ name: "Hosting", payment_type: "subscription", price: 20, sites: [3] });
 * ```
 */
export function costFieldsFromArgs(a: CostItemArgs): CostFields {
  const fields: CostFields = {
    name: textOf(a.name),
    type: a.payment_type,
    product_type: textOf(a.product_type),
    slug: textOf(a.product_slug),
    license_type: a.license_type,
    cost_status: a.cost_tracker_status,
    url: textOf(a.url),
    cost_icon: textOf(a.icon_hidden),
    cost_color: textOf(a.product_color),
    price: a.price,
    payment_method: textOf(a.payment_method),
    renewal_type: a.renewal_type,
    last_renewal: a.last_renewal,
    note: textOf(a.note),
    sites: a.sites,
    groups: a.groups,
    clients: a.clients,
  };
  for (const key of Object.keys(fields) as (keyof CostFields)[]) {
    if (fields[key] === undefined) delete fields[key];
  }
  return fields;
}

/**
 * The cost list filters from the list arguments (`paged` is an alias of `page`).
 *
 * @example
 * ```ts
 * costListQuery({ type: "subscription", status: "active,onhold" });
 * ```
 */
export function costListQuery(args: z.output<typeof costListArgs>): CostListQuery {
  return {
    type: parseList(args.type),
    status: parseList(args.status),
    category: parseList(args.category),
    search: typeof args.search === "string" ? args.search : undefined,
    include: parseIdList(args.include),
    exclude: parseIdList(args.exclude),
    page: intParam(args.page ?? args.paged),
    per_page: intParam(args.per_page),
  };
}

/** A positive id from the merged `id` parameter, else 0. */
function idParam(value: unknown): number {
  const s = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  return /^\d+$/.test(s) ? Number(s) : 0;
}

/** MainWP's soft error for a write it refused (HTTP 200). */
const ADD_FAILED = "Add cost failed. Please try again.";

/** A write's answer: the raw row, or MainWP's soft error for a slug another cost has. */
async function writeAnswer(write: Promise<Cost>) {
  try {
    return { success: 1, data: costRawRow(await write) };
  } catch (error) {
    if (error instanceof Conflict) return { success: 0, error: error.message };
    throw error;
  }
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
    handler: async (req: RestRequest<z.output<typeof costListArgs>>) => {
      // The filter sees (and may replace) the parsed filters; its second argument is the request.
      const query: CostListQuery = await req.ctx.hooks.applyFilters(
        "mainwp_rest_object_object_query",
        costListQuery(req.args),
        req.params,
      );
      const costs = await findCosts(req.ctx, query);
      return { success: 1, total: costs.length, data: await costListMap(req.ctx, costs) };
    },
  });
  // POST|PUT|PATCH /costs/add (an `id` turns it into an update)
  rest.register(NS, "/costs/add", {
    methods: EDITABLE,
    args: costItemArgs,
    handler: async (req: RestRequest<CostItemArgs>) => {
      const id = idParam(req.args.id);
      const fields = costFieldsFromArgs(req.args);
      try {
        return await writeAnswer(id > 0 ? editCost(req.ctx, id, fields) : addCost(req.ctx, fields));
      } catch (error) {
        if (error instanceof NotFound) return { success: 0, error: ADD_FAILED };
        throw error;
      }
    },
  });
  // GET /costs/{id}
  rest.register(NS, "/costs/(?P<id>[\\d]+)", {
    methods: READABLE,
    args: costRefArgs,
    handler: async (req: RestRequest<CostRefArgs>) => ({
      success: 1,
      data: costRawRow(await getCostById(req.ctx, idParam(req.args.id))),
    }),
  });
  // POST|PUT|PATCH /costs/{id}/edit
  rest.register(NS, "/costs/(?P<id>[\\d]+)/edit", {
    methods: EDITABLE,
    args: costItemArgs,
    handler: async (req: RestRequest<CostItemArgs>) => {
      const cost = await getCostById(req.ctx, idParam(req.args.id));
      return await writeAnswer(editCost(req.ctx, cost.id, costFieldsFromArgs(req.args)));
    },
  });
  // DELETE /costs/{id}/remove
  rest.register(NS, "/costs/(?P<id>[\\d]+)/remove", {
    methods: DELETABLE,
    args: costRefArgs,
    handler: async (req: RestRequest<CostRefArgs>) => {
      const cost = await getCostById(req.ctx, idParam(req.args.id));
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
    handler: async (req: RestRequest<CostRefArgs>) => {
      const ids = await costSiteIds(req.ctx, await getCostById(req.ctx, idParam(req.args.id)));
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
    handler: async (req: RestRequest<CostRefArgs>) => {
      const clients = await costClients(req.ctx, await getCostById(req.ctx, idParam(req.args.id)));
      return { success: 1, total: clients.length, data: clients.map(clientView) };
    },
  });
  // POST|PUT|PATCH /costs/batch: routes/batch.ts (each item runs as a sub-request of the routes above).
}
