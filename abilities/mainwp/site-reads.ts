/**
 * @module
 * MainWP's read-only site abilities on stored data (abilities.md §2.5, 6–12).
 *
 * @example
 * ```ts
 * registerSiteReadAbilities(sink);
 * ```
 */
import type { AbilitySink } from "./index.ts";

/**
 * Registers these abilities.
 *
 * @example
 * ```ts
 * registerSiteReadAbilities(sink);
 * ```
 */
export function registerSiteReadAbilities(_sink: AbilitySink): void {
}
