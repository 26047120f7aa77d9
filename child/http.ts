/**
 * @module
 * One HTTP exchange with a child site, as MainWP's cURL calls behave (child-protocol.md §B1, §B7):
 * redirects followed or not (each hop re-checked by the address guard, at most `maxRedirects`, POST
 * turned into GET on 301/302/303 as cURL does, credentials dropped when the origin changes), an overall
 * time limit, and the body read as a stream and abandoned as soon as it passes `maxBodyBytes`. Failures
 * become {@link ChildError}s: `HTTPERROR` (category `http` or `timeout`), `ABORTED`, `TOO_LARGE`.
 *
 * @example
 * ```ts
 * const res = await sendHttp({ url, method: "POST", headers, body, timeoutMs: 30_000, maxBodyBytes: 1 << 24,
 *   followRedirects: true, maxRedirects: 10, readBody: true, guard: async () => {} });
 * res.status; // 200
 * ```
 */
import { abortedError, bodyTooLarge, ChildError, httpError } from "./errors.ts";

/** One request to send. */
export interface HttpRequest {
  /** Where to send it. */
  url: URL;
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
  /** Throws when a (redirect) URL must not be contacted. */
  guard: (url: URL) => Promise<void>;
  /** A custom Deno HTTP client (CA certificates, proxy). */
  client?: Deno.HttpClient;
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

/** The short reason of a fetch failure, without Deno's "error sending request for url (…)" prefix. */
function networkDetail(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.replace(/^error sending request for url \([^)]*\): /, "") || "request failed";
}

function translateFailure(error: unknown, request: HttpRequest, timeout: AbortSignal): ChildError {
  if (error instanceof ChildError) return error;
  if (timeout.aborted) {
    return httpError(`Operation timed out after ${request.timeoutMs} milliseconds`, "timeout", error);
  }
  if (request.signal?.aborted) {
    return abortedError(error);
  }
  return httpError(networkDetail(error), "http", error);
}

/** The request for the next hop of a redirect, or `null` when the answer is final. */
function nextHop(response: Response, current: { url: URL; method: HttpRequest["method"]; body?: string }) {
  const location = response.headers.get("location");
  if (!REDIRECT_STATUSES.has(response.status) || !location) return null;
  const url = new URL(location, current.url);
  const becomesGet = current.method === "POST" && response.status <= 303;
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
  let hop: { url: URL; method: HttpRequest["method"]; body?: string } = request;
  try {
    for (let redirects = 0;; redirects++) {
      const response = await fetch(hop.url, {
        method: hop.method,
        headers,
        body: hop.body,
        redirect: "manual",
        signal,
        client: request.client,
      });
      const next = request.followRedirects ? nextHop(response, hop) : null;
      if (!next) {
        const body = request.readBody && hop.method !== "HEAD"
          ? await readBodyCapped(response, request.maxBodyBytes)
          : (await response.body?.cancel(), "");
        return { status: response.status, url: hop.url, headers: response.headers, body };
      }
      await response.body?.cancel();
      if (redirects >= request.maxRedirects) {
        throw httpError(`Maximum (${request.maxRedirects}) redirects followed`);
      }
      await request.guard(next.url);
      if (next.url.origin !== hop.url.origin) headers.delete("authorization");
      if (!next.body) headers.delete("content-type");
      hop = next;
    }
  } catch (error) {
    throw translateFailure(error, request, deadline.signal);
  } finally {
    deadline.clear();
  }
}
