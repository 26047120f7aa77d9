/**
 * @module
 * MainWP's batch forms (rest-v2.md §4–§5): the per-controller batch (`/sites/batch` …) and the global
 * `/batch`. Items are counted before anything runs (limit from `mainwp_rest_batch_items_limit`), then
 * run as sub-requests of the single-item routes, so each gets the caller's own authentication,
 * validation and hooks. Creates, updates and deletes run in order (a site may use a tag created just
 * before); the items of one site action run concurrently, results kept in request order.
 *
 * @example
 * ```ts
 * const body = await runControllerBatch(req, "tags", req.json ?? {});
 * ```
 */
import { type RestError, restError } from "./errors.ts";
import { isSubRequest, runSubRequest, type SubRequest } from "./dispatcher.ts";
import type { RestRequest, RestResult } from "./server.ts";
import { mapConcurrent } from "../lib/concurrency.ts";

/** Controllers with a batch. */
export type BatchController = "sites" | "clients" | "tags" | "costs";

/** Site actions, in MainWP's processing order. */
export const SITE_ACTIONS = [
  "sync",
  "reconnect",
  "disconnect",
  "suspend",
  "check",
  "remove",
  "security",
  "plugins",
  "themes",
  "non-mainwp-changes",
] as const;

/** The global batch's controllers, in processing order. */
export const GLOBAL_CONTROLLERS = ["sites", "clients", "updates", "costs", "tags"] as const;

const CRUD = ["create", "update", "delete"] as const;
const NS = "/mainwp/v2";

/** The single-item route behind each controller operation. */
const CRUD_ROUTES: Record<BatchController, Record<(typeof CRUD)[number], (id: string) => SubRequest>> = {
  sites: {
    create: () => ({ method: "POST", path: `${NS}/sites/add` }),
    update: (id) => ({ method: "POST", path: `${NS}/sites/${id}/edit` }),
    delete: (id) => ({ method: "DELETE", path: `${NS}/sites/${id}/remove?force=true` }),
  },
  clients: {
    create: () => ({ method: "POST", path: `${NS}/clients/add` }),
    update: (id) => ({ method: "POST", path: `${NS}/clients/${id}/edit` }),
    delete: (id) => ({ method: "DELETE", path: `${NS}/clients/${id}/remove?force=true` }),
  },
  tags: {
    create: () => ({ method: "POST", path: `${NS}/tags/add` }),
    update: (id) => ({ method: "POST", path: `${NS}/tags/${id}/edit` }),
    delete: (id) => ({ method: "DELETE", path: `${NS}/tags/${id}/remove?force=true` }),
  },
  costs: {
    create: () => ({ method: "POST", path: `${NS}/costs/add` }),
    update: (id) => ({ method: "POST", path: `${NS}/costs/${id}/edit` }),
    delete: (id) => ({ method: "DELETE", path: `${NS}/costs/${id}/remove?force=true` }),
  },
};

const SITE_ACTION_ROUTES: Record<(typeof SITE_ACTIONS)[number], (id: number) => SubRequest> = {
  "sync": (id) => ({ method: "POST", path: `${NS}/sites/${id}/sync` }),
  "reconnect": (id) => ({ method: "POST", path: `${NS}/sites/${id}/reconnect` }),
  "disconnect": (id) => ({ method: "POST", path: `${NS}/sites/${id}/disconnect` }),
  "suspend": (id) => ({ method: "POST", path: `${NS}/sites/${id}/suspend` }),
  "check": (id) => ({ method: "POST", path: `${NS}/sites/${id}/check` }),
  "remove": (id) => ({ method: "DELETE", path: `${NS}/sites/${id}/remove` }),
  "security": (id) => ({ method: "GET", path: `${NS}/sites/${id}/security` }),
  "plugins": (id) => ({ method: "GET", path: `${NS}/sites/${id}/plugins` }),
  "themes": (id) => ({ method: "GET", path: `${NS}/sites/${id}/themes` }),
  "non-mainwp-changes": (id) => ({ method: "GET", path: `${NS}/sites/${id}/non-mainwp-changes` }),
};

