/**
 * @module
 * WordPress-style users and their application passwords on Deno KV. A user has a login and a role
 * (`administrator` has `manage_options`; every role has `read`). Application passwords are 24
 * alphanumeric characters (shown grouped by four, as WordPress does), stored only as a salted hash, and
 * revocable one by one.
 *
 * @example
 * ```ts
 * const user = await createUser(kv, { login: "admin" });
 * const { password } = await createAppPassword(kv, user.id, "MCP server");
 * ```
 */
import { randomInt } from "node:crypto";
import { keys } from "./keys.ts";
import { allocateId, atomicRetry, listValues } from "./kv.ts";
import { hashNewSecret, verifySecret } from "../lib/secret-hash.ts";
import { mysqlDateTime } from "./api-keys.ts";
import { assertFitsKey, fitsKey } from "../lib/limits.ts";

/** WordPress roles Fleetpress knows. */
export const ROLES = ["administrator", "editor", "author", "contributor", "subscriber"] as const;
/** One role. */
export type Role = (typeof ROLES)[number];

/** A user. */
export interface UserRecord {
  id: number;
  login: string;
  role: Role;
  created: string;
}

/** An application password (never the password itself). */
export interface AppPasswordRecord {
  uuid: string;
  user_id: number;
  name: string;
  salt: string;
  hash: string;
  created: string;
  last_used: string | null;
}

/** Whether a role has a capability (`read`, `manage_options`). */
export function roleCan(role: Role, capability: "read" | "manage_options"): boolean {
  return capability === "read" || role === "administrator";
}

/**
 * Creates a user; `null` when the login is taken.
 *
 * @example
 * ```ts
 * await createUser(kv, { login: "ops", role: "editor" });
 * ```
 */
export async function createUser(
  kv: Deno.Kv,
  input: { login: string; role?: Role },
): Promise<UserRecord | null> {
  const login = input.login.trim();
  assertFitsKey(login, "login");
  return await atomicRetry(kv, async (op) => {
    const taken = await kv.get<number>(keys.userByLogin(login));
    if (taken.value !== null) return null;
    const id = await allocateId(kv, op, "users");
    const user: UserRecord = { id, login, role: input.role ?? "administrator", created: mysqlDateTime() };
    op.check(taken).set(keys.user(id), user).set(keys.userByLogin(login), id);
    return user;
  });
}

/** A user by id, or `null`. */
export async function getUser(kv: Deno.Kv, id: number): Promise<UserRecord | null> {
  return (await kv.get<UserRecord>(keys.user(id))).value;
}

/** A user by login (case-insensitive), or `null`. */
export async function findUserByLogin(kv: Deno.Kv, login: string): Promise<UserRecord | null> {
  if (!fitsKey(login.trim())) return null;
  const id = (await kv.get<number>(keys.userByLogin(login.trim()))).value;
  return id === null ? null : await getUser(kv, id);
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A new 24-character application password (about 143 bits). */
export function generateAppPassword(): string {
  return Array.from({ length: 24 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

/** The password grouped by four, as WordPress shows it: `abcd efgh ijkl mnop qrst uvwx`. */
export function chunkAppPassword(password: string): string {
  return password.match(/.{1,4}/g)?.join(" ") ?? password;
}

/**
 * Creates an application password for a user; the password is returned once, grouped by four.
 *
 * @example
 * ```ts
 * const { record, password } = await createAppPassword(kv, 1, "n8n");
 * ```
 */
export async function createAppPassword(
  kv: Deno.Kv,
  userId: number,
  name: string,
): Promise<{ record: AppPasswordRecord; password: string }> {
  const password = generateAppPassword();
  const stored = hashNewSecret(password);
  const record: AppPasswordRecord = {
    uuid: crypto.randomUUID(),
    user_id: userId,
    name,
    salt: stored.salt,
    hash: stored.hash,
    created: mysqlDateTime(),
    last_used: null,
  };
  await kv.set(keys.appPassword(userId, record.uuid), record);
  return { record, password: chunkAppPassword(password) };
}

/** A user's application passwords, oldest first. */
export async function listAppPasswords(kv: Deno.Kv, userId: number): Promise<AppPasswordRecord[]> {
  const list = await listValues<AppPasswordRecord>(kv, keys.appPasswords(userId));
  return list.sort((a, b) => a.created.localeCompare(b.created));
}

/**
 * Revokes one application password; whether it existed.
 *
 * @example
 * ```ts
 * await revokeAppPassword(kv, 1, uuid);
 * ```
 */
export async function revokeAppPassword(kv: Deno.Kv, userId: number, uuid: string): Promise<boolean> {
  const entry = await kv.get(keys.appPassword(userId, uuid));
  if (entry.value === null) return false;
  await kv.delete(keys.appPassword(userId, uuid));
  return true;
}

/**
 * The application password of `userId` matching `password` (spaces ignored, as WordPress does), or `null`.
 *
 * @example
 * ```ts
 * await verifyAppPassword(kv, 1, "abcd efgh ijkl mnop qrst uvwx");
 * ```
 */
export async function verifyAppPassword(
  kv: Deno.Kv,
  userId: number,
  password: string,
): Promise<AppPasswordRecord | null> {
  const plain = password.replace(/\s+/g, "");
  for (const record of await listAppPasswords(kv, userId)) {
    if (verifySecret(plain, record)) return record;
  }
  return null;
}
