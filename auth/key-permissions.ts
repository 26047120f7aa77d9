/**
 * @module
 * The one rule for what an API key's permission allows (rest-v2.md §1.4), wherever the key is used:
 * GET/HEAD need `read`, POST/PUT/PATCH need `write`, DELETE needs `write` or `delete`, OPTIONS needs
 * nothing and any other method is refused. Each namespace guard words the refusal its own way.
 *
 * @example
 * ```ts
 * keyShortfall("read", "POST"); // "write"
 * keyShortfall("delete", "DELETE"); // null
 * ```
 */
import type { KeyPermission } from "../store/api-keys.ts";

/** What a key lacks for a method: the permission MainWP's message names, or `method` for an unknown one. */
export type KeyShortfall = "read" | "write" | "delete" | "method";

/**
 * What `permissions` lacks for `method` (the effective method, after `_method` / method-override, or
 * the one an ability's annotations dictate), or `null` when the method is allowed.
 *
 * @example
 * ```ts
 * keyShortfall("write", "GET"); // "read"
 * ```
 */
export function keyShortfall(permissions: KeyPermission, method: string): KeyShortfall | null {
  // Allow-lists, so a permission value this code does not know grants nothing.
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
      return permissions === "read" || permissions === "read_write" ? null : "read";
    case "POST":
    case "PUT":
    case "PATCH":
      return permissions === "write" || permissions === "read_write" ? null : "write";
    case "DELETE":
      return permissions === "write" || permissions === "delete" || permissions === "read_write"
        ? null
        : "delete";
    case "OPTIONS":
      return null;
    default:
      return "method";
  }
}