/** Most site-action sub-requests in flight at once within one batch (the child connector limits further). */
export const BATCH_CONCURRENCY = 64;

const arrayLength = (v: unknown) => (Array.isArray(v) ? v.length : 0);

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

/**
 * WordPress's answer to a batch inside a batch (its `/batch/v1` refuses itself this way): every batch
 * form, the fan-out included, refuses to run as an item of another, so one request stays one level deep.
 *
 * @example
 * ```ts
 * nestedBatchError().code; // "rest_batch_not_allowed"
 * ```
 */
export function nestedBatchError(): RestError {
  return restError("rest_batch_not_allowed", "The requested route does not support batch requests.", 400);
}

/**
 * Throws {@link nestedBatchError} when `req` is an item of a batch or a fan-out URL.
 *
 * @example
 * ```ts
 * refuseNestedBatch(req);
 * ```
 */
export function refuseNestedBatch(req: RestRequest): void {
  if (isSubRequest(req.raw)) throw nestedBatchError();
}

/**
 * Items of a per-controller batch body: every listed array counts, even ones the controller won't run.
 *
 * @example
 * ```ts
 * countControllerItems({ create: [{}], sync: [1, 2] }); // 3
 * ```
 */
export function countControllerItems(body: Record<string, unknown>): number {
  return [...CRUD, ...SITE_ACTIONS].reduce((n, key) => n + arrayLength(body[key]), 0);
}

/**
 * Items of a global batch body: create/update/delete of the five controllers and the site actions.
 *
 * @example
 * ```ts
 * countGlobalItems({ sites: { sync: [1] }, tags: { create: [{}] } }); // 2
 * ```
 */
export function countGlobalItems(body: Record<string, unknown>): number {
  let n = 0;
  for (const controller of GLOBAL_CONTROLLERS) {
    const group = asObject(body[controller]);
    for (const key of CRUD) n += arrayLength(group[key]);
    if (controller === "sites") { for (const key of SITE_ACTIONS) n += arrayLength(group[key]); }
  }
  return n;
}

/**
 * Throws MainWP's 413 when `count` exceeds the filtered limit (default 100; 100 itself is allowed).
 *
 * @example
 * ```ts
 * await enforceBatchLimit(req, 101, "tags"); // throws mainwp_rest_request_entity_too_large
 * ```
 */
export async function enforceBatchLimit(req: RestRequest, count: number, context: string): Promise<void> {
  const limit = Number(await req.ctx.hooks.applyFilters("mainwp_rest_batch_items_limit", 100, context));
  if (count > limit) {
    throw restError(
      "mainwp_rest_request_entity_too_large",
      `Unable to accept more than ${limit} items for this request.`,
      413,
    );
  }
}

/** One item's answer: the single route's body, or `{id, error}` when it answered with an error. */
export function itemResult(id: unknown, result: RestResult): unknown {
  const body = result.body as Record<string, unknown> | null;
  if (result.status >= 400 && body && typeof body === "object" && "code" in body) return { id, error: body };
  return result.body;
}

/** The batch body: JSON, else the form-encoded fields. */
export function batchBody(req: RestRequest): Record<string, unknown> {
  return req.json ?? (req.form as Record<string, unknown> | null) ?? {};
}

function positiveId(v: unknown): number {
  const n = typeof v === "number" ? v : Number(String(v ?? "").trim());
  return Number.isInteger(n) && n > 0 ? n : 0;
}

