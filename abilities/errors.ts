/**
 * @module
 * The one place where the core's domain errors become Abilities API errors (abilities.md's codes):
 * applied by `abilities/run.ts` to whatever an execute function throws.
 *
 * @example
 * ```ts
 * abilityErrorOf(new NotFound("site", 7))?.code; // "mainwp_site_not_found"
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

/** The abilities' "not found" answer per entity: code and message for the id (404). */
const NOT_FOUND: Partial<Record<Entity, readonly [string, (id: unknown) => string]>> = {
  // A site looked up by domain or URL carries that string as its id.
  site: [
    "mainwp_site_not_found",
    (id) => typeof id === "string" ? `No site found matching "${id}".` : `No site found with ID ${id}.`,
  ],
  tag: ["mainwp_tag_not_found", (id) => `No tag found with ID ${id}.`],
  client: ["mainwp_client_not_found", (id) => `No client found with ID ${id}.`],
  job: ["mainwp_job_not_found", () => JOB_NOT_FOUND],
};

/** Failed operations with a code of their own, by `OperationFailed.operation` (HTTP 500). */
const FAILED_OPERATIONS: Record<string, string> = {
  "job.queue": "mainwp_queue_failed",
};

/** Conflicts whose status is not 409 (abilities.md §2.5: a taken tag name answers 400). */
const CONFLICT_STATUS: Partial<Record<Entity, number>> = {
  tag: 400,
};

/**
 * The Abilities API error for a domain error, or `undefined` for anything else.
 *
 * @example
 * ```ts
 * abilityErrorOf(new InvalidInput("name", "Missing name."))?.code; // "mainwp_invalid_input"
 * ```
 */
export function abilityErrorOf(error: unknown): RestError | undefined {
  if (!(error instanceof DomainError)) return undefined;
  if (error instanceof NotFound) {
    const known = NOT_FOUND[error.entity];
    return known
      ? restError(known[0], known[1](error.id), 404)
      : restError("mainwp_not_found", error.message, 404);
  }
  if (error instanceof InvalidInput) return restError("mainwp_invalid_input", error.message, 400);
  if (error instanceof Conflict) {
    return restError("mainwp_already_exists", error.message, CONFLICT_STATUS[error.entity] ?? 409);
  }
  if (error instanceof AccessDenied) return restError("mainwp_access_denied", error.message, 403);
  if (error instanceof ChildOutdated) {
    return restError("mainwp_child_outdated", error.message, 400, { site_id: error.siteId });
  }
  if (error instanceof ChildUnavailable) return restError("mainwp_site_offline", error.message, 503);
  if (error instanceof SiteOffline) return restError("mainwp_site_offline", error.message, 400);
  if (error instanceof OperationFailed) {
    const code = Object.hasOwn(FAILED_OPERATIONS, error.operation)
      ? FAILED_OPERATIONS[error.operation]
      : null;
    return restError(code ?? "mainwp_operation_failed", error.message, 500);
  }
  return undefined;
}
