/**
 * @module
 * MainWP's update abilities (abilities.md §2.5, 31–41).
 *
 * @example
 * ```ts
 * registerUpdateAbilities(sink);
 * ```
 */
import type { AbilitySink } from "./index.ts";

/**
 * Registers these abilities.
 *
 * @example
 * ```ts
 * registerUpdateAbilities(sink);
 * ```
 */
export function registerUpdateAbilities(_sink: AbilitySink): void {
}
