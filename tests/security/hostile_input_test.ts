/**
 * Hostile input against every route and method the discovery document (`GET /wp-json/`) lists, and every
 * ability's `/run` (from `GET /wp-abilities/v1/abilities`): malformed JSON, wrong types, 1 MiB strings,
 * strings over the name/URL/key limits, prototype keys, bad pagination and bad path identifiers. No
 * answer may be a 5xx or carry a stack trace, the store must be exactly as before (bar the fields reads
 * touch), and `Object.prototype` must stay clean. Child sites are never contacted: every address is
 * refused by the guard's filter and host names are not resolved.
 */
import { assert, assertEquals } from "@std/assert";
import { type TestApp, testApp, withDeadline } from "../helpers.ts";
import { abilityClient, bracketQuery } from "../abilities/_helpers.ts";
import { expectedMethod } from "../../abilities/registry.ts";
import { ALLOW_SITE_ADDRESS_FILTER } from "../../child/address-guard.ts";
import {
  BAD_IDENTIFIERS,
  BAD_JSON,
  BAD_PAGING,
  DEEP_JSON,
  DEEP_QUERY,
  dumpStore,
  fillRoute,
  groupNames,
  MIB,
  OVER_LIMITS,
  parseRoute,
  PROTO_MEMBERS,
  protoQuery,
  storeChanges,
  WRONG_TYPES,
} from "./_hostile.ts";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const STACK = /\n\s+at |file:\/\/|\.ts:\d+:\d+|TypeError|ReferenceError/;

/** One hostile request. */
interface Probe {
  label: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
}

interface DiscoveredRoute {
  pattern: string;
  endpoints: { methods: string[]; args: Record<string, unknown> }[];
}

/** The seeded records hostile requests must leave alone. */
async function seed(t: TestApp, token: string): Promise<void> {
  const calls: [string, Record<string, string>][] = [
    ["/tags/add", { name: "Seed tag", color: "#ff0000" }],
    ["/clients/add", { name: "Seed client", client_email: "seed@client.example", note: "n" }],
    ["/clients/fields/add", { name: "Seed field", description: "d" }],
    ["/costs/add", {
      name: "Seed cost",
      price: "10",
      product_type: "plugin",
      product_slug: "seed",
      "clients[]": "1",
    }],
  ];
  for (const [path, form] of calls) {
    const res = await t.call("POST", `/wp-json/mainwp/v2${path}`, { token, form });
    assert(res.status < 300, `seeding ${path}: ${res.text}`);
  }
}

/** Top-level parameters as PHP bracket query pairs. */
function topQuery(params: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(params).flatMap(([k, v]) => bracketQuery(v, k))).toString();
}

/**
 * The probes of one route and method: the full set for an endpoint's first method, prototype keys for
 * its other methods (they share the endpoint's code).
 */
function routeProbes(route: DiscoveredRoute, method: string, args: string[], first: boolean): Probe[] {
  const parts = parseRoute(route.pattern);
  const path = `/wp-json${fillRoute(parts)}`;
  const body = BODY_METHODS.has(method);
  const json = (label: string, value: unknown): Probe =>
    body
      ? { label, method, path, body: JSON.stringify(value), contentType: "application/json" }
      : { label, method, path: `${path}?${topQuery(value as Record<string, unknown>)}` };
  const protoProbe: Probe = body
    ? { label: "proto JSON", method, path, body: `{${PROTO_MEMBERS}}`, contentType: "application/json" }
    : { label: "proto query", method, path: `${path}?${protoQuery()}` };
  if (!first) return [protoProbe];
  const probes: Probe[] = [protoProbe];
  for (const group of groupNames(parts)) {
    for (const bad of BAD_IDENTIFIERS) {
      probes.push({ label: `bad ${group}`, method, path: `/wp-json${fillRoute(parts, { [group]: bad })}` });
    }
  }
  probes.push({ label: "deep query", method, path: `${path}?${DEEP_QUERY}` });
  if (body) {
    for (const text of DEEP_JSON) {
      probes.push({ label: "deep JSON", method, path, body: text, contentType: "application/json" });
    }
    for (const text of BAD_JSON) {
      probes.push({ label: "malformed JSON", method, path, body: text, contentType: "application/json" });
    }
    const form = protoQuery();
    probes.push({
      label: "proto form",
      method,
      path,
      body: form,
      contentType: "application/x-www-form-urlencoded",
    });
    probes.push({ label: "proto query", method, path: `${path}?${protoQuery()}` });
  } else {
    for (const paging of BAD_PAGING) probes.push({ label: "bad paging", method, path: `${path}?${paging}` });
  }
  const names = args.length > 0 ? args : ["name"];
  for (const wrong of WRONG_TYPES) {
    probes.push(json("wrong types", Object.fromEntries(names.map((n) => [n, wrong]))));
  }
  // 1 MiB once (every string takes the same generic bound), the finer limits one parameter at a time.
  probes.push(json(`1 MiB ${names[0]}`, { [names[0]]: MIB }));
  for (const name of names) probes.push(json(`over-limit ${name}`, { [name]: OVER_LIMITS }));
  return probes;
}

/** A value of a schema's type that names nothing stored. */
function absentValue(schema: Record<string, unknown>): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "integer" || type === "number") return 999999;
  if (type === "boolean") return false;
  if (type === "array") return [];
  if (type === "object") return {};
  return "0.0.0.1"; // were it ever taken for an address: a reserved one, refused without a lookup
}

