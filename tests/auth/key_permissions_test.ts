/**
 * @module
 * One key-permission rule on every namespace (issue #11): GET/HEAD need `read`, POST/PUT/PATCH need
 * `write`, DELETE needs `write` or `delete`, on `/mainwp/v2`, on `/wp-abilities/v1` (where `/run` is
 * checked against the method the ability's annotations dictate), inside `POST /batch/v1`, MainWP's
 * batches and the `GET /batch` fan-out, and after `_method` / `X-HTTP-Method-Override`. Every refusal
 * leaves the store exactly as it was.
 */
import { assertEquals } from "@std/assert";
import { type TestApp, testApp } from "../helpers.ts";
import { createApiKey, type KeyPermission } from "../../store/api-keys.ts";
import { createUser } from "../../store/users.ts";
import { createTag } from "../../store/tags.ts";
import { createSite, getSite } from "../../store/sites.ts";
import { keyShortfall } from "../../auth/key-permissions.ts";

type Need = "GET" | "POST" | "DELETE" | "OTHER";

/** rest-v2.md §1.4: which key permissions each kind of method needs. */
const ALLOWED: Record<Need, KeyPermission[]> = {
  GET: ["read", "read_write"],
  POST: ["write", "read_write"],
  DELETE: ["write", "delete", "read_write"],
  OTHER: [],
};
const PERMISSIONS: KeyPermission[] = ["read", "write", "delete", "read_write"];

const MAINWP_MESSAGE: Record<Need, string> = {
  GET: "The API key provided does not have read permissions.",
  POST: "The API key provided does not have write permissions.",
  DELETE: "The API key provided does not have delete permissions.",
  OTHER: "Unknown request method.",
};

/** What a refused request answers: status, code and message. */
type Refusal = [number, string, string];
const mainwpRefusal = (
  need: Need,
): Refusal => [401, "mainwp_rest_authentication_error", MAINWP_MESSAGE[need]];
const ABILITIES_LIST_REFUSAL: Refusal = [403, "rest_forbidden", "Sorry, you are not allowed to do that."];
const ABILITY_RUN_REFUSAL: Refusal = [
  403,
  "rest_ability_cannot_execute",
  "Sorry, you are not allowed to execute this ability.",
];

/** What a case may use besides site 1: a tag of its own (so each case can delete one). */
interface Fixture {
  tag: number;
}
interface Req {
  method: string;
  path: string;
  json?: unknown;
  headers?: Record<string, string>;
}
interface Case {
  name: string;
  /** The method class the key must allow (for `/run`: the one the ability's annotations dictate). */
  need: Need;
  request: (f: Fixture) => Req;
  /** The refusal when it is not the namespace's default (see {@link refusalOf}). */
  refusal?: Refusal;
  /** Status when the key is allowed (default 200). */
  ok?: number;
  /** A batch: the status and code of its one sub-response is what counts. */
  sub?: "wp-batch";
  /** More assertions on an allowed answer's body. */
  // deno-lint-ignore no-explicit-any
  check?: (body: any) => void;
}

const V2 = "/wp-json/mainwp/v2";
const AB = "/wp-json/wp-abilities/v1";
const RUN = (name: string) => `${AB}/abilities/mainwp/${name}/run`;
const OVERRIDE = (method: string) => ({ "X-HTTP-Method-Override": method });
let seq = 0;
const fresh = () => `Tag ${++seq}`;

