/**
 * @module
 * The one error type of the child connector. Every failure talking to a MainWP Child site — network,
 * timeout, a reply that is not MainWP's, a child-side `error`, a refused address, an unreadable private
 * key — is a {@link ChildError} with a `code` (MainWP's own code where MainWP has one: `HTTPERROR`,
 * `NOMAINWP`, the child's `error_code` such as `REG_ERROR7` or `child_plugin_incompatible`) and a
 * `category` callers can switch on. Messages are single lines meant for API clients; no stack traces or
 * raw bodies are put into them.
 *
 * @example
 * ```ts
 * try {
 *   await connector.call(site, "stats");
 * } catch (e) {
 *   if (e instanceof ChildError && e.category === "timeout") console.log("slow site", e.message);
 * }
 * ```
 */

/** Broad classes of failure. */
export type ChildErrorCategory =
  /** Connection refused, DNS or TLS failure, redirect loop (MainWP `HTTPERROR`). */
  | "http"
  /** The per-request time limit passed (MainWP reports it as `HTTPERROR`, too). */
  | "timeout"
  /** The caller's AbortSignal fired. */
  | "aborted"
  /** An HTTP answer without a `<mainwp>` envelope (MainWP `NOMAINWP`). */
  | "not_mainwp"
  /** An envelope that is truncated or does not decode to JSON. */
  | "invalid_reply"
  /** The body passed the size cap. */
  | "too_large"
  /** The child answered with `{"error": …}`. */
  | "child"
  /** The URL or address is refused by the site-address guard. */
  | "address"
  /** A private key could not be decrypted or used. */
  | "key"
  /** The child plugin is older than an operation needs. */
  | "outdated";

/** Options of {@link ChildError}. */
export interface ChildErrorOptions {
  /** HTTP status of the child's answer, when there was one. */
  status?: number;
  /** The decoded child reply, for `child` errors (callers may read extra keys). */
  reply?: Record<string, unknown>;
  /** The underlying error, kept for logs (never put into messages). */
  cause?: unknown;
}

/** A failure talking to a child site. */
export class ChildError extends Error {
  /** Always `"ChildError"`. */
  override name = "ChildError";
  /** `HTTPERROR`, `NOMAINWP`, `INVALID_RESPONSE`, `TOO_LARGE`, a child `error_code`, … */
  readonly code: string;
  /** What kind of failure this is. */
  readonly category: ChildErrorCategory;
  /** HTTP status of the child's answer, when one was received. */
  readonly status?: number;
  /** The decoded child reply of a `child` error. */
  readonly reply?: Record<string, unknown>;

  /** A failure with its code, single-line message and category. */
  constructor(code: string, message: string, category: ChildErrorCategory, options: ChildErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.category = category;
    if (options.status !== undefined) this.status = options.status;
    if (options.reply !== undefined) this.reply = options.reply;
  }
}

/**
 * MainWP's sync error for a site whose answer carries no `<mainwp>` envelope
 * (`MainWP_Error_Helper::get_error_not_detected_connect`), word for word.
 */
export const NOT_DETECTED_MESSAGE =
  'MainWP Child plugin not detected or could not be reached! Ensure the MainWP Child plugin is installed and activated on the child site, and there are no security rules blocking requests.  If you continue experiencing this issue, check the <a href="https://community.mainwp.com/c/community-support/5" target="_blank">MainWP Community</a> for help.';

/** MainWP's message when the answer looks like an Imunify360 challenge page (`wsidchk`). */
export const IMUNIFY_MESSAGE =
  "Connection Failed. We suspect that Imunify360, a security layer added by your host, is causing this problem. Please contact your host to whitelist your Dashboard IP in their system. If you need help determining your MainWP Dashboard site IP address, check with your hosting provider.";

/**
 * The error for a body that passed the size cap.
 *
 * @example
 * ```ts
 * throw bodyTooLarge(16 * 1024 * 1024, 200);
 * ```
 */
export function bodyTooLarge(maxBytes: number, status?: number): ChildError {
  return new ChildError(
    "TOO_LARGE",
    `The child site's reply is larger than the ${maxBytes}-byte limit.`,
    "too_large",
    { status },
  );
}

/**
 * The `HTTPERROR` for a failed exchange; `detail` is a short reason such as `Connection refused`.
 *
 * @example
 * ```ts
 * httpError("Connection refused (os error 111)").message; // "HTTP error - Connection refused (os error 111)"
 * ```
 */
export function httpError(
  detail: string,
  category: "http" | "timeout" = "http",
  cause?: unknown,
): ChildError {
  return new ChildError("HTTPERROR", `HTTP error - ${detail}`, category, { cause });
}

/**
 * The error for a request the caller cancelled.
 *
 * @example
 * ```ts
 * abortedError(signal.reason).code; // "ABORTED"
 * ```
 */
export function abortedError(cause?: unknown): ChildError {
  return new ChildError("ABORTED", "The request to the child site was cancelled.", "aborted", { cause });
}
