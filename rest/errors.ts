/**
 * @module
 * The WordPress REST error envelope `{"code","message","data"}`. The HTTP status is `data.status` when
 * `data` is an object with a numeric status, otherwise 500, exactly as WordPress converts a `WP_Error`.
 *
 * @example
 * ```ts
 * throw new RestError("mainwp_rest_invalid_tag_id", "Invalid or not found ID.", { status: 404 });
 * ```
 */

/** An error that becomes a WordPress-style JSON error response. */
export class RestError extends Error {
  override name = "RestError";
  /** Machine-readable code, e.g. `rest_no_route`. */
  readonly code: string;
  /** The `data` member: usually `{ status }`, sometimes a bare value or `null` (then HTTP 500). */
  readonly data: unknown;

  /** WordPress's `additional_data`: earlier data of an error whose data was replaced. */
  readonly additionalData?: unknown[];

  constructor(code: string, message: string, data: unknown = null, additionalData?: unknown[]) {
    super(message);
    this.code = code;
    this.data = data;
    if (additionalData) this.additionalData = additionalData;
  }

  /** The HTTP status WordPress would send for this error. */
  get status(): number {
    return statusOf(this.data);
  }

  /** The JSON body. */
  toJSON(): { code: string; message: string; data: unknown; additional_data?: unknown[] } {
    const body: { code: string; message: string; data: unknown; additional_data?: unknown[] } = {
      code: this.code,
      message: this.message,
      data: this.data,
    };
    if (this.additionalData) body.additional_data = this.additionalData;
    return body;
  }
}

/**
 * The HTTP status for an error's `data`: `data.status` when numeric, else 500.
 *
 * @example
 * ```ts
 * statusOf({ status: 404 }); // 404
 * statusOf(400); // 500
 * ```
 */
export function statusOf(data: unknown): number {
  if (data && typeof data === "object" && typeof (data as { status?: unknown }).status === "number") {
    return (data as { status: number }).status;
  }
  return 500;
}

/** Shorthand for a `RestError` with `{ status }` data. */
export function restError(
  code: string,
  message: string,
  status: number,
  extra?: Record<string, unknown>,
): RestError {
  return new RestError(code, message, { status, ...extra });
}

/** `404 rest_no_route`, WordPress's answer when no route matches the path and method. */
export function noRoute(): RestError {
  return restError("rest_no_route", "No route was found matching the URL and request method.", 404);
}

/** The generic 500 for an unexpected failure (a throwing hook, a bug); never carries a stack trace. */
export function internalError(): RestError {
  return restError("internal_server_error", "There has been a critical error on this website.", 500);
}
