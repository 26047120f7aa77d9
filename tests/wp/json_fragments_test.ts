import { assertEquals } from "@std/assert";
import { encodeWithFragmentsOf, encodeWpJson, encodeWpJsonBody, rememberEncoding } from "../../wp/json.ts";

Deno.test("pre-encoded fragments: the same bytes as encoding the whole answer; only marked bodies splice", () => {
  const raw = {
    id: "3",
    url: "https://a.example/Café",
    note: "\u0001 a/b \u2028",
    n: 1.5,
    tags: { "4": "x" },
  };
  const view = rememberEncoding({ ...raw }, encodeWpJson(raw)).value;
  const body = { success: 1, total: 2, data: [view, { ...raw, id: "4" }], note: "é/" };
  const plain = encodeWpJson(structuredClone(body));
  assertEquals(encodeWpJson(encodeWithFragmentsOf(body)), plain);
  assertEquals(new TextDecoder().decode(encodeWpJsonBody(body) as Uint8Array), plain);
  assertEquals(encodeWpJsonBody({ a: "/" }), '{"a":"\\/"}'); // unmarked: the text
  // A remembered text is spliced as is (here a stand-in, to see that it is used at all).
  const marker = rememberEncoding({ a: 1 }, '{"spliced":true}').value;
  assertEquals(encodeWpJson(encodeWithFragmentsOf({ data: [marker] })), '{"data":[{"spliced":true}]}');
  assertEquals(encodeWpJson({ data: [marker] }), '{"data":[{"a":1}]}'); // unmarked: plain path
  assertEquals(encodeWpJson(encodeWithFragmentsOf({ data: [marker] }), true).includes("spliced"), false);
  // A stored string cannot pose as a fragment.
  const forged = { s: "\u0001" + "00000000-0000-0000-0000-000000000000:0" };
  assertEquals(
    encodeWpJson(encodeWithFragmentsOf({ data: [marker], forged })).includes('"s":"\\u0001'),
    true,
  );
});

Deno.test("a spliced answer asked for again is the same bytes; another page or a new view is not", () => {
  const a = rememberEncoding({ id: "1" }, encodeWpJson({ id: "1" })).value;
  const b = rememberEncoding({ id: "2" }, encodeWpJson({ id: "2" })).value;
  const page = (data: object[]) => encodeWpJsonBody(encodeWithFragmentsOf({ success: 1, data }));
  const first = page([a, b]);
  assertEquals(first === page([a, b]), true);
  assertEquals(first === page([b, a]), false);
  const b2 = rememberEncoding({ id: "2" }, encodeWpJson({ id: "2" })).value; // the same data, a new version
  assertEquals(first === page([a, b2]), false);
  assertEquals(
    new TextDecoder().decode(page([a, b2]) as Uint8Array),
    '{"success":1,"data":[{"id":"1"},{"id":"2"}]}',
  );
});
