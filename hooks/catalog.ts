/**
 * @module
 * Every named hook Fleetpress applies or fires, with its kind, default and arguments. This table is the
 * one place to look; `HOOKS.md` is generated from it (`deno task hooks-doc`) and a test checks that
 * every `applyFilters("…")` / `doAction("…")` in the code base is listed here. Each hook's types are in
 * `hooks/types.ts`; tests/hooks/types_test.ts keeps the two to the same names, kinds and argument counts.
 *
 * @example
 * ```ts
 * HOOKS.find((h) => h.name === "mainwp_rest_batch_items_limit")?.default; // 100
 * ```
 */

/** One named hook. */
export interface HookInfo {
  name: string;
  kind: "filter" | "action";
  /** The default value a filter starts from (filters only). */
  default?: unknown;
  /** Arguments after the value (filters) or all arguments (actions). */
  args: readonly string[];
  description: string;
}

/** The catalogue, grouped by area; literal, so that tests/hooks/types_test.ts holds it to hooks/types.ts. */
export const CATALOGUE = [
  // REST layer
  {
    name: "mainwp_rest_batch_items_limit",
    kind: "filter",
    default: 100,
    args: ["context: sites|clients|tags|costs|batch"],
    description: "Most items one batch request may carry; more → 413 mainwp_rest_request_entity_too_large.",
  },
  {
    name: "mainwp_disable_rest_api_access_log",
    kind: "filter",
    default: false,
    args: ["key_id", "user_id"],
    description: "Return true to stop recording API keys' last_access.",
  },
  {
    name: "rest_jsonp_enabled",
    kind: "filter",
    default: true,
    args: [],
    description: "Whether `_jsonp` callbacks are served.",
  },
  {
    name: "mainwp_rest_object_object_query",
    kind: "filter",
    default: "parsed list query",
    args: ["request params"],
    description:
      "The parsed list query (page, per_page, search, include, exclude, status…) of list endpoints.",
  },
  {
    name: "mainwp_rest_pre_insert_site_item",
    kind: "filter",
    default: "mapped site fields",
    args: ["request params"],
    description: "Site fields before a site is created.",
  },
  {
    name: "mainwp_rest_pre_update_site_item",
    kind: "filter",
    default: "mapped site fields",
    args: ["site id", "request params"],
    description: "Site fields before a site is edited.",
  },
  {
    name: "mainwp_rest_prepare_site",
    kind: "filter",
    default: "site view object",
    args: ["site record", "request params"],
    description: "Each site object before `_fields` projection.",
  },
  {
    name: "rest_get_max_batch_size",
    kind: "filter",
    default: 25,
    args: [],
    description: "Most requests one `POST /wp-json/batch/v1` may carry.",
  },
  // Child connector (child/connector.ts CHILD_HOOKS)
  {
    name: "fleetpress_child_max_concurrent",
    kind: "filter",
    default: 4,
    args: ["site url", "child function (null for a site check)"],
    description:
      "Child-site requests in flight overall when this one starts (0 = no limit); the saved Advanced " +
      "settings' `mainwp_maximum_requests` (syncs: `mainwp_maximum_sync_requests`, updates: " +
      "`mainwp_maximum_install_update_requests`) come first.",
  },
  {
    name: "fleetpress_child_max_per_host",
    kind: "filter",
    default: 1,
    args: ["site url", "child function (null for a site check)"],
    description: "Child-site requests in flight per host (0 = no limit); the saved Advanced settings' " +
      "`mainwp_maximum_ip_requests` comes first.",
  },
  {
    name: "fleetpress_bulk_deadline",
    kind: "filter",
    default: 50,
    args: [],
    description: "Seconds a bulk REST answer (`/sites/sync`, `/sites/check`, `/sites/reconnect`, " +
      "`/sites/disconnect`, `/updates/update`) waits for its sites; later sites are answered as timed out " +
      "and finish in the background (fractions allowed; 0 = wait for all).",
  },
  {
    name: "fleetpress_allow_site_address",
    kind: "filter",
    default: "false for link-local/metadata (and private, unless allowed) addresses",
    args: ["AddressCheck"],
    description: "Whether a site URL's address may be contacted.",
  },
  {
    name: "fleetpress_check_site_up_codes",
    kind: "filter",
    default: "[200…206]",
    args: ["site url"],
    description: "HTTP codes that count as online for the uptime check.",
  },
  {
    name: "mainwp_try_visit_follow_location",
    kind: "filter",
    default: false,
    args: ["site url"],
    description: "Whether the uptime check follows redirects.",
  },
  {
    name: "mainwp_connect_http_request_headers",
    kind: "filter",
    default: "header record",
    args: ["{ url }"],
    description: "Extra headers of child-site requests.",
  },
  {
    name: "fleetpress_child_tls_options",
    kind: "filter",
    default: "{}, or `{ rejectUnauthorized: false }` for a site stored with verify_certificate 0",
    args: ["{ url, verifyCertificate }"],
    description: "TLS options of a site: `{ caCerts }` (a private CA) or `{ rejectUnauthorized: false }`.",
  },
  {
    name: "mainwp_before_child_request",
    kind: "action",
    args: ["ChildRequestInfo"],
    description: "Before each HTTP attempt to a child site (no secrets in the info).",
  },
  {
    name: "mainwp_after_child_request",
    kind: "action",
    args: ["ChildRequestInfo", "ChildRequestOutcome"],
    description: "After each HTTP attempt to a child site, with status, duration or error.",
  },
  // Sites
  {
    name: "mainwp_site_suspended",
    kind: "action",
    args: ["site record", "suspended: 0|1"],
    description: "A site's suspended state changed.",
  },
  {
    name: "mainwp_site_added",
    kind: "action",
    args: ["site record", "child register reply (without regverify)"],
    description: "A site was added (registered with its child; its first sync is stored).",
  },
  {
    name: "mainwp_site_updated",
    kind: "action",
    args: ["site record", "previous record"],
    description: "A site was edited.",
  },
  {
    name: "mainwp_delete_site",
    kind: "action",
    args: ["site record"],
    description: "A site was removed.",
  },
  {
    name: "mainwp_site_synced",
    kind: "action",
    args: ["site record", "sync values"],
    description: "A site synced successfully (its data is stored).",
  },
  {
    name: "mainwp_site_sync_failed",
    kind: "action",
    args: ["site record", "ChildError"],
    description: "A site's sync failed (the error text is stored in sync_errors).",
  },
  // Site lifecycle (core/sites/)
  {
    name: "mainwp_added_new_site",
    kind: "action",
    args: ["site id", "site record"],
    description: "After mainwp_site_added: a new site is in the Dashboard.",
  },
  {
    name: "mainwp_site_reconnected",
    kind: "action",
    args: ["site record", "success: boolean", 'error text ("" on success)'],
    description: "A reconnect (sync, else re-register with the stored verify key) ended.",
  },
  // Monitors
  {
    name: "fleetpress_monitor_interval_seconds",
    kind: "filter",
    default: "the monitor's interval (minutes) × 60",
    args: ["monitor: {siteId, url}"],
    description:
      "Seconds between a monitor's scheduled checks (retries follow after min(60 s, this)); tests shorten it.",
  },
  {
    name: "fleetpress_monitor_retention_days",
    kind: "filter",
    default: 30,
    args: [],
    description: "Days a monitor's heartbeats (and closed incidents) are kept in KV before they expire.",
  },
  {
    name: "fleetpress_incident_opened",
    kind: "action",
    args: ["IncidentEvent"],
    description: "An uptime monitor found a site down (after its retries): an incident opened.",
  },
  {
    name: "fleetpress_incident_closed",
    kind: "action",
    args: ["IncidentEvent (with endedAt)"],
    description: "An uptime monitor found a site up again: its open incident closed.",
  },
  // Abilities
  {
    name: "wp_abilities_api_categories_init",
    kind: "action",
    args: ["AbilityRegistry"],
    description: "After the built-in ability categories are registered; register more with registerCategory.",
  },
  {
    name: "wp_abilities_api_init",
    kind: "action",
    args: ["AbilityRegistry"],
    description: "After the built-in abilities are registered; register more with register.",
  },
  {
    name: "wp_register_ability_args",
    kind: "filter",
    default: "the ability definition",
    args: ["ability name"],
    description: "A plugin ability's definition as it is registered.",
  },
  {
    name: "wp_before_execute_ability",
    kind: "action",
    args: ["ability name", "input"],
    description: "Before an ability runs (after validation and permission).",
  },
  {
    name: "wp_after_execute_ability",
    kind: "action",
    args: ["ability name", "input", "result"],
    description: "After an ability ran and its output validated.",
  },
  {
    name: "mainwp_check_site_access",
    kind: "filter",
    default: true,
    args: ["site id", "ability input"],
    description: "Whether the caller may act on a site through a site-scoped ability.",
  },
  // Updates
  {
    name: "mainwp_before_plugin_ignore",
    kind: "action",
    args: ["site record", "slugs"],
    description: "Before plugins are added to a site's ignore list.",
  },
  {
    name: "mainwp_after_plugin_ignore",
    kind: "action",
    args: ["site record", "slugs"],
    description: "After plugins are added to a site's ignore list.",
  },
  {
    name: "mainwp_before_theme_ignore",
    kind: "action",
    args: ["site record", "slugs"],
    description: "Before themes are added to a site's ignore list.",
  },
  {
    name: "mainwp_after_theme_ignore",
    kind: "action",
    args: ["site record", "slugs"],
    description: "After themes are added to a site's ignore list.",
  },
  {
    name: "mainwp_before_plugin_unignore",
    kind: "action",
    args: ["site record", "slugs"],
    description: "Before plugins are removed from a site's ignore list (update abilities).",
  },
  {
    name: "mainwp_after_plugin_unignore",
    kind: "action",
    args: ["site record", "slugs"],
    description: "After plugins are removed from a site's ignore list (update abilities).",
  },
  {
    name: "mainwp_before_theme_unignore",
    kind: "action",
    args: ["site record", "slugs"],
    description: "Before themes are removed from a site's ignore list (update abilities).",
  },
  {
    name: "mainwp_after_theme_unignore",
    kind: "action",
    args: ["site record", "slugs"],
    description: "After themes are removed from a site's ignore list (update abilities).",
  },
  {
    name: "mainwp_before_core_unignore",
    kind: "action",
    args: ["[]", "site record"],
    description: "Before a site's ignored core versions are cleared (update abilities).",
  },
  {
    name: "mainwp_after_core_unignore",
    kind: "action",
    args: ["[]", "site record"],
    description: "After a site's ignored core versions are cleared (update abilities).",
  },
  {
    name: "mainwp_run_update_result",
    kind: "filter",
    default: null,
    args: ["site id", "types"],
    description:
      "run-updates-v1 (immediate): return a RestError to skip a site and report it as a site error.",
  },
  {
    name: "mainwp_before_wp_update",
    kind: "action",
    args: ["site"],
    description:
      "Before an ability asks a child to update WordPress core (jobs fire mainwp_before_core_update).",
  },
  {
    name: "mainwp_after_wp_update",
    kind: "action",
    args: ["information", "site"],
    description: "After an ability's core update call answered (not fired when the call threw).",
  },
  {
    name: "mainwp_after_upgrade_wp_success",
    kind: "action",
    args: ["site", "information"],
    description: "After an ability's core update succeeded.",
  },
  // Tags
  {
    name: "mainwp_added_new_group",
    kind: "action",
    args: ["tag id", "tag name"],
    description: "A tag was created.",
  },
  {
    name: "mainwp_site_tag_action",
    kind: "action",
    args: ["tag record", "action: created|updated|deleted"],
    description: "A tag was created, renamed or deleted.",
  },
  // Clients
  {
    name: "mainwp_client_updated",
    kind: "action",
    args: ["client record", "action: created|updated|deleted|suspended|unsuspended"],
    description: "A client was created, changed, suspended or deleted.",
  },
  // Costs
  {
    name: "mainwp_escape_content",
    kind: "filter",
    default: "escaped text",
    args: ["raw text"],
    description: "Escapes cost notes for the cost list object.",
  },
  {
    name: "mainwp_cost_updated",
    kind: "action",
    args: ["cost record", "action: created|updated|deleted"],
    description: "A cost was created, edited or deleted.",
  },
  // Users on child sites (core/site-users/)
  {
    name: "mainwp_user_action",
    kind: "action",
    args: [
      "site record",
      "action: created|newadminpassword|update_user|delete",
      "user data {userId, displayName, roles} | null",
    ],
    description:
      "A child site's user was created, edited or deleted, or its connected admin's password set (never the password).",
  },
  // Background jobs (jobs/, abilities.md §3–4)
  {
    name: "mainwp_abilities_batch_threshold",
    kind: "filter",
    default: 200,
    args: [],
    description: "Batch abilities (and POST /sites/sync, /updates/update) queue a job above this many sites.",
  },
  {
    name: "mainwp_abilities_cron_initial_delay",
    kind: "filter",
    default: 60,
    args: [],
    description: "Seconds before a queued job's first chunk runs (0 and fractions allowed).",
  },
  {
    name: "mainwp_abilities_cron_chunk_size",
    kind: "filter",
    default: 20,
    args: [],
    description: "Sites per job chunk (cast to an integer, at least 1).",
  },
  {
    name: "mainwp_abilities_cron_reschedule_delay",
    kind: "filter",
    default: 30,
    args: [],
    description: "Seconds between a job's chunks on one lane (0 and fractions allowed).",
  },
  {
    name: "mainwp_sync_site_result",
    kind: "filter",
    default: "true|false",
    args: ["site_id"],
    description:
      "sync-sites-v1's immediate result per site; return false or a RestError to report a failure.",
  },
  {
    name: "mainwp_before_core_update",
    kind: "action",
    args: ["site"],
    description: "Before a job asks a child to update WordPress core.",
  },
  {
    name: "mainwp_after_core_update",
    kind: "action",
    args: ["information|false", "site"],
    description: "After a job's core update call (false when the call failed).",
  },
  {
    name: "mainwp_before_plugin_theme_translation_update",
    kind: "action",
    args: ["type: plugin|theme|translation", "csv slugs", "site"],
    description: "Before each child update call of plugins, themes or translations.",
  },
  {
    name: "mainwp_after_plugin_theme_translation_update",
    kind: "action",
    args: ["information|null", "type", "csv slugs", "site"],
    description: "After each child update call (also when it failed).",
  },
  // Posts and pages (core/content/)
  {
    name: "mainwp_post_action",
    kind: "action",
    args: [
      "site",
      "action (publish, unpublish, trash, restore, delete)",
      "child's post_action_data",
      "post id",
      "type: post",
    ],
    description:
      "After the child reported SUCCESS for a post's status change or deletion (not for pages, as MainWP).",
  },
  // Scheduled work and webhooks (core/schedule/, core/webhooks/)
  {
    name: "fleetpress_auto_sync_interval_seconds",
    kind: "filter",
    default: "86400 / syncs per day",
    args: [],
    description:
      "Seconds between scheduled fleet syncs (General settings' sync frequency; default daily). Shorter for tests.",
  },
  {
    name: "fleetpress_webhook_retry_delays",
    kind: "filter",
    default: [30, 120, 600, 3600, 21600],
    args: [],
    description:
      "Seconds before each retry of a failed webhook delivery (at most 20, each ≤ 30 days); then it is marked failed.",
  },
  {
    name: "fleetpress_webhook_timeout_seconds",
    kind: "filter",
    default: 10,
    args: [],
    description: "How long a webhook receiver may take to answer before the attempt counts as failed.",
  },
  {
    name: "fleetpress_job_finished",
    kind: "action",
    args: ["FinishedJob"],
    description: "A background job completed or failed (webhook events job.completed / job.failed).",
  },
  {
    name: "fleetpress_update_step",
    kind: "action",
    args: ["site record", "UpdateStepEvent"],
    description:
      "After each child update call in every mode (REST, abilities, jobs): what updated and what failed.",
  },
  {
    name: "fleetpress_updates_found",
    kind: "action",
    args: ["site record", "FoundUpdate[]"],
    description: "A sync found updates that were not pending before (webhook event updates.available).",
  },
  {
    name: "fleetpress_site_disconnected",
    kind: "action",
    args: ["site record"],
    description: "A site was disconnected from the dashboard side (disconnect ability or job).",
  },
] as const satisfies readonly HookInfo[];

/** The catalogue as plain records. */
export const HOOKS: readonly HookInfo[] = CATALOGUE;
