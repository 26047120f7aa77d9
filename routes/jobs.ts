/**
 * @module
 * `/wp-json/mainwp/v2/jobs` — Fleetpress's own routes for background jobs (MainWP's `status_url` points
 * here but MainWP registers no such route; see COMPATIBILITY.md). Bearer API keys with read permission:
 * - `GET /jobs`: the live jobs, newest first (`per_page` 1–100, default 20), as status summaries: the
 *   counts are exact, `errors` is left empty (read one job for its per-site errors);
 * - `GET /jobs/{id}`: the same body as `mainwp/get-batch-job-status-v1`;
 * - `GET /jobs/{id}/events`: server-sent events, one `progress` event per change and a final `end`
 *   event when the job has completed or failed (or a `gone` event when it expired).
 *
 * @example
 * ```sh
 * curl -N -H "Authorization: Bearer $KEY" http://127.0.0.1:8080/wp-json/mainwp/v2/jobs/sync_…/events
 * ```
 */
import { z } from "zod";
import { READABLE, RestResponse, type RestServer } from "../rest/server.ts";
import { wp } from "../rest/args.ts";
import { listJobs, watchJob } from "../jobs/store.ts";
import { jobStatus, type JobStatusView, requireJobStatus, statusView } from "../jobs/status.ts";

const NS = "mainwp/v2";
const JOB_ID = "(?P<job_id>[a-z]+_[0-9a-fA-F-]+)";

/** How often the event stream looks at the job (KV `watch` sees each write; this bounds the rate). */
const EVENT_INTERVAL_MS = 250;

/**
 * A server-sent-event stream of a job's status until it ends (bounded by the job's own end or expiry,
 * or by the client going away).
 *
 * @example
 * ```ts
 * const stream = jobEvents(kv, "sync_…");
 * ```
 */
export function jobEvents(kv: Deno.Kv, id: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stop = false;
  let reader: ReadableStreamDefaultReader<unknown> | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) =>
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      let last = "";
      reader = watchJob(kv, id).getReader();
      try {
        while (!stop) {
          const status: JobStatusView | null = await jobStatus(kv, id);
          if (!status) {
            send("gone", { job_id: id });
            break;
          }
          const text = JSON.stringify(status);
          if (text !== last) send("progress", status);
          last = text;
          if (status.status === "completed" || status.status === "failed") {
            send("end", status);
            break;
          }
          // Wake on the next write to the job (or a tick, in case the watch lags).
          await Promise.race([reader.read(), new Promise((r) => setTimeout(r, 5_000))]);
          await new Promise((r) => setTimeout(r, EVENT_INTERVAL_MS));
        }
      } finally {
        await reader.cancel().catch(() => {});
        if (!stop) controller.close();
      }
    },
    cancel() {
      stop = true;
    },
  });
}

/**
 * Registers the jobs routes.
 *
 * @example
 * ```ts
 * registerJobsRoutes(rest);
 * ```
 */
export function registerJobsRoutes(rest: RestServer): void {
  rest.register(NS, "/jobs", {
    methods: READABLE,
    args: z.object({ per_page: wp.int().optional() }).loose(),
    handler: async (req) => {
      const perPage = Math.min(100, Math.max(1, Number(req.args.per_page ?? 20)));
      const jobs = await listJobs(req.ctx.kv, perPage);
      return jobs.map((job) => statusView(job, []));
    },
  });
  rest.register(NS, `/jobs/${JOB_ID}`, {
    methods: READABLE,
    handler: async (req) => {
      return await requireJobStatus(req.ctx.kv, String(req.urlParams.job_id));
    },
  });
  rest.register(NS, `/jobs/${JOB_ID}/events`, {
    methods: READABLE,
    handler: async (req) => {
      const id = String(req.urlParams.job_id);
      await requireJobStatus(req.ctx.kv, id);
      return new RestResponse(null, 200, {
        text: jobEvents(req.ctx.kv, id),
        contentType: "text/event-stream",
      }, {
        "Cache-Control": "no-cache",
      });
    },
  });
}