const CASES: Case[] = [
  // /mainwp/v2
  { name: "v2 GET /tags", need: "GET", request: () => ({ method: "GET", path: `${V2}/tags` }) },
  { name: "v2 HEAD /tags", need: "GET", request: () => ({ method: "HEAD", path: `${V2}/tags` }) },
  {
    name: "v2 POST /tags/add",
    need: "POST",
    request: () => ({ method: "POST", path: `${V2}/tags/add`, json: { name: fresh() } }),
  },
  {
    name: "v2 PUT /tags/{id}/edit",
    need: "POST",
    request: (f) => ({ method: "PUT", path: `${V2}/tags/${f.tag}/edit`, json: { name: fresh() } }),
  },
  {
    name: "v2 DELETE /tags/{id}/remove",
    need: "DELETE",
    request: (f) => ({ method: "DELETE", path: `${V2}/tags/${f.tag}/remove?force=true` }),
  },
  {
    name: "v2 POST /sites/1/suspend",
    need: "POST",
    request: () => ({ method: "POST", path: `${V2}/sites/1/suspend` }),
  },
  {
    name: "v2 POST /batch (global batch)",
    need: "POST",
    request: () => ({ method: "POST", path: `${V2}/batch`, json: { tags: { create: [{ name: fresh() }] } } }),
  },
  {
    name: "v2 POST /tags/batch (controller batch, delete item)",
    need: "POST",
    request: (f) => ({ method: "POST", path: `${V2}/tags/batch`, json: { delete: [f.tag] } }),
  },
  {
    name: "v2 POST /sites/batch (read-like site action)",
    need: "POST",
    request: () => ({ method: "POST", path: `${V2}/sites/batch`, json: { security: [1] } }),
  },
  {
    name: "v2 GET /batch fan-out (v2 and abilities URLs)",
    need: "GET",
    request: () => ({
      method: "GET",
      path: `${V2}/batch?urls[]=/tags&urls[]=/wp-json/wp-abilities/v1/abilities/mainwp/list-tags-v1/run`,
    }),
    // Each URL ran as a GET with the caller's key, on its own namespace's guard.
    check: (body) => {
      assertEquals(body["/tags"].success, 1);
      assertEquals(typeof body["/wp-json/wp-abilities/v1/abilities/mainwp/list-tags-v1/run"].total, "number");
    },
  },
  {
    name: "v2 POST ?_method=DELETE",
    need: "DELETE",
    request: (f) => ({ method: "POST", path: `${V2}/tags/${f.tag}/remove?force=true&_method=DELETE` }),
  },
  {
    name: "v2 POST X-HTTP-Method-Override: DELETE",
    need: "DELETE",
    request: (f) => ({
      method: "POST",
      path: `${V2}/tags/${f.tag}/remove?force=true`,
      headers: OVERRIDE("DELETE"),
    }),
  },
  {
    name: "v2 POST ?_method=GET",
    need: "GET",
    request: () => ({ method: "POST", path: `${V2}/tags?_method=GET` }),
  },
  {
    name: "v2 POST X-HTTP-Method-Override: GET",
    need: "GET",
    request: () => ({ method: "POST", path: `${V2}/tags`, headers: OVERRIDE("GET") }),
  },
  {
    name: "v2 POST ?_method=PURGE",
    need: "OTHER",
    request: () => ({ method: "POST", path: `${V2}/tags?_method=PURGE` }),
  },
  // /wp-abilities/v1
  {
    name: "abilities GET /abilities",
    need: "GET",
    request: () => ({ method: "GET", path: `${AB}/abilities` }),
  },
  {
    name: "abilities GET /categories/{slug}",
    need: "GET",
    request: () => ({ method: "GET", path: `${AB}/categories/mainwp-tags` }),
  },
  {
    name: "run list-tags-v1 (GET)",
    need: "GET",
    request: () => ({ method: "GET", path: RUN("list-tags-v1") }),
  },
  {
    name: "run add-tag-v1 (POST)",
    need: "POST",
    request: () => ({ method: "POST", path: RUN("add-tag-v1"), json: { input: { name: fresh() } } }),
  },
  {
    name: "run delete-tag-v1 with confirm (DELETE)",
    need: "DELETE",
    request: (f) => ({
      method: "DELETE",
      path: `${RUN("delete-tag-v1")}?input[tag_id]=${f.tag}&input[confirm]=1`,
    }),
  },
  {
    name: "run suspend-site-v1 (POST)",
    need: "POST",
    request: () => ({
      method: "POST",
      path: RUN("suspend-site-v1"),
      json: { input: { site_id_or_domain: 1 } },
    }),
  },
  {
    name: "run run-updates-v1 with empty input: every site (POST)",
    need: "POST",
    request: () => ({ method: "POST", path: RUN("run-updates-v1"), json: { input: {} } }),
  },
  {
    name: "run a readonly ability with POST: checked as GET, then 405",
    need: "GET",
    ok: 405,
    request: () => ({ method: "POST", path: RUN("list-tags-v1"), json: {} }),
  },
  {
    name: "run a write ability with GET: checked as POST, then 405",
    need: "POST",
    ok: 405,
    request: () => ({ method: "GET", path: `${RUN("add-tag-v1")}?input[name]=x` }),
  },
  {
    name: "run POST ?_method=GET",
    need: "GET",
    request: () => ({ method: "POST", path: `${RUN("list-tags-v1")}?_method=GET` }),
  },
  {
    name: "run POST X-HTTP-Method-Override: GET",
    need: "GET",
    request: () => ({ method: "POST", path: RUN("list-tags-v1"), headers: OVERRIDE("GET") }),
  },
  {
    name: "run POST ?_method=DELETE on delete-tag-v1",
    need: "DELETE",
    request: (f) => ({
      method: "POST",
      path: `${RUN("delete-tag-v1")}?input[tag_id]=${f.tag}&input[confirm]=1&_method=DELETE`,
    }),
  },
  {
    name: "run POST X-HTTP-Method-Override: DELETE on delete-tag-v1",
    need: "DELETE",
    request: (f) => ({
      method: "POST",
      path: `${RUN("delete-tag-v1")}?input[tag_id]=${f.tag}&input[confirm]=1`,
      headers: OVERRIDE("DELETE"),
    }),
  },
  // WordPress core's POST /batch/v1: each sub-request with its own method and the caller's key.
  {
    name: "/batch/v1 item POST /mainwp/v2/tags/add",
    need: "POST",
    sub: "wp-batch",
    request: () => ({
      method: "POST",
      path: "/wp-json/batch/v1",
      json: { requests: [{ method: "POST", path: "/mainwp/v2/tags/add", body: { name: fresh() } }] },
    }),
  },
  {
    name: "/batch/v1 item PATCH /mainwp/v2/tags/{id}/edit",
    need: "POST",
    sub: "wp-batch",
    request: (f) => ({
      method: "POST",
      path: "/wp-json/batch/v1",
      json: {
        requests: [{ method: "PATCH", path: `/mainwp/v2/tags/${f.tag}/edit`, body: { name: fresh() } }],
      },
    }),
  },
  {
    name: "/batch/v1 item DELETE /mainwp/v2/tags/{id}/remove",
    need: "DELETE",
    sub: "wp-batch",
    request: (f) => ({
      method: "POST",
      path: "/wp-json/batch/v1",
      json: { requests: [{ method: "DELETE", path: `/mainwp/v2/tags/${f.tag}/remove?force=true` }] },
    }),
  },
  {
    name: "/batch/v1 item with X-HTTP-Method-Override: DELETE stays POST",
    need: "POST",
    sub: "wp-batch",
    request: () => ({
      method: "POST",
      path: "/wp-json/batch/v1",
      json: {
        requests: [{
          method: "POST",
          path: "/mainwp/v2/tags/add",
          body: { name: fresh() },
          headers: OVERRIDE("DELETE"),
        }],
      },
    }),
  },
  {
    name: "/batch/v1 item POST an ability's /run (never batchable)",
    need: "POST",
    sub: "wp-batch",
    ok: 400,
    refusal: ABILITY_RUN_REFUSAL,
    request: () => ({
      method: "POST",
      path: "/wp-json/batch/v1",
      json: {
        requests: [{
          method: "POST",
          path: "/wp-abilities/v1/abilities/mainwp/add-tag-v1/run",
          body: { input: { name: fresh() } },
        }],
      },
    }),
  },
];

