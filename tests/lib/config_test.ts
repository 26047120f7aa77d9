import { assertEquals, assertThrows } from "@std/assert";
import { ConfigError, isRemoteKv, loadConfig } from "../../lib/config.ts";

Deno.test("defaults", () => {
  assertEquals(loadConfig({}), {
    port: 8080,
    hostname: "127.0.0.1",
    kvPath: "./data/fleetpress.kv",
    publicUrl: "http://127.0.0.1:8080",
    trustProxy: false,
    plugins: [],
    jobsMode: "queue",
    jobWorkers: 1,
    jobLeaseSeconds: 120,
    viewCacheBytes: 64 * 1024 * 1024,
  });
});

Deno.test("VIEW_CACHE_MB: the listings' view cache budget in MB, 1 to 4096", () => {
  assertEquals(loadConfig({ VIEW_CACHE_MB: "8" }).viewCacheBytes, 8 * 1024 * 1024);
  for (const bad of ["0", "lots"]) {
    const error = assertThrows(() => loadConfig({ VIEW_CACHE_MB: bad }));
    assertEquals(error instanceof ConfigError && error.message.includes("VIEW_CACHE_MB"), true);
  }
});

Deno.test("values are parsed; PUBLIC_URL loses its trailing slash; PLUGINS is a comma list", () => {
  const c = loadConfig({
    PORT: "9000",
    HOSTNAME: "0.0.0.0",
    KV_PATH: ":memory:",
    PUBLIC_URL: "https://dash.example/",
    TRUST_PROXY: "true",
    PLUGINS: "./plugins/a.ts, npm:b",
  });
  assertEquals([c.port, c.hostname, c.kvPath, c.publicUrl, c.trustProxy, c.plugins], [
    9000,
    "0.0.0.0",
    ":memory:",
    "https://dash.example",
    true,
    ["./plugins/a.ts", "npm:b"],
  ]);
  assertEquals(isRemoteKv("https://kv.example/db"), true);
  assertEquals(isRemoteKv("./data/x.kv"), false);
});

Deno.test("invalid values fail with one line naming the variable", () => {
  for (
    const env of [{ PORT: "http" }, { PORT: "70000" }, { PUBLIC_URL: "ftp://x" }, { TRUST_PROXY: "maybe" }]
  ) {
    const error = assertThrows(() => loadConfig(env)) as ConfigError;
    assertEquals(error instanceof ConfigError, true);
    assertEquals(error.message.includes("\n"), false);
    assertEquals(error.message.startsWith(`Invalid configuration: ${Object.keys(env)[0]}=`), true);
  }
});
