/**
 * @module
 * The OpenAPI 3.1 document of the live route table: every route and method (plugins' routes included),
 * path parameters from the route patterns, query and body parameters from the zod argument schemas,
 * the security each route's guard accepts, the WordPress error envelope, and one run operation per
 * ability. Operation ids, tags and summaries follow MainWP's published document where the operation
 * is MainWP's (`mainwp-operations.json`, see `generate-operation-map.ts`), so generated clients keep
 * their method names.
 *
 * @example
 * ```ts
 * const doc = buildOpenApiDocument({ rest: ctx.rest, abilities: ctx.abilities, publicUrl: "http://127.0.0.1:8080" });
 * ```
 */
import type { RestServer } from "../rest/server.ts";
import type { AbilityRegistry } from "../abilities/registry.ts";
import { publicAccess } from "../routes/discovery.ts";
import { openApiPath } from "./paths.ts";
import { argsToOpenApi } from "./args.ts";
import { SECURITY_SCHEMES, securityFor } from "./security.ts";
import { ERROR_RESPONSES, ERROR_SCHEMAS, errorRef } from "./components.ts";
import { abilityRunOperations } from "./abilities.ts";
import { operationKey } from "./operation-key.ts";
import mainwpOperations from "./mainwp-operations.json" with { type: "json" };

type Json = Record<string, unknown>;

/** What the document is built from. */
export interface OpenApiSources {
  rest: RestServer;
  abilities: AbilityRegistry;
  /** The server URL (`PUBLIC_URL`). */
  publicUrl: string;
  /** Path items served outside the route table (the MCP endpoint), keyed by path. */
  extraPaths?: Record<string, Json>;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const MAINWP: Record<string, { operationId: string; tags: string[]; summary?: string }> = mainwpOperations;

/** A tag for a route MainWP's document does not have: the first path segment after the namespace. */
function fallbackTag(namespace: string, pattern: string): string {
  if (namespace === "") return "Discovery";
  if (namespace.startsWith("wp-abilities")) return "Abilities";
  if (namespace === "batch/v1") return "Batch";
  const segment = pattern.slice(namespace.length + 2).split("/")[0];
  if (!segment || segment.includes("(")) return "Discovery";
  return segment.split(/[-_]/).map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
}

/** `GET /wp-json/mainwp/v2/jobs/{job_id}/events` → `getMainwpV2JobsByJobIdEvents`. */
function fallbackOperationId(method: string, path: string): string {
  const words = path.replace(/^\/wp-json/, "").split("/").filter(Boolean).flatMap((segment) => {
    const param = /^\{(.+)\}$/.exec(segment);
    const parts = (param ? param[1] : segment).split(/[^a-zA-Z0-9]+/).filter(Boolean);
    const pascal = parts.map((w) => w[0].toUpperCase() + w.slice(1));
    return param ? ["By", ...pascal] : pascal;
  });
  return method.toLowerCase() + (words.length ? words.join("") : "Index");
}

function unique(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}${n}`;
  used.add(candidate);
  return candidate;
}

/** Adds another route's pattern to a path parameter already declared (two routes, one path template). */
function widenPathParams(operation: Json, params: { name: string; pattern: string }[]): void {
  for (const declared of operation.parameters as Json[]) {
    if (declared.in !== "path") continue;
    const extra = params.find((p) => p.name === declared.name);
    const schema = declared.schema as Json;
    if (!extra || schema.pattern === extra.pattern) continue;
    const patterns = Array.isArray(schema.anyOf)
      ? schema.anyOf
      : [{ pattern: schema.pattern }].filter((p) => p.pattern);
    declared.schema = { type: "string", anyOf: [...patterns, { pattern: extra.pattern }] };
  }
}

/**
 * Builds the document (call it once every route and ability is registered).
 *
 * @example
 * ```ts
 * buildOpenApiDocument({ rest, abilities, publicUrl }).openapi; // "3.1.0"
 * ```
 */
export function buildOpenApiDocument(sources: OpenApiSources): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const used = new Set<string>();
  const tags = new Set<string>();
  for (const route of sources.rest.routes()) {
    const { path, params } = openApiPath(route.pattern);
    const item = paths[path] ??= {};
    for (const endpoint of route.endpoints) {
      for (const method of METHODS) {
        if (!endpoint.methods.includes(method)) continue;
        const key = method.toLowerCase();
        if (item[key]) {
          widenPathParams(item[key], params);
          continue;
        }
        const args = argsToOpenApi(endpoint.args, method, params.map((p) => p.name));
        const mainwp = MAINWP[operationKey(method, path)];
        const isPublic = endpoint.permission === publicAccess;
        const parameters: Json[] = params.map((p) => {
          const described = args.pathDescriptions[p.name] ?? {};
          const param: Json = {
            name: p.name,
            in: "path",
            required: true,
            schema: { type: "string", pattern: p.pattern },
          };
          if (typeof described.description === "string") param.description = described.description;
          return param;
        });
        const responses: Json = {
          "200": { description: "Success.", content: { "application/json": { schema: {} } } },
        };
        if (args.parameters.length || args.requestBody || params.length) {
          responses["400"] = errorRef("BadRequest");
        }
        if (!isPublic) {
          Object.assign(responses, { "401": errorRef("Unauthorized"), "403": errorRef("Forbidden") });
        }
        if (params.length) responses["404"] = errorRef("NotFound");
        responses.default = errorRef("Error");
        const operationTags = mainwp?.tags.length
          ? mainwp.tags
          : [fallbackTag(route.namespace, route.pattern)];
        operationTags.forEach((t) => tags.add(t));
        item[key] = {
          operationId: unique(mainwp?.operationId ?? fallbackOperationId(method, path), used),
          summary: mainwp?.summary ?? `${method} ${path.replace(/^\/wp-json/, "")}`,
          tags: operationTags,
          security: securityFor(route.pattern, isPublic),
          parameters: [...parameters, ...args.parameters],
          ...(args.requestBody ? { requestBody: args.requestBody } : {}),
          responses,
        };
      }
    }
    if (Object.keys(item).length === 0) delete paths[path];
  }
  for (const run of abilityRunOperations(sources.abilities)) {
    const operation = { ...run.operation, operationId: unique(String(run.operation.operationId), used) };
    tags.add(run.tag);
    (paths[run.path] ??= {})[run.method.toLowerCase()] = {
      ...operation,
      security: securityFor("/wp-abilities", false),
    };
  }
  for (const [path, item] of Object.entries(sources.extraPaths ?? {})) {
    paths[path] = item as Record<string, Json>;
    for (const op of Object.values(item as Record<string, Json>)) {
      if (Array.isArray(op.tags)) op.tags.forEach((t) => tags.add(String(t)));
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Fleetpress API",
      version: "1",
      description:
        "MainWP-compatible dashboard: MainWP's REST API v2, the WordPress Abilities API, background " +
        "jobs and Fleetpress's own routes. Generated at start from the live route table and ability registry.",
    },
    servers: [{ url: sources.publicUrl }],
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: { schemas: ERROR_SCHEMAS, responses: ERROR_RESPONSES, securitySchemes: SECURITY_SCHEMES },
  };
}
