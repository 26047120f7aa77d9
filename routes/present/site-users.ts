/**
 * @module
 * The wire shapes of the `/users` routes (MainWP's users controller): the users list keyed by site URL,
 * the create, admin-password and edit answers, and the CSV import report. Ids of sites are ints where
 * MainWP keys arrays by them, and strings where it reads them from a row (`website_id` of an edit).
 *
 * @example
 * ```ts
 * const body = usersListBody(await listSiteUsers(ctx, sites, query)); // { success: 1, data: {…} }
 * ```
 */
import type { SiteWriteResult } from "../../core/site-users/create.ts";
import type { SentSiteUser } from "../../core/site-users/create.ts";
import type { CsvRowOutcome } from "../../core/site-users/import.ts";
import type { SiteUsers } from "../../core/site-users/list.ts";
import type { SiteRecord } from "../../core/sites/fleet.ts";
import { escHtml } from "../../wp/format.ts";
import { orderedMap } from "../../wp/ordered-map.ts";
import { restError } from "../../rest/errors.ts";

/** A PHP array keyed by ids, in insertion order (`[]` when empty). */
const phpMap = <T>(entries: [number | string, T][]) =>
  orderedMap(entries.map(([k, v]) => [String(k), v] as const));

/**
 * `GET /users`: each answering site's users under its URL (`[]` when no site listed anyone). Sites that
 * failed are listed under `errors` by id (Fleetpress; MainWP drops them); when no site answered, the
 * answer is MainWP's `users_fetch_error` with every site's error.
 *
 * @example
 * ```ts
 * usersListBody([{ site, users: [] }]); // { success: 1, data: [] }
 * ```
 */
export function usersListBody(results: readonly SiteUsers[]): Record<string, unknown> {
  const errors: [number, string][] = [];
  const data: [string, unknown][] = [];
  let answered = 0;
  for (const r of results) {
    if ("error" in r) {
      errors.push([r.site.id, r.error]);
      continue;
    }
    answered++;
    if (r.users.length === 0) continue;
    data.push([
      r.site.url,
      r.users.map((u) => ({
        id: u.id,
        website_id: r.site.id,
        username: u.login,
        email: u.email,
        role: u.role,
        posts: String(u.postCount),
        name: u.nicename,
      })),
    ]);
  }
  if (answered === 0) {
    throw restError("users_fetch_error", "Error fetching users from child sites.", 503, {
      errors: phpMap(errors),
    });
  }
  return {
    success: 1,
    data: phpMap(data),
    ...(errors.length > 0 ? { errors: phpMap(errors) } : {}),
  };
}

function creationMessage(success: number, failed: number, total: number): string {
  if (failed === 0) return `User created successfully on all ${success} website(s).`;
  if (success === 0) return `User creation failed on all ${failed} website(s).`;
  return `User created on ${success} of ${total} website(s). ${failed} failed.`;
}

/**
 * `POST /users/create`: the user as sent (MainWP shows the password, which may be a generated one)
 * and each site's outcome keyed by site id.
 *
 * @example
 * ```ts
 * userCreatedBody(user, results).message; // "User created successfully on all 2 website(s)."
 * ```
 */
export function userCreatedBody(
  user: SentSiteUser,
  results: readonly SiteWriteResult[],
): Record<string, unknown> {
  const created: [number, unknown][] = [];
  const failed: [number, unknown][] = [];
  for (const { site, result } of results) {
    if (result.ok) created.push([site.id, { url: site.url, message: "User created successfully." }]);
    else failed.push([site.id, { url: site.url, message: result.error }]);
  }
  return {
    success: 1,
    message: escHtml(creationMessage(created.length, failed.length, results.length)),
    data: {
      user_info: {
        user_pass: user.password,
        user_email: user.email,
        user_login: user.login,
        user_url: user.url,
        first_name: user.firstName,
        last_name: user.lastName,
        role: user.role,
      },
      total_sites: results.length,
      total_success: created.length,
      total_failed: failed.length,
      created_sites: phpMap(created),
      failed_sites: phpMap(failed),
    },
  };
}

const siteRef = (site: SiteRecord) => ({ id: site.id, name: site.name, url: site.url });

/** Successful and failed sites of a bulk write, as MainWP lists them (`id`, `name`, `url`[, `message`]). */
function splitSites(results: readonly SiteWriteResult[]) {
  const ok = results.filter((r) => r.result.ok).map((r) => siteRef(r.site));
  const failed = results.flatMap((r) => r.result.ok ? [] : [{ ...siteRef(r.site), message: r.result.error }]);
  return { ok, failed };
}

/**
 * `PUT|PATCH /users/update-admin-password`.
 *
 * @example
 * ```ts
 * adminPasswordBody(results).message; // "Admin password updated on 2 of 2 websites."
 * ```
 */
export function adminPasswordBody(results: readonly SiteWriteResult[]): Record<string, unknown> {
  const { ok, failed } = splitSites(results);
  return {
    success: true,
    message: `Admin password updated on ${ok.length} of ${results.length} websites.`,
    total_websites: results.length,
    success_count: ok.length,
    failed_count: failed.length,
    success_websites: ok,
    failed_websites: failed,
  };
}

/**
 * `PUT|PATCH /users/{site}/{user_id}/edit`: what was sent (passwords left out).
 *
 * @example
 * ```ts
 * userUpdatedBody(site, 2, { role: "author" }).message; // "User updated successfully."
 * ```
 */
export function userUpdatedBody(
  site: SiteRecord,
  userId: number,
  sent: Record<string, string>,
): Record<string, unknown> {
  return {
    success: 1,
    message: "User updated successfully.",
    data: { website_id: String(site.id), website_url: site.url, user_id: userId, updated_data: sent },
  };
}

/**
 * `POST /users/import`: the import report (no `success` key), rows in file order.
 *
 * @example
 * ```ts
 * importReportBody(outcomes).total; // rows read
 * ```
 */
export function importReportBody(outcomes: readonly CsvRowOutcome[]): Record<string, unknown> {
  const successUsers: unknown[] = [];
  const failedUsers: unknown[] = [];
  for (const o of outcomes) {
    const head = { line_number: o.row.line, username: o.row.username, email: o.row.email };
    if ("error" in o) {
      failedUsers.push({ ...head, error: o.error });
      continue;
    }
    const { ok, failed } = splitSites(o.results);
    const entry = {
      ...head,
      success_sites: ok,
      failed_sites: failed,
      total_sites: o.results.length,
      success_count: ok.length,
      failed_count: failed.length,
    };
    (ok.length > 0 ? successUsers : failedUsers).push(entry);
  }
  return {
    total: outcomes.length,
    success_count: successUsers.length,
    failed_count: failedUsers.length,
    success_users: successUsers,
    failed_users: failedUsers,
  };
}
