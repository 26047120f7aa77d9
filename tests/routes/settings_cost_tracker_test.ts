import { assert, assertEquals } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";
import { getSettingsSection } from "../../store/settings.ts";

const V2 = "/wp-json/mainwp/v2";
const API = `${V2}/settings/cost-tracker`;

async function setup(): Promise<{ t: TestApp; token: string }> {
  const t = await testApp();
  return { t, token: await t.key("read_write") };
}

const stored = (t: TestApp) => getSettingsSection(t.ctx.kv, "cost_tracker");

Deno.test("GET /settings/cost-tracker: MainWP's defaults", async () => {
  const { t, token } = await setup();
  const res = await t.call("GET", API, { token });
  assertEquals(res.status, 200);
  const d = res.body.data;
  assertEquals([d.currency, d.currency_position, d.thousand_separator, d.decimal_separator, d.decimals], [
    "USD",
    "left",
    ",",
    ".",
    2,
  ]);
  assertEquals(d.product_categories[0], { slug: "plugin", title: "Plugin", icon: "plug", color: "#5ec130" });
  assertEquals(d.product_categories.map((c: { slug: string }) => c.slug), [
    "plugin",
    "theme",
    "hosting",
    "service",
    "other",
  ]);
  assertEquals(d.payment_methods, []);
  await t.close();
});

Deno.test("PUT /settings/cost-tracker/edit: currency and format; empty values keep; bad currency refused", async () => {
  const { t, token } = await setup();
  const res = await t.call("PUT", `${API}/edit`, {
    token,
    json: { currency: "EUR", currency_position: "right_space", thousand_separator: "" },
  });
  assertEquals(res.body, {
    success: 1,
    message: "Cost tracker settings updated successfully.",
    data: {
      currency: "EUR",
      currency_format: {
        currency_position: "right_space",
        thousand_separator: ",",
        decimal_separator: ".",
        decimals: 2,
      },
    },
  });
  const before = await stored(t);
  const bad = await t.call("PUT", `${API}/edit`, { token, json: { currency: "XXQ" } });
  assertEquals([bad.status, bad.body.data.details.currency.code], [400, "invalid_currency"]);
  const pos = await t.call("PUT", `${API}/edit`, { token, json: { currency_position: "middle" } });
  assertEquals(pos.status, 400);
  assertEquals(await stored(t), before);
  await t.close();
});

Deno.test("product types: add, edit, delete; built-in ones keep their titles; refusals change nothing", async () => {
  const { t, token } = await setup();
  const add = await t.call("POST", `${API}/product-types/add`, {
    token,
    form: { title: "Domain Names", color: "#112233", icon: "deficon:globe" },
  });
  assertEquals(add.body, {
    success: 1,
    message: "Product type added successfully.",
    data: { "domain-names": { title: "Domain Names", color: "#112233", icon: "deficon:globe" } },
  });
  const cats = (await t.call("GET", API, { token })).body.data.product_categories;
  assertEquals(cats.at(-1), {
    slug: "domain-names",
    title: "Domain Names",
    icon: "deficon:globe",
    color: "#112233",
  });
  const edit = await t.call("PATCH", `${API}/product-types/domain-names/edit`, {
    token,
    json: { title: "Domains" },
  });
  assertEquals(edit.body.data, {
    "domain-names": { title: "Domains", color: "#34424D", icon: "deficon:folder open" },
  });
  // A built-in type may change colour, not title.
  const colour = await t.call("PUT", `${API}/product-types/hosting/edit`, {
    token,
    json: { title: "Hosting", color: "#000000" },
  });
  assertEquals(colour.status, 200);
  const before = await stored(t);
  const refusals: [string, string, Record<string, unknown>, number, string][] = [
    ["POST", "product-types/add", { title: "Domain names!" }, 400, "duplicate_title"],
    ["POST", "product-types/add", { title: "Plugin" }, 400, "duplicate_title"],
    ["POST", "product-types/add", { title: "X", color: "red" }, 400, "rest_invalid_param"],
    ["POST", "product-types/add", { title: "X", icon: "no colon" }, 400, "rest_invalid_param"],
    ["POST", "product-types/add", { color: "#111111" }, 400, "rest_missing_callback_param"],
    ["PUT", "product-types/hosting/edit", { title: "Servers" }, 400, "invalid_title"],
    ["PUT", "product-types/nope/edit", { title: "Nope" }, 400, "rest_invalid_param"],
    ["DELETE", "product-types/theme/delete", {}, 400, "invalid_title"],
    ["DELETE", "product-types/nope/delete", {}, 400, "rest_invalid_param"],
  ];
  for (const [method, path, json, status, code] of refusals) {
    const res = await t.call(method, `${API}/${path}`, { token, ...(method === "DELETE" ? {} : { json }) });
    assertEquals([res.status, res.body.code], [status, code], `${method} ${path} ${JSON.stringify(json)}`);
  }
  assertEquals(await stored(t), before);
  const del = await t.call("DELETE", `${API}/product-types/domain-names/delete`, { token });
  assertEquals(del.body, { success: 1, message: "Product type deleted successfully." });
  assertEquals((await t.call("GET", API, { token })).body.data.product_categories.length, 5);
  await t.close();
});

