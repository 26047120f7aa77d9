/**
 * @module
 * The key that matches an operation of MainWP's OpenAPI document to a Fleetpress route: the upper-case
 * method and the path with every parameter written `{}` (the two documents name parameters differently).
 *
 * @example
 * ```ts
 * operationKey("get", "/wp-json/mainwp/v2/sites/{id_domain}"); // "GET /wp-json/mainwp/v2/sites/{}"
 * ```
 */

/**
 * The match key of one operation.
 *
 * @example
 * ```ts
 * operationKey("DELETE", "/wp-json/mainwp/v2/tags/{id}/remove"); // "DELETE /wp-json/mainwp/v2/tags/{}/remove"
 * ```
 */
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}").toLowerCase()}`;
}
