/**
 * Concurrency: 8 parallel API clients create 400 tags, then rename and recolour every tag from two
 * different clients at once, assign tags to sites through site edits, and delete some tags while sites
 * are being edited. Afterwards: ids are unique, no edit is lost, and every index agrees with the records.
 *
 * (One KV handle: two handles on one SQLite file in one process fail with "database is locked" under
 * write contention, which `atomicRetry` does not retry.)
 */
import { assert, assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { keys } from "../../store/keys.ts";
import { createSite, listSites } from "../../store/sites.ts";
import { listTags, tagNameKey } from "../../store/tags.ts";

const WORKERS = 8;
const TAGS_PER_WORKER = 50;
const SITES = 16;

// deno-lint-ignore no-explicit-any
type Call = (method: string, path: string, json?: unknown) => Promise<{ status: number; body: any }>;

function pairs(entries: Deno.KvEntry<unknown>[]): string[] {
  return entries.map((e) => `${String(e.key[2])}-${String(e.key[3])}`).sort();
}

async function listAll(kv: Deno.Kv, prefix: Deno.KvKey): Promise<Deno.KvEntry<unknown>[]> {
  const out: Deno.KvEntry<unknown>[] = [];
  for await (const e of kv.list({ prefix })) out.push(e);
  return out;
}

Deno.test({
  name: "8 parallel clients: 400 tags, concurrent edits, deletions and site links stay consistent",
  fn: async () => {
    const t = await testApp();
    const token = await t.key("read_write");
    const setup = t.ctx.kv;
    for (let i = 0; i < SITES; i++) {
      await createSite(setup, { url: `https://site${i}.example`, name: `S${i}` });
    }
    const call: Call = async (method, path, json) => {
      const res = await t.call(method, `/wp-json/mainwp/v2${path}`, { token, json });
      return { status: res.status, body: res.body };
    };
    const callerOf = (_w: number) => call;
    try {
      // Phase 1: 8 clients create 50 tags each, at once.
      const created: number[][] = await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          const ids: number[] = [];
          for (let i = 0; i < TAGS_PER_WORKER; i++) {
            const res = await callerOf(w)("POST", "/tags/add", { name: `w${w}-t${i}` });
            assertEquals(res.body.success, 1, JSON.stringify(res));
            ids.push(Number(res.body.data.id));
          }
          return ids;
        }),
      );
      const allIds = created.flat();
      assertEquals(allIds.length, WORKERS * TAGS_PER_WORKER);
      assertEquals(new Set(allIds).size, allIds.length);
      assertEquals([...allIds].sort((x, y) => x - y), Array.from({ length: allIds.length }, (_, i) => i + 1));

      // Phase 2: every tag is renamed by one client and recoloured by another at the same time; each
      // client also re-tags its two sites repeatedly; some tags are deleted meanwhile.
      const doomed = new Set(allIds.filter((id) => id % 10 === 0));
      const colorOf = (id: number) => `#${(id * 2654435761 % 0xffffff).toString(16).padStart(6, "0")}`;
      const lastAssigned = new Map<number, number[]>();
      await Promise.all(Array.from({ length: WORKERS }, async (_, w) => {
        const call = callerOf(w);
        const ops: (() => Promise<void>)[] = [];
        for (const id of allIds) {
          if (id % WORKERS === w) {
            ops.push(async () => {
              const res = await call("POST", `/tags/${id}/edit`, { name: `renamed-${id}` });
              if (!doomed.has(id)) assertEquals(res.body.success, 1);
            });
          }
          if ((id + 3) % WORKERS === w) {
            ops.push(async () => {
              const res = await call("PATCH", `/tags/${id}/edit`, { color: colorOf(id) });
              if (!doomed.has(id)) assertEquals(res.body.success, 1);
            });
          }
          if ((id + 5) % WORKERS === w && doomed.has(id)) {
            ops.push(async () => {
              const res = await call("DELETE", `/tags/${id}/remove`);
              assert(res.status === 200 || res.status === 404);
            });
          }
        }
        const mySites = [2 * w + 1, 2 * w + 2];
        for (let round = 0; round < 12; round++) {
          for (const siteId of mySites) {
            const pick = [0, 1, 2, 3].map((k) =>
              allIds[(siteId * 31 + round * 17 + k * 101) % allIds.length]
            );
            ops.splice(Math.floor(ops.length * (round + 0.5) / 12), 0, async () => {
              const res = await call("POST", `/sites/${siteId}/edit`, { groupids: pick.join(",") });
              assertEquals(res.body.success, 1);
              lastAssigned.set(siteId, pick);
            });
          }
        }
        for (const op of ops) await op();
      }));

      // Checks, on a fresh view of the store.
      const kv = setup;
      const tags = await listTags(kv);
      const alive = new Set(tags.map((t) => t.id));
      assertEquals(alive.size, allIds.length - doomed.size);
      for (const id of doomed) assert(!alive.has(id), `tag ${id} should be deleted`);
      for (const tag of tags) {
        // No lost edit: both the rename and the recolour survived.
        assertEquals([tag.name, tag.color], [`renamed-${tag.id}`, colorOf(tag.id)]);
        assertEquals((await kv.get(keys.tagByName(tagNameKey(tag.name)))).value, tag.id);
      }
      assertEquals((await listAll(kv, ["idx", "tag_name"])).length, alive.size);

      const sites = await listSites(kv);
      const recordPairs: string[] = [];
      for (const site of sites) {
        const expected = (lastAssigned.get(site.id) ?? []).filter((id) => alive.has(id));
        assertEquals([...site.tag_ids].sort((x, y) => x - y), [...new Set(expected)].sort((x, y) => x - y));
        for (const tagId of site.tag_ids) recordPairs.push(`${site.id}-${tagId}`);
      }
      recordPairs.sort();
      // Both link indexes match the records exactly (no orphan, no missing entry).
      assertEquals(pairs(await listAll(kv, ["idx", "site_tags"])), recordPairs);
      const tagSitePairs = (await listAll(kv, ["idx", "tag_sites"])).map((e) =>
        `${String(e.key[3])}-${String(e.key[2])}`
      ).sort();
      assertEquals(tagSitePairs, recordPairs);

      // The API agrees.
      const list = await call("GET", "/tags");
      assertEquals(list.body.total, alive.size);
      let linked = 0;
      for (const tag of Object.values(list.body.data) as { count_sites: string }[]) {
        linked += Number(tag.count_sites);
      }
      assertEquals(linked, recordPairs.length);
    } finally {
      await t.close();
    }
  },
});
