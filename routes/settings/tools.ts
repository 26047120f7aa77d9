/**
 * @module
 * The settings controller's Tools actions: the background jobs over every site (`destroy-sessions`,
 * `renew-connections`, `disconnect-all-sites`) with their `…-status/{id}` routes, and the two immediate
 * actions (`clear-activation-data`, `restore-info-messages`), in MainWP's order and wire shapes.
 *
 * @example
 * ```ts
 * registerToolsRoutes(rest);
 * ```
 */
import { z } from "zod";
import { CREATABLE, READABLE, type RestServer } from "../../rest/server.ts";
import { restError } from "../../rest/errors.ts";
import { NotFound } from "../../core/errors.ts";
import { startToolJob, type ToolJobKind, toolJobProgress } from "../../core/settings/tools.ts";
import { clearActivationData, restoreInfoMessages } from "../../core/settings/sections.ts";
import { TOOL_JOBS, toolJobView, typed } from "../present/settings.ts";

const NS = "mainwp/v2";
const JOB_ID = "[a-zA-Z0-9_.\\-]+";

/** MainWP's "job not found" per Tools job (MainWP sends it without a status; here a 404). */
const NOT_FOUND: Record<ToolJobKind, readonly [string, string]> = {
  destroy_sessions: ["destroy_session_job_not_found", "Destroy session job not found."],
  renew: ["renew_connection_job_not_found", "Renew connection job not found."],
  disconnect_all: ["disconnect_job_not_found", "Job not found."],
};

/** The start route and the status route of one Tools job. */
function registerToolJob(rest: RestServer, kind: ToolJobKind, path: string, idParam: string): void {
  const names = TOOL_JOBS[kind];
  rest.register(NS, `/settings/tools/${path}`, {
    methods: CREATABLE,
    handler: async (req) => {
      const job = await startToolJob(req.ctx, kind);
      return {
        success: 1,
        message: names.started,
        [names.idField]: job.job_id,
        status_url:
          `${req.ctx.config.publicUrl}/wp-json/${NS}/settings/tools/${names.statusPath}/${job.job_id}`,
      };
    },
  });
  const args = z.object({ [idParam]: z.string() });
  rest.register(
    NS,
    `/settings/tools/${names.statusPath}/(?P<${idParam}>${JOB_ID})`,
    typed({
      methods: READABLE,
      args,
      handler: async (req) => {
        try {
          return toolJobView(kind, await toolJobProgress(req.ctx, kind, String(req.args[idParam])));
        } catch (error) {
          if (error instanceof NotFound) throw restError(...NOT_FOUND[kind], 404);
          throw error;
        }
      },
    }),
  );
}

/** Registers the Tools action routes in MainWP's order (after `/settings/tools/edit`). */
export function registerToolsRoutes(rest: RestServer): void {
  registerToolJob(rest, "destroy_sessions", "destroy-sessions", "destroy_id");
  registerToolJob(rest, "renew", "renew-connections", "renew_id");
  registerToolJob(rest, "disconnect_all", "disconnect-all-sites", "disconnect_id");
  rest.register(NS, "/settings/tools/clear-activation-data", {
    methods: CREATABLE,
    handler: async (req) => {
      await clearActivationData(req.ctx);
      return { success: 1, message: "Activation data cleared successfully." };
    },
  });
  rest.register(NS, "/settings/tools/restore-info-messages", {
    methods: CREATABLE,
    handler: async (req) => {
      await restoreInfoMessages(req.ctx, req.auth.user?.id ?? req.auth.key?.user_id ?? 0);
      return { success: 1, message: "Info messages restored successfully." };
    },
  });
}
