/**
 * @module
 * Moved to `core/sync/sync.ts`; kept as a re-export for the services that still import it from here.
 *
 * @example
 * ```ts
 * import { syncSite } from "./sync.ts";
 * ```
 */
export {
  childSiteOf,
  recordSync,
  recordSyncError,
  recordSyncValues,
  syncDataFromValues,
  type SyncOutcome,
  syncSite,
} from "../core/sync/sync.ts";
