import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createSite, writeSiteSync } from "../../store/sites.ts";
import { fleetIndexStats } from "../../core/sites/fleet.ts";

const LIST = "/wp-json/mainwp/v2/sites?page=1&per_page=20";

Deno.test("GET /sites shows a write made by another process right after it, without reloading every row", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fleetpress-xproc-" });
  const kvPath = `${dir}/fleet.kv`;
  const t = await testApp({ kvPath });
  try {
    const kv = t.ctx.kv;
    for (const name of ["A", "B", "C"]) {
      await createSite(kv, { url: `https://${name.toLowerCase()}.example`, name });
    }
    await writeSiteSync(kv, 2, { dbsize: 1 });
    const token = await t.key("read");
    const before = await t.call("GET", LIST, { token });
    assertEquals(before.body.data.map((s: { name: string }) => s.name), ["A", "B", "C"]);
    assertEquals(fleetIndexStats(kv).fullLoads, 1);

    const writer = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./_fleet_writer.ts", import.meta.url).pathname, kvPath],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    assertEquals(writer.code, 0, new TextDecoder().decode(writer.stderr));
    const { created } = JSON.parse(new TextDecoder().decode(writer.stdout));

    const after = await t.call("GET", LIST, { token });
    assertEquals(after.status, 200);
    assertEquals(
      after.body.data.map((s: { id: string; name: string }) => [s.id, s.name]),
      [["1", "Renamed elsewhere"], ["2", "B"], [String(created), "Delta"]],
    );
    const b = after.body.data[1];
    assertEquals(b.database_size, "7");
    assertEquals(b.plugin_upgrades, '{"a/a.php":{"Name":"A","new_version":"2.0"}}');
    const updates = await t.call("GET", "/wp-json/mainwp/v2/sites?status=available_update", { token });
    assertEquals(updates.body.data.map((s: { id: string }) => s.id), ["2"]);
    assertEquals((await t.call("GET", "/wp-json/mainwp/v2/sites/count", { token })).body, { count: 3 });
    // Applied from the changed buckets, not by listing every row again.
    assertEquals(fleetIndexStats(kv).fullLoads, 1);

    // The same bytes as a process starting cold on that store.
    const cold = await testApp({ kvPath });
    try {
      const fresh = await cold.call("GET", LIST, { token });
      assertEquals(fresh.text, after.text);
    } finally {
      await cold.close();
    }
  } finally {
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});
