import { assertEquals } from "@std/assert";
import {
  createApiKey,
  findApiKey,
  getApiKey,
  revokeApiKey,
  touchApiKey,
  updateApiKey,
  verifyConsumerSecret,
} from "../../store/api-keys.ts";
import { keys } from "../../store/keys.ts";

Deno.test("the lookup copy always agrees with the record: create, update, touch, revoke", async () => {
  const kv = await Deno.openKv(":memory:");
  const { record, consumerKey, consumerSecret } = await createApiKey(kv, {
    permissions: "read",
    description: "x",
  });
  assertEquals(await findApiKey(kv, consumerKey), record);
  assertEquals(verifyConsumerSecret(record, consumerSecret), true);
  assertEquals(verifyConsumerSecret(record, consumerSecret + "0"), false);
  await updateApiKey(kv, record.id, (k) => ({ ...k, enabled: false, description: "y" }));
  assertEquals(await findApiKey(kv, consumerKey), await getApiKey(kv, record.id));
  await touchApiKey(kv, (await getApiKey(kv, record.id))!);
  const touched = await findApiKey(kv, consumerKey);
  assertEquals(typeof touched?.last_access, "string");
  assertEquals(touched, await getApiKey(kv, record.id));
  await revokeApiKey(kv, record.id);
  assertEquals(await findApiKey(kv, consumerKey), null);
  assertEquals((await kv.get(keys.apiKey(record.id))).value, null);
  kv.close();
});

Deno.test("concurrent key creation allocates unique ids", async () => {
  const kv = await Deno.openKv(":memory:");
  const created = await Promise.all(
    Array.from({ length: 40 }, () => createApiKey(kv, { permissions: "read" })),
  );
  assertEquals(new Set(created.map((c) => c.record.id)).size, 40);
  kv.close();
});
