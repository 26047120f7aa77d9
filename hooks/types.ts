/**
 * @module
 * The typed hook map: every named hook Fleetpress applies or fires, as a function type — a filter's value,
 * then its extra arguments, returning what its callbacks return; an action's arguments. `HookRegistry`
 * checks `applyFilters` / `doAction` calls and types `addFilter` / `addAction` callbacks from it. The
 * names are exactly those of `hooks/catalog.ts` (tests/hooks/types_test.ts checks both ways), whose
 * entries document each hook and generate HOOKS.md.
 *
 * This module only names the payloads' types (type-only imports), so `hooks/` still loads nothing above it.
 *
 * @example
 * ```ts
 * type Limit = FilterHooks["mainwp_rest_batch_items_limit"]; // (limit: number, context: string) => number
 * ```
 */
import type { SiteRecord } from "../store/sites.ts";
import type { TagRecord } from "../store/tags.ts";
import type { ClientRecord } from "../store/clients.ts";
import type { CostRecord } from "../store/costs.ts";
import type { ChildRequestInfo, ChildRequestOutcome } from "../child/connector-types.ts";
import type { AddressCheck } from "../child/address-guard.ts";
import type { ChildTlsOptions } from "../child/http.ts";
import type { ChildError } from "../child/errors.ts";
import type { SyncValues } from "../child/sync.ts";
import type { AbilityRegistry } from "../abilities/registry.ts";
import type { UserActionData } from "../core/site-users/child.ts";

/** An uptime incident as monitors report it: opened when a site goes down, closed when it is up again. */
export interface IncidentEvent {
  /** The monitored site. */
  siteId: number;
  /** The site's URL as checked. */
  url: string;
  /** Incident id (unique per site). */
  incidentId: string;
  /** When the site was found down (ISO 8601). */
  startedAt: string;
  /** When it was found up again (ISO 8601), `null` while open. */
  endedAt: string | null;
  /** Why it is down: the HTTP code, the network error or the missing keyword. */
  cause: string;
}

/** One child call of an update run, as `fleetpress_update_step` reports it (every update mode). */
export interface UpdateStepEvent {
  /** `core`, `plugins`, `themes` or `translations`. */
  kind: string;
  /** `immediate` (abilities), `cron` (jobs, automatic updates) or `plain` (REST routes). */
  mode: string;
  /** Items the child reports updated (`wordpress` for core). */
  updated: string[];
  /** Items that failed, with the reason. */
  failed: { slug: string; error: string }[];
}

/** An update a sync found that was not pending before (`fleetpress_updates_found`). */
export interface FoundUpdate {
  kind: "core" | "plugins" | "themes" | "translations";
  slug: string;
  name: string;
  version: string;
}

/** A background job that ended, as `fleetpress_job_finished` reports it. */
export interface FinishedJob {
  job_id: string;
  job_type: string;
  status: "completed" | "failed";
  total: number;
  succeeded: number;
  failed: number;
  /** Whether the job was a scheduled sync or an automatic update (core/schedule/). */
  scheduled: boolean;
}

/** Request parameters as a route parsed them. */
type Params = Record<string, unknown>;
/** A child's reply object (its `information`, sync values…). */
type Reply = Record<string, unknown>;

/**
 * Filters: `(value, ...args) => result`. A filter whose callbacks return its value's type gives the
 * caller the type of the value it passed in (as WordPress); one whose callbacks may return something else
 * (`unknown`) gives that.
 */
export interface FilterHooks {
  // REST layer
  mainwp_rest_batch_items_limit: (limit: number, context: string) => number;
  mainwp_disable_rest_api_access_log: (disable: boolean, keyId: number, userId: number) => boolean;
  rest_jsonp_enabled: (enabled: boolean) => boolean;
  /** Each list endpoint passes its own parsed query type. */
  mainwp_rest_object_object_query: (query: object, params: Params) => object;
  mainwp_rest_pre_insert_site_item: (item: Params, params: Params) => Params;
  mainwp_rest_pre_update_site_item: (fields: Params, siteId: number, params: Params) => Params;
  mainwp_rest_prepare_site: (view: Params, site: SiteRecord, params: Params) => Params;
  rest_get_max_batch_size: (max: number) => number;
  // Child connector
  fleetpress_child_max_concurrent: (limit: number, siteUrl: string, fn: string | null) => number;
  fleetpress_child_max_per_host: (limit: number, siteUrl: string, fn: string | null) => number;
  /** Whatever a callback returns is read as seconds; a value that is no number keeps the default. */
  fleetpress_bulk_deadline: (seconds: number) => unknown;
  fleetpress_allow_site_address: (allowed: boolean, check: AddressCheck) => boolean;
  fleetpress_check_site_up_codes: (codes: number[], siteUrl: string) => number[];
  mainwp_try_visit_follow_location: (follow: boolean, siteUrl: string) => boolean;
  mainwp_connect_http_request_headers: (
    headers: Record<string, string>,
    request: { url: string },
  ) => Record<string, string>;
  fleetpress_child_tls_options: (
    tls: ChildTlsOptions,
    site: { url: string; verifyCertificate: boolean },
  ) => ChildTlsOptions;
  // Abilities
  /** The definition as plugins see it: a WordPress args array. */
  wp_register_ability_args: (args: Params, name: string) => Params;
  /** Any truthy result allows, as in PHP. */
  mainwp_check_site_access: (allowed: boolean, siteId: number, input: unknown) => unknown;
  // Updates
  /** `null`, or a RestError to skip the site. */
  mainwp_run_update_result: (verdict: unknown, siteId: number, types: string[]) => unknown;
  // Costs
  mainwp_escape_content: (escaped: string, raw: string) => string;
  // Background jobs
  mainwp_abilities_batch_threshold: (threshold: number) => number;
  mainwp_abilities_cron_initial_delay: (seconds: number) => number;
  mainwp_abilities_cron_chunk_size: (sites: number) => number;
  mainwp_abilities_cron_reschedule_delay: (seconds: number) => number;
  /** `true` / `false`, or a RestError to report a failure. */
  mainwp_sync_site_result: (result: unknown, siteId: number) => unknown;
  // Monitors
  /** Whatever a callback returns is read as seconds; a value that is no positive number keeps the default. */
  fleetpress_monitor_interval_seconds: (seconds: number, monitor: { siteId: number; url: string }) => unknown;
  /** Days a heartbeat is kept; a value that is no positive number keeps the default. */
  fleetpress_monitor_retention_days: (days: number) => unknown;
  // Scheduled work and webhooks
  /** Whatever a callback returns is read as seconds; a value that is no positive number keeps the default. */
  fleetpress_auto_sync_interval_seconds: (seconds: number) => unknown;
  /** Whatever a callback returns is read as an array of seconds; anything else keeps the default. */
  fleetpress_webhook_retry_delays: (seconds: number[]) => unknown;
  /** Whatever a callback returns is read as seconds; a value that is no positive number keeps the default. */
  fleetpress_webhook_timeout_seconds: (seconds: number) => unknown;
}

