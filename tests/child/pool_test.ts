import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { type HttpRequest, sendHttp } from "../../child/http.ts";
import { ConnectionPool } from "../../child/pool.ts";
import { makeConnector, registerSite, withSimulator } from "./_fixtures.ts";

/** A loopback server answering with the client's source port (so the same port = the same connection). */
async function withPortEcho(fn: (port: number) => Promise<void>, delayMs = 0): Promise<void> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (_req, info) => {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return new Response(String(info.remoteAddr.port));
  });
  try {
    await fn(server.addr.port);
  } finally {
    await server.shutdown();
  }
}

function request(port: number, pool: ConnectionPool, host = "127.0.0.1"): HttpRequest {
  return {
    url: new URL(`http://${host}:${port}/`),
    addresses: ["127.0.0.1"],
    method: "GET",
    headers: new Headers(),
    timeoutMs: 5000,
    maxBodyBytes: 1024,
    followRedirects: false,
    maxRedirects: 0,
    readBody: true,
    guard: () => Promise.resolve(["127.0.0.1"]),
    pool,
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("pool: a second request to the same checked addresses reuses the connection", async () => {
  await withPortEcho(async (port) => {
    const pool = new ConnectionPool();
    try {
      const first = await sendHttp(request(port, pool));
      const second = await sendHttp(request(port, pool));
      assertEquals(second.body, first.body);
    } finally {
      pool.close();
    }
  });
});

Deno.test("pool: another host name, address set or TLS setting never shares an agent", () => {
  const pool = new ConnectionPool();
  try {
    const url = new URL("https://child.example/");
    const base = pool.agentFor(url, ["93.184.216.34"], {});
    assert(base);
    assertEquals(pool.agentFor(new URL("https://child.example/other"), ["93.184.216.34"], {}), base);
    assertNotEquals(pool.agentFor(url, ["93.184.216.35"], {}), base);
    assertNotEquals(pool.agentFor(url, ["93.184.216.34", "93.184.216.35"], {}), base);
    assertNotEquals(pool.agentFor(new URL("https://other.example/"), ["93.184.216.34"], {}), base);
    assertNotEquals(pool.agentFor(new URL("https://child.example:8443/"), ["93.184.216.34"], {}), base);
    assertNotEquals(pool.agentFor(new URL("http://child.example/"), ["93.184.216.34"], {}), base);
    assertNotEquals(pool.agentFor(url, ["93.184.216.34"], { rejectUnauthorized: false }), base);
    assertNotEquals(pool.agentFor(url, ["93.184.216.34"], { caCerts: ["PEM"] }), base);
    assertEquals(pool.agentFor(url, null, {}), undefined, "unchecked addresses are never pooled");
  } finally {
    pool.close();
  }
  assertEquals(pool.agentFor(new URL("https://child.example/"), ["93.184.216.34"], {}), undefined);
});

Deno.test("pool: idle connections close by themselves after the idle time", async () => {
  await withPortEcho(async (port) => {
    const pool = new ConnectionPool({ idleMs: 50 });
    const first = await sendHttp(request(port, pool));
    await wait(600);
    const second = await sendHttp(request(port, pool));
    assertNotEquals(second.body, first.body, "the idle connection was closed, a new one opened");
    await wait(600); // no close(): the test's resource sanitizer fails if the idle socket stayed open
  });
});

Deno.test("pool: a reply slower than the idle time still arrives", async () => {
  await withPortEcho(async (port) => {
    const pool = new ConnectionPool({ idleMs: 50 });
    try {
      const res = await sendHttp(request(port, pool));
      assertEquals(res.status, 200);
    } finally {
      pool.close();
    }
  }, 300);
});

Deno.test("connector with reuseConnections: calls succeed over kept connections, close() ends them", async () => {
  await withSimulator({ count: 2 }, async (sim) => {
    const { connector } = makeConnector({ reuseConnections: true, allowPrivateAddresses: true });
    try {
      const site = await registerSite(connector, sim, 1);
      for (let i = 0; i < 3; i++) {
        assertEquals((await connector.call(site, "stats")).version !== undefined, true);
      }
      const other = await registerSite(connector, sim, 2);
      assertEquals(
        Array.isArray(await connector.callValue(other, "get_all_posts", { status: "publish" })),
        true,
      );
    } finally {
      connector.close();
    }
  });
});
