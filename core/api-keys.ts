/**
 * @module
 * MainWP REST API keys as the API keys controller manages them, on the key store the CLI uses
 * (`store/api-keys.ts`: only hashes are stored). The rule that keeps a key from raising itself: a key
 * can never create, enable or widen a key to more permission than its own (the new scope must be a subset
 * of the caller's: `read` = {read}, `write` = {write, delete}, `delete` = {delete}, `read_write` = all
 * three). The token of a new key is returned once, by {@link addApiKey}, and never stored or logged.
 *
 * @example
 * ```ts
 * const input = { active: true, permissions: "read", description: "CI" } as const;
 * const { token } = await addApiKey({ kv }, caller, input);
 * ```
 */
import type { StoreDeps } from "./deps.ts";
import { AccessDenied, NotFound } from "./errors.ts";
import {
  type ApiKeyRecord,
  createApiKey,
  findApiKey,
  getApiKey,
  type KeyPermission,
  listApiKeys,
  revokeApiKey,
  updateApiKey,
} from "../store/api-keys.ts";

export type { ApiKeyRecord, KeyPermission } from "../store/api-keys.ts";

/** What each scope may do. */
const GRANTS: Readonly<Record<KeyPermission, readonly string[]>> = Object.freeze({
  read: ["read"],
  write: ["write", "delete"],
  delete: ["delete"],
  read_write: ["read", "write", "delete"],
});

/** Whether `scope` grants nothing `own` does not (unknown scopes grant nothing and are never within). */
export function scopeWithin(scope: KeyPermission, own: KeyPermission): boolean {
  const mine = Object.hasOwn(GRANTS, own) ? GRANTS[own] : [];
  return Object.hasOwn(GRANTS, scope) && GRANTS[scope].every((g) => mine.includes(g));
}

/** The refusal of a key that would get more than its creator has. */
export const ESCALATION_MESSAGE =
  "An API key cannot create or enable a key with more permissions than its own.";

/**
 * MainWP's scope of a comma list of `read` / `write` (`delete` counts as write): both → `read_write`,
 * else `write`, else `read` (also the fallback).
 *
 * @example
 * ```ts
 * scopeOf("read,write"); // "read_write"
 * ```
 */
export function scopeOf(permissions: string): KeyPermission {
  const list = permissions.toLowerCase().split(",").map((p) => p.trim());
  const write = list.includes("write") || list.includes("delete");
  if (write && list.includes("read")) return "read_write";
  if (write) return "write";
  return "read";
}

/** A page of keys, newest first, with MainWP's totals (the page is clamped to the last one). */
export interface KeyPage {
  total: number;
  pages: number;
  keys: ApiKeyRecord[];
}

/**
 * Lists the keys, newest first, `perPage` at a time.
 *
 * @example
 * ```ts
 * const { total, keys } = await listKeys({ kv }, 1, 20);
 * ```
 */
export async function listKeys({ kv }: StoreDeps, page: number, perPage: number): Promise<KeyPage> {
  const all = await listApiKeys(kv);
  const pages = Math.max(1, Math.ceil(all.length / Math.max(1, perPage)));
  const current = Math.min(Math.max(1, page), pages);
  return { total: all.length, pages, keys: all.slice((current - 1) * perPage, current * perPage) };
}

/** A new key's fields. */
export interface NewKeyInput {
  active: boolean;
  permissions: KeyPermission;
  description: string;
}

/**
 * Creates a key owned by the caller's owner. {@link AccessDenied} (`key`) when its scope is not within
 * the caller's (nothing is stored). The token (`secret==key`) is returned here and never again.
 *
 * @example
 * ```ts
 * const input = { active: true, permissions: "read", description: "" } as const;
 * const { record, token } = await addApiKey({ kv }, caller, input);
 * ```
 */
export async function addApiKey(
  { kv }: StoreDeps,
  caller: ApiKeyRecord,
  input: NewKeyInput,
): Promise<{ record: ApiKeyRecord; token: string }> {
  if (!scopeWithin(input.permissions, caller.permissions)) {
    throw new AccessDenied("key", null, ESCALATION_MESSAGE);
  }
  const { record, token } = await createApiKey(kv, {
    permissions: input.permissions,
    description: input.description,
    userId: caller.user_id,
    enabled: input.active,
  });
  return { record, token };
}

/** A key named by the controller's `key_identifier`: its id, or its full `ck_…` consumer key. */
export async function findKey({ kv }: StoreDeps, identifier: string): Promise<ApiKeyRecord | null> {
  if (/^[1-9][0-9]{0,15}$/.test(identifier)) return await getApiKey(kv, Number(identifier));
  if (/^ck_[a-f0-9]{40}$/.test(identifier)) return await findApiKey(kv, identifier);
  return null;
}

/** A key edit: the fields given change (an empty description keeps the old one, as in MainWP). */
export interface KeyEdit {
  active?: boolean;
  description?: string;
  permissions?: KeyPermission;
}

/**
 * Edits a key. {@link NotFound} (`key`) when there is none; {@link AccessDenied} (`key`) when the edit
 * would enable the key or change its scope while the resulting scope is not within the caller's
 * (checked in the same commit as the write, so nothing changes when refused).
 *
 * @example
 * ```ts
 * await editApiKey({ kv }, caller, "7", { active: false });
 * ```
 */
export async function editApiKey(
  { kv }: StoreDeps,
  caller: ApiKeyRecord,
  identifier: string,
  edit: KeyEdit,
): Promise<ApiKeyRecord> {
  const found = await findKey({ kv }, identifier);
  if (!found) throw new NotFound("key", identifier, "API key not found.");
  const updated = await updateApiKey(kv, found.id, (current) => {
    const next: ApiKeyRecord = {
      ...current,
      enabled: edit.active ?? current.enabled,
      description: edit.description ? edit.description : current.description,
      permissions: edit.permissions ?? current.permissions,
    };
    const enabling = next.enabled && !current.enabled;
    const rescoped = next.permissions !== current.permissions;
    if ((enabling || rescoped) && !scopeWithin(next.permissions, caller.permissions)) {
      throw new AccessDenied("key", current.id, ESCALATION_MESSAGE);
    }
    return next;
  });
  if (!updated) throw new NotFound("key", identifier, "API key not found.");
  return updated;
}

/**
 * Deletes a key; requests using it stop working at once. {@link NotFound} (`key`) when there is none.
 *
 * @example
 * ```ts
 * await deleteApiKey({ kv }, "7");
 * ```
 */
export async function deleteApiKey({ kv }: StoreDeps, identifier: string): Promise<ApiKeyRecord> {
  const found = await findKey({ kv }, identifier);
  const removed = found ? await revokeApiKey(kv, found.id) : null;
  if (!removed) throw new NotFound("key", identifier, "API key not found.");
  return removed;
}
