import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { createAppPassword, createUser } from "../../store/users.ts";
import { createSite, getSite } from "../../store/sites.ts";
import { abilityClient } from "./_helpers.ts";
import { createCost, emptyCost } from "../../store/costs.ts";
import { getClient } from "../../store/clients.ts";

const invalid = (name: string, reason: string) => ({
  code: "ability_invalid_input",
  message: `Ability "mainwp/${name}" has invalid input. Reason: ${reason}`,
  data: { status: 400 },
});

/** A client object with `created` checked and removed. */
// deno-lint-ignore no-explicit-any
function withoutCreated(client: any) {
  const { created, ...rest } = client;
  assertEquals(typeof created === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/.test(created), true);
  return rest;
}

const EMPTY_CLIENT = {
  phone: "",
  address_1: "",
  address_2: "",
  city: "",
  state: "",
  zip: "",
  country: "",
  note: "",
  suspended: 0,
  facebook: "",
  twitter: "",
  instagram: "",
  linkedin: "",
};

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

Deno.test("add-client-v1: all fields and sites; empty name, bad e-mail, duplicate e-mail, missing name", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://s.example" });
  const res = await a.run("mainwp/add-client-v1", {
    name: "ACME <b>Inc</b>",
    client_email: "ops@acme.test",
    client_phone: "+49 30 1",
    address_1: "Main St 1",
    address_2: "Floor 2",
    city: "Berlin",
    state: "BE",
    zip: "10115",
    country: "DE",
    note: "VIP",
    selected_sites: [1],
    client_facebook: "fb",
    client_twitter: "tw",
    client_instagram: "ig",
    client_linkedin: "li",
  });
  assertEquals(res.status, 200);
  assertEquals(withoutCreated(res.body), {
    id: 1,
    name: "ACME Inc",
    email: "ops@acme.test",
    phone: "+49 30 1",
    address_1: "Main St 1",
    address_2: "Floor 2",
    city: "Berlin",
    state: "BE",
    zip: "10115",
    country: "DE",
    note: "VIP",
    suspended: 0,
    facebook: "fb",
    twitter: "tw",
    instagram: "ig",
    linkedin: "li",
  });
  assertEquals((await getSite(t.ctx.kv, 1))?.client_id, 1);
  const empty = await a.run("mainwp/add-client-v1", { name: "  " });
  assertEquals([empty.status, empty.body], [
    400,
    { code: "mainwp_invalid_input", message: "Client name is required.", data: { status: 400 } },
  ]);
  const badMail = await a.run("mainwp/add-client-v1", { name: "X", client_email: "nope" });
  assertEquals([badMail.status, badMail.body], [400, invalid("add-client-v1", "Invalid email address.")]);
  const dup = await a.run("mainwp/add-client-v1", { name: "Other", client_email: "ops@acme.test" });
  assertEquals([dup.status, dup.body], [
    500,
    { code: "mainwp_client_creation_failed", message: "Failed to create client.", data: { status: 500 } },
  ]);
  const noName = await a.run("mainwp/add-client-v1", { city: "Paris" });
  assertEquals(noName.body, invalid("add-client-v1", "name is a required property of input."));
  const wrongType = await a.run("mainwp/add-client-v1", { name: 5 });
  assertEquals(wrongType.body, invalid("add-client-v1", "input[name] is not of type string."));
  await t.close();
});

