/**
 * @module
 * An ability's run input, from request data to the value its execute function receives: WordPress 7.1's
 * coercion per schema (query strings and JSON bodies alike), WordPress's lenient validation with its
 * messages, then the ability's zod schema, whose parsed output (defaults applied, types exact) is what
 * the permission callback and the execute function get.
 *
 * @example
 * ```ts
 * const parsed = parseAbilityInput(ability, { page: "2" }); // { ok: true, input: { page: 2, … } }
 * ```
 */
import type { Ability } from "./registry.ts";
import { coerceWpSchema, validateWpSchema } from "./schema-validate.ts";
import { isPlainObject } from "../lib/objects.ts";

type Schema = Record<string, unknown>;

/** The input an execute function gets, or why the raw input was refused (WordPress's reason text). */
export type ParsedInput = { ok: true; input: unknown } | { ok: false; reason: string };

function allowsObject(schema: Schema): boolean {
  const t = schema.type;
  return t === "object" || (Array.isArray(t) && t.includes("object"));
}

/**
 * Reads a value that passed WordPress validation as the object it stands for where the schema says
 * `object`: PHP's empty string and arrays are valid objects (`?input=` is `""`, `{"input":[]}` a PHP
 * array), so `""` becomes `{}` and a list its index-keyed object; recurses into properties and items.
 */
function asObjects(value: unknown, schema: Schema): unknown {
  if (Array.isArray(value) && !allowsObject(schema) && isPlainObject(schema.items)) {
    const items = schema.items;
    return value.map((v) => asObjects(v, items));
  }
  if (!allowsObject(schema) || value === null) return value;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (value === "" && !types.includes("string")) return {};
  if (Array.isArray(value) && !types.includes("array")) {
    return Object.fromEntries(value.map((v, i) => [String(i), v]));
  }
  if (!isPlainObject(value) || !isPlainObject(schema.properties)) return value;
  const properties = schema.properties as Record<string, Schema>;
  return Object.fromEntries(
    Object.entries(value).map((
      [k, v],
    ) => [k, Object.hasOwn(properties, k) ? asObjects(v, properties[k]) : v]),
  );
}

/** `input[a][0]` for a zod issue path. */
function paramOf(path: readonly PropertyKey[]): string {
  return `input${path.map((p) => `[${String(p)}]`).join("")}`;
}

/**
 * Turns raw run input (already normalised: `null` took the schema's top-level default) into the value
 * the ability's execute function receives. Without an input schema the input must be absent.
 *
 * @example
 * ```ts
 * parseAbilityInput(ability, ""); // `?input=`: the empty object, defaults applied
 * ```
 */
export function parseAbilityInput(ability: Ability, raw: unknown): ParsedInput {
  if (!ability.input || !ability.inputSchema) return { ok: true, input: null };
  const schema = ability.inputSchema;
  const coerced = raw === null ? null : coerceWpSchema(raw, schema);
  const reason = validateWpSchema(coerced, schema, "input");
  if (reason) return { ok: false, reason };
  const parsed = ability.input.safeParse(asObjects(coerced, schema));
  if (parsed.success) return { ok: true, input: parsed.data };
  // WordPress's validator passed but the stricter zod schema did not (e.g. an integer beyond 2^53).
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    reason: `${paramOf(issue?.path ?? [])} is invalid: ${issue?.message ?? "invalid value"}.`,
  };
}
