/**
 * @module
 * MainWP's single-site mutation abilities (abilities.md §2.5, 13–23).
 *
 * @example
 * ```ts
 * registerSiteMutationAbilities(sink);
 * ```
 */
import type { AbilitySink } from "./index.ts";

/**
 * Registers these abilities.
 *
 * @example
 * ```ts
 * registerSiteMutationAbilities(sink);
 * ```
 */
export function registerSiteMutationAbilities(_sink: AbilitySink): void {
}