/** MainWP's 401 on `/mainwp/v2` (and for `/batch/v1` items there), WordPress's 403s on wp-abilities. */
function refusalOf(c: Case): Refusal {
  if (c.refusal) return c.refusal;
  if (c.name.startsWith("run")) return ABILITY_RUN_REFUSAL;
  if (c.name.startsWith("abilities")) return ABILITIES_LIST_REFUSAL;
  return mainwpRefusal(c.need);
}

/** Everything in the store, in key order. */
async function snapshot(kv: Deno.Kv): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const entry of kv.list({ prefix: [] })) out.push([entry.key, entry.value, entry.versionstamp]);
  return out;
}

async function setup(permissions: KeyPermission): Promise<{ t: TestApp; token: string }> {
  const t = await testApp();
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { token } = await createApiKey(t.ctx.kv, { permissions, userId: admin.id });
  // A loopback address nothing listens on; no case contacts it (a never-synced site has no updates).
  await createSite(t.ctx.kv, { url: "http://127.0.0.1:9/" });
  return { t, token };
}

Deno.test("key permissions: the same matrix on /mainwp/v2, /wp-abilities/v1, batches and overrides", async (ctx) => {
  for (const permissions of PERMISSIONS) {
    const { t, token } = await setup(permissions);
    try {
      for (const c of CASES) {
        await ctx.step(`${permissions}: ${c.name}`, async () => {
          const tag = (await createTag(t.ctx.kv, { name: fresh() })).id;
          const r = c.request({ tag });
          const before = await snapshot(t.ctx.kv);
          const res = await t.call(r.method, r.path, { token, json: r.json, headers: r.headers });
          const allowed = ALLOWED[c.need].includes(permissions);
          const [status, code] = c.sub
            ? [
              res.status === 207 ? res.body.responses[0].status : res.status,
              res.body.responses?.[0].body.code,
            ]
            : [res.status, res.body?.code];
          if (allowed) {
            assertEquals(status, c.ok ?? 200, res.text.slice(0, 300));
            if (c.ok === 400) assertEquals(code, "rest_batch_not_allowed");
            if (c.ok === 405) assertEquals(code, "rest_ability_invalid_method");
            c.check?.(res.body);
          } else {
            const [rStatus, rCode, rMessage] = refusalOf(c);
            const body = c.sub ? res.body.responses[0].body : r.method === "HEAD" ? null : res.body;
            if (body) {
              assertEquals(
                [status, body.code, body.message],
                [rStatus, rCode, rMessage],
                res.text.slice(0, 300),
              );
            } else assertEquals(status, rStatus);
            assertEquals(await snapshot(t.ctx.kv), before, "a refused request changed the store");
          }
        });
      }
    } finally {
      await t.close();
    }
  }
});

