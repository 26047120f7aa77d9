/**
 * @module
 * Domain errors: what went wrong in the fleet's terms, never in HTTP's. Core operations throw them;
 * each surface turns them into its own wire errors in one place (`routes/errors.ts` for MainWP's REST
 * API, `abilities/errors.ts` for the Abilities API).
 *
 * @example
 * ```ts
 * import { NotFound } from "./errors.ts";
 * throw new NotFound("tag", 7);
 * ```
 */
import type { ChildError } from "../child/errors.ts";

/** The things the core manages. */
export type Entity =
  | "site"
  | "client"
  | "client_field"
  | "tag"
  | "cost"
  | "job"
  | "user"
  | "key"
  | "plugin"
  | "theme"
  | "post"
  | "page"
  | "monitor"
  /** A WordPress user on a child site (not the Dashboard's own `user`). */
  | "site_user"
  | "webhook"
  | "delivery"
  | "settings"
  | "product_type"
  | "payment_method"
  | "mail_type"
  | "api_backup";

/** Base class of every domain error; `message` is readable English for logs and fallbacks. */
export class DomainError extends Error {
  override name = "DomainError";
}

/**
 * The named record does not exist (or the caller may not see it).
 *
 * @example
 * ```ts
 * new NotFound("site", 12).entity; // "site"
 * ```
 */
export class NotFound extends DomainError {
  override name = "NotFound";
  constructor(readonly entity: Entity, readonly id?: unknown, message = `No such ${entity}.`) {
    super(message);
  }
}

/**
 * An input value the operation cannot use; `field` names it as the caller sent it.
 *
 * @example
 * ```ts
 * new InvalidInput("name", "A tag needs a name.");
 * ```
 */
export class InvalidInput extends DomainError {
  override name = "InvalidInput";
  constructor(readonly field: string, message: string, readonly entity?: Entity) {
    super(message);
  }
}

/**
 * The record (or one with the same identity) already exists.
 *
 * @example
 * ```ts
 * new Conflict("site", 3, "The site is already connected.");
 * ```
 */
export class Conflict extends DomainError {
  override name = "Conflict";
  constructor(readonly entity: Entity, readonly existingId: number | null, message: string) {
    super(message);
  }
}

/** The caller may not act on this record (e.g. refused by `mainwp_check_site_access`). */
export class AccessDenied extends DomainError {
  override name = "AccessDenied";
  constructor(readonly entity: Entity, readonly id?: unknown, message = "Access denied.") {
    super(message);
  }
}

/**
 * A child site could not be reached or answered with an error; `cause` is the connector's error.
 *
 * @example
 * ```ts
 * new ChildUnavailable(4, childError);
 * ```
 */
export class ChildUnavailable extends DomainError {
  override name = "ChildUnavailable";
  constructor(readonly siteId: number, readonly childError: ChildError, message = childError.message) {
    super(message);
  }
}

/** The site's MainWP Child is older than the operation needs. */
export class ChildOutdated extends DomainError {
  override name = "ChildOutdated";
  constructor(readonly siteId: number, readonly minVersion: string, message: string) {
    super(message);
  }
}

/**
 * The site's last uptime check found it offline, so the operation refuses it without calling the child.
 *
 * @example
 * ```ts
 * new SiteOffline(4).message; // "Site is known to be offline."
 * ```
 */
export class SiteOffline extends DomainError {
  override name = "SiteOffline";
  constructor(readonly siteId: number, message = "Site is known to be offline.") {
    super(message);
  }
}

/**
 * An operation ran and failed for a reason that is none of the above (`operation` names it, e.g.
 * `"client.delete"`).
 *
 * @example
 * ```ts
 * new OperationFailed("client.delete", "The client could not be deleted.");
 * ```
 */
export class OperationFailed extends DomainError {
  override name = "OperationFailed";
  constructor(readonly operation: string, message: string) {
    super(message);
  }
}
