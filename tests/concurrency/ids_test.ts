/**
 * Concurrency: record ids. Bursts of creates (64 at once, through the REST routes) all succeed with distinct
 * ids 1…64, and two KV handles on one file allocating at the same time get disjoint ids with no gaps.
 */
import { assertEquals } from "@std/assert";
import { testApp } from "../helpers.ts";
import { startChildSimulator } from "../../sim/server.ts";
import { generateSiteKeys } from "../../child/index.ts";
import { allocateId, atomicRetry } from "../../store/kv.ts";
import { createSite } from "../../store/sites.ts";

const API = "/wp-json/mainwp/v2";
const BURST = 64;
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/**
 * Counts the commits on `kv` that failed a version check, from now on — leaving out `last_access` writes
 * (`touchApiKey` tries once; concurrent requests with one key race there by design).
 */
function countConflicts(kv: Deno.Kv): { conflicts: number } {
  const counter = { conflicts: 0 };
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    let apiKey = false;
    const check = op.check.bind(op);
    op.check = (...checks) => {
      apiKey ||= checks.some((c) => c.key[0] === "api_keys");
      return check(...checks);
    };
    const commit = op.commit.bind(op);
    op.commit = async () => {
      const result = await commit();
      if (!result.ok && !apiKey) counter.conflicts++;
      return result;
    };
    return op;
  };
  return counter;
}

Deno.test("64 concurrent POST /sites/add all succeed with distinct ids", async () => {
  const sim = await startChildSimulator({ count: BURST });
  const t = await testApp({
    env: { SECRET_KEY: "0123456789abcdef0123" },
    child: { maxPerHost: 16, maxConcurrent: 16, timeoutMs: 60_000 },
  });
  try {
    // One shared key pair (as the benchmark fleet): 64 RSA key generations would only test the CPU.
    const keys = await generateSiteKeys();
    const register = t.ctx.child.register.bind(t.ctx.child);
    t.ctx.child.register = (url, options) => register(url, { ...options, keys });
    const token = await t.key("read_write");
    const counter = countConflicts(t.ctx.kv);
    const answers = await Promise.all(
      oneToN(BURST).map((i) =>
        t.call("POST", `${API}/sites/add`, {
          token,
          json: { url: sim.url(i), admin: "admin", adminpassword: "admin-password" },
        })
      ),
    );
    for (const res of answers) assertEquals([res.status, res.body.success], [200, 1], res.text);
    assertEquals(sorted(answers.map((res) => Number(res.body.data.id))), oneToN(BURST));
    assertEquals(counter.conflicts, 0, "no create had to be redone");
  } finally {
    await t.close();
    await sim.close();
  }
});

Deno.test("64 concurrent createSite calls (as the benchmark fleet registers them) get ids 1…64", async () => {
  const t = await testApp();
  try {
    const counter = countConflicts(t.ctx.kv);
    const created = await Promise.all(
      oneToN(BURST).map((i) => createSite(t.ctx.kv, { url: `https://burst${i}.example` })),
    );
    assertEquals(sorted(created.map((c) => "site" in c ? c.site.id : 0)), oneToN(BURST));
    assertEquals(counter.conflicts, 0, "no create had to be redone");
  } finally {
    await t.close();
  }
});

Deno.test("64 concurrent client, tag and cost creates through the REST routes all succeed", async () => {
  const t = await testApp();
  try {
    const token = await t.key("read_write");
    const counter = countConflicts(t.ctx.kv);
    const burst = (path: string, json: (i: number) => unknown) =>
      Promise.all(oneToN(BURST).map((i) => t.call("POST", `${API}${path}`, { token, json: json(i) })));
    const [clients, tags, costs] = await Promise.all([
      burst("/clients/add", (i) => ({ name: `Client ${i}`, client_email: `c${i}@x.test` })),
      burst("/tags/add", (i) => ({ name: `Tag ${i}` })),
      burst("/costs/add", (i) => ({ name: `Cost ${i}`, product_type: "hosting", price: "1", groups: [1] })),
    ]);
    for (const [name, answers] of [["clients", clients], ["tags", tags], ["costs", costs]] as const) {
      for (const res of answers) {
        assertEquals([res.status, res.body.success], [200, 1], `${name}: ${res.text}`);
      }
      const ids = answers.map((res) => Number(res.body.data.id ?? res.body.data.client_id));
      assertEquals(sorted(ids), oneToN(BURST), name);
    }
    assertEquals(counter.conflicts, 0, "no create had to be redone");
  } finally {
    await t.close();
  }
});

Deno.test("two KV handles on one file allocating at once get disjoint ids; one after another they increase", async () => {
  const dir = await Deno.makeTempDir();
  const a = await Deno.openKv(`${dir}/ids.kv`);
  const b = await Deno.openKv(`${dir}/ids.kv`);
  try {
    const PER_HANDLE = 150;
    const create = (kv: Deno.Kv) =>
      atomicRetry(kv, async (op) => {
        const id = await allocateId(kv, op, "things");
        op.check({ key: ["things", id], versionstamp: null }).set(["things", id], true);
        return id;
      });
    // Interleaved: every handle keeps many creates in flight while the other commits.
    const [fromA, fromB] = await Promise.all(
      [a, b].map((kv) => Promise.all(Array.from({ length: PER_HANDLE }, () => create(kv)))),
    );
    const all = new Set([...fromA, ...fromB]);
    assertEquals(all.size, 2 * PER_HANDLE, "no id given twice");
    // Ids of creates redone after "database is locked" were handed out again: none skipped.
    assertEquals(sorted([...all]), oneToN(2 * PER_HANDLE));
    assertEquals((await a.get<number>(["seq", "things"])).value, 2 * PER_HANDLE);
    // One create after another, whichever handle: increasing ids.
    const next = [await create(b), await create(a), await create(b)];
    assertEquals(next, [2 * PER_HANDLE + 1, 2 * PER_HANDLE + 2, 2 * PER_HANDLE + 3]);
  } finally {
    a.close();
    b.close();
    await Deno.remove(dir, { recursive: true });
  }
});
