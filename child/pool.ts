/**
 * @module
 * Kept-alive connections to child sites, reused only where reuse cannot change what is contacted: one
 * `node:http(s)` Agent per (protocol, host name, port, the exact address set the guard checked, TLS
 * settings). A socket opened for one checked address set therefore never serves another (DNS
 * rebinding stays closed), and a socket verified under one TLS setting never serves another. Idle sockets
 * are closed after `idleMs` (default 1 s, below common servers' keep-alive limits, so a reused socket is
 * rarely one the server is closing); {@link ConnectionPool.close} destroys them all at once (app shutdown).
 *
 * @example
 * ```ts
 * const pool = new ConnectionPool();
 * const agent = pool.agentFor(new URL("http://127.0.0.1:8080/"), ["127.0.0.1"], undefined);
 * pool.close();
 * ```
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { ChildTlsOptions } from "./http.ts";

/** Distinct agents kept at once (oldest closed first beyond this). */
const MAX_AGENTS = 4096;
/** Idle sockets kept per agent. */
const MAX_FREE_SOCKETS = 128;

/** A set of keep-alive agents keyed by everything that decides where and how a socket connects. */
export class ConnectionPool {
  readonly #agents = new Map<string, HttpAgent>();
  readonly #idleMs: number;
  #closed = false;

  /** `idleMs`: how long an idle socket is kept (default 1000 ms). */
  constructor(options: { idleMs?: number } = {}) {
    this.#idleMs = options.idleMs ?? 1000;
  }

  /**
   * The agent for a hop, or `undefined` (no pooling) when the addresses were not checked (`null`) or
   * the pool is closed.
   */
  agentFor(url: URL, addresses: string[] | null, tls: ChildTlsOptions | undefined): HttpAgent | undefined {
    if (addresses === null || addresses.length === 0 || this.#closed) return undefined;
    const secure = url.protocol === "https:";
    const key = JSON.stringify([
      url.protocol,
      url.hostname,
      url.port,
      addresses,
      secure ? [tls?.rejectUnauthorized ?? true, tls?.caCerts ?? []] : null,
    ]);
    const found = this.#agents.get(key);
    if (found) {
      // Most recently used last, so that eviction drops the longest unused.
      this.#agents.delete(key);
      this.#agents.set(key, found);
      return found;
    }
    const options = { keepAlive: true, maxFreeSockets: MAX_FREE_SOCKETS, timeout: this.#idleMs };
    const agent = secure ? new HttpsAgent(options) : new HttpAgent(options);
    if (this.#agents.size >= MAX_AGENTS) {
      const [oldKey, old] = this.#agents.entries().next().value!;
      this.#agents.delete(oldKey);
      old.destroy();
    }
    this.#agents.set(key, agent);
    return agent;
  }

  /** Destroys every socket and refuses to pool from now on. */
  close(): void {
    this.#closed = true;
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}
