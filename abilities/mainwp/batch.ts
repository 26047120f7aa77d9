/**
 * @module
 * MainWP's batch-job status ability (abilities.md §3.5).
 *
 * @example
 * ```ts
 * registerBatchAbilities(sink);
 * ```
 */
import type { AbilitySink } from "./index.ts";

/**
 * Registers these abilities.
 *
 * @example
 * ```ts
 * registerBatchAbilities(sink);
 * ```
 */
export function registerBatchAbilities(_sink: AbilitySink): void {
}
