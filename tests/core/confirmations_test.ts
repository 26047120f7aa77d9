/**
 * @module
 * `core/confirmations.ts` on an in-memory KV: a token redeems once for its own subject; other input, another
 * caller or another operation void it; an expired one says so; a malformed one is unknown.
 *
 * @example
 * ```sh
 * deno test -A tests/core/confirmations_test.ts
 * ```
 */
import { assertEquals, assertMatch } from "@std/assert";
import { issueConfirmation, redeemConfirmation } from "../../core/confirmations.ts";
import { saveConfirmation } from "../../store/confirmations.ts";

const subject = {
  operation: "delete_tag_v1",
  input: { tag_id: 7, nested: { b: 1, a: [2, 3] } },
  principal: "user:1",
};

Deno.test("confirmations: once, for the same operation, input (any key order) and caller", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const token = await issueConfirmation({ kv }, subject);
    assertMatch(token, /^[A-Za-z0-9_-]{43}$/);
    const reordered = { ...subject, input: { nested: { a: [2, 3], b: 1 }, tag_id: 7 } };
    assertEquals(await redeemConfirmation({ kv }, { ...reordered, token }), "ok");
    assertEquals(await redeemConfirmation({ kv }, { ...subject, token }), "unknown");
    for (const other of [{ input: { tag_id: 8 } }, { principal: "key:1" }, { operation: "delete_site_v1" }]) {
      const t = await issueConfirmation({ kv }, subject);
      assertEquals(await redeemConfirmation({ kv }, { ...subject, ...other, token: t }), "mismatch");
      assertEquals(
        await redeemConfirmation({ kv }, { ...subject, token: t }),
        "unknown",
        "a mismatch voids it",
      );
    }
    assertEquals(await redeemConfirmation({ kv }, { ...subject, token: "../../etc" }), "unknown");
  } finally {
    kv.close();
  }
});

Deno.test("confirmations: an expired token is refused as expired", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const token = "A".repeat(43);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
    const hash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    await saveConfirmation(kv, hash, {
      tool: subject.operation,
      digest: "x",
      principal: "user:1",
      expiresAt: 1,
    }, 60_000);
    assertEquals(await redeemConfirmation({ kv }, { ...subject, token }), "expired");
  } finally {
    kv.close();
  }
});
