import { assertEquals } from "@std/assert";
import { Conflict, InvalidInput, NotFound, OperationFailed } from "../../core/errors.ts";
import { mainwpRestErrorOf } from "../../routes/errors.ts";
import { abilityErrorOf } from "../../abilities/errors.ts";
import { RestServer } from "../../rest/server.ts";
import { loadConfig } from "../../lib/config.ts";
import type { AppContext } from "../../app-context.ts";

Deno.test("each surface maps domain errors in its own words", () => {
  const tag = new NotFound("tag", 7);
  assertEquals(mainwpRestErrorOf(tag)?.toJSON(), {
    code: "mainwp_rest_invalid_tag_id",
    message: "Invalid or not found ID.",
    data: { status: 404 },
  });
  assertEquals(abilityErrorOf(tag)?.toJSON(), {
    code: "mainwp_tag_not_found",
    message: "No tag found with ID 7.",
    data: { status: 404 },
  });
  assertEquals(mainwpRestErrorOf(new InvalidInput("name", "Missing name."))?.status, 400);
  assertEquals(abilityErrorOf(new Conflict("site", 3, "Already there."))?.status, 409);
  assertEquals([mainwpRestErrorOf(new Error("x")), abilityErrorOf("x")], [undefined, undefined]);
  const queue = new OperationFailed("job.queue", "Failed to store sync job data. Please try again.");
  for (const mapped of [mainwpRestErrorOf(queue), abilityErrorOf(queue)]) {
    assertEquals([mapped?.code, mapped?.status], ["mainwp_queue_failed", 500]);
  }
  const job = new NotFound("job", "sync_x");
  assertEquals([mainwpRestErrorOf(job)?.code, abilityErrorOf(job)?.code], [
    "mainwp_job_not_found",
    "mainwp_job_not_found",
  ]);
});

Deno.test("a namespace's error mapper turns a handler's domain error into its wire error", async () => {
  const rest = new RestServer();
  rest.register("demo/v1", "/thing", {
    methods: ["GET"],
    handler: () => Promise.reject(new NotFound("tag", 1)),
  });
  rest.register("other/v1", "/thing", {
    methods: ["GET"],
    handler: () => Promise.reject(new NotFound("tag", 1)),
  });
  rest.mapErrors("demo/v1", mainwpRestErrorOf);
  const ctx = { config: loadConfig({ KV_PATH: ":memory:" }) } as unknown as AppContext;
  const get = async (path: string) => {
    const res = await rest.dispatch(ctx, new Request(`http://x/wp-json${path}`), { remoteAddr: "127.0.0.1" });
    return [res.status, (await res.json()).code];
  };
  assertEquals(await get("/demo/v1/thing"), [404, "mainwp_rest_invalid_tag_id"]);
  assertEquals(await get("/other/v1/thing"), [500, "internal_server_error"]);
});
