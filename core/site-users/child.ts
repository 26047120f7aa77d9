/**
 * @module
 * The child's user functions as typed calls: what MainWP sends (`search_users`, `get_all_users`,
 * `newuser`, `user_action`, `newadminpassword`) and the replies read into plain records (ids as numbers,
 * counts as numbers), with the per-site failure texts MainWP shows for bulk calls.
 *
 * @example
 * ```ts
 * const users = await searchChildUsers(ctx, site, { roles: [], search: "" });
 * users[0].login; // "admin"
 * ```
 */
import { ChildError } from "../../child/errors.ts";
import type { ChildReply } from "../../child/envelope.ts";
import type { FormFields } from "../../child/form.ts";
import { isPlainObject } from "../../lib/objects.ts";
import type { SiteRecord } from "../../store/sites.ts";
import { escHtml } from "../../wp/format.ts";
import type { ChildDeps } from "../deps.ts";
import { callSiteChild, childErrorMessage } from "../sync/child.ts";

/** A WordPress user as a child lists it. */
export interface ChildUser {
  id: number;
  login: string;
  nicename: string;
  email: string;
  /** First role (`""` when none). */
  role: string;
  displayName: string;
  /** `Y-m-d H:i:s`. */
  registered: string;
  postCount: number;
}

/** A user's profile as the child's edit form shows it (`user_action` `edit`). */
export interface ChildUserProfile {
  role: string;
  firstName: string;
  lastName: string;
  nickname: string;
  displayName: string;
  email: string;
  url: string;
  description: string;
}

/** The child's short account of a user an action touched (`users_data`, `new_user_data`, …). */
export interface UserActionData {
  userId: number | null;
  displayName: string;
  roles: string;
}

const text = (v: unknown): string =>
  typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : "";
const int = (v: unknown): number => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+/.test(v) ? parseInt(v, 10) : 0;
  return Number.isSafeInteger(n) ? n : 0;
};

/** The entries of a list reply (read as a map keyed `"0"`, `"1"`, …), objects only. */
function listOf(reply: ChildReply): Record<string, unknown>[] {
  return Object.values(reply).filter(isPlainObject);
}

/** Reads one listed user. */
export function childUserOf(row: Record<string, unknown>): ChildUser {
  return {
    id: int(row.id),
    login: text(row.login),
    nicename: text(row.nicename),
    email: text(row.email),
    role: text(row.role),
    displayName: text(row.display_name),
    registered: text(row.registered),
    postCount: int(row.post_count),
  };
}

function actionDataOf(value: unknown): UserActionData | null {
  if (!isPlainObject(value)) return null;
  return {
    userId: value.user_id === undefined ? null : int(value.user_id),
    displayName: text(value.display_name),
    roles: text(value.roles),
  };
}

/**
 * The text MainWP shows for one site of a bulk write that failed (`posting_bulk_handler`): the child's
 * own error as `ERROR: …` (escaped), else the connection failure.
 *
 * @example
 * ```ts
 * bulkFailureText(new ChildError("CHILD_ERROR", "Sorry, that username already exists!", "child"));
 * // "ERROR: Sorry, that username already exists!"
 * ```
 */
export function bulkFailureText(error: ChildError): string {
  return error.category === "child" ? `ERROR: ${escHtml(error.message)}` : childErrorMessage(error);
}

/** MainWP's text for a reply that is neither `added` nor an error. */
export const UNDEFINED_CHILD_ERROR =
  "Undefined error! Please reinstall the MainWP Child plugin on the child site";

/** Search and role filter of a users listing. */
export interface UserSearch {
  /** Roles to keep (none: every role). */
  roles: readonly string[];
  /** Text to find in login, display name or e-mail (`""`: everyone). */
  search: string;
}

