/**
 * @module
 * MainWP's wire shapes of the settings controller: each section's fields in MainWP's schema order (the
 * `view` and `edit` contexts differ for the General settings), the timezone as `UTC±H`, the signature
 * algorithm by label, the Tools jobs' progress; and the request rules its edit routes share (a JSON
 * content type, a non-empty body, only the fields the body carries).
 *
 * @example
 * ```ts
 * generalView(await getGeneralSettings(ctx), "view").timezone_string; // "UTC+0"
 * ```
 */
import type { GeneralSettings } from "../../core/settings/general.ts";
import { type AdvancedSettings, SIGNATURE_ALGOS } from "../../core/settings/advanced.ts";
import type { ApiBackupView, EmailSettings } from "../../core/settings/sections.ts";
import type { ToolJobKind, ToolJobProgress } from "../../core/settings/tools.ts";
import { type RestError, restError } from "../../rest/errors.ts";
import type { Endpoint, RestRequest } from "../../rest/server.ts";
import type { z } from "zod";

/**
 * An endpoint whose handler sees its schema's output as `req.args` (the route table stores endpoints
 * untyped).
 *
 * @example
 * ```ts
 * rest.register(NS, "/settings/tools/edit", typed({ methods: PUT_PATCH, args: toolsEditSchema, handler }));
 * ```
 */
export const typed = <S extends z.ZodObject>(endpoint: Endpoint<S>): Endpoint =>
  endpoint as unknown as Endpoint;

/** The General settings' fields in MainWP's order; the `edit` answer leaves out the view-only ones. */
const GENERAL_FIELDS = [
  "time_daily_update",
  "frequency_daily_update",
  "date_format",
  "time_format",
  "timezone_string",
  "sidebar_position",
  "hide_update_everything",
  "mainwp_widgets",
  "plugin_automatic_daily_update",
  "theme_automatic_daily_update",
  "trans_automatic_daily_update",
  "automatic_daily_update",
  "frequency_auto_update",
  "time_auto_update",
  "show_language_updates",
  "disable_update_confirmations",
  "check_http_response",
  "check_http_response_method",
  "backup_before_upgrade",
  "backup_before_upgrade_days",
  "numberdays_outdate_plugin_theme",
  "dayinweek_auto_update",
  "dayinmonth_auto_update",
  "delay_autoupdate",
  "mainwp_primary_backup",
  "mainwp_enable_legacy_backup_feature",
  "mainwp_backups_on_server",
  "mainwp_backup_on_external_sources",
  "mainwp_archive_format",
  "mainwp_notification_on_backup_fail",
  "mainwp_notification_on_backup_start",
  "mainwp_chunked_backup_tasks",
] as const;
const VIEW_ONLY = new Set([
  "disable_update_confirmations",
  "backup_before_upgrade",
  "mainwp_enable_legacy_backup_feature",
]);

/** `UTC+5.5` for an offset in hours, as MainWP shows `gmt_offset`. */
export function utcLabel(offset: number): string {
  return `UTC${offset >= 0 ? "+" : "-"}${String(Math.abs(offset))}`;
}

/**
 * The General settings as MainWP answers them (`view`: GET; `edit`: the edit answer).
 *
 * @example
 * ```ts
 * generalView(settings, "edit");
 * ```
 */
export function generalView(s: GeneralSettings, context: "view" | "edit"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of GENERAL_FIELDS) {
    if (context === "edit" && VIEW_ONLY.has(field)) continue;
    if (field === "timezone_string") out[field] = utcLabel(s.timezone_string);
    else if (field === "mainwp_primary_backup") {
      out[field] = s.mainwp_primary_backup === "module-api-backups"
        ? { value: "module-api-backups", title: "API Backups" }
        : { value: "", title: "Native backups" };
    } else out[field] = s[field];
  }
  return out;
}

/**
 * The Advanced settings as MainWP answers them (the signature algorithm by its label).
 *
 * @example
 * ```ts
 * advancedView(settings).mainwp_connect_signature_algo; // "OPENSSL_ALGO_SHA256 (Default)"
 * ```
 */
export function advancedView(s: AdvancedSettings): Record<string, unknown> {
  return {
    mainwp_maximum_requests: s.mainwp_maximum_requests,
    mainwp_minimum_delay: s.mainwp_minimum_delay,
    mainwp_maximum_ip_requests: s.mainwp_maximum_ip_requests,
    mainwp_minimum_ip_delay: s.mainwp_minimum_ip_delay,
    mainwp_chunksitesnumber: s.mainwp_chunksitesnumber,
    mainwp_chunksleepinterval: s.mainwp_chunksleepinterval,
    mainwp_maximum_sync_requests: s.mainwp_maximum_sync_requests,
    mainwp_maximum_install_update_requests: s.mainwp_maximum_install_update_requests,
    mainwp_maximum_uptime_monitoring_requests: s.mainwp_maximum_uptime_monitoring_requests,
    mainwp_optimize: s.mainwp_optimize,
    mainwp_wp_cron: s.mainwp_wp_cron,
    mainwp_ssl_verify_certificate: s.mainwp_ssl_verify_certificate,
    mainwp_verify_connection_method: s.mainwp_verify_connection_method,
    mainwp_connect_signature_algo: SIGNATURE_ALGOS[s.mainwp_connect_signature_algo] ?? SIGNATURE_ALGOS[7],
    mainwp_force_use_ipv4: s.mainwp_force_use_ipv4,
    sync_data: s.sync_data,
  };
}

