/**
 * @module
 * Moved to `routes/present/clients.ts` (MainWP's client wire shapes); this re-export stays only while
 * modules owned by other areas still import from here (services/sites.ts, services/tags.ts,
 * routes/costs.ts). Import from `routes/present/clients.ts` instead.
 *
 * @example
 * ```ts
 * import { clientView } from "../routes/present/clients.ts";
 * ```
 */
export { clientCreated, clientRawRow, clientSimple, clientView } from "../routes/present/clients.ts";
