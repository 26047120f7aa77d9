import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createAppPassword, createUser } from "../../store/users.ts";
import { createSite } from "../../store/sites.ts";

const RUN = (name: string) => `/wp-json/wp-abilities/v1/abilities/mainwp/${name}/run`;

Deno.test("tag abilities: add, list, get, update, sites, clients, delete with dry_run/confirm; errors", async () => {
  const t = await testApp();
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, admin.id, "t");
  const headers = { Authorization: `Basic ${btoa(`admin:${password}`)}` };
  const editor = (await createUser(t.ctx.kv, { login: "ed", role: "editor" }))!;
  const edPass = (await createAppPassword(t.ctx.kv, editor.id, "t")).password;

  const added = await t.call("POST", RUN("add-tag-v1"), {
    headers,
    json: { input: { name: "VIP", color: "#ff0000" } },
  });
  assertEquals(added.body, { id: 1, name: "VIP", color: "#ff0000", sites_count: 0, sites_ids: [] });
  const dup = await t.call("POST", RUN("add-tag-v1"), { headers, json: { input: { name: "vip" } } });
  assertEquals([dup.status, dup.body.code, dup.body.message], [
    400,
    "mainwp_already_exists",
    'A tag with name "vip" already exists.',
  ]);
  const badColor = await t.call("POST", RUN("add-tag-v1"), {
    headers,
    json: { input: { name: "X", color: "red" } },
  });
  assertEquals(badColor.body.code, "ability_invalid_input");

  await createSite(t.ctx.kv, { url: "https://a.example", tag_ids: [1] });
  const list = await t.call("GET", `${RUN("list-tags-v1")}?input[per_page]=10`, { headers });
  assertEquals(list.body, {
    items: [{ id: 1, name: "VIP", color: "#ff0000", sites_count: 1, sites_ids: [1] }],
    page: 1,
    per_page: 10,
    total: 1,
  });
  assertEquals((await t.call("GET", `${RUN("get-tag-v1")}?input[tag_id]=1`, { headers })).body.sites_ids, [
    1,
  ]);
  const missing = await t.call("GET", `${RUN("get-tag-v1")}?input[tag_id]=9`, { headers });
  assertEquals([missing.status, missing.body.message], [404, "No tag found with ID 9."]);
  const updated = await t.call("POST", RUN("update-tag-v1"), {
    headers,
    json: { input: { tag_id: 1, name: "Gold" } },
  });
  assertEquals(updated.body.name, "Gold");
  const sites = await t.call("GET", `${RUN("get-tag-sites-v1")}?input[tag_id]=1`, { headers });
  assertEquals(sites.body.items, [{
    id: 1,
    url: "https://a.example/",
    name: "a.example",
    status: "connected",
    client_id: null,
  }]);
  assertEquals(
    (await t.call("GET", `${RUN("get-tag-clients-v1")}?input[tag_id]=1`, { headers })).body.total,
    0,
  );

  const forbidden = await t.call("GET", `${RUN("get-tag-v1")}?input[tag_id]=1`, {
    headers: { Authorization: `Basic ${btoa(`ed:${edPass}`)}` },
  });
  assertEquals([forbidden.status, forbidden.body.message], [
    403,
    "You do not have permission to perform this action.",
  ]);

  const del = RUN("delete-tag-v1");
  assertEquals(
    (await t.call("POST", del, { headers, json: { input: { tag_id: 1, confirm: true } } })).status,
    405,
  );
  const both = await t.call("DELETE", `${del}?input[tag_id]=1&input[dry_run]=1&input[confirm]=1`, {
    headers,
  });
  assertEquals(both.body.message, "Cannot specify both dry_run and confirm.");
  const dry = await t.call("DELETE", `${del}?input[tag_id]=1&input[dry_run]=true`, { headers });
  assertEquals(dry.body, {
    dry_run: true,
    would_affect: { id: 1, name: "Gold", sites_count: 1, clients_count: 0 },
    warnings: [],
  });
  const noConfirm = await t.call("DELETE", `${del}?input[tag_id]=1&input[confirm]=false`, { headers });
  assertEquals(noConfirm.body.code, "mainwp_confirmation_required");
  assertEquals((await t.call("GET", `${RUN("get-tag-v1")}?input[tag_id]=1`, { headers })).status, 200);
  const gone = await t.call("DELETE", `${del}?input[tag_id]=1&input[confirm]=true`, { headers });
  assertEquals(gone.body, { deleted: true, tag: { id: 1, name: "Gold" } });
  assertEquals((await t.call("GET", `${RUN("get-tag-v1")}?input[tag_id]=1`, { headers })).status, 404);
  await t.close();
});

Deno.test("add-tag-v1: racing adds of one name create one tag; the rest answer 400 mainwp_already_exists", async () => {
  const t = await testApp();
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { password } = await createAppPassword(t.ctx.kv, admin.id, "t");
  const headers = { Authorization: `Basic ${btoa(`admin:${password}`)}` };
  const answers = await Promise.all(
    Array.from(
      { length: 6 },
      (_, i) =>
        t.call("POST", RUN("add-tag-v1"), { headers, json: { input: { name: i % 2 ? "Gold" : "gold" } } }),
    ),
  );
  assertEquals(answers.filter((a) => a.status === 200).length, 1);
  assertEquals(answers.filter((a) => a.status === 400 && a.body.code === "mainwp_already_exists").length, 5);
  const list = await t.call("GET", `${RUN("list-tags-v1")}?input[per_page]=10`, { headers });
  assertEquals(list.body.total, 1);
  await t.close();
});
