/**
 * Issue #11 finding 3: oversized input is refused before it reaches Deno KV's key (2 KiB) and value
 * (64 KiB) limits — `400 rest_invalid_param` from argument validation, or the route's own not-found for
 * an over-long identifier — and nothing is written.
 */
import { assert, assertEquals } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";
import { abilityClient } from "../abilities/_helpers.ts";
import { createSite } from "../../store/sites.ts";
import { ALLOW_SITE_ADDRESS_FILTER } from "../../child/address-guard.ts";
import { dumpStore, MIB, OVER_LIMITS, storeChanges } from "./_hostile.ts";

const V2 = "/wp-json/mainwp/v2";

async function app(): Promise<{ t: TestApp; token: string }> {
  const t = await testApp({ child: { timeoutMs: 1000, resolveHostnames: false } });
  t.ctx.hooks.addFilter(ALLOW_SITE_ADDRESS_FILTER, () => false);
  const site = await createSite(t.ctx.kv, { url: "https://shop.example", name: "Shop" });
  assert("site" in site);
  return { t, token: await t.key("read_write") };
}

/** Runs `fn` and asserts the store is exactly as before. */
async function unchanged(t: TestApp, fn: () => Promise<void>): Promise<void> {
  const before = await dumpStore(t.ctx.kv);
  await fn();
  assertEquals(storeChanges(before, await dumpStore(t.ctx.kv)), []);
}

Deno.test("1 MiB tag and client names, and a 1 MiB edit form, are 400 rest_invalid_param", async () => {
  const { t, token } = await app();
  try {
    await unchanged(t, async () => {
      for (
        const [path, json] of [
          ["/tags/add", { name: MIB }],
          ["/clients/add", { name: MIB, client_email: "a@b.example" }],
          ["/clients/add", { name: "ACME", note: MIB }],
          ["/clients/fields/add", { name: "VAT", description: MIB }],
          ["/costs/add", { name: MIB, price: 1, "clients": [1] }],
        ] as const
      ) {
        const res = await t.call("POST", `${V2}${path}`, { token, json });
        assertEquals([path, res.status, res.body.code], [path, 400, "rest_invalid_param"]);
      }
      const form = await t.call("POST", `${V2}/sites/1/edit`, { token, form: { name: MIB, admin: MIB } });
      assertEquals([form.status, form.body.code], [400, "rest_invalid_param"]);
      assertEquals(form.body.data.params.name, "name must be at most 255 characters long.");
    });
  } finally {
    await t.close();
  }
});

Deno.test("strings over a name's or a key's limit are refused; below them they are kept", async () => {
  const { t, token } = await app();
  try {
    await unchanged(t, async () => {
      const tag = await t.call("POST", `${V2}/tags/add`, { token, json: { name: "t".repeat(256) } });
      assertEquals([tag.status, tag.body.code], [400, "rest_invalid_param"]);
      const email = `${"e".repeat(3000)}@x.example`;
      const client = await t.call("POST", `${V2}/clients/add`, {
        token,
        json: { name: "A", client_email: email },
      });
      assertEquals(client.status, 400);
      const field = await t.call("POST", `${V2}/clients/fields/add`, {
        token,
        form: { name: OVER_LIMITS, description: "d" },
      });
      assertEquals(field.status, 400);
    });
    const ok = await t.call("POST", `${V2}/tags/add`, { token, json: { name: "t".repeat(255) } });
    assertEquals(ok.status, 200);
  } finally {
    await t.close();
  }
});

Deno.test("5,000-character site, client, field and job identifiers are simply not found", async () => {
  const { t, token } = await app();
  try {
    const long = "a".repeat(5000);
    await unchanged(t, async () => {
      for (
        const [method, path] of [
          ["GET", `/sites/${long}.example`],
          ["POST", `/sites/${long}/sync`],
          ["GET", `/clients/${long}@x.example`],
          ["POST", `/clients/${long}/suspend`],
          ["DELETE", `/clients/fields/${long}/delete`],
          ["GET", `/jobs/sync_${"0".repeat(5000)}`],
          ["GET", `/updates/${long}.example`],
        ]
      ) {
        const res = await t.call(method, `${V2}${path}`, { token });
        assertEquals([method, path.slice(0, 20), res.status], [method, path.slice(0, 20), 404], res.text);
      }
    });
  } finally {
    await t.close();
  }
});

Deno.test("abilities: 1 MiB or over-long identifiers and names are 400 or not found, never 500", async () => {
  const { t } = await app();
  try {
    const a = await abilityClient(t);
    await unchanged(t, async () => {
      const big = await a.run("mainwp/get-site-v1", { site_id_or_domain: MIB });
      assertEquals([big.status, big.body.code], [400, "rest_invalid_param"]);
      const long = await a.run("mainwp/get-site-v1", { site_id_or_domain: `${"a".repeat(2000)}.example` });
      assertEquals(long.body.code, "mainwp_site_not_found"); // the permission check's 403, as for any absent site
      const tag = await a.run("mainwp/add-tag-v1", { name: "t".repeat(256) });
      assertEquals([tag.status, tag.body.code], [400, "ability_invalid_input"]);
      assertEquals(
        tag.body.message,
        'Ability "mainwp/add-tag-v1" has invalid input. Reason: input[name] must be at most 255 characters long.',
      );
      const job = await a.run("mainwp/get-batch-job-status-v1", { job_id: `sync_${"0".repeat(3000)}` });
      assertEquals(job.status, 404); // longer than any job id: no such job
      const client = await a.run("mainwp/add-client-v1", { name: "A", note: "n".repeat(20_000) });
      assertEquals(client.status, 400);
    });
  } finally {
    await t.close();
  }
});
