/**
 * @module
 * One OpenAPI operation per registered ability (plugins' included): its `/run` path with the method
 * its annotations dictate, its input schema (the query's `input[…]` for GET and DELETE, the JSON body's
 * `input` otherwise) and its output schema as the 200 answer.
 *
 * @example
 * ```ts
 * for (const op of abilityRunOperations(ctx.abilities)) paths[op.path] = { [op.method]: op.operation };
 * ```
 */
import { type Ability, type AbilityRegistry, expectedMethod } from "../abilities/registry.ts";
import { errorRef } from "./components.ts";

type Json = Record<string, unknown>;

/** `mainwp/list-sites-v1` → `runMainwpListSitesV1`. */
function runOperationId(name: string): string {
  return "run" +
    name.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

function description(ability: Ability): string {
  const rules = ability.annotations?.instructions;
  return rules ? `${ability.description}\n\n${rules}` : ability.description;
}

/**
 * The run operation of each ability shown over REST.
 *
 * @example
 * ```ts
 * abilityRunOperations(registry)[0].path; // "/wp-json/wp-abilities/v1/abilities/core/get-site-info/run"
 * ```
 */
export function abilityRunOperations(
  registry: AbilityRegistry,
): { path: string; method: string; tag: string; operation: Json }[] {
  return registry.list().filter((a) => a.showInRest !== false).map((ability) => {
    const method = expectedMethod(ability.annotations);
    const a = ability.annotations ?? {};
    const tag = registry.category(ability.category)?.label ?? ability.category;
    const operation: Json = {
      operationId: runOperationId(ability.name),
      summary: ability.label,
      description: description(ability),
      tags: [tag],
      "x-ability": {
        name: ability.name,
        readonly: a.readonly ?? false,
        destructive: a.destructive ?? false,
        idempotent: a.idempotent ?? false,
      },
    };
    if (ability.inputSchema && method !== "POST") {
      operation.parameters = [{
        name: "input",
        in: "query",
        style: "deepObject",
        explode: true,
        description: "The ability's input, in PHP's bracket form (`input[site_id]=3`).",
        schema: ability.inputSchema,
      }];
    } else if (ability.inputSchema) {
      const body = { type: "object", properties: { input: ability.inputSchema } };
      operation.requestBody = { content: { "application/json": { schema: body } } };
    }
    operation.responses = {
      "200": {
        description: "The ability's result.",
        content: { "application/json": { schema: ability.outputSchema ?? {} } },
      },
      "400": errorRef("BadRequest"),
      "401": errorRef("Unauthorized"),
      "403": errorRef("Forbidden"),
      default: errorRef("Error"),
    };
    return { path: `/wp-json/wp-abilities/v1/abilities/${ability.name}/run`, method, tag, operation };
  });
}
