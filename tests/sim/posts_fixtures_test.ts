/**
 * The simulator's posts and pages against the recorded replies of a real MainWP Child 6.1 (fixtures 01–21
 * and 63–65): the recordings' params go to one simulated site in the recordings' order, and every reply
 * must have the recording's shape (same keys, recursively, same JSON types; `get_edit`'s base64 fields
 * decoded too) and HTTP status. Post ids the simulator gives differ from the recorded ones, so recorded
 * ids in `post_action` params are mapped to the simulator's.
 */
import { assertEquals } from "@std/assert";
import { encodePhpForm, type FormFields, parseEnvelope, signRequest } from "../../child/index.ts";
import { testKeys, withSimulator } from "../child/_fixtures.ts";
import { isObject, shapeDiff } from "./_shape.ts";

const DIR = new URL("../../../../shared/fixtures/mainwp-child-6.1/", import.meta.url);
const FIXTURES_DIR = await Deno.stat(DIR).then(
  () => DIR,
  () => new URL("file:///work/shared/fixtures/mainwp-child-6.1/"),
);
const FUNCTIONS = new Set(["newpost", "get_all_posts", "get_all_pages", "post_action"]);

interface Fixture {
  file: string;
  function: string;
  params: Record<string, unknown>;
  reply: unknown;
  reply_my_post_decoded?: Record<string, unknown>;
  http_status: number;
}

async function loadFixtures(): Promise<Fixture[]> {
  const out: Fixture[] = [];
  for await (const entry of Deno.readDir(FIXTURES_DIR)) {
    if (!/^\d\d-.*\.json$/.test(entry.name)) continue;
    const data = JSON.parse(await Deno.readTextFile(new URL(entry.name, FIXTURES_DIR)));
    if (FUNCTIONS.has(data.function)) out.push({ file: entry.name, ...data });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

function decoded(myPost: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(myPost).map(([k, v]) => {
      const text = new TextDecoder().decode(Uint8Array.from(atob(String(v)), (c) => c.charCodeAt(0)));
      try {
        return [k, JSON.parse(text)];
      } catch {
        return [k, text];
      }
    }),
  );
}

Deno.test("the simulator answers every recorded posts/pages call in the recording's shape", async () => {
  const fixtures = await loadFixtures();
  assertEquals(fixtures.length, 24, "recordings of the posts functions");
  const keys = await testKeys();
  await withSimulator({ count: 1 }, async (sim) => {
    const url = sim.url(1) + "wp-admin/admin-ajax.php";
    const post = async (fields: FormFields) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: encodePhpForm(fields),
      });
      const body = await response.text();
      return { status: response.status, reply: body.includes("<mainwp>") ? parseEnvelope(body) : null };
    };
    const register = await post({
      function: "register",
      user: "admin",
      pubkey: keys.publicKeyPem,
      userpwd: "admin-password",
      server: "http://127.0.0.1:1/wp-admin/",
    });
    assertEquals(register.status, 200);
    const ids = new Map<number, number>();
    const problems: string[] = [];
    let nonce = 100;
    for (const fx of fixtures) {
      const params = { ...fx.params } as FormFields;
      if (fx.function === "post_action") params.id = ids.get(Number(params.id)) ?? Number(params.id);
      const n = String(nonce++);
      const { status, reply } = await post({
        user: "admin",
        function: fx.function,
        nonce: n,
        mainwpver: "6.1.2",
        sign_algo: 7,
        mainwpsignature: signRequest(keys.privateKeyPem, fx.function, n, 7),
        ...params,
      });
      if (status !== fx.http_status) problems.push(`${fx.file}: HTTP ${status}, recorded ${fx.http_status}`);
      problems.push(...shapeDiff(fx.reply, reply, fx.file));
      if (isObject(fx.reply) && isObject(reply) && typeof fx.reply.added_id === "number") {
        ids.set(fx.reply.added_id, Number(reply.added_id));
      }
      if (fx.reply_my_post_decoded && isObject(reply) && isObject(reply.my_post)) {
        problems.push(...shapeDiff(fx.reply_my_post_decoded, decoded(reply.my_post), `${fx.file} my_post`));
      }
    }
    assertEquals(problems, []);
  });
});
