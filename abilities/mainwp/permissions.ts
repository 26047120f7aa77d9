/**
 * @module
 * MainWP's ability permission flavours (abilities.md §2.2): `base` and `manage` need a logged-in user
 * with `manage_options`.
 *
 * @example
 * ```ts
 * registry.register({ …, permission: basePermission });
 * ```
 */
import { restError } from "../../rest/errors.ts";
import { userCan } from "../../core/users.ts";
import type { AbilityCall } from "../registry.ts";
import type { RestError } from "../../rest/errors.ts";
import { requireAccessibleSite } from "../../core/sites/resolve.ts";
import { abilityErrorOf } from "../errors.ts";

/**
 * MainWP's base permission: logged in (401) with `manage_options` (403).
 *
 * @example
 * ```ts
 * basePermission({ ctx, req, input }); // true | RestError
 * ```
 */
export function basePermission({ req }: AbilityCall): true | RestError {
  const user = req?.auth.user;
  if (!user) {
    return restError("mainwp_permission_denied", "You must be logged in to access this ability.", 401);
  }
  if (!userCan(user.role, "manage_options")) {
    return restError("mainwp_permission_denied", "You do not have permission to perform this action.", 403);
  }
  return true;
}

/**
 * MainWP's site permission: the base check, then `input.site_id_or_domain` must resolve to a site the
 * caller may access (`mainwp_site_not_found`, `mainwp_access_denied`).
 *
 * @example
 * ```ts
 * registry.register({ …, permission: sitePermission });
 * ```
 */
export async function sitePermission(
  call: AbilityCall<{ site_id_or_domain: number | string }>,
): Promise<true | RestError> {
  const base = basePermission(call);
  if (base !== true) return base;
  try {
    await requireAccessibleSite(call.ctx, call.input.site_id_or_domain, call.input);
    return true;
  } catch (error) {
    const mapped = abilityErrorOf(error);
    if (mapped) return mapped;
    throw error;
  }
}
