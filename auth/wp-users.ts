/**
 * @module
 * WordPress authentication for `/wp-json/wp-abilities/…`: HTTP Basic with a user's application password
 * (over HTTPS or loopback, as MainWP's rule for its own namespace), and — a Fleetpress extension —
 * MainWP API keys (Bearer `secret==key`) acting as their owner user, which must exist, and only within
 * the key's method permission (the rule `/mainwp/v2` applies; on `/run` the method is the one the
 * ability's annotations dictate). List and read routes need the `read` capability (`401/403 rest_forbidden`).
 *
 * @example
 * ```ts
 * rest.addGuard(wpUserGuard);
 * ```
 */
import { type RestError, restError } from "../rest/errors.ts";
import type { NamespaceGuard, RestRequest } from "../rest/server.ts";
import { findApiKey, verifyConsumerSecret } from "../store/api-keys.ts";
import { findUserByLogin, getUser, roleCan, verifyAppPassword } from "../store/users.ts";
import { expectedMethod } from "../abilities/registry.ts";
import { isSecureRequest } from "./mainwp-keys.ts";
import { keyShortfall } from "./key-permissions.ts";

function basicCredentials(req: RestRequest): { login: string; password: string } | null {
  const header = req.raw.headers.get("authorization") ?? "";
  if (!/^basic /i.test(header)) return null;
  try {
    const decoded = atob(header.slice(6).trim());
    const colon = decoded.indexOf(":");
    return colon < 0 ? null : { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } catch {
    return null;
  }
}

async function authenticateBearer(req: RestRequest, header: string): Promise<void> {
  const [secret, key] = header.slice(7).trim().split("==");
  const record = secret && key ? await findApiKey(req.ctx.kv, `ck_${key}`) : null;
  if (!record || !record.enabled || !verifyConsumerSecret(record, `cs_${secret}`)) {
    throw restError("mainwp_permission_denied", "You must be logged in to access this ability.", 401);
  }
  // The key acts as its owner; a key without one (a `/mainwp/v2`-only key) is nobody here.
  const owner = record.user_id > 0 ? await getUser(req.ctx.kv, record.user_id) : null;
  if (!owner) {
    throw restError(
      "mainwp_permission_denied",
      "This API key has no owner user, so it cannot be used on the Abilities API.",
      401,
    );
  }
  req.auth = { key: record, user: { id: owner.id, login: owner.login, role: owner.role } };
}

/** `/wp-abilities/v1/abilities/{name}/run`, as the route matches it. */
const RUN_PATH = /^\/wp-abilities\/v1\/abilities\/(.+?)\/run$/i;

/**
 * The method a key's permission is checked against, and the refusal: on `/run` the method the
 * ability's annotations dictate (the route answers 405 to any other, so that is what can run);
 * elsewhere the request's effective method.
 */
function keyCheck(req: RestRequest): { method: string; refusal: () => RestError } {
  const run = RUN_PATH.exec(req.path);
  if (!run) {
    return {
      method: req.permissionMethod,
      refusal: () => restError("rest_forbidden", "Sorry, you are not allowed to do that.", 403),
    };
  }
  const ability = req.ctx.abilities.get(run[1]);
  const visible = ability && ability.showInRest !== false;
  return {
    method: visible ? expectedMethod(ability.annotations) : req.permissionMethod,
    refusal: () =>
      restError("rest_ability_cannot_execute", "Sorry, you are not allowed to execute this ability.", 403),
  };
}

/**
 * Throws WordPress's `rest_forbidden` unless the caller has `read` (401 anonymous, 403 otherwise).
 *
 * @example
 * ```ts
 * requireRead(req);
 * ```
 */
export function requireRead(req: RestRequest): void {
  const user = req.auth.user;
  if (!user) throw restError("rest_forbidden", "Sorry, you are not allowed to do that.", 401);
  if (!roleCan(user.role ?? "subscriber", "read")) {
    throw restError("rest_forbidden", "Sorry, you are not allowed to do that.", 403);
  }
}

/** The guard for `/wp-abilities/…`. */
export const wpUserGuard: NamespaceGuard = {
  covers: (path) => /^\/wp-abilities(\/|$)/i.test(path),

  async authenticate(req) {
    if (!isSecureRequest(req)) return; // credentials over plain HTTP are ignored, as WordPress does
    const header = req.raw.headers.get("authorization") ?? "";
    if (header.startsWith("Bearer ")) return await authenticateBearer(req, header);
    const basic = basicCredentials(req);
    if (!basic) return;
    const user = await findUserByLogin(req.ctx.kv, basic.login);
    if (!user) {
      throw restError("invalid_username", "Unknown username. Check again or try your email address.", 401);
    }
    if (!(await verifyAppPassword(req.ctx.kv, user.id, basic.password))) {
      throw restError("incorrect_password", "The provided password is an invalid application password.", 401);
    }
    req.auth = { key: null, user: { id: user.id, login: user.login, role: user.role } };
  },

  // Before routing, as on `/mainwp/v2`: nothing in this namespace runs beyond the key's permission.
  preDispatch(req) {
    const key = req.auth.key;
    if (!key) return;
    const check = keyCheck(req);
    if (keyShortfall(key.permissions, check.method)) throw check.refusal();
  },

  permission: requireRead,
};
