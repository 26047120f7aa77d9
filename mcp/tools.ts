/**
 * @module
 * Abilities as MCP tools, named and described as MainWP's MCP server names them (`mainwp/list-sites-v1`
 * → `list_sites_v1`, another namespace `acme/do-thing-v1` → `acme__do_thing_v1`): the ability's input
 * schema (its descriptions kept), its output schema as `outputSchema`, and `annotations` from its
 * readonly / destructive / idempotent flags. Destructive tools gain MainWP's two confirmation parameters
 * (`user_confirmed`, `confirmation_token`) and may answer a confirmation request instead of their output.
 *
 * @example
 * ```ts
 * toolName("mainwp/list-sites-v1"); // "list_sites_v1"
 * const tools = ctx.abilities.list().filter(isExposed).map(toolOf);
 * ```
 */
import type { Ability } from "../abilities/registry.ts";
import { isPlainObject } from "../lib/objects.ts";

type Json = Record<string, unknown>;

/** The namespace whose prefix tool names drop (MainWP's MCP server's default). */
const PRIMARY_NAMESPACE = "mainwp";

/** An MCP tool as `tools/list` shows it. */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: Json & { type: "object" };
  outputSchema?: Json & { type: "object" };
  annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean };
}

/**
 * The tool name of an ability, by MainWP's MCP server's rule.
 *
 * @example
 * ```ts
 * toolName("core/get-site-info"); // "core__get_site_info"
 * ```
 */
export function toolName(abilityName: string): string {
  const slash = abilityName.indexOf("/");
  const namespace = abilityName.slice(0, slash);
  const rest = abilityName.slice(slash + 1).replaceAll("-", "_");
  return namespace === PRIMARY_NAMESPACE ? rest : `${namespace.replaceAll("-", "_")}__${rest}`;
}

/** Whether an ability is offered as a tool: the ones the Abilities API lists. */
export function isExposed(ability: Ability): boolean {
  return ability.showInRest !== false;
}

/**
 * Whether a tool goes through the confirmation flow: MainWP's MCP server fails closed, so an ability
 * that is not read-only counts as destructive unless it says `destructive: false`.
 *
 * @example
 * ```ts
 * isDestructive({ annotations: { destructive: true } }); // true
 * ```
 */
export function isDestructive(ability: Pick<Ability, "annotations">): boolean {
  const a = ability.annotations;
  return a?.readonly !== true && a?.destructive !== false;
}

/** Whether the ability's input declares a boolean property (`confirm`, `dry_run`). */
export function declaresFlag(ability: Ability, name: string): boolean {
  const properties = ability.inputSchema?.properties;
  if (!isPlainObject(properties) || !Object.hasOwn(properties, name)) return false;
  const property = properties[name];
  const type = isPlainObject(property) ? property.type : undefined;
  return type === "boolean" || (Array.isArray(type) && type.includes("boolean"));
}

/** The `CONFIRMATION_REQUIRED` answer of a destructive tool's preview (see `confirm.ts`). */
export const CONFIRMATION_SCHEMA = {
  type: "object",
  required: ["status", "next_action", "message", "preview", "metadata"],
  properties: {
    status: { type: "string", enum: ["CONFIRMATION_REQUIRED"] },
    next_action: { type: "string" },
    message: { type: "string" },
    preview: { description: "The ability's dry-run answer, or null when it has no dry run." },
    instructions: { type: "string" },
    metadata: {
      type: "object",
      properties: {
        tool: { type: "string" },
        ability: { type: "string" },
        expiresIn: { type: "string" },
        confirmation_token: { type: "string" },
      },
    },
  },
} as const;

/** An input schema with `type: "object"` at the root, as MCP requires (`null` input means `{}` here). */
function objectSchema(schema: Json | null): Json & { type: "object" } {
  if (!schema) return { type: "object", properties: {} };
  const { type: _type, default: _default, ...rest } = schema;
  return {
    ...rest,
    type: "object",
    properties: isPlainObject(rest.properties) ? { ...rest.properties } : {},
  };
}

/** The output schema when the output is an object (MCP's `structuredContent` is always one). */
function outputSchemaOf(ability: Ability, destructive: boolean): (Json & { type: "object" }) | undefined {
  const schema = ability.outputSchema;
  const type = schema?.type;
  // A union of objects (e.g. a result or its dry-run preview) is an object too.
  const branches = schema?.anyOf ?? schema?.oneOf;
  const objects = Array.isArray(branches) && branches.length > 0 &&
    branches.every((b) => isPlainObject(b) && b.type === "object");
  if (!schema || !(objects || type === "object" || (Array.isArray(type) && type.includes("object")))) {
    return undefined;
  }
  const output = { ...schema, type: "object" as const };
  return destructive ? { type: "object", anyOf: [output, CONFIRMATION_SCHEMA] } : output;
}

const CONFIRM_FLOW =
  "\n\nCONFIRMATION FLOW: 1) Call without user_confirmed (with confirm:true, or dry_run:true): " +
  "nothing is changed; the answer is CONFIRMATION_REQUIRED with the dry run's preview and a confirmation_token. " +
  "2) Show the preview to the user and ask. 3) If they agree, call again with the same arguments plus " +
  "user_confirmed:true and the confirmation_token (valid once, for 5 minutes, for these arguments only). " +
  "Never set user_confirmed:true without the user's explicit consent.";

/**
 * The tool of an ability.
 *
 * @example
 * ```ts
 * toolOf(ctx.abilities.get("mainwp/delete-tag-v1")!).annotations.destructiveHint; // true
 * ```
 */
export function toolOf(ability: Ability): ToolDefinition {
  const a = ability.annotations ?? {};
  const destructive = isDestructive(ability);
  const inputSchema = objectSchema(ability.inputSchema);
  let description = ability.description;
  if (a.instructions) description += ` ${a.instructions}`;
  if (destructive) {
    const properties = inputSchema.properties as Json;
    properties.user_confirmed = {
      type: "boolean",
      description: "Performs the operation after the user approved the preview; needs confirmation_token.",
    };
    properties.confirmation_token = {
      type: "string",
      description:
        "The token of the preview (CONFIRMATION_REQUIRED) answer; required with user_confirmed:true.",
    };
    description += CONFIRM_FLOW;
  }
  const outputSchema = outputSchemaOf(ability, destructive);
  return {
    name: toolName(ability.name),
    title: ability.label,
    description,
    inputSchema,
    ...(outputSchema ? { outputSchema } : {}),
    annotations: {
      title: ability.label,
      readOnlyHint: a.readonly === true,
      destructiveHint: destructive,
      idempotentHint: a.idempotent === true,
    },
  };
}
