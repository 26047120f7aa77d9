/**
 * @module
 * The WordPress.com-style fan-out `GET /wp-json/mainwp/v2/batch?urls[]=…` (REST v1.1 semantics): runs
 * several GET endpoints concurrently as the caller and answers one object keyed by the exact URL
 * strings sent. Options: `fields`, `meta`, `pretty`, `http_envelope`, `callback`.
 *
 * Bounded on every axis: at most {@link FANOUT_CONCURRENCY} sub-requests in flight, no batch route as a
 * target (a batch form never runs inside another, so there is no recursion), and the answer's URL
 * entries together stay under {@link FANOUT_MAX_BYTES} — past that, the remaining URLs get an error entry.
 *
 * @example
 * ```ts
 * const body = await runFanout(req); // { "/sites/4": {...}, "/sites/4/plugins": {...} }
 * ```
 */
import { RestError, restError } from "./errors.ts";
import { runSubRequest, subRequestUrl } from "./dispatcher.ts";
import { enforceBatchLimit, nestedBatchError, refuseNestedBatch } from "./batch.ts";
import { parseFieldsParam, projectFields } from "./fields.ts";
import { encodeWpJson } from "./json.ts";
import { restPathOf, type RestRequest, RestResponse, type RestResult } from "./server.ts";
import { parseList } from "./args.ts";
import { mapConcurrent } from "../lib/concurrency.ts";

/** Sub-requests of one fan-out in flight at once. */
export const FANOUT_CONCURRENCY = 16;

/** Most bytes of encoded URL entries one fan-out answer carries (4 MiB); later entries become errors. */
export const FANOUT_MAX_BYTES = 4 * 1024 * 1024;

const invalidInput = () => restError("invalid_input", "Invalid request input", 400);

/** Maps a URL as sent to a REST route: absolute `/wp-json/…` paths as they are, others under `/mainwp/v2`. */
export function fanoutPath(url: string): string {
  if (/^\/wp-json\//i.test(url)) return url.slice("/wp-json".length);
  return `/mainwp/v2${url.startsWith("/") ? "" : "/"}${url}`;
}

/** Batch routes, as REST routes: `/mainwp/v2/batch`, `/mainwp/v2/{controller}/batch`, `/batch/v1`. */
const BATCH_ROUTE = /^\/(?:mainwp\/v2\/(?:[^/]+\/)?batch|batch\/v1)$/i;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Applies `fields` to one result: to each element of a `data` list or id-keyed `data` map, else to
 * `data`, else to the top level; the envelope (`success`, `total`) is kept.
 *
 * @example
 * ```ts
 * applyItemFields({ success: 1, data: [{ id: "1", name: "a", url: "u" }] }, ["url"]);
 * // { success: 1, data: [{ id: "1", url: "u" }] }
 * ```
 */
export function applyItemFields(body: unknown, fields: string[]): unknown {
  if (!isObject(body)) return body;
  const data = body.data;
  if (Array.isArray(data)) {
    return { ...body, data: data.map((d) => (isObject(d) ? projectFields(d, fields) : d)) };
  }
  if (isObject(data)) {
    const values = Object.values(data);
    const keyedMap = values.length > 0 && values.every(isObject) &&
      Object.keys(data).every((k) => /^\d+$/.test(k));
    if (keyedMap) {
      return {
        ...body,
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, projectFields(v as Json, fields)])),
      };
    }
    return { ...body, data: projectFields(data, fields) };
  }
  return projectFields(body, fields);
}

/** Relations `meta` can embed, by the kind of object a result holds. */
const RELATIONS: Record<string, Record<string, (id: string, item: Json) => string | null>> = {
  sites: {
    client: (id) => `/mainwp/v2/sites/${id}/client`,
    costs: (id) => `/mainwp/v2/sites/${id}/costs`,
    tags: (_id, item) => {
      const ids = isObject(item.tags) ? Object.keys(item.tags) : [];
      return ids.length ? `/mainwp/v2/tags?include=${ids.join(",")}` : null;
    },
  },
  clients: {
    sites: (id) => `/mainwp/v2/clients/${id}/sites`,
    costs: (id) => `/mainwp/v2/clients/${id}/costs`,
  },
};

function resultKind(path: string): "sites" | "clients" | null {
  const m = /^\/mainwp\/v2\/(sites|clients)\/[^/]+$/i.exec(path.split("?")[0]);
  return m ? (m[1].toLowerCase() as "sites" | "clients") : null;
}

