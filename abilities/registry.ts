/**
 * @module
 * The WordPress Abilities API registry: abilities (`namespace/name`) with a label, description,
 * category, input and output schemas written once in zod (shown as JSON Schema), annotations, a
 * permission callback and an execute function; and ability categories. Plugins register through the
 * plugin host; `wp_register_ability_args` filters each definition as it is registered.
 *
 * @example
 * ```ts
 * registry.registerCategory({ slug: "mainwp-tags", label: "MainWP Tags", description: "…" });
 * registry.register({ name: "mainwp/count-tags-v1", category: "mainwp-tags", …, execute: async () => ({ total: 3 }) });
 * ```
 */
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import type { RestError } from "../rest/errors.ts";
import type { RestRequest } from "../rest/server.ts";
import { withStringLimits } from "../lib/limits.ts";

/** Annotations that drive the HTTP method of `/run` and tell agents how careful to be. */
export interface AbilityAnnotations {
  readonly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
  /** Usage rules for agents (confirm / dry_run, queueing…). */
  instructions?: string;
}

/** What a permission callback or execute function gets. */
export interface AbilityCall {
  ctx: AppContext;
  /** The REST request, when the call came over REST. */
  req?: RestRequest;
  input: unknown;
}

/** An ability as registered. */
export interface AbilityDefinition {
  name: string;
  label: string;
  description: string;
  category: string;
  /** Input schema (zod); absent = the ability takes no input. */
  input?: z.ZodType;
  /** Output schema (zod). */
  output?: z.ZodType;
  annotations?: AbilityAnnotations;
  /** Listed over REST (default true). */
  showInRest?: boolean;
  /** `true` to allow, a `RestError` to refuse (its status becomes 401/403 over REST). */
  permission: (call: AbilityCall) => true | RestError | Promise<true | RestError>;
  execute: (call: AbilityCall) => unknown;
}

/** A registered ability, with its JSON Schemas computed once. */
export interface Ability extends AbilityDefinition {
  inputSchema: Record<string, unknown> | null;
  outputSchema: Record<string, unknown> | null;
}

/** An ability category. */
export interface AbilityCategory {
  slug: string;
  label: string;
  description: string;
}

const NAME = /^[a-z0-9-]+\/[a-z0-9-]+$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The JSON Schema a zod schema stands for, as the API shows it (no `$schema` key).
 *
 * @example
 * ```ts
 * jsonSchemaOf(z.object({ total: z.int() })); // { type: "object", properties: { total: { type: "integer", … } }, … }
 * ```
 */
export function jsonSchemaOf(schema: z.ZodType | undefined): Record<string, unknown> | null {
  if (!schema) return null;
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return wordpressSchema(json) as Record<string, unknown>;
}

/** An input schema: its JSON Schema with the string limits of `lib/limits.ts` (hostile input is bounded). */
function inputSchemaOf(schema: z.ZodType | undefined): Record<string, unknown> | null {
  const json = jsonSchemaOf(schema);
  return json && withStringLimits(json);
}

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/**
 * Rewrites zod's JSON Schema the way WordPress schemas are written: a nullable value is a type list
 * (`{"type":["object","null"]}` rather than `anyOf` with `null`; an object-or-null defaulting to null
 * shows `"default": []`, as PHP's `array()` serialises), `const` becomes a one-value `enum` (WordPress
 * validates `enum`, not `const`), a number enum of whole numbers is an integer enum, and zod's implicit
 * safe-integer bounds are dropped.
 *
 * @example
 * ```ts
 * wordpressSchema({ anyOf: [{ type: "object" }, { type: "null" }], default: null }); // { type: ["object", "null"], default: [] }
 * ```
 */
export function wordpressSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(wordpressSchema);
  if (!node || typeof node !== "object") return node;
  let out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === "minimum" || key === "maximum") && SAFE_INTEGER_BOUNDS.has(value as number)) continue;
    out[key] = key === "default" || key === "enum" || key === "const" ? value : wordpressSchema(value);
  }
  // WordPress's validator knows `enum` but not `const`; an enum of whole numbers is an integer enum.
  if ("const" in out && !("enum" in out)) {
    out.enum = [out.const];
    delete out.const;
  }
  if (out.type === "number" && Array.isArray(out.enum) && out.enum.every(Number.isInteger)) {
    out.type = "integer";
  }
  const branches = out.anyOf;
  if (Array.isArray(branches) && branches.length === 2) {
    const nullAt = branches.findIndex((b) =>
      (b as { type?: unknown }).type === "null" && Object.keys(b).length === 1
    );
    const other = branches[1 - nullAt] as Record<string, unknown> | undefined;
    if (nullAt >= 0 && other && typeof other.type === "string") {
      const { anyOf: _anyOf, ...rest } = out;
      out = { ...other, ...rest, type: [other.type, "null"] };
      if (out.default === null && other.type === "object") out.default = [];
    }
  }
  return out;
}

