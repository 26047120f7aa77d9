/**
 * @module
 * Moved to `core/clients.ts`; this re-export stays only while modules owned by other areas still
 * import from here (abilities/mainwp/site-reads.ts, services/costs.ts). Import from `core/clients.ts` instead.
 *
 * @example
 * ```ts
 * import { findClient } from "../core/clients.ts";
 * ```
 */
export { compareClientsByName, findClient } from "../core/clients.ts";
