/**
 * @module
 * The request body limit (10 MiB), enforced without copying the request: a declared `Content-Length`
 * above it is refused before anything runs, and a body without one (chunked) is read through a capped
 * reader that stops at the limit. Both answer `413 rest_request_entity_too_large`.
 *
 * @example
 * ```ts
 * const bytes = await readCappedBody(new Request("http://x/", { method: "POST", body: "a=1" }));
 * ```
 */
import { type RestError, restError } from "./errors.ts";

/** Largest request body accepted (batches of 100 site payloads fit easily). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The error of a body over the limit.
 *
 * @example
 * ```ts
 * bodyTooLarge().status; // 413
 * ```
 */
export function bodyTooLarge(): RestError {
  return restError("rest_request_entity_too_large", "The request body is too large.", 413);
}

/**
 * Whether the request declares a body over `max` bytes (`Content-Length`, when there is no
 * `Transfer-Encoding`, which would override it).
 *
 * @example
 * ```ts
 * declaresTooLarge(new Headers({ "content-length": "11000000" })); // true
 * ```
 */
export function declaresTooLarge(headers: Headers, max: number = MAX_BODY_BYTES): boolean {
  if (headers.has("transfer-encoding")) return false;
  const length = Number(headers.get("content-length") ?? "");
  return Number.isFinite(length) && length > max;
}

/**
 * Reads a request's body, at most `max` bytes; throws {@link bodyTooLarge} as soon as it would exceed
 * them (the rest is not read).
 *
 * @example
 * ```ts
 * new TextDecoder().decode(await readCappedBody(request));
 * ```
 */
export async function readCappedBody(
  raw: Request,
  max: number = MAX_BODY_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!raw.body) return new Uint8Array(0);
  if (declaresTooLarge(raw.headers, max)) throw bodyTooLarge();
  const reader = raw.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) throw bodyTooLarge();
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
