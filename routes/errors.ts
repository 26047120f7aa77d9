/**
 * @module
 * The one place where the core's domain errors become MainWP REST v2 errors (codes, messages and
 * statuses of rest-v2.md). Registered for the `mainwp/v2` namespace by `routes/index.ts`; a route whose
 * MainWP answer differs from the table catches the domain error itself.
 *
 * @example
 * ```ts
 * mainwpRestErrorOf(new NotFound("tag", 7))?.code; // "mainwp_rest_invalid_tag_id"
 * ```
 */
import {
  AccessDenied,
  ChildOutdated,
  ChildUnavailable,
  Conflict,
  DomainError,
  type Entity,
  InvalidInput,
  NotFound,
  OperationFailed,
  SiteOffline,
} from "../core/errors.ts";
import { JOB_NOT_FOUND } from "../jobs/status.ts";
import { type RestError, restError } from "../rest/errors.ts";

/** MainWP's "not found" answer per entity: code and message (404). */
const NOT_FOUND: Partial<Record<Entity, readonly [string, string]>> = {
  site: ["mainwp_rest_invalid_site_id", "Invalid or not found ID."],
  tag: ["mainwp_rest_invalid_tag_id", "Invalid or not found ID."],
  client: ["mainwp_rest_invalid_client_id", "Invalid or not found ID."],
  client_field: ["invalid_field_id", "Invalid client field."],
  cost: ["mainwp_rest_invalid_costs_id", "Invalid or not found ID."],
  job: ["mainwp_job_not_found", JOB_NOT_FOUND],
  post: ["post_not_exist", "Post not exist."],
  page: ["post_not_exist", "Page not exist."],
  site_user: ["user_not_found", "User not found."],
  key: ["api_key_not_found", "API key not found."],
};

/** Failed operations with a code and status of their own, by `OperationFailed.operation`. */
const FAILED_OPERATIONS: Record<string, readonly [string, number]> = {
  "job.queue": ["mainwp_queue_failed", 500],
  // The child answered a post/page write without doing it (MainWP: no status, hence 500).
  "post.edit": ["edit_post_failed", 502],
  "page.edit": ["edit_page_failed", 502],
  "page.create": ["create_page_failed", 502],
  // The users controller's codes (MainWP sends them without a status, hence 500 there).
  "site_users.no_website": ["no_website_found", 404],
  "site_users.user_id": ["user_id_not_found", 400],
  "site_users.get_user": ["get_user_error", 503],
  "site_users.edit_admin": ["user_update_error", 403],
  "site_users.delete_admin": ["user_not_found", 403],
  "site_users.update": ["user_update_error", 400],
  "site_users.update_failed": ["user_update_failed", 400],
  "site_users.update_unreachable": ["user_update_exception", 503],
  "site_users.delete": ["user_deletion_error", 400],
  "site_users.delete_unreachable": ["user_deletion_error", 503],
  "site_users.csv.too_large": ["csv_file_too_large", 413],
  "site_users.csv.too_many_rows": ["csv_too_many_rows", 413],
  "site_users.csv.empty_file": ["empty_file", 400],
  "site_users.csv.no_data": ["no_data", 400],
  "site_users.csv.invalid_csv_format": ["invalid_csv_format", 400],
  "tools.no_sites": ["no_website_found", 404],
};

/** The validator codes of the users controller's selection parameters (WordPress's `details`). */
const SITE_USER_PARAM_CODES: Record<string, string> = {
  websites: "invalid_site",
  groups: "invalid_group",
  clients: "invalid_client",
  email: "invalid_email",
  password: "invalid_password",
};

/** MainWP's code for an invalid input, by `entity.field`, where it is not `mainwp_rest_invalid_param` (400). */
const INVALID_INPUT: Record<string, string> = {
  "cost.sites": "mainwp_rest_create_costs_invalid_data",
  "post.id": "post_id_not_found",
  "page.id": "post_id_not_found",
  "settings.mainwp_primary_backup": "invalid_backup_config",
};

