/**
 * @module
 * The REST answers for what the store and the size limits refuse: the store throws plain errors
 * (`WriteConflict`, `KeyTooLong`, Deno KV's size errors) and knows nothing of HTTP; this turns them into
 * WordPress errors, for `rest/server.ts`'s error exit and for ability runs (`abilities/run.ts`).
 *
 * @example
 * ```ts
 * storeRestErrorOf(new WriteConflict())?.status; // 409
 * ```
 */
import { RestError } from "./errors.ts";
import { WriteConflict } from "../store/kv.ts";
import { isKvSizeError, KeyTooLong } from "../lib/limits.ts";

/**
 * WordPress's `400 rest_invalid_param` for one over-long parameter.
 *
 * @example
 * ```ts
 * throw tooLong("name", 255);
 * ```
 */
export function tooLong(param: string, max: number, nested = false): RestError {
  const message = nested
    ? `${param} holds a value or key longer than ${max} characters, or nests too deeply.`
    : `${param} must be at most ${max} characters long.`;
  return new RestError("rest_invalid_param", `Invalid parameter(s): ${param}`, {
    status: 400,
    params: { [param]: message },
    details: { [param]: { code: "rest_too_long", message, data: { param } } },
  });
}

/**
 * The `400` a KV size error becomes.
 *
 * @example
 * ```ts
 * kvSizeError(); // RestError rest_invalid_param, status 400
 * ```
 */
export function kvSizeError(): RestError {
  return new RestError("rest_invalid_param", "A value in the request is too large to store or look up.", {
    status: 400,
  });
}

/**
 * The REST error for a store refusal, or `undefined` for anything else. A KV size error means the
 * atomic commit failed whole, so the caller gets the 400 it would have had from validation.
 *
 * @example
 * ```ts
 * storeRestErrorOf(new KeyTooLong("url", 500))?.code; // "rest_invalid_param"
 * ```
 */
export function storeRestErrorOf(error: unknown): RestError | undefined {
  if (error instanceof WriteConflict) {
    return new RestError("fleetpress_write_conflict", error.message, { status: 409 });
  }
  if (error instanceof KeyTooLong) return tooLong(error.param, error.max);
  if (isKvSizeError(error)) return kvSizeError();
  return undefined;
}
