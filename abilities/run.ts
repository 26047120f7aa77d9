/**
 * @module
 * Running an ability as WordPress 7.x does over REST (abilities.md §1.4): method check from the
 * annotations, input normalisation (a `null` input takes the schema's top-level default), coercion and
 * lenient validation with WordPress's messages, then the ability's zod schema (its parsed value is all
 * the permission callback and the execute function ever see), the permission callback (its error
 * answered 401 anonymous / 403 logged in, original data kept in `additional_data`),
 * `wp_before_execute_ability`, execute, output validation, `wp_after_execute_ability`.
 *
 * @example
 * ```ts
 * const result = await runAbility(ctx, ability, { method: "GET", input: { page: 1 }, req });
 * ```
 */
import type { AppContext } from "../app-context.ts";
import { RestError, restError } from "../rest/errors.ts";
import type { RestRequest } from "../rest/server.ts";
import { type Ability, expectedMethod } from "./registry.ts";
import { validateWpSchema } from "./schema-validate.ts";
import { parseAbilityInput } from "./input.ts";
import { abilityErrorOf } from "./errors.ts";
import { storeRestErrorOf } from "../rest/store-errors.ts";

const METHOD_MESSAGES = {
  GET: "Read-only abilities require GET method.",
  DELETE: "Abilities that perform destructive actions require DELETE method.",
  POST: "Abilities that perform updates require POST method.",
} as const;

/** How an ability is being run. */
export interface RunOptions {
  /** The effective HTTP method (after `_method` / `X-HTTP-Method-Override`). */
  method: string;
  /** The raw input (query `input` for GET/DELETE, JSON body `input` for POST); coerced per schema. */
  input: unknown;
  req?: RestRequest;
}

/** The input after normalisation: `null` takes the top-level schema default. */
function normalizeInput(ability: Ability, input: unknown): unknown {
  if ((input === null || input === undefined) && ability.inputSchema && "default" in ability.inputSchema) {
    return ability.inputSchema.default;
  }
  return input ?? null;
}

function invalidInput(ability: Ability, reason: string): RestError {
  return restError(
    "ability_invalid_input",
    `Ability "${ability.name}" has invalid input. Reason: ${reason}`,
    400,
  );
}

/**
 * Checks method, input and permission; returns the input parsed by the ability's schema (what the
 * permission callback saw and the execute function gets). Throws the REST errors of §1.4.
 *
 * @example
 * ```ts
 * const input = await prepareRun(ctx, ability, { method: "GET", input: null });
 * ```
 */
export async function prepareRun(ctx: AppContext, ability: Ability, options: RunOptions): Promise<unknown> {
  const expected = expectedMethod(ability.annotations);
  if (options.method.toUpperCase() !== expected) {
    throw restError("rest_ability_invalid_method", METHOD_MESSAGES[expected], 405);
  }
  const raw = normalizeInput(ability, options.input);
  // Without an input schema only "no input" is allowed; `?input=` (the empty string) counts as none.
  if (!ability.input && raw !== null && raw !== "") {
    throw restError(
      "ability_missing_input_schema",
      `Ability "${ability.name}" does not define an input schema required to validate the provided input.`,
      400,
    );
  }
  const parsed = parseAbilityInput(ability, raw);
  if (!parsed.ok) throw invalidInput(ability, parsed.reason);
  const input = parsed.input;
  const allowed = await ability.permission({ ctx, req: options.req, input });
  if (allowed !== true) {
    const status = options.req?.auth.user ? 403 : 401;
    const original = allowed.data && typeof allowed.data === "object" ? allowed.data : null;
    throw new RestError(
      allowed.code,
      allowed.message,
      { ...(original ?? {}), status },
      original ? [original] : undefined,
    );
  }
  return input;
}

/**
 * Runs an ability end to end and returns its result (the `/run` body).
 *
 * @example
 * ```ts
 * await runAbility(ctx, ability, { method: "POST", input: { name: "VIP" }, req });
 * ```
 */
export async function runAbility(ctx: AppContext, ability: Ability, options: RunOptions): Promise<unknown> {
  const input = await prepareRun(ctx, ability, options);
  await ctx.hooks.doAction("wp_before_execute_ability", ability.name, input);
  let result: unknown;
  try {
    result = await ability.execute({ ctx, req: options.req, input });
  } catch (error) {
    if (error instanceof RestError) throw error;
    const mapped = abilityErrorOf(error);
    if (mapped) throw mapped;
    const stored = storeRestErrorOf(error);
    if (stored) throw stored;
    console.error(`[fleetpress] ability ${ability.name} failed:`, error);
    throw new RestError(
      "ability_callback_exception",
      `Ability "${ability.name}" callback threw an exception.`,
      null,
    );
  }
  if (ability.outputSchema) {
    const reason = validateWpSchema(result, ability.outputSchema, "output");
    if (reason) {
      throw new RestError(
        "ability_invalid_output",
        `Ability "${ability.name}" has invalid output. Reason: ${reason}`,
        null,
      );
    }
  }
  await ctx.hooks.doAction("wp_after_execute_ability", ability.name, input, result);
  return result;
}
