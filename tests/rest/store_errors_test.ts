/** The REST answers for store refusals: same codes, messages and statuses as when the store threw them itself. */
import { assertEquals } from "@std/assert";
import { kvSizeError, storeRestErrorOf, tooLong } from "../../rest/store-errors.ts";
import { WriteConflict } from "../../store/kv.ts";
import { KeyTooLong } from "../../lib/limits.ts";

Deno.test("WriteConflict is 409 fleetpress_write_conflict", () => {
  const wire = storeRestErrorOf(new WriteConflict());
  assertEquals(wire?.toJSON(), {
    code: "fleetpress_write_conflict",
    message: "The record is busy; please try again.",
    data: { status: 409 },
  });
});

Deno.test("KeyTooLong is the over-long parameter's 400 rest_invalid_param", () => {
  const wire = storeRestErrorOf(new KeyTooLong("url", 500));
  assertEquals(wire?.status, 400);
  assertEquals(wire?.toJSON(), tooLong("url", 500).toJSON());
  assertEquals(wire?.code, "rest_invalid_param");
  assertEquals(wire?.message, "Invalid parameter(s): url");
});

Deno.test("KV size errors are 400; anything else is left alone", () => {
  assertEquals(
    storeRestErrorOf(new TypeError("Value too large (max 65536 bytes)"))?.toJSON(),
    kvSizeError().toJSON(),
  );
  assertEquals(storeRestErrorOf(new TypeError("database is locked")), undefined);
  assertEquals(storeRestErrorOf(new Error("other")), undefined);
});