/** Holds abilities and categories in registration order. */
export class AbilityRegistry {
  #abilities = new Map<string, Ability>();
  #categories = new Map<string, AbilityCategory>();
  /** Plugin abilities offered before the registry opened (`null` once open). */
  #waiting: AbilityDefinition[] | null = [];

  /**
   * Before the registry opens (WordPress's `wp_abilities_api_init`), keeps a plugin's ability for that
   * moment and answers `true`; afterwards answers `false` (register it now).
   *
   * @example
   * ```ts
   * if (!registry.holdUntilOpen(definition)) registry.register(definition);
   * ```
   */
  holdUntilOpen(definition: AbilityDefinition): boolean {
    if (!this.#waiting) return false;
    this.#waiting.push(definition);
    return true;
  }

  /**
   * Opens the registry and hands back the definitions that were held, in the order they came.
   *
   * @example
   * ```ts
   * for (const d of registry.open()) registry.register(d);
   * ```
   */
  open(): AbilityDefinition[] {
    const held = this.#waiting ?? [];
    this.#waiting = null;
    return held;
  }

  /**
   * Registers a category; a bad or duplicate slug is an error.
   *
   * @example
   * ```ts
   * registry.registerCategory({ slug: "site", label: "Site", description: "…" });
   * ```
   */
  registerCategory(category: AbilityCategory): void {
    if (!SLUG.test(category.slug)) throw new TypeError(`invalid ability category slug: ${category.slug}`);
    if (this.#categories.has(category.slug)) {
      throw new TypeError(`ability category already registered: ${category.slug}`);
    }
    this.#categories.set(category.slug, category);
  }

  /**
   * Registers an ability; its category must exist and its name be `namespace/name`.
   *
   * @example
   * ```ts
   * registry.register(definition);
   * ```
   */
  register(definition: AbilityDefinition): Ability {
    if (!NAME.test(definition.name)) throw new TypeError(`invalid ability name: ${definition.name}`);
    if (this.#abilities.has(definition.name)) {
      throw new TypeError(`ability already registered: ${definition.name}`);
    }
    if (!this.#categories.has(definition.category)) {
      throw new TypeError(`ability ${definition.name}: unknown category ${definition.category}`);
    }
    const ability: Ability = {
      ...definition,
      inputSchema: inputSchemaOf(definition.input),
      outputSchema: jsonSchemaOf(definition.output),
    };
    this.#abilities.set(ability.name, ability);
    return ability;
  }

  /** One ability, or `undefined`. */
  get(name: string): Ability | undefined {
    return this.#abilities.get(name);
  }

  /** Every ability, in registration order. */
  list(): Ability[] {
    return [...this.#abilities.values()];
  }

  /** One category, or `undefined`. */
  category(slug: string): AbilityCategory | undefined {
    return this.#categories.get(slug);
  }

  /** Every category, in registration order. */
  categories(): AbilityCategory[] {
    return [...this.#categories.values()];
  }
}

/**
 * The HTTP method `/run` expects, from the annotations (readonly → GET, destructive and idempotent →
 * DELETE, else POST).
 *
 * @example
 * ```ts
 * expectedMethod({ readonly: true }); // "GET"
 * ```
 */
export function expectedMethod(annotations: AbilityAnnotations | undefined): "GET" | "DELETE" | "POST" {
  if (annotations?.readonly) return "GET";
  if (annotations?.destructive && annotations?.idempotent) return "DELETE";
  return "POST";
}

/**
 * Registers an ability as WordPress does: its arguments first pass the `wp_register_ability_args`
 * filter (name as the second argument).
 *
 * @example
 * ```ts
 * await registerAbilityFiltered(ctx, definition);
 * ```
 */
export async function registerAbilityFiltered(
  ctx: AppContext,
  definition: AbilityDefinition,
): Promise<Ability> {
  const args = await ctx.hooks.applyFilters<AbilityDefinition>(
    "wp_register_ability_args",
    definition,
    definition.name,
  );
  return ctx.abilities.register(args);
}
