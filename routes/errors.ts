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
  key: ["api_key_not_found", "API key not found."],
};

/** Failed operations with a code and status of their own, by `OperationFailed.operation`. */
const FAILED_OPERATIONS: Record<string, readonly [string, number]> = {
  "job.queue": ["mainwp_queue_failed", 500],
  "tools.no_sites": ["no_website_found", 404],
};

/** MainWP's code for an invalid input, by `entity.field`, where it is not `mainwp_rest_invalid_param` (400). */
const INVALID_INPUT: Record<string, string> = {
  "cost.sites": "mainwp_rest_create_costs_invalid_data",
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