/**
 * The MainWP REST error for a domain error, or `undefined` for anything else (left to the engine).
 *
 * @example
 * ```ts
 * mainwpRestErrorOf(new InvalidInput("name", "Missing name."))?.status; // 400
 * ```
 */
export function mainwpRestErrorOf(error: unknown): RestError | undefined {
  if (!(error instanceof DomainError)) return undefined;
  if (error instanceof NotFound) {
    // A site looked up by domain (its id is the domain string) has its own code (rest-v2.md §2).
    if (error.entity === "site" && typeof error.id === "string") {
      return restError("mainwp_rest_invalid_site_data", "Invalid or not found domain.", 404);
    }
    const [code, message] = NOT_FOUND[error.entity] ?? ["mainwp_rest_invalid_id", "Invalid or not found ID."];
    return restError(code, message, 404);
  }
  if (error instanceof InvalidInput && error.entity === "site_user") {
    // A parameter's validator refused it: WordPress's `rest_invalid_param` naming it.
    const code = Object.hasOwn(SITE_USER_PARAM_CODES, error.field)
      ? SITE_USER_PARAM_CODES[error.field]
      : "invalid";
    return restError("rest_invalid_param", `Invalid parameter(s): ${error.field}`, 400, {
      params: { [error.field]: error.message },
      details: { [error.field]: { code, message: error.message, data: null } },
    });
  }
  if (error instanceof InvalidInput) {
    const key = `${error.entity}.${error.field}`;
    const code = Object.hasOwn(INVALID_INPUT, key) ? INVALID_INPUT[key] : "mainwp_rest_invalid_param";
    return restError(code, error.message, 400);
  }
  if (error instanceof Conflict) return restError("mainwp_rest_conflict", error.message, 409);
  if (error instanceof AccessDenied) return restError("mainwp_access_denied", error.message, 403);
  if (error instanceof ChildOutdated) return restError("mainwp_child_outdated", error.message, 400);
  if (error instanceof ChildUnavailable) return restError("mainwp_site_offline", error.message, 503);
  if (error instanceof SiteOffline) return restError("mainwp_site_offline", error.message, 400);
  if (error instanceof OperationFailed) {
    const [code, status] = Object.hasOwn(FAILED_OPERATIONS, error.operation)
      ? FAILED_OPERATIONS[error.operation]
      : ["mainwp_operation_failed", 400];
    return restError(code, error.message, status);
  }
  return undefined;
}

/** The `fleetpress/v1` answer per entity that is not found (404). */
const FLEETPRESS_NOT_FOUND: Partial<Record<Entity, readonly [string, string]>> = {
  webhook: ["fleetpress_webhook_not_found", "No webhook with this ID."],
  delivery: ["fleetpress_delivery_not_found", "No delivery with this ID."],
};

/**
 * The `fleetpress/v1` REST error for a domain error (Fleetpress's own namespace, WordPress's envelope):
 * not found 404, invalid input 400 `rest_invalid_param`, conflict 409; `undefined` for anything else.
 *
 * @example
 * ```ts
 * fleetpressRestErrorOf(new NotFound("webhook", 7))?.code; // "fleetpress_webhook_not_found"
 * ```
 */
export function fleetpressRestErrorOf(error: unknown): RestError | undefined {
  if (!(error instanceof DomainError)) return undefined;
  if (error instanceof NotFound) {
    const [code, message] = FLEETPRESS_NOT_FOUND[error.entity] ?? ["fleetpress_not_found", "Not found."];
    return restError(code, message, 404);
  }
  if (error instanceof InvalidInput) {
    return restError("rest_invalid_param", `Invalid parameter(s): ${error.field}`, 400, {
      params: { [error.field]: error.message },
    });
  }
  if (error instanceof Conflict) return restError("fleetpress_conflict", error.message, 409);
  return mainwpRestErrorOf(error);
}
