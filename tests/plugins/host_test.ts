import { assertEquals, assertRejects } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createSite } from "../../store/sites.ts";
import { resolvePluginSpecifier } from "../../plugins/host.ts";

Deno.test("PLUGINS loads the example plugin by specifier; its filter changes site answers over HTTP", async () => {
  const plain = await testApp();
  const withPlugin = await testApp({ env: { PLUGINS: "./plugins/redact-ip.ts" } });
  for (const t of [plain, withPlugin]) {
    await createSite(t.ctx.kv, { url: "https://shop.example/", name: "Shop", ip: "203.0.113.7" });
  }
  const tokenA = await plain.key("read");
  const tokenB = await withPlugin.key("read");
  const before = await plain.call("GET", "/wp-json/mainwp/v2/sites/1", { token: tokenA });
  assertEquals(before.body.data.ip, "203.0.113.7");
  const after = await withPlugin.call("GET", "/wp-json/mainwp/v2/sites/1", { token: tokenB });
  assertEquals(after.body.data.ip, "");
  const list = await withPlugin.call("GET", "/wp-json/mainwp/v2/sites", { token: tokenB });
  assertEquals(list.body.data[0].ip, "");
  // The plugin's own route, in its own namespace, listed by discovery.
  assertEquals((await withPlugin.call("GET", "/wp-json/fleetpress-redact-ip/v1/status")).body, {
    plugin: "redact-ip",
    active: true,
  });
  const index = await withPlugin.call("GET", "/wp-json/");
  assertEquals(index.body.namespaces.includes("fleetpress-redact-ip/v1"), true);
  await plain.close();
  await withPlugin.close();
});

Deno.test("plugin specifiers: relative paths resolve against the working directory; a module without register fails", async () => {
  assertEquals(resolvePluginSpecifier("./plugins/x.ts", "/srv/app"), "file:///srv/app/plugins/x.ts");
  assertEquals(resolvePluginSpecifier("npm:some-plugin"), "npm:some-plugin");
  await assertRejects(() => testApp({ env: { PLUGINS: "./lib/objects.ts" } }));
});
