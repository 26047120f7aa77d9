/**
 * @module
 * MainWP's wire shapes of the API keys controller: a key as listed (string ids, permission titles,
 * boolean `active`, `last_access` as `Y-m-d H:i:s` or `""`) and the argument checks of its routes
 * (`permissions` as a comma list of `read` and `write`, MainWP's `invalid_method`).
 *
 * @example
 * ```ts
 * keyView(record).permissions; // ["Read", "Write & Delete"]
 * ```
 */
import { z } from "zod";
import { type ApiKeyRecord, type KeyPermission, scopeOf } from "../../core/api-keys.ts";
import { wp } from "../../rest/args.ts";
import { sanitizeTextField } from "../../wp/format.ts";
import { NAME_MAX } from "../../lib/limits.ts";

const TITLES: Record<KeyPermission, string[]> = {
  read: ["Read"],
  write: ["Write & Delete"],
  delete: ["Write & Delete"],
  read_write: ["Read", "Write & Delete"],
};

/**
 * A key as `GET /rest-api/keys` lists it (MainWP's `view` context).
 *
 * @example
 * ```ts
 * keyView(record).version; // "v2"
 * ```
 */
export function keyView(k: ApiKeyRecord): Record<string, unknown> {
  return {
    id: String(k.id),
    user_id: k.user_id ? String(k.user_id) : "",
    version: "v2",
    description: k.description,
    permissions: Object.hasOwn(TITLES, k.permissions) ? TITLES[k.permissions] : ["Unknown"],
    truncated_key: k.truncated_key,
    active: k.enabled,
    last_access: k.last_access ?? "",
  };
}

/** `permissions`: a comma list of `read` and `write` (exactly), as the key's scope. */
const permissions = z.unknown().transform((value, ctx): KeyPermission => {
  const s = typeof value === "string" ? sanitizeTextField(value) : "";
  if (s === "") {
    ctx.addIssue({ code: "custom", message: "Invalid parameter.", params: { wpCode: "rest_invalid_param" } });
    return z.NEVER;
  }
  if (s.length > 64 || !s.split(",").every((p) => p === "read" || p === "write")) {
    ctx.addIssue({ code: "custom", message: "Invalid method value.", params: { wpCode: "invalid_method" } });
    return z.NEVER;
  }
  return scopeOf(s);
}).meta({ type: "string", description: "comma-separated `read`, `write`" });

const description = z.unknown().transform((value, ctx): string => {
  if (typeof value !== "string" && typeof value !== "number") {
    ctx.addIssue({ code: "custom", message: "description is not of type string." });
    return z.NEVER;
  }
  const s = String(value);
  if (s.length > NAME_MAX) {
    ctx.addIssue({ code: "custom", message: `description must be at most ${NAME_MAX} characters.` });
    return z.NEVER;
  }
  return sanitizeTextField(s);
}).meta({ type: "string", maxLength: NAME_MAX });

/** `GET /rest-api/keys`. */
export const keyListArgs = z.object({
  page: wp.int().refine((n) => n >= 1, { error: "%s must be greater than or equal to 1" }).default(1),
  per_page: wp.int().refine((n) => n >= 1 && n <= 200, {
    error: "%s must be between 1 (inclusive) and 200 (inclusive)",
  }).default(20),
});

/** `POST /rest-api/add-key`. */
export const addKeyArgs = z.object({
  active: wp.bool(),
  permissions,
  description: description.optional(),
});

const KEY_IDENTIFIER = z.string();

/** `PUT|PATCH /rest-api/edit-key/{key_identifier}`. */
export const editKeyArgs = z.object({
  key_identifier: KEY_IDENTIFIER,
  active: wp.bool().optional(),
  permissions: permissions.optional(),
  description: description.optional(),
});

/** `DELETE /rest-api/delete-key/{key_identifier}`. */
export const deleteKeyArgs = z.object({ key_identifier: KEY_IDENTIFIER });
