/**
 * @module
 * Where `AppContext` used to live: it moved to the application layer (app-context.ts), since `lib/` may
 * import nothing above it. Kept as a re-export until the imports are rewritten.
 */
export type { AppContext } from "../app-context.ts";