Deno.test("update-client-v1: changes fields and sites; unknown client 404; duplicate e-mail refused; bad input", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://s.example" });
  await a.run("mainwp/add-client-v1", { name: "ACME", client_email: "ops@acme.test", city: "Berlin" });
  await a.run("mainwp/add-client-v1", { name: "Beta", client_email: "beta@x.test" });
  const res = await a.run("mainwp/update-client-v1", {
    client_id_or_email: "ops@acme.test",
    city: "Hamburg",
    note: "",
    client_twitter: "@acme",
    selected_sites: [1],
  });
  assertEquals(res.status, 200);
  assertEquals(withoutCreated(res.body), {
    ...EMPTY_CLIENT,
    id: 1,
    name: "ACME",
    email: "ops@acme.test",
    city: "Hamburg",
    twitter: "@acme",
  });
  assertEquals((await getSite(t.ctx.kv, 1))?.client_id, 1);
  const missing = await a.run("mainwp/update-client-v1", { client_id_or_email: 9, city: "X" });
  assertEquals([missing.status, missing.body.code, missing.body.message], [
    404,
    "mainwp_client_not_found",
    "No client found with ID 9.",
  ]);
  const dup = await a.run("mainwp/update-client-v1", {
    client_id_or_email: 2,
    client_email: "ops@acme.test",
  });
  assertEquals([dup.status, dup.body.code], [400, "mainwp_client_update_failed"]);
  assertEquals((await getClient(t.ctx.kv, 2))?.client_email, "beta@x.test");
  const bad = await a.run("mainwp/update-client-v1", { city: "X" });
  assertEquals(bad.body, invalid("update-client-v1", "client_id_or_email is a required property of input."));
  const badMail = await a.run("mainwp/update-client-v1", { client_id_or_email: 1, client_email: "x" });
  assertEquals(badMail.body, invalid("update-client-v1", "Invalid email address."));
  await t.close();
});

Deno.test("delete-client-v1: both flags, dry run with warnings, confirmation, string flags, deletion returns the client", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://s1.example" });
  await createSite(t.ctx.kv, { url: "https://s2.example" });
  await a.run("mainwp/add-client-v1", { name: "ACME", selected_sites: [1, 2] });
  await a.run("mainwp/add-client-v1", { name: "Solo", selected_sites: [] });
  const run = (input: unknown) => a.run("mainwp/delete-client-v1", input);
  const both = await run({ client_id_or_email: 1, confirm: true, dry_run: true });
  assertEquals([both.status, both.body], [400, {
    code: "mainwp_invalid_input",
    message: "Cannot specify both dry_run and confirm. Use dry_run for preview, confirm for actual deletion.",
    data: { status: 400 },
  }]);
  const dry = await run({ client_id_or_email: 1, dry_run: true });
  assertEquals(dry.status, 200);
  assertEquals(withoutCreated(dry.body.would_affect.client), {
    ...EMPTY_CLIENT,
    id: 1,
    name: "ACME",
    email: "",
  });
  assertEquals({ ...dry.body, would_affect: { ...dry.body.would_affect, client: null } }, {
    dry_run: true,
    would_affect: { client: null, associated_sites_count: 2 },
    count: 1,
    warnings: ["This client has 2 associated sites. Deleting the client will not delete the sites."],
  });
  assertEquals((await run({ client_id_or_email: 2, dry_run: true })).body.warnings, []);
  await createSite(t.ctx.kv, { url: "https://s3.example" });
  await a.run("mainwp/add-client-v1", { name: "One", selected_sites: [3] });
  assertEquals((await run({ client_id_or_email: 3, dry_run: true })).body.warnings, [
    "This client has 1 associated site. Deleting the client will not delete the site.",
  ]);
  const confirmation = {
    code: "mainwp_confirmation_required",
    message: "This is a destructive operation. Set confirm: true or use dry_run: true for preview.",
    data: { status: 400 },
  };
  const unconfirmed = await run({ client_id_or_email: 1 });
  assertEquals([unconfirmed.status, unconfirmed.body], [400, confirmation]);
  // Lenient booleans: the string "false" does not confirm, "true" does.
  assertEquals((await run({ client_id_or_email: 1, confirm: "false" })).body, confirmation);
  assertEquals((await run({ client_id_or_email: 1, confirm: "false", dry_run: "false" })).body, confirmation);
  assertEquals((await run({ client_id_or_email: 9, confirm: true })).status, 404);
  assertEquals((await getClient(t.ctx.kv, 1))?.name, "ACME");
  const deleted = await run({ client_id_or_email: 1, confirm: "true" });
  assertEquals(deleted.status, 200);
  assertEquals(withoutCreated(deleted.body), { ...EMPTY_CLIENT, id: 1, name: "ACME", email: "" });
  assertEquals(await getClient(t.ctx.kv, 1), null);
  assertEquals((await getSite(t.ctx.kv, 1))?.client_id, 0);
  assertEquals((await run({ client_id_or_email: 1, confirm: true })).status, 404);
  const bad = await run({ confirm: true });
  assertEquals(bad.body, invalid("delete-client-v1", "client_id_or_email is a required property of input."));
  const badFlag = await run({ client_id_or_email: 2, confirm: "maybe" });
  assertEquals(badFlag.body, invalid("delete-client-v1", "input[confirm] is not of type boolean."));
  await t.close();
});

