/**
 * @module
 * The plugin host. A plugin is a module exporting `register(host)`; it adds hooks and routes (and, once
 * the abilities registry lands, abilities). `PLUGINS` names modules loaded at start, in order. No
 * directory is scanned at run time, so the same code runs on Deno Deploy.
 *
 * @example
 * ```ts
 * // my-plugin.ts
 * import type { PluginHost } from "fleetpress/plugins/host.ts";
 * export function register(host: PluginHost) {
 *   host.addFilter("mainwp_rest_batch_items_limit", () => 250);
 * }
 * ```
 */
import type { AppContext } from "../app-context.ts";
import type { HookRegistry } from "../hooks/registry.ts";
import type { Endpoint } from "../rest/server.ts";
import {
  type AbilityCategory,
  type AbilityDefinition,
  registerAbilityFiltered,
} from "../abilities/registry.ts";

/** What a plugin's `register` receives. */
export interface PluginHost {
  /** The running app (config, KV, hooks, routes). */
  readonly ctx: AppContext;
  /** As `HookRegistry.addFilter`: a known hook's callback is typed from hooks/types.ts. */
  addFilter: HookRegistry["addFilter"];
  /** As `HookRegistry.addAction`. */
  addAction: HookRegistry["addAction"];
  /** Registers a REST route under `/wp-json/<namespace><route>` (WordPress regex syntax). */
  registerRoute(namespace: string, route: string, ...endpoints: Endpoint[]): void;
  /**
   * Registers an ability (after the `wp_register_ability_args` filter). Before the Abilities API's init,
   * it is registered then, after WordPress core's and MainWP's abilities.
   */
  registerAbility(definition: AbilityDefinition): Promise<void>;
  /** Registers an ability category. */
  registerAbilityCategory(category: AbilityCategory): void;
}

/** A loaded plugin module. */
export interface PluginModule {
  register(host: PluginHost): void | Promise<void>;
}

/**
 * Builds the host handed to plugins.
 *
 * @example
 * ```ts
 * await plugin.register(createPluginHost(ctx));
 * ```
 */
export function createPluginHost(ctx: AppContext): PluginHost {
  return {
    ctx,
    addFilter: ctx.hooks.addFilter.bind(ctx.hooks),
    addAction: ctx.hooks.addAction.bind(ctx.hooks),
    registerRoute: (namespace, route, ...endpoints) => ctx.rest.register(namespace, route, ...endpoints),
    registerAbility: async (definition) => {
      if (!ctx.abilities.holdUntilOpen(definition)) await registerAbilityFiltered(ctx, definition);
    },
    registerAbilityCategory: (category) => ctx.abilities.registerCategory(category),
  };
}

/** Resolves a `PLUGINS` entry: relative paths are relative to the working directory. */
export function resolvePluginSpecifier(specifier: string, cwd = Deno.cwd()): string {
  if (/^\.{1,2}\//.test(specifier) || specifier.startsWith("/")) {
    return new URL(specifier, `file://${cwd.replace(/\/?$/, "/")}`).href;
  }
  return specifier;
}

/**
 * Imports the named modules in order and registers each; a module without `register` is an error.
 *
 * @example
 * ```ts
 * await loadPlugins(ctx, ["./plugins/example-redact-ip.ts"]);
 * ```
 */
export async function loadPlugins(ctx: AppContext, specifiers: string[]): Promise<void> {
  const host = createPluginHost(ctx);
  for (const specifier of specifiers) {
    const mod: Partial<PluginModule> = await import(resolvePluginSpecifier(specifier));
    if (typeof mod.register !== "function") {
      throw new Error(`Plugin ${specifier} does not export register(host)`);
    }
    await mod.register(host);
  }
}
