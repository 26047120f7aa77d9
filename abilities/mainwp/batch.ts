/**
 * @module
 * MainWP's batch-job status ability (abilities.md §3.5): the progress, counts and per-site errors of a
 * job queued by a batch ability, from the same view as `GET /wp-json/mainwp/v2/jobs/{id}`.
 *
 * @example
 * ```ts
 * registerBatchAbilities(sink);
 * ```
 */
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import { basePermission } from "./permissions.ts";
import { requireJobStatus } from "../../jobs/status.ts";

const JobErrorItem = z.object({ site_id: z.int(), code: z.string(), message: z.string() });

/**
 * Registers `mainwp/get-batch-job-status-v1`.
 *
 * @example
 * ```ts
 * registerBatchAbilities(sink);
 * ```
 */
export function registerBatchAbilities(sink: AbilitySink): void {
  sink.register({
    name: "mainwp/get-batch-job-status-v1",
    label: "Get Batch Job Status",
    description:
      "Reports how far a queued batch job has got: status, progress, counts and the errors of failed sites.",
    category: "mainwp-batch",
    input: z.object({
      job_id: z.string().regex(/^(sync|update|reconnect|disconnect|check|suspend)_/).describe(
        'The job_id a queued batch ability answered with, e.g. "sync_c608cb55-b0a9-4855-a8d5-210477a78a59".',
      ),
    }).strict(),
    output: z.object({
      job_id: z.string(),
      type: z.string(),
      status: z.enum(["queued", "processing", "completed", "failed"]),
      progress: z.int(),
      processed: z.int(),
      total: z.int(),
      succeeded: z.int(),
      failed: z.int(),
      started_at: z.string().nullable(),
      completed_at: z.string().nullable(),
      errors: z.array(JobErrorItem),
      job_timed_out: z.boolean(),
      job_error_code: z.string().optional(),
      job_error_message: z.string().optional(),
    }),
    annotations: {
      readonly: true,
      destructive: false,
      idempotent: true,
      instructions: "Jobs are kept for 24 hours after their last change; poll every few seconds, not faster.",
    },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      return await requireJobStatus(ctx.kv, input.job_id);
    },
  });
}
