/**
 * Replays the request patterns of real clients (spec clients.md §A1–A3): the MainWP MCP server's
 * discovery and runs (bracket arrays `input[k][]`, JSON bodies, DELETE with query input), MainWP's
 * mainwp-control (`input[k][0]` arrays, `user_confirmed`, job polling) and the v2 Bearer clients, and
 * checks the shapes those clients parse.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { simulatedApp } from "../helpers.ts";
import { createAppPassword, createUser } from "../../store/users.ts";

const V1 = "/wp-json/wp-abilities/v1";
const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?\/[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

Deno.test("clients.md replay: MCP discovery and runs, mainwp-control arrays and polling, v2 Bearer", async () => {
  const env = await simulatedApp(3, { add: true });
  const { t, token } = env;
  try {
    const admin = (await createUser(t.ctx.kv, { login: "admin" }))!;
    const { password } = await createAppPassword(t.ctx.kv, admin.id, "mcp");
    // Sent verbatim with its spaces (as shown, in groups of four), as the MCP does.
    const grouped = password.includes(" ") ? password : password.match(/.{1,4}/g)!.join(" ");
    const headers = {
      Authorization: `Basic ${btoa(`admin:${grouped}`)}`,
      "Content-Type": "application/json",
    };

    // A3.1 Discovery: pages of per_page=100 while page < X-WP-TotalPages; an array of abilities.
    const names: string[] = [];
    for (let page = 1; page <= 50; page++) {
      const res = await t.call("GET", `${V1}/abilities?per_page=100&page=${page}`, { headers });
      assertEquals(res.status, 200);
      assert(Array.isArray(res.body));
      for (const a of res.body) {
        assertMatch(a.name, NAME);
        for (const flag of ["readonly", "destructive", "idempotent"]) {
          assertEquals(typeof a.meta.annotations[flag], "boolean", `${a.name} ${flag}`);
        }
        assertEquals(typeof a.meta.annotations.instructions, "string");
        if (a.meta.annotations.destructive && a.name.startsWith("mainwp/")) {
          assertEquals(a.input_schema.properties.confirm.type, "boolean", a.name);
        }
        names.push(a.name);
      }
      if (page >= Number(res.headers.get("X-WP-TotalPages") ?? 1)) break;
    }
    assert(names.includes("mainwp/list-sites-v1") && names.includes("core/get-site-info"));
    const wrong = await t.call("GET", `${V1}/abilities?per_page=100`, {
      headers: { Authorization: `Basic ${btoa("admin:nope")}` },
    });
    assert(wrong.status === 401 || wrong.status === 403);
    assertEquals(typeof wrong.body.code, "string");

    // A3.2 Reads with bracket input (strings coerced by schema).
    const list = await t.call(
      "GET",
      `${V1}/abilities/mainwp/list-sites-v1/run?input[page]=1&input[per_page]=100`,
      {
        headers,
      },
    );
    assertEquals([list.body.page, list.body.per_page, list.body.total, list.body.items.length], [
      1,
      100,
      3,
      3,
    ]);
    assertEquals(Object.keys(list.body.items[0]), ["id", "url", "name", "status", "client_id"]);
    const mcpArrays = await t.call(
      "GET",
      `${V1}/abilities/mainwp/list-updates-v1/run?input[site_ids_or_domains][]=1&input[types][]=plugins`,
      { headers },
    );
    const controlArrays = await t.call(
      "GET",
      `${V1}/abilities/mainwp/list-updates-v1/run?input[site_ids_or_domains][0]=1&input[types][0]=plugins`,
      { headers },
    );
    assertEquals(mcpArrays.status, 200);
    assertEquals(controlArrays.body, mcpArrays.body);
    assert(
      mcpArrays.body.updates.every((u: { site_id: number; type: string }) =>
        u.site_id === 1 && u.type === "plugin"
      ),
    );
    const count = await t.call("GET", `${V1}/abilities/mainwp/count-clients-v1/run`, { headers });
    assertEquals(count.body, { total: 0 });

    // A3.3 Writes as POST JSON; above the threshold a job, polled as mainwp-control does.
    const sync = await t.call("POST", `${V1}/abilities/mainwp/sync-sites-v1/run`, {
      headers,
      json: { input: { site_ids_or_domains: [1] } },
    });
    assertEquals(Object.keys(sync.body), ["queued", "synced", "errors", "total_synced", "total_errors"]);
    assertEquals([sync.body.queued, sync.body.total_synced], [false, 1]);
    t.ctx.hooks.addFilter("mainwp_abilities_batch_threshold", () => 2);
    t.ctx.hooks.addFilter("mainwp_abilities_cron_initial_delay", () => 0);
    t.ctx.hooks.addFilter("mainwp_abilities_cron_reschedule_delay", () => 0);
    const stop = t.ctx.jobs.start();
    try {
      const queued = await t.call("POST", `${V1}/abilities/mainwp/sync-sites-v1/run`, {
        headers,
        json: { input: {} },
      });
      assertEquals([queued.body.queued, queued.body.sites_queued], [true, 3]);
      let status;
      for (let i = 0; i < 200; i++) {
        status = await t.call(
          "GET",
          `${V1}/abilities/mainwp/get-batch-job-status-v1/run?input[job_id]=${queued.body.job_id}`,
          { headers },
        );
        if (["completed", "failed"].includes(status.body.status)) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      assertEquals(status!.body.job_id, queued.body.job_id);
      assertEquals(status!.body.status, "completed");
      assert(status!.body.processed <= status!.body.total && status!.body.progress === 100);
    } finally {
      await stop();
    }

    // A3.4 Destructive two-step (mainwp-control adds user_confirmed) and DELETE with query input.
    const preview = await t.call("POST", `${V1}/abilities/mainwp/delete-site-v1/run`, {
      headers,
      json: { input: { site_id_or_domain: 2, dry_run: true } },
    });
    assertEquals([preview.body.dry_run, preview.body.would_affect.id], [true, 2]);
    const deleted = await t.call("POST", `${V1}/abilities/mainwp/delete-site-v1/run`, {
      headers,
      json: { input: { site_id_or_domain: 2, confirm: true, user_confirmed: true } },
    });
    assertEquals([deleted.body.deleted, deleted.body.site.id, deleted.body.would_affect], [true, 2, []]);
    const tag = await t.call("POST", `${V1}/abilities/mainwp/add-tag-v1/run`, {
      headers,
      json: { input: { name: "Agency" } },
    });
    const keep = await t.call(
      "DELETE",
      `${V1}/abilities/mainwp/delete-tag-v1/run?input[tag_id]=${tag.body.id}&input[confirm]=false`,
      {
        headers,
      },
    );
    assertEquals(keep.body.code, "mainwp_confirmation_required");
    const gone = await t.call(
      "DELETE",
      `${V1}/abilities/mainwp/delete-tag-v1/run?input[tag_id]=${tag.body.id}&input[confirm]=true`,
      {
        headers,
      },
    );
    assertEquals(gone.body, { deleted: true, tag: { id: tag.body.id, name: "Agency" } });
    const wrongMethod = await t.call("POST", `${V1}/abilities/mainwp/delete-tag-v1/run`, {
      headers,
      json: { input: {} },
    });
    assertEquals([wrongMethod.status, wrongMethod.body.code], [405, "rest_ability_invalid_method"]);

    // A3.5 Errors: WP_Error bodies.
    const unknownSite = await t.call(
      "GET",
      `${V1}/abilities/mainwp/get-site-v1/run?input[site_id_or_domain]=999`,
      {
        headers,
      },
    );
    assertEquals([unknownSite.status, unknownSite.body.code], [403, "mainwp_site_not_found"]);
    const noAbility = await t.call("GET", `${V1}/abilities/mainwp/nope-v1/run`, { headers });
    assertEquals([noAbility.status, noAbility.body.code, noAbility.body.data.status], [
      404,
      "rest_ability_not_found",
      404,
    ]);
    const intJob = await t.call("GET", `${V1}/abilities/mainwp/get-batch-job-status-v1/run?input[job_id]=1`, {
      headers,
    });
    assertEquals(intJob.status, 400); // manual-test.ts sends an integer job id and accepts an error

    // A3.6 v2 Bearer clients.
    assertEquals((await t.call("GET", "/wp-json/mainwp/v2/sites/count", { token })).body, { count: 2 });
    const one = await t.call("POST", "/wp-json/mainwp/v2/sites/1/sync", { token });
    assertEquals(one.body.success, 1);
  } finally {
    await env.close();
  }
});
