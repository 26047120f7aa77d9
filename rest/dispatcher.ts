/**
 * @module
 * Internal sub-requests: a batch runs each of its items through the same route table, authentication
 * (the caller's own credentials), key permission, validation, permission callback and hooks as a real
 * request — there is no back door.
 *
 * @example
 * ```ts
 * const { status, body } = await runSubRequest(req, { method: "POST", path: "/mainwp/v2/tags/add", body: { name: "VIP" } });
 * ```
 */
import type { ExecuteInput, RestRequest, RestResult } from "./server.ts";
import { parsePhpParams, type PhpValue } from "./php-params.ts";
import { restPathOf } from "./server.ts";

/** One sub-request. */
export interface SubRequest {
  method: string;
  /** REST route, optionally with a query string: `/mainwp/v2/sites/3?with_tags=0`. */
  path: string;
  /** Parameters sent as a JSON body. */
  body?: Record<string, unknown> | null;
  /** Extra query parameters (merged over the path's own). */
  query?: Record<string, PhpValue>;
}

/** Options of a sub-request. */
export interface SubRequestOptions {
  /** Check the key's permission against this method (the batch's own) instead of the item's. */
  permissionMethod?: string;
  validateOnly?: boolean;
  requireBatchable?: boolean;
  /** Extra headers of the item (WordPress `/batch/v1` `headers`). */
  headers?: Record<string, string>;
}

/** The raw requests of sub-requests, so batch handlers can refuse to run nested (no client can forge one). */
const SUB_REQUESTS = new WeakSet<Request>();

/**
 * Whether `raw` is the request of a sub-request (an item of a batch or a fan-out URL).
 *
 * @example
 * ```ts
 * if (isSubRequest(req.raw)) throw restError("rest_batch_not_allowed", "…", 400);
 * ```
 */
export function isSubRequest(raw: Request): boolean {
  return SUB_REQUESTS.has(raw);
}

/** Headers a sub-request inherits from its batch: credentials and proxy information only. */
const INHERITED = ["authorization", "x-forwarded-proto", "x-forwarded-for", "host"];

/**
 * The URL a sub-request of `parent` for `path` runs at (its REST route is `restPathOf` of it).
 *
 * @example
 * ```ts
 * subRequestUrl(req, "/mainwp/v2/sites/3?with_tags=0").pathname; // "/wp-json/mainwp/v2/sites/3"
 * ```
 */
export function subRequestUrl(parent: RestRequest, path: string): URL {
  return new URL(`/wp-json${path.startsWith("/") ? path : `/${path}`}`, parent.url.origin);
}

/**
 * Runs one sub-request as the caller of `parent`.
 *
 * @example
 * ```ts
 * await runSubRequest(req, { method: "GET", path: "/mainwp/v2/sites/3" });
 * ```
 */
export async function runSubRequest(
  parent: RestRequest,
  sub: SubRequest,
  options: SubRequestOptions = {},
): Promise<RestResult> {
  const url = subRequestUrl(parent, sub.path);
  const headers = new Headers();
  for (const name of INHERITED) {
    const value = parent.raw.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (name.toLowerCase() !== "authorization" || !headers.has(name)) headers.set(name, value);
  }
  const raw = new Request(url, { method: sub.method.toUpperCase(), headers });
  SUB_REQUESTS.add(raw);
  const input: ExecuteInput = {
    raw,
    method: sub.method,
    path: restPathOf(url),
    url,
    query: { ...parsePhpParams(url.searchParams), ...(sub.query ?? {}) },
    json: sub.body ?? null,
    form: null,
    peer: parent.peer,
    permissionMethod: options.permissionMethod,
    validateOnly: options.validateOnly,
    requireBatchable: options.requireBatchable,
  };
  return await parent.ctx.rest.execute(parent.ctx, input);
}
