/** The benchmark's server process: a death is seen (status, last RSS sample) and ends a load promptly. */
import { assert, assertEquals, assertGreater } from "@std/assert";
import { runLoad } from "../../bench/load.ts";
import { startServerProcess } from "../../bench/server.ts";

Deno.test("a killed benchmark server is reported, with its last RSS, and stops the load", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-bench-test-" });
  try {
    await using server = await startServerProcess({ KV_PATH: `${dir}/t.kv` });
    assertEquals(server.exitStatus, null);
    const died = new AbortController();
    server.exited.then(() => died.abort());
    // A live reading is also kept as a sample (the sampler runs every 200 ms besides); bounded wait.
    for (let i = 0; i < 50 && !Number.isFinite(await server.peakRssMb()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const load = runLoad({
      url: `${server.base}/`,
      connections: 2,
      durationMs: 60_000,
      signal: died.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.kill("SIGKILL");
    await load; // ends with the server, not after 60 s
    assert(died.signal.aborted);
    assertEquals((await server.exited).signal, "SIGKILL");
    assertGreater(await server.peakRssMb(), 10);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
