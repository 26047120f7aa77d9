/**
 * @module
 * MainWP's batch site abilities (abilities.md §2.5, 3 and 27–30).
 *
 * @example
 * ```ts
 * registerSiteBatchAbilities(sink);
 * ```
 */
import type { AbilitySink } from "./index.ts";

/**
 * Registers these abilities.
 *
 * @example
 * ```ts
 * registerSiteBatchAbilities(sink);
 * ```
 */
export function registerSiteBatchAbilities(_sink: AbilitySink): void {
}
