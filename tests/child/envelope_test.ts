import { assertEquals, assertInstanceOf, assertStringIncludes, assertThrows } from "@std/assert";
import {
  ChildError,
  childErrorOf,
  encodeEnvelope,
  IMUNIFY_MESSAGE,
  NOT_DETECTED_MESSAGE,
  parseChildReply,
  parseEnvelope,
} from "../../child/index.ts";

function childError(fn: () => unknown): ChildError {
  const error = assertThrows(fn);
  assertInstanceOf(error, ChildError);
  return error;
}

Deno.test("a good envelope is found anywhere in the body and decoded", () => {
  const body = `<br><b>Notice</b>: something<br>${
    encodeEnvelope({ wpversion: "6.5.2", name: "Café ✓" })
  }<p>x</p>`;
  assertEquals(parseChildReply(body), { wpversion: "6.5.2", name: "Café ✓" });
  assertEquals(parseEnvelope("<mainwp>eyJhIjoxfQ==</mainwp>"), { a: 1 });
});

Deno.test("PHP's empty array reply is an empty object", () => {
  assertEquals(parseChildReply(encodeEnvelope([])), {});
});

Deno.test("a list reply (get_all_users) is read as the map PHP holds, in order", () => {
  const reply = parseChildReply(encodeEnvelope([{ id: 1 }, { id: 2 }]));
  assertEquals(reply, { 0: { id: 1 }, 1: { id: 2 } });
  assertEquals(Object.values(reply), [{ id: 1 }, { id: 2 }]);
});

Deno.test("a child error becomes a ChildError with the child's error_code", () => {
  const body = encodeEnvelope({ error: "Unable to connect to the site.", error_code: "REG_ERROR7" });
  const error = childError(() => parseChildReply(body, { status: 200 }));
  assertEquals([error.code, error.category, error.status], ["REG_ERROR7", "child", 200]);
  assertEquals(error.message, "Unable to connect to the site.");
  assertEquals(error.reply?.error_code, "REG_ERROR7");
});

Deno.test("a child error without a code is CHILD_ERROR; the message stays as the child escaped it", () => {
  const body = encodeEnvelope({ error: "Please deactivate &amp; re-activate." });
  const error = childError(() => parseChildReply(body));
  assertEquals(error.code, "CHILD_ERROR");
  assertEquals(error.message, "Please deactivate &amp; re-activate.");
});

Deno.test("a structured error object is data, not a failure", () => {
  const value = { error: { is_activated_theme: "twentytwentyfour" } };
  assertEquals(childErrorOf(value), null);
  assertEquals(parseChildReply(encodeEnvelope(value)), value);
});

Deno.test("a body without an envelope is NOMAINWP", () => {
  const error = childError(() => parseChildReply("<html><body>Welcome</body></html>", { status: 503 }));
  assertEquals([error.code, error.category, error.status], ["NOMAINWP", "not_mainwp", 503]);
  assertEquals(error.message, NOT_DETECTED_MESSAGE);
  assertEquals(childError(() => parseChildReply("")).code, "NOMAINWP");
  assertEquals(childError(() => parseChildReply("<script>wsidchk</script>")).message, IMUNIFY_MESSAGE);
});

Deno.test("truncated and undecodable envelopes are INVALID_RESPONSE", () => {
  const full = encodeEnvelope({ result: "success", padding: "x".repeat(100) });
  for (const body of [full.slice(0, 60), "<mainwp>%%%</mainwp>", `<mainwp>${btoa("{nope")}</mainwp>`]) {
    const error = childError(() => parseChildReply(body));
    assertEquals([error.code, error.category], ["INVALID_RESPONSE", "invalid_reply"]);
  }
  assertStringIncludes(childError(() => parseChildReply(full.slice(0, 60))).message, "truncated");
  assertEquals(childError(() => parseChildReply(encodeEnvelope("text"))).code, "INVALID_RESPONSE");
});

Deno.test("oversized bodies are TOO_LARGE", () => {
  const body = encodeEnvelope({ data: "x".repeat(2000) });
  const error = childError(() => parseChildReply(body, { maxBytes: 1000 }));
  assertEquals([error.code, error.category], ["TOO_LARGE", "too_large"]);
  assertEquals(parseChildReply(body, { maxBytes: 10_000 }).data, "x".repeat(2000));
});