/**
 * `search_users` as MainWP's REST controller sends it (`*term*` over login, display name and e-mail).
 * Throws {@link ChildError}.
 *
 * @example
 * ```ts
 * await searchChildUsers(ctx, site, { roles: ["editor"], search: "fix" });
 * ```
 */
export async function searchChildUsers(
  deps: ChildDeps,
  site: SiteRecord,
  q: UserSearch,
): Promise<ChildUser[]> {
  const reply = await callSiteChild(deps, site, "search_users", {
    role: q.roles.join(","),
    search: `*${q.search.trim()}*`,
    search_columns: "user_login,display_name,user_email",
  });
  return listOf(reply).map(childUserOf);
}

/**
 * `get_all_users`: one entry per user and asked role. Throws {@link ChildError}.
 *
 * @example
 * ```ts
 * (await childUsersWithRoles(ctx, site, ["administrator"])).map((u) => u.login); // ["admin"]
 * ```
 */
export async function childUsersWithRoles(
  deps: ChildDeps,
  site: SiteRecord,
  roles: readonly string[],
): Promise<ChildUser[]> {
  return listOf(await callSiteChild(deps, site, "get_all_users", { role: roles.join(",") })).map(childUserOf);
}

/** A `user_action` call as MainWP makes it (`optimize=1`); returns the raw reply. Throws {@link ChildError}. */
export async function callUserAction(
  deps: ChildDeps,
  site: SiteRecord,
  action: "edit" | "delete" | "update_user" | "changeRole",
  userId: number,
  extra: string | Record<string, string> = "",
  userPass = "",
): Promise<ChildReply> {
  const fields: FormFields = { action, id: userId, extra, user_pass: userPass, optimize: 1 };
  return await callSiteChild(deps, site, "user_action", fields);
}

/** Reads the `user_data` of an `edit` reply, or `null` when the child found no such user. */
export function profileOf(reply: ChildReply): ChildUserProfile | null {
  if (reply.status !== "SUCCESS" || !isPlainObject(reply.user_data)) return null;
  const d = reply.user_data;
  return {
    role: text(d.role),
    firstName: text(d.first_name),
    lastName: text(d.last_name),
    nickname: text(d.nickname),
    displayName: text(d.display_name),
    email: text(d.user_email),
    url: text(d.user_url),
    description: text(d.description),
  };
}

/** The `users_data` of a `user_action` reply. */
export function usersDataOf(reply: ChildReply): UserActionData | null {
  return actionDataOf(isPlainObject(reply.other_data) ? reply.other_data.users_data : undefined);
}

/** One site's answer to a bulk write (`newuser`, `newadminpassword`). */
export type BulkWriteResult =
  | { ok: true; data: UserActionData | null }
  | { ok: false; error: string };

/**
 * A bulk write's call to one site, read as MainWP's `posting_bulk_handler` reads it: `added` is success
 * (with the child's account of the user under `dataKey`), a child error or any failure is the site's error.
 *
 * @example
 * ```ts
 * await bulkWrite(ctx, site, "newadminpassword", { new_password: btoa("pw") }, "update_admin_password");
 * ```
 */
export async function bulkWrite(
  deps: ChildDeps,
  site: SiteRecord,
  fn: "newuser" | "newadminpassword",
  fields: FormFields,
  dataKey: "new_user_data" | "update_admin_password",
): Promise<BulkWriteResult> {
  let reply: ChildReply;
  try {
    reply = await callSiteChild(deps, site, fn, fields);
  } catch (error) {
    if (error instanceof ChildError) return { ok: false, error: bulkFailureText(error) };
    throw error;
  }
  if (!("added" in reply)) return { ok: false, error: UNDEFINED_CHILD_ERROR };
  const other = isPlainObject(reply.other_data) ? reply.other_data[dataKey] : undefined;
  const data = actionDataOf(other);
  await deps.hooks.doAction(
    "mainwp_user_action",
    site,
    fn === "newuser" ? "created" : "newadminpassword",
    data,
  );
  return { ok: true, data };
}
