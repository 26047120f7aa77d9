/**
 * @module
 * Shared test fixtures: a started simulator that is always closed, a key pair generated once per test
 * module (RSA generation is the slow part of `register`), and a registered site.
 *
 * @example
 * ```ts
 * await withSimulator({ count: 2 }, async (sim) => {
 *   const site = await registerSite(connector, sim, 1);
 * });
 * ```
 */
import { HookRegistry } from "../../hooks/registry.ts";
import {
  ChildConnector,
  type ChildConnectorOptions,
  type ChildSite,
  generateSiteKeys,
  type SiteKeyPair,
} from "../../child/index.ts";
import { type ChildSimulator, type ChildSimulatorOptions, startChildSimulator } from "../../sim/server.ts";

let sharedKeys: Promise<SiteKeyPair> | undefined;

/** One key pair per test module. */
export function testKeys(): Promise<SiteKeyPair> {
  sharedKeys ??= generateSiteKeys();
  return sharedKeys;
}

/** Runs `fn` with a started simulator and closes it afterwards. */
export async function withSimulator<T>(
  options: ChildSimulatorOptions,
  fn: (sim: ChildSimulator) => Promise<T>,
): Promise<T> {
  const sim = await startChildSimulator(options);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

/** A connector with its hook registry; short default timeout for tests. */
export function makeConnector(
  options: ChildConnectorOptions = {},
): { hooks: HookRegistry; connector: ChildConnector } {
  const hooks = new HookRegistry();
  return { hooks, connector: new ChildConnector(hooks, { timeoutMs: 3000, maxPerHost: 8, ...options }) };
}

/** Registers simulated site `i` (admin / admin-password) and returns it as a {@link ChildSite}. */
export async function registerSite(
  connector: ChildConnector,
  sim: ChildSimulator,
  i: number,
): Promise<ChildSite> {
  const keys = await testKeys();
  await connector.register(sim.url(i), { adminUser: "admin", adminPassword: "admin-password", keys });
  return { url: sim.url(i), adminName: "admin", privateKeyPem: keys.privateKeyPem };
}

/** A loopback port nothing listens on. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Awaits a promise that must reject with an Error subclass `type`; returns the error. */
export async function rejectsWith<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a rejection with ${type.name}`);
}
