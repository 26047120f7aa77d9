/**
 * @module
 * WordPress authentication for `/wp-json/wp-abilities/…`: HTTP Basic with a user's application password
 * (over HTTPS or loopback, as MainWP's rule for its own namespace), and — a Fleetpress extension —
 * MainWP API keys (Bearer `secret==key`) acting as their owner user. List and read routes need the
 * `read` capability (`401/403 rest_forbidden`).
 *
 * @example
 * ```ts
 * rest.addGuard(wpUserGuard);
 * ```
 */
import { restError } from "../rest/errors.ts";
import type { NamespaceGuard, RestRequest } from "../rest/server.ts";
import { findApiKey, verifyConsumerSecret } from "../store/api-keys.ts";
import { findUserByLogin, getUser, roleCan, verifyAppPassword } from "../store/users.ts";
import { isSecureRequest } from "./mainwp-keys.ts";

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
  const owner = await getUser(req.ctx.kv, record.user_id);
  req.auth = {
    key: record,
    user: owner
      ? { id: owner.id, login: owner.login, role: owner.role }
      : { id: record.user_id, role: "administrator" },
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

  permission: requireRead,
};