Deno.test("a read key runs none of add-tag, delete-tag (confirm), suspend-site, run-updates", async () => {
  const { t, token } = await setup("read");
  const tag = (await createTag(t.ctx.kv, { name: "Keep" })).id;
  const before = await snapshot(t.ctx.kv);
  const calls: [string, string, unknown][] = [
    ["POST", RUN("add-tag-v1"), { input: { name: "New" } }],
    ["DELETE", `${RUN("delete-tag-v1")}?input[tag_id]=${tag}&input[confirm]=true`, undefined],
    ["POST", RUN("suspend-site-v1"), { input: { site_id_or_domain: 1 } }],
    ["POST", RUN("run-updates-v1"), { input: {} }],
    ["POST", RUN("run-updates-v1"), undefined],
  ];
  for (const [method, path, json] of calls) {
    const res = await t.call(method, path, { token, json });
    assertEquals([res.status, res.body.code], [403, "rest_ability_cannot_execute"], `${method} ${path}`);
  }
  assertEquals(await snapshot(t.ctx.kv), before);
  assertEquals((await getSite(t.ctx.kv, 1))?.suspended, 0);
  // The same key on /mainwp/v2 is refused too, with MainWP's answer.
  const v2 = await t.call("POST", `${V2}/tags/add`, { token, json: { name: "New" } });
  assertEquals([v2.status, v2.body.message], [401, MAINWP_MESSAGE.POST]);
  await t.close();
});