Deno.test("payment methods: add, rename, delete; duplicates and unknown slugs refused", async () => {
  const { t, token } = await setup();
  const add = await t.call("POST", `${API}/payment-methods/add`, { token, json: { title: "Bank Transfer" } });
  assertEquals(add.body, {
    success: 1,
    message: "Payment method added successfully.",
    data: { "bank-transfer": "Bank Transfer" },
  });
  assertEquals((await t.call("GET", API, { token })).body.data.payment_methods, {
    "bank-transfer": "Bank Transfer",
  });
  const dup = await t.call("POST", `${API}/payment-methods/add`, { token, json: { title: "bank transfer" } });
  assertEquals([dup.status, dup.body.code, dup.body.message], [
    400,
    "duplicate_title",
    "Duplicate payment method. Please choose another one.",
  ]);
  const rename = await t.call("PUT", `${API}/payment-methods/bank-transfer/edit`, {
    token,
    json: { title: "SEPA" },
  });
  assertEquals(rename.body, {
    success: 1,
    message: "Payment method updated successfully.",
    data: { "bank-transfer": "SEPA" },
  });
  const unknown = await t.call("PUT", `${API}/payment-methods/paypal/edit`, { token, json: { title: "PP" } });
  assertEquals([unknown.status, unknown.body.data.params.slug], [400, "Payment method does not exist."]);
  const empty = await t.call("POST", `${API}/payment-methods/add`, { token, json: { title: "!!!" } });
  assertEquals(empty.status, 400);
  const del = await t.call("DELETE", `${API}/payment-methods/bank-transfer/delete`, { token });
  assertEquals(del.body, { success: 1, message: "Payment method deleted successfully." });
  const gone = await t.call("DELETE", `${API}/payment-methods/bank-transfer/delete`, { token });
  assertEquals(gone.status, 400);
  await t.close();
});

Deno.test("costs are validated against the stored product types and payment methods", async () => {
  const { t, token } = await setup();
  const cost = (extra: Record<string, unknown>) =>
    t.call("POST", `${V2}/costs/add`, { token, json: { name: "Thing", sites: [1], ...extra } });
  const unknownType = await cost({ product_type: "domain" });
  assertEquals([unknownType.status, unknownType.body.code], [400, "mainwp_rest_invalid_param"]);
  const unknownMethod = await cost({ payment_method: "bank-transfer" });
  assertEquals(unknownMethod.status, 400);
  assertEquals((await t.call("GET", `${V2}/costs`, { token })).body.data, [], "nothing stored");
  // Once the settings list them, the same costs are accepted; built-in ones always are.
  await t.call("POST", `${API}/product-types/add`, { token, json: { title: "Domain" } });
  await t.call("POST", `${API}/payment-methods/add`, { token, json: { title: "Bank Transfer" } });
  assertEquals((await cost({ product_type: "domain", payment_method: "bank-transfer" })).status, 200);
  assertEquals((await cost({ product_type: "hosting", payment_method: "paypal" })).status, 200);
  assertEquals((await cost({ product_type: "", payment_method: "" })).status, 200);
  // The list filter knows the custom category too.
  const listed = (await t.call("GET", `${V2}/costs?category=domain`, { token })).body.data;
  assertEquals(Object.values(listed).map((c) => (c as { product_type: string }).product_type), ["domain"]);
  // An edit naming an unknown type is refused and changes nothing.
  const edit = await t.call("POST", `${V2}/costs/1/edit`, {
    token,
    json: { product_type: "gone", sites: [1] },
  });
  assertEquals(edit.status, 400);
  assert((await t.call("GET", `${V2}/costs/1`, { token })).body.data.product_type === "domain");
  await t.close();
});

Deno.test("product types and payment methods named like Object.prototype members are ordinary or refused", async () => {
  const { t, token } = await setup();
  const proto = await t.call("POST", `${API}/product-types/add`, { token, json: { title: "__proto__" } });
  assertEquals(proto.status, 400);
  const ctor = await t.call("POST", `${API}/payment-methods/add`, { token, json: { title: "constructor" } });
  assertEquals(ctor.body.data, { constructor: "constructor" });
  const type = await t.call("POST", `${API}/product-types/add`, { token, json: { title: "toString" } });
  assertEquals(type.status, 200);
  const cats = (await t.call("GET", API, { token })).body.data.product_categories;
  assertEquals(cats.at(-1), {
    slug: "tostring",
    title: "toString",
    icon: "deficon:folder open",
    color: "#34424D",
  });
  assertEquals((await t.call("DELETE", `${API}/product-types/hasOwnProperty/delete`, { token })).status, 400);
  assertEquals(
    (await t.call("PUT", `${API}/payment-methods/valueOf/edit`, { token, json: { title: "x" } })).status,
    400,
  );
  assertEquals(typeof ({}).toString, "function");
  await t.close();
});

Deno.test("custom product types and payment methods are bounded in number and title length", async () => {
  const { t, token } = await setup();
  const long = await t.call("POST", `${API}/product-types/add`, { token, json: { title: "x".repeat(81) } });
  assertEquals(long.status, 400);
  for (let i = 0; i < 40; i++) {
    const res = await t.call("POST", `${API}/payment-methods/add`, {
      token,
      json: { title: `Méthode ${i} ${"é".repeat(60)}` },
    });
    assertEquals(res.status, 200, res.text);
  }
  const before = await stored(t);
  const over = await t.call("POST", `${API}/payment-methods/add`, { token, json: { title: "One more" } });
  assertEquals(over.status, 400);
  assertEquals(await stored(t), before);
  await t.close();
});
