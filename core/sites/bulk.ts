/**
 * @module
 * Bulk site operations: how many sites of one bulk call run at once.
 *
 * @example
 * ```ts
 * import { BULK_CONCURRENCY } from "./bulk.ts";
 * BULK_CONCURRENCY; // 128
 * ```
 */

/**
 * Sites of one bulk call in progress at once. Above the connector's own limits on purpose: the
 * connector queues the child requests, so local work (signing, storing) overlaps with other sites' waits.
 */
export const BULK_CONCURRENCY = 128;