async function runCrud(
  req: RestRequest,
  controller: BatchController,
  op: (typeof CRUD)[number],
  items: unknown[],
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const item of items) {
    if (op === "create") {
      const sub = { ...CRUD_ROUTES[controller].create(""), body: asObject(item) };
      out.push(itemResult(0, await runSubRequest(req, sub, { permissionMethod: req.method })));
    } else if (op === "update") {
      const fields = asObject(item);
      const id = positiveId(fields.id);
      const sub = { ...CRUD_ROUTES[controller].update(String(id)), body: fields };
      out.push(itemResult(fields.id ?? 0, await runSubRequest(req, sub, { permissionMethod: req.method })));
    } else {
      const id = positiveId(typeof item === "object" && item !== null ? (item as { id?: unknown }).id : item);
      const sub = CRUD_ROUTES[controller].delete(String(id));
      out.push(itemResult(item, await runSubRequest(req, sub, { permissionMethod: req.method })));
    }
  }
  return out;
}

async function runSiteAction(
  req: RestRequest,
  action: (typeof SITE_ACTIONS)[number],
  items: unknown[],
): Promise<unknown[]> {
  const ids = items.map(positiveId).filter((id) => id > 0);
  return await mapConcurrent(
    ids,
    BATCH_CONCURRENCY,
    async (id) =>
      itemResult(
        id,
        await runSubRequest(req, SITE_ACTION_ROUTES[action](id), { permissionMethod: req.method }),
      ),
  );
}

/**
 * The per-controller batch: create → update → delete → (sites only) the ten site actions.
 *
 * @example
 * ```ts
 * await runControllerBatch(req, "tags", { create: [{ name: "VIP" }], delete: [7] });
 * ```
 */
export async function runControllerBatch(
  req: RestRequest,
  controller: BatchController,
  body: Record<string, unknown>,
): Promise<Record<string, unknown[]> | []> {
  refuseNestedBatch(req);
  await enforceBatchLimit(req, countControllerItems(body), controller);
  const out: Record<string, unknown[]> = {};
  for (const op of CRUD) {
    if (Array.isArray(body[op])) out[op] = await runCrud(req, controller, op, body[op] as unknown[]);
  }
  if (controller === "sites") {
    for (const action of SITE_ACTIONS) {
      if (Array.isArray(body[action])) {
        out[action] = await runSiteAction(req, action, body[action] as unknown[]);
      }
    }
  }
  return Object.keys(out).length ? out : [];
}

/** MainWP's answer for `updates` items: the updates controller has no create/update/delete. */
function invalidMethodError() {
  return {
    id: 0,
    error: {
      code: "invalid-method",
      message: "Method 'WP_REST_Controller::create_item' not implemented. Must be overridden in subclass.",
      data: { status: 405 },
    },
  };
}

/**
 * The global batch: every controller's operations in the order sites, clients, updates, costs, tags,
 * then the site actions; results nested by controller, keys in execution order.
 *
 * @example
 * ```ts
 * await runGlobalBatch(req, { tags: { create: [{ name: "Managed" }] }, sites: { sync: [12] } });
 * ```
 */
export async function runGlobalBatch(
  req: RestRequest,
  body: Record<string, unknown>,
): Promise<Record<string, unknown> | []> {
  refuseNestedBatch(req);
  await enforceBatchLimit(req, countGlobalItems(body), "batch");
  const out: Record<string, Record<string, unknown[]>> = {};
  for (const controller of GLOBAL_CONTROLLERS) {
    const group = asObject(body[controller]);
    for (const op of CRUD) {
      if (!Array.isArray(group[op])) continue;
      const items = group[op] as unknown[];
      out[controller] ??= {};
      out[controller][op] = controller === "updates"
        ? items.map(invalidMethodError)
        : await runCrud(req, controller, op, items);
    }
  }
  const sites = asObject(body.sites);
  for (const action of SITE_ACTIONS) {
    if (!Array.isArray(sites[action])) continue;
    out.sites ??= {};
    out.sites[action] = await runSiteAction(req, action, sites[action] as unknown[]);
  }
  return Object.keys(out).length ? out : [];
}