Deno.test("a key without an existing owner user: refused on wp-abilities, unchanged on /mainwp/v2", async () => {
  const t = await testApp();
  await createSite(t.ctx.kv, { url: "http://127.0.0.1:9/" });
  for (const userId of [0, 1, 99]) {
    const { token } = await createApiKey(t.ctx.kv, { permissions: "read_write", userId });
    const before = await snapshot(t.ctx.kv);
    for (
      const [method, path, json] of [
        ["GET", `${AB}/abilities`, undefined],
        ["GET", RUN("list-tags-v1"), undefined],
        ["POST", RUN("add-tag-v1"), { input: { name: "Orphan" } }],
        ["POST", RUN("suspend-site-v1"), { input: { site_id_or_domain: 1 } }],
      ] as const
    ) {
      const res = await t.call(method, path, { token, json });
      assertEquals([res.status, res.body], [401, {
        code: "mainwp_permission_denied",
        message: "This API key has no owner user, so it cannot be used on the Abilities API.",
        data: { status: 401 },
      }], `user ${userId}: ${method} ${path}`);
    }
    assertEquals(await snapshot(t.ctx.kv), before);
    const v2 = await t.call("GET", `${V2}/tags`, { token });
    assertEquals([v2.status, v2.body.success], [200, 1], `user ${userId} on /mainwp/v2`);
  }
  // Once user 1 exists, the key created for it acts as that user (and only with its permissions).
  const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
  const { token } = await createApiKey(t.ctx.kv, { permissions: "read", userId: admin.id });
  assertEquals((await t.call("GET", RUN("list-tags-v1"), { token })).status, 200);
  assertEquals(
    (await t.call("POST", RUN("add-tag-v1"), { token, json: { input: { name: "X" } } })).status,
    403,
  );
  await t.close();
});

Deno.test("an override to a method a Request cannot carry matches no route (never a 500)", async () => {
  const { t, token } = await setup("read_write");
  const before = await snapshot(t.ctx.kv);
  for (const method of ["TRACE", "connect", "Track", "GE T", "a/b"]) {
    for (const path of [`${V2}/tags`, RUN("add-tag-v1")]) {
      const byQuery = await t.call("POST", `${path}?_method=${encodeURIComponent(method)}`, { token });
      assertEquals([byQuery.status, byQuery.body.code], [404, "rest_no_route"], `${method} ${path}`);
      const byHeader = await t.call("POST", path, { token, headers: OVERRIDE(method) });
      assertEquals([byHeader.status, byHeader.body.code], [404, "rest_no_route"], `${method} ${path}`);
    }
  }
  assertEquals(await snapshot(t.ctx.kv), before);
  await t.close();
});

Deno.test("keyShortfall: the rule itself, including OPTIONS, lower-case and unknown methods and permissions", () => {
  const table: [string, string, string | null][] = [
    ["read", "get", null],
    ["read", "PATCH", "write"],
    ["write", "HEAD", "read"],
    ["write", "PUT", null],
    ["delete", "DELETE", null],
    ["delete", "POST", "write"],
    ["delete", "OPTIONS", null],
    ["read_write", "PURGE", "method"],
    // A stored permission this code does not know grants nothing.
    ["admin", "DELETE", "delete"],
    ["admin", "GET", "read"],
  ];
  for (const [permissions, method, lacking] of table) {
    assertEquals(keyShortfall(permissions as KeyPermission, method), lacking, `${permissions} ${method}`);
  }
});
