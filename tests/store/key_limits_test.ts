/** Strings that would make an over-long KV key: lookups find nothing, writes are a 400 and write nothing. */
import { assert, assertEquals } from "@std/assert";
import { createSite, findSiteByDomain, updateSite } from "../../store/sites.ts";
import { createClient, findClientByEmail } from "../../store/clients.ts";
import { createClientField, findClientFieldByName } from "../../store/client-fields.ts";
import { createUser, findUserByLogin } from "../../store/users.ts";
import { KeyTooLong } from "../../lib/limits.ts";
import { storeRestErrorOf } from "../../rest/store-errors.ts";

const LONG = "a".repeat(3000);

async function refused(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    // The store throws a plain error; the REST surface answers it as an over-long parameter.
    assert(error instanceof KeyTooLong, String(error));
    const wire = storeRestErrorOf(error);
    assertEquals(wire?.status, 400);
    return wire!.code;
  }
  throw new Error("not refused");
}

Deno.test("over-long key strings: lookups are null, writes are 400 rest_invalid_param, nothing written", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    assertEquals(await findSiteByDomain(kv, `${LONG}.example`), null);
    assertEquals(await findClientByEmail(kv, `${LONG}@x.example`), null);
    assertEquals(await findClientFieldByName(kv, LONG), null);
    assertEquals(await findUserByLogin(kv, LONG), null);
    assertEquals(
      await refused(() => createSite(kv, { url: `https://${LONG}.example` })),
      "rest_invalid_param",
    );
    assertEquals(
      await refused(() => createClient(kv, { name: "A", client_email: `${LONG}@x.example` })),
      "rest_invalid_param",
    );
    assertEquals(
      await refused(() => createClientField(kv, { field_name: LONG, field_desc: "" })),
      "rest_invalid_param",
    );
    assertEquals(await refused(() => createUser(kv, { login: LONG })), "rest_invalid_param");
    const entries = [];
    for await (const entry of kv.list({ prefix: [] })) entries.push(entry.key);
    assertEquals(entries, []);
    const site = await createSite(kv, { url: "https://shop.example" });
    assert("site" in site);
    await refused(() => updateSite(kv, site.site.id, (s) => ({ ...s, url: `https://${LONG}.example/` })));
    assertEquals((await findSiteByDomain(kv, "shop.example"))?.url, "https://shop.example/");
  } finally {
    kv.close();
  }
});
