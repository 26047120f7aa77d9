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
import type { AppContext } from "../app-context.ts";
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

/** What a permission callback or execute function gets: `input` is the parsed input. */
export interface AbilityCall<Input = unknown> {
  ctx: AppContext;
  /** The REST request, when the call came over REST. */
  req?: RestRequest;
  input: Input;
}

/** A schema slot of an ability: a zod schema, or absent. */
export type SchemaSlot = z.ZodType | undefined;

/**
 * What the execute function receives for an input schema: the schema's parsed output (`null` for an
 * ability without input).
 */
export type InputOf<In extends SchemaSlot> = In extends z.ZodType ? z.output<In> : null;

/**
 * An ability as registered. The run path parses the input with `input` before the permission callback
 * and the execute function see it, so both receive `z.output<In>` — never raw request data.
 */
export interface AbilityDefinition<In extends SchemaSlot = SchemaSlot, Out extends SchemaSlot = SchemaSlot> {
  name: string;
  label: string;
  description: string;
  category: string;
  /** Input schema (zod); absent = the ability takes no input. Properties carry `.describe()` for agents. */
  input?: In;
  /** Output schema (zod). */
  output?: Out;
  annotations?: AbilityAnnotations;
  /** Listed over REST (default true). */
  showInRest?: boolean;
  /** `true` to allow, a `RestError` to refuse (its status becomes 401/403 over REST). */
  permission(call: AbilityCall<InputOf<In>>): true | RestError | Promise<true | RestError>;
  /** Its result is checked against `output` at run time (WordPress's `ability_invalid_output`). */
  execute(call: AbilityCall<InputOf<In>>): unknown;
}

/**
 * Types an ability definition from its input schema: `execute` and `permission` get its `z.output`.
 *
 * @example
 * ```ts
 * const countTags = defineAbility({
 *   name: "demo/count-v1",
 *   label: "Count",
 *   description: "Counts.",
 *   category: "site",
 *   input: z.object({ of: z.string().describe("What to count.") }),
 *   output: z.object({ total: z.int() }),
 *   permission: () => true,
 *   execute: ({ input }) => ({ total: input.of.length }),
 * });
 * ```
 */
export function defineAbility<In extends SchemaSlot = undefined, Out extends SchemaSlot = undefined>(
  definition: AbilityDefinition<In, Out>,
): AbilityDefinition {
  return definition;
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
 * Rewrites zod's JSON Schema the way WordPress schemas are written: a nullable value or a union of
 * bare types is a type list (`{"type":["object","null"]}`, `{"type":["integer","string"]}` rather than
 * `anyOf`; an object-or-null defaulting to null shows `"default": []`, as PHP's `array()` serialises),
 * a loose object has no `additionalProperties`, `const` becomes a one-value `enum` (WordPress
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
  // `z.looseObject` says "anything else too" (`{}`), which is what no `additionalProperties` means.
  const extra = out.additionalProperties;
  if (extra && typeof extra === "object" && Object.keys(extra).length === 0) delete out.additionalProperties;
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
  // Any other union of bare types is a type list, as MainWP writes `["integer","string"]` (not `anyOf`).
  const alternatives = out.anyOf;
  if (
    Array.isArray(alternatives) && alternatives.length > 1 && !("type" in out) &&
    alternatives.every((b) => typeof b?.type === "string" && Object.keys(b).length === 1)
  ) {
    const { anyOf: _anyOf, ...rest } = out;
    out = { type: alternatives.map((b) => b.type), ...rest };
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
