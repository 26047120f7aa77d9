/**
 * @module
 * Who a request runs as. MainWP API keys act as their owner (a WordPress user id).
 *
 * @example
 * ```ts
 * if (!req.auth.key) throw notAuthenticated();
 * ```
 */
import type { ApiKeyRecord } from "../store/api-keys.ts";
import type { Role } from "../store/users.ts";

/** The authenticated principal of a request. */
export interface AuthState {
  /** The API key that authenticated the request, if any. */
  key: ApiKeyRecord | null;
  /** The user the request acts as (an application password's user, or a key's owner). */
  user: { id: number; login?: string; role?: Role } | null;
}
