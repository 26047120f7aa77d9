import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createAppPassword, createUser } from "../../store/users.ts";
import { createSite, updateSite } from "../../store/sites.ts";

Deno.test("list-sites-v1: paging, status, search, client and tag filters; bad input", async () => {
  const t = await testApp();
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, admin.id, "t");
  const headers = { Authorization: `Basic ${btoa(`admin:${password}`)}` };
  for (const host of ["c.example", "a.example", "b.example"]) {
    await createSite(t.ctx.kv, { url: `https://${host}`, name: host });
  }
  await updateSite(t.ctx.kv, 3, (s) => ({ ...s, suspended: 1, tag_ids: [] }));
  const run = "/wp-json/wp-abilities/v1/abilities/mainwp/list-sites-v1/run";
  const all = await t.call("GET", run, { headers });
  assertEquals(all.body.total, 3);
  assertEquals(all.body.items.map((s: { url: string }) => s.url), [
    "https://a.example/",
    "https://b.example/",
    "https://c.example/",
  ]);
  assertEquals(all.body.items[0], {
    id: 2,
    url: "https://a.example/",
    name: "a.example",
    status: "connected",
    client_id: null,
  });
  const paged = await t.call("GET", `${run}?input[page]=2&input[per_page]=2`, { headers });
  assertEquals([paged.body.items.length, paged.body.page, paged.body.per_page, paged.body.total], [
    1,
    2,
    2,
    3,
  ]);
  const connected = await t.call("GET", `${run}?input[status]=connected`, { headers });
  assertEquals(connected.body.total, 2);
  assertEquals((await t.call("GET", `${run}?input[search]=b.ex`, { headers })).body.items[0].id, 3);
  const bad = await t.call("GET", `${run}?input[per_page]=500`, { headers });
  assertEquals(
    bad.body.message,
    'Ability "mainwp/list-sites-v1" has invalid input. Reason: input[per_page] must be between 1 (inclusive) and 100 (inclusive)',
  );
  assertEquals((await t.call("GET", `${run}?input[status]=maybe`, { headers })).status, 400);
  assertEquals((await t.call("GET", run)).status, 401);
  await t.close();
});
