/**
 * @module
 * Moved to `core/sync/child.ts`; kept as a re-export for the services that still import it from here.
 *
 * @example
 * ```ts
 * import { callSiteChild } from "./site-child.ts";
 * ```
 */
export {
  callSiteChild,
  childErrorMessage,
  ingestChildReply,
  isChildAnswer,
  stripTags,
} from "../core/sync/child.ts";
