import { assertEquals } from "@std/assert";
import { testApp } from "./helpers.ts";

Deno.test("GET /wp-json/ answers the discovery document", async () => {
  const t = await testApp();
  const res = await t.call("GET", "/wp-json/");
  assertEquals(res.status, 200);
  assertEquals(res.body.name, "Fleetpress");
  await t.close();
});

Deno.test("method override: lower case (patch) is upper-cased, a value that is no method matches no route", async () => {
  const t = await testApp();
  try {
    const token = await t.key("read_write");
    await t.call("POST", "/wp-json/mainwp/v2/tags/add", { token, json: { name: "VIP" } });
    const edited = await t.call("POST", "/wp-json/mainwp/v2/tags/1/edit?_method=patch", {
      token,
      json: { name: "Gold" },
    });
    assertEquals([edited.status, edited.body.data?.name], [200, "Gold"]);
    for (
      const [path, headers] of [
        ["/wp-json/mainwp/v2/tags/1/edit?_method=a%20b", {}],
        ["/wp-json/mainwp/v2/tags/1/edit", { "X-HTTP-Method-Override": "a b" }],
      ] as const
    ) {
      const res = await t.call("POST", path, { token, headers });
      assertEquals([res.status, res.body.code], [404, "rest_no_route"], JSON.stringify(headers));
    }
  } finally {
    await t.close();
  }
});

Deno.test("the app context is whole: the job engine shares the app's store and hooks and runs its operations", async () => {
  const t = await testApp();
  try {
    const { jobs, kv, hooks } = t.ctx;
    assertEquals([jobs.deps.kv === kv, jobs.deps.hooks === hooks], [true, true]);
    // A site that does not exist fails the way the app's job operations report it.
    const job = await jobs.queue({ type: "suspend", sites: [] });
    assertEquals(await jobs.deps.runSite(job, 404), { code: "site_not_found", message: "Site not found." });
  } finally {
    await t.close();
  }
});
