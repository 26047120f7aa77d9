import { assertEquals } from "@std/assert";
import { testApp } from "./helpers.ts";

Deno.test("GET /wp-json/ answers the discovery document", async () => {
  const t = await testApp();
  const res = await t.call("GET", "/wp-json/");
  assertEquals(res.status, 200);
  assertEquals(res.body.name, "Fleetpress");
  await t.close();
});
