import { assert, assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { keys } from "../../store/keys.ts";
import { listClients } from "../../store/clients.ts";
import { createSite, listSites } from "../../store/sites.ts";

const API = "/wp-json/mainwp/v2";
const WORKERS = 8;
const PER_WORKER = 50;
const SITES = 40;
/** One field per worker: every worker edits every target client, each its own field. */
const FIELDS = ["address_1", "address_2", "city", "zip", "state", "country", "note", "client_phone"] as const;

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("8 parallel API clients create and edit 400 clients: unique ids, no lost edit, consistent indexes", async () => {
  const t = await testApp();
  const tokens = await Promise.all(Array.from({ length: WORKERS }, () => t.key("read_write")));
  for (let i = 1; i <= SITES; i++) await createSite(t.ctx.kv, { url: `https://site${i}.example` });

  // Phase 1: every worker creates 50 clients, each taking a random site of a shared pool.
  const createdIds = await Promise.all(tokens.map(async (token, w) => {
    const rnd = random(w + 1);
    const ids: number[] = [];
    for (let i = 0; i < PER_WORKER; i++) {
      const res = await t.call("POST", `${API}/clients/add`, {
        token,
        json: {
          name: `W${w} C${i}`,
          client_email: `w${w}-c${i}@x.test`,
          selected_sites: [1 + Math.floor(rnd() * SITES)],
        },
      });
      assertEquals(res.body.success, 1, JSON.stringify(res.body));
      ids.push(Number(res.body.data.id));
    }
    return ids;
  }));
  const allIds = createdIds.flat().sort((a, b) => a - b);
  assertEquals(allIds, Array.from({ length: WORKERS * PER_WORKER }, (_, i) => i + 1));

  // Phase 2: every worker edits the same 100 clients (its own field), moves sites around, and worker 7
  // also changes their e-mail addresses.
  const targets = allIds.filter((id) => id % 4 === 0);
  await Promise.all(tokens.map(async (token, w) => {
    const rnd = random(100 + w);
    for (const id of targets) {
      const json: Record<string, unknown> = {
        [FIELDS[w]]: `w${w}-${id}`,
        selected_sites: [1 + Math.floor(rnd() * SITES), 1 + Math.floor(rnd() * SITES)],
      };
      if (w === 7) json.client_email = `edited-${id}@x.test`;
      const res = await t.call(w % 2 ? "PUT" : "POST", `${API}/clients/${id}/edit`, { token, json });
      assertEquals(res.body.success, 1, JSON.stringify(res.body));
    }
  }));

  // No lost edit.
  const clients = await listClients(t.ctx.kv);
  assertEquals(clients.length, WORKERS * PER_WORKER);
  const byId = new Map(clients.map((c) => [c.client_id, c]));
  for (const id of targets) {
    const c = byId.get(id)!;
    for (const [w, field] of FIELDS.entries()) assertEquals(c[field], `w${w}-${id}`, `client ${id} ${field}`);
    assertEquals(c.client_email, `edited-${id}@x.test`);
  }

  // The e-mail index holds exactly the records' addresses.
  const emailIndex = new Map<string, number>();
  for await (const e of t.ctx.kv.list<number>({ prefix: ["idx", "client_email"] })) {
    emailIndex.set(String(e.key[2]), e.value);
  }
  assertEquals(emailIndex.size, clients.length);
  for (const c of clients) assertEquals(emailIndex.get(c.client_email.toLowerCase()), c.client_id);

  // The client→sites index holds exactly the sites' client_id links.
  const sites = await listSites(t.ctx.kv);
  const fromRecords = sites.filter((s) => s.client_id > 0).map((s) => `${s.client_id}/${s.id}`).sort();
  const fromIndex: string[] = [];
  for await (const e of t.ctx.kv.list({ prefix: ["idx", "client_sites"] })) {
    fromIndex.push(`${String(e.key[2])}/${String(e.key[3])}`);
  }
  assertEquals(fromIndex.sort(), fromRecords);
  assert(fromRecords.length > 0);
  // Every assigned site points at an existing client, and the API agrees with the records.
  for (const s of sites.filter((s) => s.client_id > 0)) assert(byId.has(s.client_id), `site ${s.id}`);
  const owner = sites.find((s) => s.client_id > 0)!;
  const listed = await t.call("GET", `${API}/clients/${owner.client_id}`, { token: tokens[0] });
  assertEquals(listed.body.success, 1);
  assertEquals(
    (await t.ctx.kv.get(keys.clientByEmail(listed.body.data.client_email))).value,
    owner.client_id,
  );
  await t.close();
});
