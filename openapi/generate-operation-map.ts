/**
 * @module
 * Regenerates `openapi/mainwp-operations.json` from MainWP's published OpenAPI document: for every
 * operation, keyed by method and path (path parameters written `{}`, since the names differ), its
 * `operationId`, `tags` and `summary`. The server reads only the committed JSON, never the YAML.
 *
 * @example
 * ```sh
 * deno task openapi-map ../shared/spec/mainwp-openapi-6.1.5.yaml
 * ```
 */
import { parse } from "yaml";
import { operationKey } from "./operation-key.ts";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** One operation of MainWP's document, as the generated map keeps it. */
export interface MainwpOperation {
  operationId: string;
  tags: string[];
  summary?: string;
}

/**
 * The operation map of a parsed OpenAPI document.
 *
 * @example
 * ```ts
 * operationMap({ paths: { "/wp-json/mainwp/v2/tags": { get: { operationId: "getTags", tags: ["Tags"] } } } });
 * // { "GET /wp-json/mainwp/v2/tags": { operationId: "getTags", tags: ["Tags"] } }
 * ```
 */
export function operationMap(doc: unknown): Record<string, MainwpOperation> {
  const out: Record<string, MainwpOperation> = {};
  const paths = (doc as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method] as { operationId?: unknown; tags?: unknown; summary?: unknown } | undefined;
      if (!op || typeof op.operationId !== "string") continue;
      const tags = Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === "string") : [];
      out[operationKey(method, path)] = {
        operationId: op.operationId,
        tags,
        ...(typeof op.summary === "string" ? { summary: op.summary } : {}),
      };
    }
  }
  return out;
}

if (import.meta.main) {
  const source = Deno.args[0] ?? "../shared/spec/mainwp-openapi-6.1.5.yaml";
  const map = operationMap(parse(await Deno.readTextFile(source)));
  const target = new URL("./mainwp-operations.json", import.meta.url);
  await Deno.writeTextFile(target, JSON.stringify(map, null, 2) + "\n");
  console.log(`${Object.keys(map).length} operations → ${target.pathname}`);
}
