/**
 * @module
 * Changing or deleting one WordPress user on one child site, as MainWP's users controller does: the user
 * is looked up on the child first (`user_action` `edit`), the administrator the site is connected as is
 * never changed or deleted, then the child is asked to update (`update_user`) or delete the user. The
 * child's users list in the reply of an update is stored like a sync's.
 *
 * @example
 * ```ts
 * await updateSiteUser(ctx, site, 7, { email: "new@example.com" });
 * await deleteSiteUser(ctx, site, 7);
 * ```
 */
import { ChildError } from "../../child/errors.ts";
import { encodeWpJson } from "../../wp/json.ts";
import { isPlainObject } from "../../lib/objects.ts";
import { type SiteRecord, writeSiteSync } from "../../store/sites.ts";
import { escHtml } from "../../wp/format.ts";
import type { ChildDeps } from "../deps.ts";
import { NotFound, OperationFailed } from "../errors.ts";
import { childErrorMessage } from "../sync/child.ts";
import {
  callUserAction,
  type ChildUserProfile,
  childUsersWithRoles,
  profileOf,
  usersDataOf,
} from "./child.ts";
import type { SiteUserRole } from "./targets.ts";

/** Profile changes; a field left out (or `""`) is kept. */
export interface SiteUserChanges {
  password?: string;
  email?: string;
  role?: SiteUserRole;
  firstName?: string;
  lastName?: string;
  url?: string;
  nickname?: string;
  displayName?: string;
  description?: string;
}

/** What the child was asked to change, with MainWP's names (`role` is `donotupdate` when unchanged). */
export type SentChanges = Record<string, string>;

/** The child's field name of each change, in MainWP's order. */
const FIELD_NAMES: readonly (readonly [keyof SiteUserChanges, string])[] = [
  ["password", "user_pass"],
  ["email", "email"],
  ["role", "role"],
  ["firstName", "first_name"],
  ["lastName", "last_name"],
  ["url", "url"],
  ["nickname", "nickname"],
  ["displayName", "display_name"],
  ["description", "description"],
];

/** The connection failure of a single-site user call, as `operation`'s error. */
function unreachable(operation: string, error: unknown): never {
  if (error instanceof ChildError) throw new OperationFailed(operation, childErrorMessage(error));
  throw error;
}

/**
 * The user's profile as the child shows it for editing; {@link NotFound} (`site_user`) when the child has
 * no such user, {@link OperationFailed} `site_users.get_user` when the child cannot be asked.
 *
 * @example
 * ```ts
 * (await findSiteUser(ctx, site, 2)).email; // "editor@example.com"
 * ```
 */
export async function findSiteUser(
  deps: ChildDeps,
  site: SiteRecord,
  userId: number,
): Promise<ChildUserProfile> {
  if (userId <= 0) throw new OperationFailed("site_users.user_id", "User id not found.");
  let profile: ChildUserProfile | null;
  try {
    profile = profileOf(await callUserAction(deps, site, "edit", userId));
  } catch (error) {
    unreachable("site_users.get_user", error);
  }
  if (!profile) throw new NotFound("site_user", userId, "User not found.");
  return profile;
}

/**
 * Whether `userId` is the administrator the site is connected as (the child's `get_all_users`, matched
 * by login): MainWP's secure link must keep working.
 */
async function isConnectedAdmin(deps: ChildDeps, site: SiteRecord, userId: number): Promise<boolean> {
  try {
    const admins = await childUsersWithRoles(deps, site, ["administrator"]);
    return admins.some((u) => u.id === userId && u.login === site.adminname);
  } catch (error) {
    unreachable("site_users.get_user", error);
  }
}

/**
 * The fields sent to the child for `changes`: non-empty values under the child's names, `role`
 * `donotupdate` when not changed, and the password repeated as `pass1`/`pass2` (the child's form checks).
 *
 * @example
 * ```ts
 * sentChanges({ email: "a@example.com" }); // { email: "a@example.com", role: "donotupdate" }
 * ```
 */
export function sentChanges(changes: SiteUserChanges): SentChanges {
  const out: SentChanges = {};
  for (const [key, name] of FIELD_NAMES) {
    const value = changes[key];
    if (value !== undefined && value !== "") out[name] = value;
  }
  if (!out.role) out.role = "donotupdate";
  if (out.user_pass) {
    out.pass1 = out.user_pass;
    out.pass2 = out.user_pass;
  }
  return out;
}

/**
 * Updates the user's profile on the child. Refuses the connected administrator
 * ({@link OperationFailed} `site_users.edit_admin`); a child's refusal (e.g. an e-mail address in use) is
 * `site_users.update` with the child's text; returns the fields sent.
 *
 * @example
 * ```ts
 * await updateSiteUser(ctx, site, 2, { role: "author" }); // { role: "author" }
 * ```
 */
export async function updateSiteUser(
  deps: ChildDeps,
  site: SiteRecord,
  userId: number,
  changes: SiteUserChanges,
): Promise<SentChanges> {
  await findSiteUser(deps, site, userId);
  if (await isConnectedAdmin(deps, site, userId)) {
    throw new OperationFailed(
      "site_users.edit_admin",
      "This user is used for our secure link, it can not be changed.",
    );
  }
  const fields = sentChanges(changes);
  let reply;
  try {
    reply = await callUserAction(deps, site, "update_user", userId, fields, fields.user_pass ?? "");
  } catch (error) {
    if (error instanceof ChildError && error.category === "child") {
      throw new OperationFailed("site_users.update", escHtml(error.message));
    }
    unreachable("site_users.update_unreachable", error);
  }
  if (reply.status !== "SUCCESS") {
    throw new OperationFailed("site_users.update_failed", "User update failed. Unexpected error.");
  }
  await deps.hooks.doAction("mainwp_user_action", site, "update_user", usersDataOf(reply));
  if (Array.isArray(reply.users) || isPlainObject(reply.users)) {
    const users = encodeWpJson(reply.users);
    await writeSiteSync(deps.kv, site.id, (previous) => ({
      ...previous,
      options: { ...previous?.options, users },
    }));
  }
  const { user_pass: _p, pass1: _1, pass2: _2, ...shown } = fields;
  return shown;
}

/**
 * Deletes the user from the child site (WordPress gives their content to the connected administrator).
 * Refuses the connected administrator ({@link OperationFailed} `site_users.delete_admin`).
 *
 * @example
 * ```ts
 * await deleteSiteUser(ctx, site, 2);
 * ```
 */
export async function deleteSiteUser(deps: ChildDeps, site: SiteRecord, userId: number): Promise<void> {
  await findSiteUser(deps, site, userId);
  if (await isConnectedAdmin(deps, site, userId)) {
    throw new OperationFailed(
      "site_users.delete_admin",
      "This user is used for our secure link, it can not be deleted.",
    );
  }
  let reply;
  try {
    reply = await callUserAction(deps, site, "delete", userId);
  } catch (error) {
    if (error instanceof ChildError && error.category === "child") {
      throw new OperationFailed("site_users.delete", "User deletion failed.");
    }
    unreachable("site_users.delete_unreachable", error);
  }
  if (reply.status !== "SUCCESS") throw new OperationFailed("site_users.delete", "User deletion failed.");
  await deps.hooks.doAction("mainwp_user_action", site, "delete", usersDataOf(reply));
}
