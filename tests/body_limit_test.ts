/**
 * The 10 MiB body limit (app.ts, rest/body.ts): a declared Content-Length over it and a streamed body
 * that grows past it both answer 413 with nothing changed; the real server enforces it without copying
 * the request, so Deno.serve never prints its legacy request.signal notice.
 */
import { assert, assertEquals } from "@std/assert";
import { readServerPort } from "./helpers.ts";
import { createApp } from "../app.ts";
import { loadConfig } from "../lib/config.ts";
import { MAX_BODY_BYTES } from "../rest/body.ts";
import { createApiKey } from "../store/api-keys.ts";

const TOO_LARGE = {
  code: "rest_request_entity_too_large",
  message: "The request body is too large.",
  data: { status: 413 },
};

/** A body streamed in 64 KiB chunks (no Content-Length): `{"name":"<padding>"}` of `size` bytes. */
function streamedJson(size: number): ReadableStream<Uint8Array> {
  const text = `{"name":"${"x".repeat(size - 11)}"}`;
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 65536));
      offset += 65536;
    },
  });
}

Deno.test("body limit: declared or streamed bodies over 10 MiB → 413, nothing stored; smaller ones pass", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const config = loadConfig({ KV_PATH: ":memory:", PUBLIC_URL: "https://dashboard.test" });
    const { app } = await createApp({ config, kv });
    const { token } = await createApiKey(kv, { permissions: "read_write" });
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      app.request("http://dashboard.test/wp-json/mainwp/v2/tags/add", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
        body,
      }, { remoteAddr: { hostname: "127.0.0.1" } });

    const declared = await post('{"name":"A"}', { "Content-Length": String(MAX_BODY_BYTES + 1) });
    assertEquals([declared.status, await declared.json()], [413, TOO_LARGE]);
    const streamed = await post(streamedJson(MAX_BODY_BYTES + 1));
    assertEquals([streamed.status, await streamed.json()], [413, TOO_LARGE]);
    const overridden = await post(streamedJson(MAX_BODY_BYTES + 1), { "X-HTTP-Method-Override": "PUT" });
    assertEquals([overridden.status, await overridden.json()], [413, TOO_LARGE], "after a method override");
    const tags = await app.request("http://dashboard.test/wp-json/mainwp/v2/tags", {
      headers: { Authorization: `Bearer ${token}` },
    }, { remoteAddr: { hostname: "127.0.0.1" } });
    assertEquals((await tags.json()).total, 0, "nothing was created");

    const small = await post(streamedJson(64));
    assertEquals([small.status, (await small.json()).success], [200, 1], "a streamed body under the limit");
  } finally {
    kv.close();
  }
});

Deno.test("the real server reads bodies and overrides methods without Deno.serve's legacy-abort notice", async () => {
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    env: { PORT: "0", KV_PATH: ":memory:", HOSTNAME: "127.0.0.1" },
    cwd: new URL("../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const stderr = new Response(server.stderr).text();
  try {
    const port = await readServerPort(server.stdout);
    const url = `http://127.0.0.1:${port}/wp-json/mainwp/v2/sites/sync`;
    const json = { "Content-Type": "application/json" };
    // Chunked bodies (a stream has no Content-Length), with and without a method override.
    for (const headers of [json, { ...json, "X-HTTP-Method-Override": "PUT" }]) {
      const res = await fetch(url, { method: "POST", headers, body: streamedJson(64) });
      assertEquals([res.status, (await res.json()).code], [401, "mainwp_rest_authentication_error"]);
    }
    const big = await fetch(url, { method: "POST", headers: json, body: streamedJson(MAX_BODY_BYTES + 1) })
      .then(async (res) => [res.status, (await res.json()).code])
      .catch(() => null); // the server may close the connection while the client still sends
    if (big) assertEquals(big, [413, "rest_request_entity_too_large"]);
  } finally {
    server.kill("SIGTERM");
    await server.status;
    await server.stdout.cancel().catch(() => {});
  }
  const log = await stderr;
  assert(!log.includes("request.signal"), `unexpected notice on stderr: ${log}`);
});
