/**
 * @module
 * Helpers for ability tests: an administrator with an application password, and `run`, which calls an
 * ability's `/run` route with the method its annotations ask for (input as bracket query parameters
 * for GET/DELETE, as a JSON body for POST).
 *
 * @example
 * ```ts
 * const a = await abilityClient(t);
 * const res = await a.run("mainwp/get-site-v1", { site_id_or_domain: 1 });
 * ```
 */
import type { TestApp } from "../helpers.ts";
import { createAppPassword, createUser } from "../../store/users.ts";
import { expectedMethod } from "../../abilities/registry.ts";

/** Flattens an input object into PHP-style bracket query pairs (`input[a][0]=x`). */
export function bracketQuery(value: unknown, prefix = "input"): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => bracketQuery(v, `${prefix}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => bracketQuery(v, `${prefix}[${k}]`));
  }
  return [[prefix, String(value)]];
}

/** An authenticated ability caller. */
export interface AbilityClient {
  headers: Record<string, string>;
  // deno-lint-ignore no-explicit-any
  run(name: string, input?: unknown): Promise<{ status: number; body: any; text: string; headers: Headers }>;
}

/**
 * Creates an administrator (login `admin` unless given) with an application password, and returns a
 * caller that runs abilities as that user.
 *
 * @example
 * ```ts
 * const { run } = await abilityClient(t);
 * ```
 */
export async function abilityClient(t: TestApp, login = "admin"): Promise<AbilityClient> {
  const user = (await createUser(t.ctx.kv, { login }))!;
  const { password } = await createAppPassword(t.ctx.kv, user.id, "tests");
  const headers = { Authorization: `Basic ${btoa(`${login}:${password}`)}` };
  return {
    headers,
    run(name, input) {
      const ability = t.ctx.abilities.get(name);
      const method = expectedMethod(ability?.annotations);
      const path = `/wp-json/wp-abilities/v1/abilities/${name}/run`;
      if (method === "POST") {
        return t.call("POST", path, { headers, json: input === undefined ? {} : { input } });
      }
      const query = new URLSearchParams(input === undefined ? [] : bracketQuery(input)).toString();
      return t.call(method, query ? `${path}?${query}` : path, { headers });
    },
  };
}