/** One notification e-mail (`email_view`: with its type). */
export function emailView(e: EmailSettings, withType: boolean): Record<string, unknown> {
  return withType
    ? { heading: e.heading, type: e.type, subject: e.subject, recipients: e.recipients, disable: e.disable }
    : { heading: e.heading, subject: e.subject, recipients: e.recipients, disable: e.disable };
}

/** The API backup providers: `{label, enabled, …fields, secrets}` each (`secrets` `[]` when none). */
export function apiBackupsView(providers: Record<string, ApiBackupView>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(providers).map((
      [slug, p],
    ) => [slug, { label: p.label, enabled: p.enabled, ...p.fields, secrets: p.secrets ?? [] }]),
  );
}

/** The Tools jobs' names in MainWP's answers: id field, start message, status route. */
export const TOOL_JOBS: Record<ToolJobKind, { idField: string; started: string; statusPath: string }> = {
  destroy_sessions: {
    idField: "destroy_id",
    started: "Destroy sessions process started in background.",
    statusPath: "destroy-sessions-status",
  },
  renew: {
    idField: "renew_id",
    started: "Renew connection process started in background.",
    statusPath: "renew-connections-status",
  },
  disconnect_all: {
    idField: "disconnect_id",
    started: "Disconnect process started in background.",
    statusPath: "disconnect-all-sites-status",
  },
};

/**
 * A Tools job's progress as MainWP answers it: `success` true once it completed without failures;
 * `started_at` is MainWP's reserved field (`""`, or `null` for disconnect), `completed_at` unix seconds.
 *
 * @example
 * ```ts
 * toolJobView("renew", progress).success; // false while running
 * ```
 */
export function toolJobView(kind: ToolJobKind, p: ToolJobProgress): Record<string, unknown> {
  const unset = kind === "disconnect_all" ? null : "";
  return {
    success: p.status === "completed" && p.failed === 0,
    status: p.status,
    total: p.total,
    processed: p.processed,
    failed: p.failed,
    progress: p.progress,
    errors: p.errors,
    started_at: unset,
    completed_at: p.completedAt ?? unset,
  };
}

/**
 * WordPress's `rest_invalid_param` for one parameter, with MainWP's own error code in `details`
 * (what a `validate_callback` returning a `WP_Error` produces).
 *
 * @example
 * ```ts
 * throw invalidParam("slug", "invalid_slug", "Product type does not exist.");
 * ```
 */
export function invalidParam(param: string, code: string, message: string): RestError {
  return restError("rest_invalid_param", `Invalid parameter(s): ${param}`, 400, {
    params: { [param]: message },
    details: { [param]: { code, message, data: null } },
  });
}

/** MainWP's refusal of an edit whose content type is not JSON. */
export const INVALID_CONTENT_TYPE = (): RestError =>
  restError("invalid_content_type", "Invalid content type. Expected application/json.", 400);

/** MainWP's refusal of a write without a body. */
export const EMPTY_BODY = (): RestError => restError("empty_body", "Request body is empty.", 400);

/** Refuses a request that is not sent as `application/json` (parameters such as `charset` allowed). */
export function requireJson(req: RestRequest<unknown>): void {
  const type = (req.raw.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw INVALID_CONTENT_TYPE();
}

/**
 * The request body's field names (form or JSON); {@link EMPTY_BODY} when it has none. MainWP's settings
 * handlers change only what the body carries, whatever the query string says.
 */
export function bodyFields(req: RestRequest<unknown>): Set<string> {
  const body = req.json ?? req.form;
  const names = body ? Object.keys(body) : [];
  if (names.length === 0) throw EMPTY_BODY();
  return new Set(names);
}

/**
 * The parsed arguments the body carries (`args` holds query-string values too).
 *
 * @example
 * ```ts
 * const edit = fromBody(req, req.args);
 * ```
 */
export function fromBody<T extends Record<string, unknown>>(req: RestRequest<unknown>, args: T): Partial<T> {
  const names = bodyFields(req);
  return Object.fromEntries(Object.entries(args).filter(([k]) => names.has(k))) as Partial<T>;
}