Deno.test("get-client-costs-v1: costs of its sites, their tags and the client; none; 404; bad input", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await createSite(t.ctx.kv, { url: "https://s1.example", tag_ids: [4] });
  await a.run("mainwp/add-client-v1", { name: "ACME", selected_sites: [1] });
  await a.run("mainwp/add-client-v1", { name: "None" });
  const cost = async (
    name: string,
    owners: Partial<{ sites: number[]; groups: number[]; clients: number[] }>,
  ) => {
    const r = await createCost(t.ctx.kv, {
      ...emptyCost(),
      name,
      type: "lifetime",
      product_type: "plugin",
      slug: name.toLowerCase(),
      price: "10.00000000",
      renewal_type: "disabled",
      ...owners,
    });
    if (!("cost" in r)) throw new Error("duplicate");
    return r.cost.id;
  };
  const bySite = await cost("BySite", { sites: [1] });
  const byTag = await cost("ByTag", { groups: [4] });
  const byClient = await cost("ByClient", { clients: [1] });
  const res = await a.run("mainwp/get-client-costs-v1", { client_id_or_email: 1 });
  assertEquals(res.body.total, 3);
  assertEquals(res.body.items.map((c: { id: number }) => c.id), [bySite, byTag, byClient]);
  assertEquals(res.body.items[0], {
    id: bySite,
    name: "BySite",
    type: "lifetime",
    price: 10,
    renewal_type: "disabled",
    payment_method: "",
    product_type: "plugin",
    last_renewal: null,
    next_renewal: null,
  });
  assertEquals((await a.run("mainwp/get-client-costs-v1", { client_id_or_email: 2 })).body, {
    items: [],
    total: 0,
  });
  assertEquals((await a.run("mainwp/get-client-costs-v1", { client_id_or_email: 7 })).status, 404);
  const bad = await a.run("mainwp/get-client-costs-v1", { other: 1 });
  assertEquals(
    bad.body,
    invalid("get-client-costs-v1", "client_id_or_email is a required property of input."),
  );
  await t.close();
});

Deno.test("suspend-client-v1 / unsuspend-client-v1: set suspended; 404; bad input", async () => {
  const t = await testApp();
  const a = await abilityClient(t);
  await a.run("mainwp/add-client-v1", { name: "ACME", client_email: "ops@acme.test" });
  const suspended = await a.run("mainwp/suspend-client-v1", { client_id_or_email: "ops@acme.test" });
  assertEquals(suspended.status, 200);
  assertEquals(withoutCreated(suspended.body), {
    ...EMPTY_CLIENT,
    id: 1,
    name: "ACME",
    email: "ops@acme.test",
    suspended: 1,
  });
  assertEquals((await a.run("mainwp/suspend-client-v1", { client_id_or_email: 1 })).body.suspended, 1);
  assertEquals((await getClient(t.ctx.kv, 1))?.suspended, 1);
  const active = await a.run("mainwp/unsuspend-client-v1", { client_id_or_email: 1 });
  assertEquals(withoutCreated(active.body), { ...EMPTY_CLIENT, id: 1, name: "ACME", email: "ops@acme.test" });
  assertEquals((await getClient(t.ctx.kv, 1))?.suspended, 0);
  const missing = await a.run("mainwp/suspend-client-v1", { client_id_or_email: 5 });
  assertEquals([missing.status, missing.body.code], [404, "mainwp_client_not_found"]);
  const bad = await a.run("mainwp/suspend-client-v1", { client_id_or_email: true });
  assertEquals(bad.body.code, "ability_invalid_input");
  const badUn = await a.run("mainwp/unsuspend-client-v1", {});
  assertEquals(
    badUn.body,
    invalid("unsuspend-client-v1", "client_id_or_email is a required property of input."),
  );
  await t.close();
});
