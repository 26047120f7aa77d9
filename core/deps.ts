/**
 * @module
 * The narrow dependencies core operations ask for, so that each says what it touches: the store alone,
 * the store and hooks, or everything a child call needs. The running app's context satisfies all of them.
 *
 * @example
 * ```ts
 * import type { StoreDeps } from "./deps.ts";
 * const countTags = async ({ kv }: StoreDeps) => (await Array.fromAsync(kv.list({ prefix: ["tag"] }))).length;
 * ```
 */
import type { HookRegistry } from "../hooks/registry.ts";
import type { ChildConnector } from "../child/connector.ts";
import type { Config } from "../lib/config.ts";

/** Operations that only read and write the store. */
export interface StoreDeps {
  kv: Deno.Kv;
}

/** Operations that also apply filters or fire actions. */
export interface HookDeps extends StoreDeps {
  hooks: HookRegistry;
}

/** Operations that call child sites. */
export interface ChildDeps extends HookDeps {
  child: ChildConnector;
  /** Decrypts the sites' private keys. */
  secretKey: string;
  config: Config;
}
