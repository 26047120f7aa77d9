/**
 * @module
 * A route's zod argument schema as OpenAPI parameters: query parameters for GET and DELETE, a JSON (or
 * form) request body for POST, PUT and PATCH — types, enums, defaults, descriptions and required flags
 * from `z.toJSONSchema`, written the way WordPress schemas are (`wordpressSchema`). Arrays in a query
 * string take PHP's `name[]` form, objects PHP's `name[key]` (`deepObject`).
 *
 * @example
 * ```ts
 * const { parameters, requestBody } = argsToOpenApi(z.looseObject({ page: wp.int().optional() }), "GET", []);
 * ```
 */
import { z } from "zod";
import { requiredArgs } from "../rest/args.ts";
import { wordpressSchema } from "../abilities/registry.ts";

type Json = Record<string, unknown>;

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** The JSON Schema of one argument; zod leaves defaults out of input schemas, so they come from the output. */
function argSchema(schema: z.ZodType): Json {
  const convert = (io: "input" | "output"): Json => {
    try {
      const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
      delete json.$schema;
      return wordpressSchema(json) as Json;
    } catch {
      return {};
    }
  };
  const json = convert("input");
  if (!("default" in json)) {
    const output = convert("output");
    if ("default" in output) json.default = output.default;
  }
  return json;
}

/** A schema's type list, whichever way it is written. */
function typesOf(schema: Json): unknown[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** One OpenAPI query parameter for an argument. */
function queryParameter(name: string, schema: Json, required: boolean): Json {
  const { description, ...rest } = schema;
  const types = typesOf(rest);
  const param: Json = { in: "query", required };
  if (types.includes("array")) Object.assign(param, { name: `${name}[]`, style: "form", explode: true });
  else if (types.includes("object")) Object.assign(param, { name, style: "deepObject", explode: true });
  else param.name = name;
  if (typeof description === "string") param.description = description;
  param.schema = rest;
  return param;
}

/**
 * The OpenAPI parameters and request body of an endpoint's arguments (path parameters excluded: the
 * path template declares them).
 *
 * @example
 * ```ts
 * argsToOpenApi(z.looseObject({ name: wp.str() }), "POST", []).requestBody; // { required: true, content: … }
 * ```
 */
export function argsToOpenApi(
  args: z.ZodObject | undefined,
  method: string,
  pathParams: readonly string[],
): { parameters: Json[]; requestBody?: Json; pathDescriptions: Record<string, Json> } {
  const parameters: Json[] = [];
  const pathDescriptions: Record<string, Json> = {};
  if (!args) return { parameters, pathDescriptions };
  const required = new Set(requiredArgs(args));
  const properties: Record<string, Json> = {};
  for (const [name, prop] of Object.entries(args.shape)) {
    const schema = argSchema(prop as z.ZodType);
    if (pathParams.includes(name)) {
      pathDescriptions[name] = schema;
      continue;
    }
    if (BODY_METHODS.has(method)) properties[name] = schema;
    else parameters.push(queryParameter(name, schema, required.has(name)));
  }
  if (!BODY_METHODS.has(method) || Object.keys(properties).length === 0) {
    return { parameters, pathDescriptions };
  }
  const bodyRequired = Object.keys(properties).filter((name) => required.has(name));
  const body: Json = { type: "object", properties };
  if (bodyRequired.length) body.required = bodyRequired;
  return {
    parameters,
    pathDescriptions,
    requestBody: {
      required: bodyRequired.length > 0,
      content: {
        "application/json": { schema: body },
        "application/x-www-form-urlencoded": { schema: body },
      },
    },
  };
}
