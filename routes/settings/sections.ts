/**
 * @module
 * The settings controller's section routes (`/settings/general`, `/advanced`, `/emails`,
 * `/dashboard-insights`, `/api-backups`, `/tools`): a GET and a `PUT|PATCH …/edit` each, in MainWP's
 * order. Edits need a JSON body (MainWP's `invalid_content_type`, `empty_body`), are validated by the
 * section's zod schema (`core/settings/`) as WordPress validates arguments, and change only the fields the
 * body carries.
 *
 * @example
 * ```ts
 * registerSettingsSectionRoutes(rest, "general");
 * ```
 */
import { z } from "zod";
import { PUT_PATCH, READABLE, type RestServer } from "../../rest/server.ts";
import { NotFound } from "../../core/errors.ts";
import { editGeneralSettings, generalEditSchema, getGeneralSettings } from "../../core/settings/general.ts";
import {
  advancedEditSchema,
  editAdvancedSettings,
  getAdvancedSettings,
} from "../../core/settings/advanced.ts";
import {
  apiBackupEditSchema,
  editApiBackup,
  editEmailSettings,
  editToolSettings,
  emailEditSchema,
  getApiBackupSettings,
  getEmailSettings,
  getToolSettings,
  insightsEditSchema,
  insightsLogging,
  setInsightsLogging,
  toolsEditSchema,
} from "../../core/settings/sections.ts";
import {
  advancedView,
  apiBackupsView,
  emailView,
  fromBody,
  generalView,
  invalidParam,
  requireJson,
  typed,
} from "../present/settings.ts";

const NS = "mainwp/v2";
const SLUG = "[a-zA-Z0-9\\-\\.\\_]+";

/** An empty PHP array is `[]` on the wire. */
const phpMap = (m: Record<string, unknown>) => (Object.keys(m).length > 0 ? m : []);

/** Runs an edit, turning "no such {entity}" into MainWP's argument error on `param`. */
async function withParamNotFound<T>(param: string, code: string, message: string, run: () => Promise<T>) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotFound) throw invalidParam(param, code, message);
    throw error;
  }
}

const emailEditArgs = emailEditSchema.extend({ mail_type: z.string() });
const apiBackupEditArgs = apiBackupEditSchema.extend({ api_slug: z.string() });

/**
 * The groups of section routes, registered apart because MainWP puts other routes between them: the
 * monitoring settings after `advanced`, the Cost Tracker's after `emails`.
 */
export type SettingsSectionGroup = "general" | "emails" | "others";

/**
 * Registers the General and Advanced routes (`general`), the e-mail routes (`emails`), or the Insights,
 * API backup and Tools settings routes (`others`), in MainWP's order.
 */
export function registerSettingsSectionRoutes(rest: RestServer, group: SettingsSectionGroup): void {
  if (group === "emails") return registerEmailRoutes(rest);
  if (group === "general") {
    rest.register(NS, "/settings/general", {
      methods: READABLE,
      handler: async (req) => ({ success: 1, data: generalView(await getGeneralSettings(req.ctx), "view") }),
    });
    rest.register(
      NS,
      "/settings/general/edit",
      typed({
        methods: PUT_PATCH,
        args: generalEditSchema,
        handler: async (req) => {
          requireJson(req);
          const settings = await editGeneralSettings(req.ctx, fromBody(req, req.args));
          return {
            success: 1,
            message: "General settings updated successfully.",
            data: generalView(settings, "edit"),
          };
        },
      }),
    );
    rest.register(NS, "/settings/advanced", {
      methods: READABLE,
      handler: async (req) => ({ success: 1, data: advancedView(await getAdvancedSettings(req.ctx)) }),
    });
    rest.register(
      NS,
      "/settings/advanced/edit",
      typed({
        methods: PUT_PATCH,
        args: advancedEditSchema,
        handler: async (req) => {
          requireJson(req);
          const settings = await editAdvancedSettings(req.ctx, fromBody(req, req.args));
          // MainWP answers this edit with the General settings' message.
          return {
            success: 1,
            message: "General settings updated successfully.",
            data: advancedView(settings),
          };
        },
      }),
    );
    return;
  }
  rest.register(NS, "/settings/dashboard-insights", {
    methods: READABLE,
    handler: async (req) => ({
      success: 1,
      data: { enable_insights_logging: await insightsLogging(req.ctx) },
    }),
  });
  rest.register(
    NS,
    "/settings/dashboard-insights/edit",
    typed({
      methods: PUT_PATCH,
      args: insightsEditSchema,
      handler: async (req) => {
        requireJson(req);
        const enabled = await setInsightsLogging(req.ctx, fromBody(req, req.args).enable_insights_logging);
        return {
          success: 1,
          message: "Dashboard insights settings updated successfully.",
          data: { enable_insights_logging: enabled },
        };
      },
    }),
  );
  rest.register(NS, "/settings/api-backups", {
    methods: READABLE,
    handler: async (req) => ({
      success: 1,
      data: { api_backups: apiBackupsView(await getApiBackupSettings(req.ctx)) },
    }),
  });
  rest.register(
    NS,
    `/settings/api-backups/(?P<api_slug>${SLUG})/edit`,
    typed({
      methods: PUT_PATCH,
      args: apiBackupEditArgs,
      handler: async (req) => {
        requireJson(req);
        const { api_slug: _slug, ...edit } = fromBody(req, req.args);
        const changed = await withParamNotFound(
          "api_slug",
          "invalid_slug",
          "API slug not exists.",
          () => editApiBackup(req.ctx, req.args.api_slug, edit),
        );
        return { success: 1, message: "API backup settings updated successfully.", data: phpMap(changed) };
      },
    }),
  );
  rest.register(NS, "/settings/tools", {
    methods: READABLE,
    handler: async (req) => ({ success: 1, data: await getToolSettings(req.ctx) }),
  });
  rest.register(
    NS,
    "/settings/tools/edit",
    typed({
      methods: PUT_PATCH,
      args: toolsEditSchema,
      handler: async (req) => {
        requireJson(req);
        const tools = await editToolSettings(req.ctx, fromBody(req, req.args));
        return { success: 1, message: "Tools settings updated successfully.", data: tools };
      },
    }),
  );
}

/** `GET /settings/emails` and `PUT|PATCH /settings/emails/{mail_type}/edit`. */
function registerEmailRoutes(rest: RestServer): void {
  rest.register(NS, "/settings/emails", {
    methods: READABLE,
    handler: async (req) => ({
      success: 1,
      data: (await getEmailSettings(req.ctx)).map((e) => emailView(e, true)),
    }),
  });
  rest.register(
    NS,
    `/settings/emails/(?P<mail_type>${SLUG})/edit`,
    typed({
      methods: PUT_PATCH,
      args: emailEditArgs,
      handler: async (req) => {
        requireJson(req);
        const { mail_type: _type, ...edit } = fromBody(req, req.args);
        const email = await withParamNotFound(
          "mail_type",
          "invalid_mail_type",
          "Email type does not exist.",
          () => editEmailSettings(req.ctx, req.args.mail_type, edit),
        );
        return { success: 1, message: "Email settings updated successfully.", data: emailView(email, false) };
      },
    }),
  );
}
