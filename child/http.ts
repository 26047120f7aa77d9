/**
 * @module
 * One HTTP exchange with a child site, as MainWP's cURL calls behave (child-protocol.md §B1, §B7):
 * redirects followed or not (each hop re-checked by the address guard, at most `maxRedirects`, POST
 * turned into GET on 301/302/303 as cURL does, credentials dropped when the origin changes), an overall
 * time limit, and the body read as a stream and abandoned as soon as it passes `maxBodyBytes`. Failures
 * become {@link ChildError}s: `HTTPERROR` (category `http` or `timeout`), `ABORTED`, `TOO_LARGE`.
 *
 * Each hop connects only to the addresses the guard checked (no second DNS lookup between check and
 * connect), while the `Host` header, TLS SNI and certificate verification use the URL's host name. This
 * is why the exchange uses `node:http(s)` with a pinned `lookup`: Deno's `fetch` resolves names itself
 * and cannot connect to a chosen address over TLS. Connections are pooled only through a
 * {@link ConnectionPool} (`pool.ts`: one agent per protocol, host, port, checked address set and TLS
 * settings); without one each exchange opens its own connection (`agent: false`).
 *
 * @example
 * ```ts
 * const res = await sendHttp({ url, addresses: ["127.0.0.1"], method: "POST", headers, body, timeoutMs: 30_000,
 *   maxBodyBytes: 1 << 24, followRedirects: true, maxRedirects: 10, readBody: true, guard: async () => null });
 * res.status; // 200
 * ```
 */
import { Buffer } from "node:buffer";
import { type IncomingMessage, request as plainRequest, type RequestOptions } from "node:http";
import { request as tlsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import { abortedError, bodyTooLarge, ChildError, httpError } from "./errors.ts";
import type { ConnectionPool } from "./pool.ts";

/** TLS settings of a site (filter `fleetpress_child_tls_options`). */
export interface ChildTlsOptions {
  /** PEM certificates trusted in addition to the system's roots (a site's private CA). */
  caCerts?: string[];
  /** `false` accepts any certificate (MainWP's per-site "verify certificate" off); default true. */
  rejectUnauthorized?: boolean;
}

/** One request to send. */
export interface HttpRequest {
  /** Where to send it. */
  url: URL;
  /** The addresses of `url`'s host the guard checked (`null`: let the system resolve it). */
  addresses: string[] | null;
  /** `GET`, `HEAD` or `POST`. */
  method: "GET" | "HEAD" | "POST";
  /** Request headers (an `Authorization` header is dropped on cross-origin redirects). */
  headers: Headers;
  /** Form body of a POST. */
  body?: string;
  /** Overall time limit in milliseconds (connect, redirects and body). */
  timeoutMs: number;
  /** The caller's cancellation. */
  signal?: AbortSignal;
  /** Body size cap in bytes. */
  maxBodyBytes: number;
  /** Follow `Location` on 3xx answers. */
  followRedirects: boolean;
  /** Most redirects to follow. */
  maxRedirects: number;
  /** Read the body (false: discard it, e.g. for status-only checks). */
  readBody: boolean;
  /** Checks a redirect URL: throws when it must not be contacted, else returns its addresses to use. */
  guard: (url: URL) => Promise<string[] | null>;
  /** TLS settings for https hops. */
  tls?: ChildTlsOptions;
  /** Kept-alive connections to reuse (none: a new connection per hop). */
  pool?: ConnectionPool;
}

/** The answer. */
export interface HttpResponse {
  /** HTTP status code. */
  status: number;
  /** The URL that answered (after redirects). */
  url: URL;
  /** Response headers. */
  headers: Headers;
  /** The body as text (`""` when not read). */
  body: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Reads a response (or request) body as UTF-8 text, refusing more than `maxBytes` (checked on
 * `Content-Length` and while streaming; the stream is cancelled at the cap).
 *
 * @example
 * ```ts
 * const text = await readBodyCapped(response, 16 * 1024 * 1024);
 * ```
 */
export async function readBodyCapped(
  response: Pick<Response, "headers" | "body"> & { status?: number },
  maxBytes: number,
): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw bodyTooLarge(maxBytes, response.status);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    total += part.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw bodyTooLarge(maxBytes, response.status);
    }
    chunks.push(part.value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * An AbortSignal that fires after `ms` milliseconds, with a `clear` that cancels the timer (unlike
 * `AbortSignal.timeout`, nothing is left pending once the work is done).
 *
 * @example
 * ```ts
 * const deadline = deadlineSignal(5000);
 * try { await work(deadline.signal); } finally { deadline.clear(); }
 * ```
 */
export function deadlineSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation timed out.", "TimeoutError")),
    ms,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

type Hop = { url: URL; addresses: string[] | null; method: HttpRequest["method"]; body?: string };

type LookupCallback = (error: Error | null, address: string | LookupEntry[], family?: number) => void;
interface LookupEntry {
  address: string;
  family: number;
}

/** A `lookup` for `node:net` that answers only the checked addresses, never asking DNS again. */
function pinnedLookup(addresses: string[]) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number } | LookupCallback,
    done?: LookupCallback,
  ) => {
    const callback = typeof options === "function" ? options : done;
    const wanted = typeof options === "function" ? {} : options;
    const entries: LookupEntry[] = addresses
      .map((address) => ({ address, family: address.includes(":") ? 6 : 4 }))
      .filter((entry) => !wanted.family || entry.family === wanted.family);
    if (!callback) return;
    if (entries.length === 0) {
      callback(Object.assign(new Error(`Could not resolve host: ${hostname}`), { code: "ENOTFOUND" }), "");
    } else if (wanted.all) callback(null, entries);
    else callback(null, entries[0].address, entries[0].family);
  };
}

