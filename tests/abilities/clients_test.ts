import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createAppPassword, createUser } from "../../store/users.ts";
import { createSite } from "../../store/sites.ts";

Deno.test("client abilities: list, count, get by id or e-mail, sites and their count; 404s", async () => {
  const t = await testApp();
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, admin.id, "t");
  const headers = { Authorization: `Basic ${btoa(`admin:${password}`)}` };
  const token = await t.key("read_write");
  for (const name of ["Zeta", "Acme"]) {
    await t.call("POST", "/wp-json/mainwp/v2/clients/add", {
      token,
      json: { name, client_email: `${name.toLowerCase()}@x.test` },
    });
  }
  await createSite(t.ctx.kv, { url: "https://s.example", client_id: 2 });
  const run = (name: string) => `/wp-json/wp-abilities/v1/abilities/mainwp/${name}/run`;
  const list = await t.call("GET", run("list-clients-v1"), { headers });
  assertEquals(list.body.items.map((c: { name: string }) => c.name), ["Acme", "Zeta"]);
  assertEquals([list.body.total, list.body.page, list.body.per_page], [2, 1, 20]);
  assertEquals(list.body.items[0].email, "acme@x.test");
  assertEquals((await t.call("GET", run("count-clients-v1"), { headers })).body, { total: 2 });
  assertEquals(
    (await t.call("GET", `${run("get-client-v1")}?input[client_id_or_email]=acme@x.test`, { headers })).body
      .id,
    2,
  );
  const missing = await t.call("GET", `${run("get-client-v1")}?input[client_id_or_email]=9`, { headers });
  assertEquals([missing.status, missing.body.message], [404, "No client found with ID 9."]);
  const byMail = await t.call("GET", `${run("get-client-v1")}?input[client_id_or_email]=no@x.test`, {
    headers,
  });
  assertEquals(byMail.body.message, 'No client found with email "no@x.test".');
  const sites = await t.call("GET", `${run("get-client-sites-v1")}?input[client_id_or_email]=2`, { headers });
  assertEquals(sites.body, {
    items: [{ id: 1, url: "https://s.example/", name: "s.example", status: "connected", client_id: 2 }],
    total: 1,
  });
  assertEquals(
    (await t.call("GET", `${run("count-client-sites-v1")}?input[client_id_or_email]=2`, { headers })).body,
    { total: 1 },
  );
  assertEquals((await t.call("GET", run("get-client-v1"), { headers })).status, 400);
  await t.close();
});