async function embedMeta(req: RestRequest, path: string, body: unknown, names: string[]): Promise<unknown> {
  const kind = resultKind(path);
  if (!kind || !isObject(body) || !isObject(body.data) || body.data.id === undefined) return body;
  const item = body.data;
  const data: Json = {};
  for (const name of names) {
    const target = RELATIONS[kind][name]?.(String(item.id), item);
    if (target === undefined) continue;
    if (target === null) {
      data[name] = [];
      continue;
    }
    const result = await runSubRequest(req, { method: "GET", path: target });
    data[name] = result.status < 400 ? result.body : failure(result.body, result.status);
  }
  return { ...body, meta: { data } };
}

function failure(body: unknown, status: number) {
  const b = isObject(body) ? body : {};
  return { error: String(b.code ?? "error"), message: String(b.message ?? ""), status_code: status };
}

/** Reads `urls[]=` / `urls[0]=` into a list of strings, or throws 400 `invalid_input`. */
export function parseFanoutUrls(value: unknown): string[] {
  const list = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : null;
  if (!list || list.length === 0 || !list.every((u) => typeof u === "string" && u.trim() !== "")) {
    throw invalidInput();
  }
  return [...new Set(list as string[])];
}

/** The entry of a URL the answer has no room for. */
function tooLargeEntry() {
  return failure(
    restError(
      "fleetpress_batch_too_large",
      `The batch answer reached its size limit of ${FANOUT_MAX_BYTES} bytes; request this URL on its own.`,
      413,
    ).toJSON(),
    413,
  );
}

/** One URL's sub-request; a batch route or a raw (streamed) answer is refused without running on. */
async function runOne(req: RestRequest, path: string): Promise<RestResult> {
  let result;
  try {
    // Resolved as the dispatcher will (dot segments, escapes, trailing slash), so no spelling slips past.
    if (BATCH_ROUTE.test(restPathOf(subRequestUrl(req, path)))) return refusal();
    result = await runSubRequest(req, { method: "GET", path });
  } catch (error) {
    if (error instanceof RestError) return { status: error.status, body: error.toJSON(), allow: [] };
    throw error;
  }
  if (result.body instanceof RestResponse) {
    // A raw answer (server-sent events) cannot be an entry: close its stream rather than leave it open.
    const text = result.body.raw?.text;
    if (text instanceof ReadableStream) await text.cancel().catch(() => {});
    return refusal();
  }
  return result;
}

function refusal(): RestResult {
  const error = nestedBatchError();
  return { status: error.status, body: error.toJSON(), allow: [] };
}

/**
 * Runs the fan-out and returns the encoded answer.
 *
 * @example
 * ```ts
 * return await runFanout(req);
 * ```
 */
export async function runFanout(req: RestRequest): Promise<RestResponse> {
  refuseNestedBatch(req);
  const urls = parseFanoutUrls(req.query.urls);
  await enforceBatchLimit(req, urls.length, "batch");
  const fields = parseFieldsParam(req.query.fields);
  const meta = [...new Set(parseList(req.query.meta))];
  // Bytes left for entries; once an entry does not fit, later URLs do not run at all.
  let budget = FANOUT_MAX_BYTES;
  const results = await mapConcurrent(urls, FANOUT_CONCURRENCY, async (url) => {
    if (budget <= 0) return tooLargeEntry();
    const path = fanoutPath(url);
    const result = await runOne(req, path);
    let entry: unknown;
    if (result.status >= 400) entry = failure(result.body, result.status);
    else {
      entry = result.body;
      if (meta.length) entry = await embedMeta(req, path, entry, meta);
      if (fields) entry = applyItemFields(entry, fields);
    }
    const size = encodeWpJson(entry).length + encodeWpJson(url).length + 2;
    if (budget <= 0 || size > budget) {
      budget = 0;
      return tooLargeEntry();
    }
    budget -= size;
    return entry;
  });
  let body: unknown = Object.fromEntries(urls.map((url, i) => [url, results[i]]));
  const envelope = req.query.http_envelope !== undefined && req.query.http_envelope !== "0" &&
    req.query.http_envelope !== "false";
  if (envelope) body = { code: 200, headers: [{ name: "Content-Type", value: "application/json" }], body };
  const pretty = req.query.pretty !== undefined && req.query.pretty !== "0" && req.query.pretty !== "false";
  let text = encodeWpJson(body, pretty);
  let contentType = "application/json; charset=UTF-8";
  const callback = typeof req.query.callback === "string"
    ? req.query.callback.replace(/[^a-zA-Z0-9_.]/g, "")
    : "";
  if (callback && (await req.ctx.hooks.applyFilters("rest_jsonp_enabled", true))) {
    text = `/**/${callback}(${text});`;
    contentType = "application/javascript; charset=UTF-8";
  }
  return new RestResponse(body, 200, { text, contentType });
}