/** The probes of one ability's `/run`. */
function abilityProbes(name: string, method: string, schema: Record<string, unknown> | null): Probe[] {
  const path = `/wp-json/wp-abilities/v1/abilities/${name}/run`;
  const post = method === "POST";
  const withInput = (label: string, input: unknown): Probe =>
    post
      ? { label, method, path, body: JSON.stringify({ input }), contentType: "application/json" }
      : { label, method, path: `${path}?${new URLSearchParams(bracketQuery(input)).toString()}` };
  const probes: Probe[] = [withInput("wrong input type", [[1], { a: [] }])];
  if (post) {
    for (const body of BAD_JSON) {
      probes.push({ label: "malformed JSON", method, path, body, contentType: "application/json" });
    }
    probes.push({
      label: "proto input",
      method,
      path,
      body: `{"input":{${PROTO_MEMBERS}},${PROTO_MEMBERS}}`,
      contentType: "application/json",
    });
  } else {
    probes.push({ label: "proto input", method, path: `${path}?${protoQuery("input")}` });
    probes.push({ label: "1 MiB input", method, path: `${path}?input=${MIB}` });
  }
  const properties = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = Array.isArray(schema?.required) ? schema.required as string[] : [];
  for (const [prop, sub] of Object.entries(properties)) {
    const base = Object.fromEntries(
      required.filter((r) => r !== prop).map((r) => [r, absentValue(properties[r])]),
    );
    if (prop === Object.keys(properties)[0]) {
      probes.push(withInput(`1 MiB ${prop}`, { ...base, [prop]: MIB }));
      probes.push(withInput(`1 MiB ${prop}[]`, { ...base, [prop]: [MIB] }));
    }
    // Over the name/URL/key limits, where the schema's limit is below it (else the value is valid).
    const max = typeof sub.maxLength === "number" ? sub.maxLength : Infinity;
    if (max < OVER_LIMITS.length) {
      probes.push(withInput(`over-limit ${prop}`, { ...base, [prop]: OVER_LIMITS }));
    }
  }
  return probes;
}

Deno.test("hostile input: no 5xx, no stack trace, nothing stored, no prototype touched", async () => {
  const t = await testApp({ child: { timeoutMs: 1000, resolveHostnames: false } });
  // No child site is ever contacted, whatever a request asks for: every address is refused, and should
  // anything still try the network, it fails at once and is reported.
  t.ctx.hooks.addFilter(ALLOW_SITE_ADDRESS_FILTER, () => false);
  const outbound: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL) => {
    outbound.push(String(input instanceof Request ? input.url : input));
    return Promise.reject(new TypeError("network disabled in this test"));
  };
  try {
    const token = await t.key("read_write");
    const admin = await abilityClient(t);
    await seed(t, token);

    const discovery = await t.call("GET", "/wp-json/", { token });
    assertEquals(discovery.status, 200);
    const routes = Object.entries(discovery.body.routes as Record<string, DiscoveredRoute>)
      .map(([pattern, route]) => ({ ...route, pattern }));
    assert(routes.length > 50, "the discovery document lists the routes");

    const probes: Probe[] = [];
    for (const route of routes) {
      for (const endpoint of route.endpoints) {
        endpoint.methods.forEach((method, i) => {
          probes.push(...routeProbes(route, method, Object.keys(endpoint.args ?? {}), i === 0));
        });
      }
    }
    const names: string[] = [];
    for (let page = 1; page <= 10; page++) {
      const list = await t.call("GET", `/wp-json/wp-abilities/v1/abilities?per_page=100&page=${page}`, {
        headers: admin.headers,
      });
      assertEquals(list.status, 200);
      for (const ability of list.body) {
        names.push(ability.name);
        const method = expectedMethod(t.ctx.abilities.get(ability.name)?.annotations);
        const schema = Array.isArray(ability.input_schema) ? null : ability.input_schema;
        probes.push(...abilityProbes(ability.name, method, schema));
      }
      if (page >= Number(list.headers.get("X-WP-TotalPages") ?? 1)) break;
    }
    assert(names.length >= 60, `the abilities are listed (${names.length})`);

    const before = await dumpStore(t.ctx.kv);
    const failures: string[] = [];
    for (const probe of probes) {
      const isAbility = probe.path.startsWith("/wp-json/wp-abilities/");
      const headers: Record<string, string> = isAbility ? { ...admin.headers } : {};
      if (probe.contentType) headers["Content-Type"] = probe.contentType;
      const res = await withDeadline(
        t.call(probe.method, probe.path, { token: isAbility ? undefined : token, headers, body: probe.body }),
        30_000,
        `${probe.method} ${probe.path.slice(0, 120)}`,
      );
      const where = `${probe.method} ${probe.path.slice(0, 100)} (${probe.label})`;
      if (res.status >= 500) failures.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
      else if (STACK.test(res.text)) failures.push(`${where}: stack trace in ${res.text.slice(0, 300)}`);
    }
    const changes = storeChanges(before, await dumpStore(t.ctx.kv));
    assertEquals(failures, [], `${failures.length} of ${probes.length} hostile requests failed`);
    assertEquals(changes, [], "hostile requests changed the store");
    assert(!Object.hasOwn(Object.prototype, "polluted"), "Object.prototype was polluted");
    assertEquals(typeof ({}).toString, "function");
  } finally {
    globalThis.fetch = realFetch;
    await t.close();
  }
  assertEquals(outbound, [], "hostile requests made outbound requests");
});