/** Sends one hop and resolves with the response head (the body is still to be read). */
function exchange(
  hop: Hop,
  headers: Headers,
  request: HttpRequest,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const secure = hop.url.protocol === "https:";
  const body = hop.body === undefined ? undefined : Buffer.from(hop.body);
  const record: Record<string, string> = { accept: "*/*", ...Object.fromEntries(headers) };
  if (body) record["content-length"] = String(body.byteLength);
  const options: RequestOptions & { ca?: string[]; rejectUnauthorized?: boolean } = {
    method: hop.method,
    hostname: hop.url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(hop.url.port) || (secure ? 443 : 80),
    path: hop.url.pathname + hop.url.search,
    headers: record,
    agent: request.pool?.agentFor(hop.url, hop.addresses, request.tls) ?? false,
    signal,
    ...(hop.addresses ? { lookup: pinnedLookup(hop.addresses) as RequestOptions["lookup"] } : {}),
  };
  if (secure) {
    const extra = request.tls?.caCerts ?? [];
    if (extra.length > 0) options.ca = [...rootCertificates, ...extra];
    options.rejectUnauthorized = request.tls?.rejectUnauthorized ?? true;
  }
  return new Promise((resolve, reject) => {
    const outgoing = (secure ? tlsRequest : plainRequest)(options, resolve);
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Reads a response body as text up to `maxBytes` (checked on `Content-Length` and while streaming). */
async function readResponse(
  response: IncomingMessage,
  maxBytes: number,
  signal: AbortSignal,
): Promise<string> {
  if (Number(response.headers["content-length"] ?? "0") > maxBytes) {
    response.destroy();
    throw bodyTooLarge(maxBytes, response.statusCode);
  }
  const stop = () => response.destroy(signal.reason);
  signal.addEventListener("abort", stop, { once: true });
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of response) {
      const bytes: Uint8Array = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
      total += bytes.byteLength;
      if (total > maxBytes) {
        response.destroy();
        throw bodyTooLarge(maxBytes, response.statusCode);
      }
      chunks.push(bytes);
    }
    if (signal.aborted) throw signal.reason;
    return new TextDecoder().decode(Buffer.concat(chunks));
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, item);
    }
  }
  return headers;
}

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: "Connection refused",
  ETIMEDOUT: "Connection timed out",
  EHOSTUNREACH: "No route to host",
  ENETUNREACH: "Network is unreachable",
};

/** cURL's wording for a failed exchange. */
function networkDetail(error: unknown, url: URL): string {
  const first = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const code = first instanceof Error && "code" in first ? String(first.code) : "";
  const message = first instanceof Error ? first.message : String(first);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (SOCKET_ERRORS[code]) {
    return `Failed to connect to ${host} port ${url.port || (url.protocol === "https:" ? 443 : 80)}: ${
      SOCKET_ERRORS[code]
    }`;
  }
  if (code === "ECONNRESET") return "Recv failure: Connection reset by peer";
  if (code === "ENOTFOUND") return `Could not resolve host: ${host}`;
  if (/CERT|SELF_SIGNED|UNABLE_TO|ALTNAME/.test(code) || /certificate/i.test(message)) {
    return `SSL certificate problem: ${message}`;
  }
  return message || "request failed";
}

function translateFailure(error: unknown, request: HttpRequest, url: URL, timeout: AbortSignal): ChildError {
  if (error instanceof ChildError) return error;
  if (timeout.aborted) {
    return httpError(`Operation timed out after ${request.timeoutMs} milliseconds`, "timeout", error);
  }
  if (request.signal?.aborted) {
    return abortedError(error);
  }
  return httpError(networkDetail(error, url), "http", error);
}

/** The request for the next hop of a redirect (addresses still to check), or `null` when final. */
function nextHop(response: IncomingMessage, current: Hop) {
  const location = response.headers.location;
  const status = response.statusCode ?? 0;
  if (!REDIRECT_STATUSES.has(status) || !location) return null;
  const url = new URL(location, current.url);
  const becomesGet = current.method === "POST" && status <= 303;
  return {
    url,
    method: becomesGet ? "GET" as const : current.method,
    body: becomesGet ? undefined : current.body,
  };
}

/**
 * Sends the request and returns the final answer; throws {@link ChildError} on any failure.
 *
 * @example
 * ```ts
 * const { status, body } = await sendHttp(request);
 * ```
 */
export async function sendHttp(request: HttpRequest): Promise<HttpResponse> {
  const deadline = deadlineSignal(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline.signal, request.signal]) : deadline.signal;
  const headers = new Headers(request.headers);
  let hop: Hop = request;
  try {
    for (let redirects = 0;; redirects++) {
      const response = await exchange(hop, headers, request, signal);
      const next = request.followRedirects ? nextHop(response, hop) : null;
      const status = response.statusCode ?? 0;
      if (!next) {
        const body = request.readBody && hop.method !== "HEAD"
          ? await readResponse(response, request.maxBodyBytes, signal)
          : (response.destroy(), "");
        return { status, url: hop.url, headers: headersOf(response), body };
      }
      response.destroy();
      if (redirects >= request.maxRedirects) {
        throw httpError(`Maximum (${request.maxRedirects}) redirects followed`);
      }
      const addresses = await request.guard(next.url);
      if (next.url.origin !== hop.url.origin) headers.delete("authorization");
      if (!next.body) headers.delete("content-type");
      hop = { ...next, addresses };
    }
  } catch (error) {
    throw translateFailure(error, request, hop.url, deadline.signal);
  } finally {
    deadline.clear();
  }
}
