/**
 * @module
 * Writes to many child sites at once: creating one WordPress user on every selected site (`newuser`) and
 * setting a new password for the administrator each site is connected as (`newadminpassword`). Sites run
 * concurrently within the connector's limits and the bulk deadline; each site's failure is its own.
 * Passwords go only to the children: they are never logged.
 *
 * @example
 * ```ts
 * const { user, results } = await createSiteUsers(ctx, sites, {
 *   login: "jane", email: "jane@example.com", password: null, role: "editor",
 *   url: "", firstName: "Jane", lastName: "Doe", sendPassword: false,
 * });
 * ```
 */
import type { SiteRecord } from "../../store/sites.ts";
import type { ChildDeps } from "../deps.ts";
import { runOnSites } from "../sites/bulk.ts";
import { bulkWrite, type BulkWriteResult } from "./child.ts";
import type { SiteUserRole } from "./targets.ts";

/** A user to create on child sites. */
export interface NewSiteUser {
  login: string;
  email: string;
  /** `null` or `""`: a generated one ({@link generatePassword}). */
  password: string | null;
  role: SiteUserRole;
  url: string;
  firstName: string;
  lastName: string;
  /** Ask each child to e-mail the user their login. */
  sendPassword: boolean;
}

/** The user as sent to the children (the password filled in). */
export type SentSiteUser = Omit<NewSiteUser, "password"> & { password: string };

/** One site's result of a bulk write. */
export interface SiteWriteResult {
  site: SiteRecord;
  result: BulkWriteResult;
}

/** WordPress's `wp_generate_password` characters (with special characters). */
const PASSWORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()";

/**
 * A random password as WordPress generates them (MainWP: 24 characters), unbiased.
 *
 * @example
 * ```ts
 * generatePassword().length; // 24
 * ```
 */
export function generatePassword(length = 24): string {
  const out: string[] = [];
  const limit = 256 - (256 % PASSWORD_CHARS.length);
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out.push(PASSWORD_CHARS[byte % PASSWORD_CHARS.length]);
    }
  }
  return out.join("");
}

/** Base64 of UTF-8 text, as PHP's `base64_encode` of a UTF-8 string. */
export function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A write's error for a site late for the bulk deadline: the child may still carry it out.
 *
 * @example
 * ```ts
 * lateWriteMessage(50_000); // "The site did not answer within 50 seconds; …"
 * ```
 */
export function lateWriteMessage(ms: number): string {
  return `The site did not answer within ${ms / 1000} seconds; the request goes on in the background, so ` +
    "the change may still be made there.";
}

async function writeToSites(
  deps: ChildDeps,
  sites: readonly SiteRecord[],
  write: (site: SiteRecord) => Promise<BulkWriteResult>,
): Promise<SiteWriteResult[]> {
  return await runOnSites<BulkWriteResult>(
    deps,
    sites,
    write,
    (_site, ms) => ({ ok: false, error: lateWriteMessage(ms) }),
  );
}

/**
 * The `new_user` field MainWP's REST controller sends: base64 of the JSON
 * `{user_pass, user_email, user_login, user_url, first_name, last_name, role}`.
 *
 * @example
 * ```ts
 * JSON.parse(atob(newUserField(user))).user_login; // "jane"
 * ```
 */
export function newUserField(user: SentSiteUser): string {
  return base64Utf8(JSON.stringify({
    user_pass: user.password,
    user_email: user.email,
    user_login: user.login,
    user_url: user.url,
    first_name: user.firstName,
    last_name: user.lastName,
    role: user.role,
  }));
}

/**
 * Creates the user on every site (a generated password when none is given); returns the user as sent
 * and each site's result in the sites' order.
 *
 * @example
 * ```ts
 * (await createSiteUsers(ctx, sites, user)).results.filter((r) => r.result.ok).length;
 * ```
 */
export async function createSiteUsers(
  deps: ChildDeps,
  sites: readonly SiteRecord[],
  input: NewSiteUser,
): Promise<{ user: SentSiteUser; results: SiteWriteResult[] }> {
  const user: SentSiteUser = { ...input, password: input.password || generatePassword() };
  const fields = { new_user: newUserField(user), send_password: user.sendPassword ? 1 : 0 };
  const results = await writeToSites(
    deps,
    sites,
    (site) => bulkWrite(deps, site, "newuser", fields, "new_user_data"),
  );
  return { user, results };
}

/**
 * Sets `password` for the administrator each site is connected as (the child changes the password of
 * the protocol's `user`).
 *
 * @example
 * ```ts
 * (await setAdminPasswords(ctx, sites, "n3w-Secret")).every((r) => r.result.ok);
 * ```
 */
export async function setAdminPasswords(
  deps: ChildDeps,
  sites: readonly SiteRecord[],
  password: string,
): Promise<SiteWriteResult[]> {
  const fields = { new_password: base64Utf8(password) };
  return await writeToSites(
    deps,
    sites,
    (site) => bulkWrite(deps, site, "newadminpassword", fields, "update_admin_password"),
  );
}
