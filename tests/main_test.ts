/**
 * End to end: the real server process on a KV file, the CLI creating and revoking a key while it runs,
 * and a configuration error at start.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { readServerPort } from "./helpers.ts";

const ROOT = new URL("../", import.meta.url).pathname;

function deno(args: string[], env: Record<string, string>): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args,
    env,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  });
}

async function cli(args: string[], kvPath: string): Promise<{ code: number; stdout: string }> {
  const out = await deno(["run", "-A", "cli/main.ts", ...args], { KV_PATH: kvPath }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("invalid configuration stops the server with one clear line", async () => {
  const out = await deno(["run", "-A", "main.ts"], { PORT: "not-a-port", KV_PATH: ":memory:" }).output();
  assertEquals(out.code, 1);
  const stderr = new TextDecoder().decode(out.stderr).trim();
  assertEquals(stderr.split("\n").length, 1);
  assertMatch(stderr, /^Invalid configuration: PORT="not-a-port"/);
});

Deno.test("server and CLI share one KV file: a key created while the server runs works, revoked stops", async () => {
  const dir = await Deno.makeTempDir();
  const kvPath = `${dir}/fp.kv`;
  const server = deno(["run", "-A", "main.ts"], { PORT: "0", KV_PATH: kvPath }).spawn();
  try {
    const port = await readServerPort(server.stdout);
    const base = `http://127.0.0.1:${port}/wp-json`;
    const created = await cli(["key", "create", "--permissions", "read", "--description", "e2e"], kvPath);
    assertEquals(created.code, 0);
    const token = created.stdout.trim().split("\n").at(-1)!;
    assertMatch(token, /^[0-9a-f]{40}==[0-9a-f]{40}$/);
    const listed = await cli(["key", "list"], kvPath);
    assertMatch(listed.stdout, /1\tread\tyes\tnone\t…[0-9a-f]{7}\tnever\te2e/);
    const index = await fetch(`${base}/`);
    assertEquals(index.status, 200);
    assertEquals((await index.json()).name, "Fleetpress");
    const ok = await fetch(`${base}/mainwp/v2/tags`, { headers: { Authorization: `Bearer ${token}` } });
    await ok.body?.cancel();
    assert(ok.status === 200 || ok.status === 404, `status ${ok.status}`);
    assertEquals((await cli(["key", "revoke", "1"], kvPath)).code, 0);
    const revoked = await fetch(`${base}/mainwp/v2/tags`, { headers: { Authorization: `Bearer ${token}` } });
    assertEquals((await revoked.json()).code, "mainwp_rest_authentication_disabled_key");
  } finally {
    server.kill("SIGTERM");
    await server.status;
    await server.stderr.cancel();
    await server.stdout.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
