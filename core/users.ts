/**
 * @module
 * Users as the surfaces need them: what a role may do, and finding a user by id or login. The stored
 * records and application passwords live in `store/users.ts`.
 *
 * @example
 * ```ts
 * import { userCan } from "./users.ts";
 * userCan("editor", "manage_options"); // false
 * ```
 */
import type { StoreDeps } from "./deps.ts";
import { findUserByLogin, getUser, type Role, roleCan, type UserRecord } from "../store/users.ts";
import { NotFound } from "./errors.ts";

/** A capability Fleetpress checks. */
export type Capability = "read" | "manage_options";

/**
 * Whether a role has a capability (WordPress's: every role may `read`, only `administrator` may
 * `manage_options`). A user without a role counts as a subscriber.
 *
 * @example
 * ```ts
 * userCan("administrator", "manage_options"); // true
 * userCan(undefined, "read"); // true
 * ```
 */
export function userCan(role: Role | null | undefined, capability: Capability): boolean {
  return roleCan(role ?? "subscriber", capability);
}

/**
 * The user with this id or login; throws `NotFound("user", …)`.
 *
 * @example
 * ```ts
 * const user = await findUser(ctx, { login: "admin" });
 * ```
 */
export async function findUser(
  { kv }: StoreDeps,
  ref: { id: number } | { login: string },
): Promise<UserRecord> {
  const user = "id" in ref ? await getUser(kv, ref.id) : await findUserByLogin(kv, ref.login);
  if (!user) throw new NotFound("user", "id" in ref ? ref.id : ref.login);
  return user;
}

export type { Role, UserRecord };