/** Actions: their arguments. */
export interface ActionHooks {
  // Child connector
  mainwp_before_child_request: (info: ChildRequestInfo) => void;
  mainwp_after_child_request: (info: ChildRequestInfo, outcome: ChildRequestOutcome) => void;
  // Sites
  mainwp_site_suspended: (site: SiteRecord, suspended: 0 | 1) => void;
  mainwp_site_added: (site: SiteRecord, reply: Reply) => void;
  mainwp_site_updated: (site: SiteRecord, previous: SiteRecord) => void;
  mainwp_delete_site: (site: SiteRecord) => void;
  mainwp_site_synced: (site: SiteRecord, values: SyncValues) => void;
  mainwp_site_sync_failed: (site: SiteRecord, error: ChildError) => void;
  mainwp_added_new_site: (siteId: number, site: SiteRecord) => void;
  mainwp_site_reconnected: (site: SiteRecord, success: boolean, error: string) => void;
  // Scheduled work and webhooks
  fleetpress_job_finished: (job: FinishedJob) => void;
  fleetpress_update_step: (site: SiteRecord, step: UpdateStepEvent) => void;
  fleetpress_updates_found: (site: SiteRecord, updates: FoundUpdate[]) => void;
  fleetpress_site_disconnected: (site: SiteRecord) => void;
  // Monitors
  fleetpress_incident_opened: (incident: IncidentEvent) => void;
  fleetpress_incident_closed: (incident: IncidentEvent) => void;
  // Abilities
  wp_abilities_api_categories_init: (registry: AbilityRegistry) => void;
  wp_abilities_api_init: (registry: AbilityRegistry) => void;
  wp_before_execute_ability: (name: string, input: unknown) => void;
  wp_after_execute_ability: (name: string, input: unknown, result: unknown) => void;
  // Updates
  mainwp_before_plugin_ignore: (site: SiteRecord, slugs: string[]) => void;
  mainwp_after_plugin_ignore: (site: SiteRecord, slugs: string[]) => void;
  mainwp_before_theme_ignore: (site: SiteRecord, slugs: string[]) => void;
  mainwp_after_theme_ignore: (site: SiteRecord, slugs: string[]) => void;
  mainwp_before_plugin_unignore: (site: SiteRecord, slugs: string[]) => void;
  mainwp_after_plugin_unignore: (site: SiteRecord, slugs: string[]) => void;
  mainwp_before_theme_unignore: (site: SiteRecord, slugs: string[]) => void;
  mainwp_after_theme_unignore: (site: SiteRecord, slugs: string[]) => void;
  mainwp_before_core_unignore: (versions: string[], site: SiteRecord) => void;
  mainwp_after_core_unignore: (versions: string[], site: SiteRecord) => void;
  mainwp_before_wp_update: (site: SiteRecord) => void;
  mainwp_after_wp_update: (information: Reply, site: SiteRecord) => void;
  mainwp_after_upgrade_wp_success: (site: SiteRecord, information: Reply) => void;
  // Tags, clients, costs
  mainwp_added_new_group: (tagId: number, name: string) => void;
  mainwp_site_tag_action: (tag: TagRecord, action: "created" | "updated" | "deleted") => void;
  mainwp_client_updated: (
    client: ClientRecord,
    action: "created" | "updated" | "deleted" | "suspended" | "unsuspended",
  ) => void;
  mainwp_cost_updated: (cost: CostRecord, action: "created" | "updated" | "deleted") => void;
  // Users on child sites
  mainwp_user_action: (
    site: SiteRecord,
    action: "created" | "newadminpassword" | "update_user" | "delete",
    data: UserActionData | null,
  ) => void;
  // Background jobs
  mainwp_before_core_update: (site: SiteRecord) => void;
  mainwp_after_core_update: (information: Reply | false, site: SiteRecord) => void;
  mainwp_before_plugin_theme_translation_update: (type: string, slugs: string, site: SiteRecord) => void;
  mainwp_after_plugin_theme_translation_update: (
    information: Reply | null,
    type: string,
    slugs: string,
    site: SiteRecord,
  ) => void;
  // Posts and pages
  mainwp_post_action: (site: SiteRecord, action: string, data: unknown, postId: number, type: "post") => void;
}

/** Fleetpress's hook map, the default of `HookRegistry`. */
export interface FleetpressHooks {
  filters: FilterHooks;
  actions: ActionHooks;
}
