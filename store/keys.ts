/**
 * @module
 * The Deno KV key layout, in one place. Records live under their kind; secondary indexes live under
 * `idx` and carry no data of their own (or just an id). Every write that touches a record also
 * touches its indexes in the same atomic commit (see `atomicRetry` in `kv.ts`), and bumps
 * {@link FLEET_REV} so read caches can tell when the fleet changed.
 *
 * | key | value |
 * |---|---|
 * | `["seq", kind]` | last reserved id of `kind` (number; processes reserve ids in blocks, see `allocateId`) |
 * | `["rev", "fleet"]` | `Deno.KvU64` bumped by every site/client/tag/cost write |
 * | `["sites", id]` | `SiteRecord` |
 * | `["idx", "site_domain", domain]` | site id (`siteIdentity`: no scheme, `www.`, default port, `/`, query) |
 * | `["idx", "site_tags", siteId, tagId]` / `["idx", "tag_sites", tagId, siteId]` | `true` |
 * | `["idx", "client_sites", clientId, siteId]` | `true` |
 * | `["clients", id]` | `ClientRecord` |
 * | `["idx", "client_email", email]` | client id (lower-cased email) |
 * | `["client_fields", id]` / `["idx", "client_field_name", name]` | custom client field / its id |
 * | `["tags", id]` | `TagRecord` |
 * | `["idx", "tag_name", nameKey]` | tag id (lower-cased name; long names hashed, see `tagNameKey`) |
 * | `["site_sync", siteId, n]` | chunk `n` of the site's stored sync data (`SiteSyncChunk`, JSON split below the 64 KiB value limit) |
 * | `["site_rows", bucket, siteId]` | `SiteRow`: what listings filter and sort on, written with the record / sync data (`site-rows.ts`) |
 * | `["fleet_marks", bucket]` / `["fleet_marks", "tags"]` | `true`, set by every commit that changes a row of the bucket / a tag (its versionstamp says when) |
 * | `["meta", "site_rows_v1"]` | `true` once every site has a row (`ensureSiteRows`) |
 * | `["costs", id]` | `CostRecord` |
 * | `["idx", "site_costs" / "tag_costs" / "client_costs", ownerId, costId]` | `true` |
 * | `["idx", "cost_slug", productType, slug]` | cost id (plugin/theme costs; lower-cased slug, one cost per product) |
 * | `["settings", "ignored_plugins" / "ignored_themes"]` | global ignore lists `{slug: {Name, ignored_versions}}` |
 * | `["settings", "section", name]` | one settings section's stored values (`general`, `advanced`, …; only what was set) |
 * | `["locks", "update_all"]` | lease of a running "update everything" (`expiresAt` checked on read) |
 * | `["locks", "update_site", siteId]` | lease of a running "update everything" of one site |
 * | `["users", id]` / `["idx", "user_login", login]` | `UserRecord` / user id (lower-cased login) |
 * | `["app_passwords", userId, uuid]` | `AppPasswordRecord` (salted hash only) |
 * | `["api_keys", id]` | `ApiKeyRecord` |
 * | `["idx", "api_key_hash", hmacHex]` | a copy of the `ApiKeyRecord` (one read per authenticated request) |
 * | `["jobs", jobId]` | `JobRecord`: a background job's state and counters (expires 24 h after its last write) |
 * | `["job_chunks", jobId, n]` | `ChunkRecord`: chunk `n`'s sites, claim lease, update start marks and results |
 * | `["idx", "jobs_active", jobId]` | `true` while a job is queued or processing (what workers scan) |
 * | `["rev", "jobs"]` | `Deno.KvU64` bumped when a lane is scheduled without queues (pollers watch it) |
 * | `["mcp_confirmations", tokenHash]` | `ConfirmationRecord`: a pending MCP confirmation (SHA-256 of its token; expires after 5 minutes) |
 * | `["monitors", siteId]` | `MonitorOverrides`: a monitor's own settings (`-1` / `useglobal` follow the global ones) |
 * | `["monitor_state", siteId]` | `MonitorState`: last status, retries, open incident, next due time and schedule sequence |
 * | `["idx", "monitor_due", dueMs, siteId]` | `true` while the monitor is scheduled (what pollers and the recovery pass scan) |
 * | `["monitor_heartbeats", siteId, timeMs, n]` | `Heartbeat` of one check (expires after the retention period) |
 * | `["monitor_hourly", siteId, hourMs]` | `HourlyStat`: a monitor's UP/DOWN checks and response times of one UTC hour (expires with the heartbeats) |
 * | `["monitor_incidents", siteId, startMs]` | `Incident`: start, end, cause, DOWN checks (expires with the heartbeats once closed) |
 * | `["settings", "uptime_monitoring"]` | `GlobalMonitorSettings`: the global monitoring defaults |
 * | `["schedule", "fleet_sync"]` | `ScheduleState`: the next scheduled sync, the run in progress and the last one (core/schedule/) |
 * | `["update_seen", siteId]` | `{"kind|slug|version": ms}`: when each pending update was first seen (auto-update delay) |
 * | `["webhooks", id]` | `WebhookRecord` (its signing secret encrypted with the server's secret key) |
 * | `["webhook_deliveries", webhookId, deliveryId]` | `DeliveryRecord`: one event's payload for one endpoint and its attempts (expires after the retention period) |
 * | `["idx", "webhook_due", dueMs, webhookId, deliveryId]` | `true` while a delivery waits for its next attempt (the outbox pollers scan) |
 * | `["webhook_site_link", siteId]` | `"up"` / `"down"`: the connection state last reported (site.disconnected / site.reconnected) |
 * | `["meta", "site_identity_v2"]` | `true` once site index keys were moved to canonical identities (`reindexSites`) |
 *
 * @example
 * ```ts
 * await kv.get(keys.site(3));
 * ```
 */

/** The revision counter of everything the site listings show. */
export const FLEET_REV: Deno.KvKey = ["rev", "fleet"];

/** Key builders. */
export const keys = {
  seq: (kind: string): Deno.KvKey => ["seq", kind],
  site: (id: number): Deno.KvKey => ["sites", id],
  sites: (): Deno.KvKey => ["sites"],
  siteByDomain: (domain: string): Deno.KvKey => ["idx", "site_domain", domain],
  siteTags: (siteId: number): Deno.KvKey => ["idx", "site_tags", siteId],
  siteTag: (siteId: number, tagId: number): Deno.KvKey => ["idx", "site_tags", siteId, tagId],
  tagSites: (tagId: number): Deno.KvKey => ["idx", "tag_sites", tagId],
  tagSite: (tagId: number, siteId: number): Deno.KvKey => ["idx", "tag_sites", tagId, siteId],
  clientSites: (clientId: number): Deno.KvKey => ["idx", "client_sites", clientId],
  clientSite: (clientId: number, siteId: number): Deno.KvKey => ["idx", "client_sites", clientId, siteId],
  client: (id: number): Deno.KvKey => ["clients", id],
  clients: (): Deno.KvKey => ["clients"],
  clientByEmail: (email: string): Deno.KvKey => ["idx", "client_email", email.toLowerCase()],
  clientField: (id: number): Deno.KvKey => ["client_fields", id],
  clientFields: (): Deno.KvKey => ["client_fields"],
  clientFieldByName: (name: string): Deno.KvKey => ["idx", "client_field_name", name.toLowerCase()],
  tag: (id: number): Deno.KvKey => ["tags", id],
  tags: (): Deno.KvKey => ["tags"],
  tagByName: (nameKey: string): Deno.KvKey => ["idx", "tag_name", nameKey],
  siteSync: (siteId: number): Deno.KvKey => ["site_sync", siteId],
  siteSyncChunk: (siteId: number, n: number): Deno.KvKey => ["site_sync", siteId, n],
  siteSyncs: (): Deno.KvKey => ["site_sync"],
  cost: (id: number): Deno.KvKey => ["costs", id],
  costs: (): Deno.KvKey => ["costs"],
  ownerCosts: (
    owner: "site" | "tag" | "client",
    ownerId: number,
  ): Deno.KvKey => ["idx", `${owner}_costs`, ownerId],
  ownerCost: (owner: "site" | "tag" | "client", ownerId: number, costId: number): Deno.KvKey => [
    "idx",
    `${owner}_costs`,
    ownerId,
    costId,
  ],
  costBySlug: (productType: string, slug: string): Deno.KvKey => [
    "idx",
    "cost_slug",
    productType,
    slug.toLowerCase(),
  ],
  globalIgnored: (kind: "plugins" | "themes"): Deno.KvKey => ["settings", `ignored_${kind}`],
  settingsSection: (name: string): Deno.KvKey => ["settings", "section", name],
  updateAllLease: (): Deno.KvKey => ["locks", "update_all"],
  updateSiteLease: (siteId: number): Deno.KvKey => ["locks", "update_site", siteId],
  user: (id: number): Deno.KvKey => ["users", id],
  userByLogin: (login: string): Deno.KvKey => ["idx", "user_login", login.toLowerCase()],
  appPassword: (userId: number, uuid: string): Deno.KvKey => ["app_passwords", userId, uuid],
  appPasswords: (userId: number): Deno.KvKey => ["app_passwords", userId],
  apiKey: (id: number): Deno.KvKey => ["api_keys", id],
  apiKeys: (): Deno.KvKey => ["api_keys"],
  apiKeyByHash: (hash: string): Deno.KvKey => ["idx", "api_key_hash", hash],
  job: (id: string): Deno.KvKey => ["jobs", id],
  jobs: (): Deno.KvKey => ["jobs"],
  jobChunk: (id: string, n: number): Deno.KvKey => ["job_chunks", id, n],
  jobChunks: (id: string): Deno.KvKey => ["job_chunks", id],
  activeJob: (id: string): Deno.KvKey => ["idx", "jobs_active", id],
  activeJobs: (): Deno.KvKey => ["idx", "jobs_active"],
  jobsRev: (): Deno.KvKey => ["rev", "jobs"],
  mcpConfirmation: (tokenHash: string): Deno.KvKey => ["mcp_confirmations", tokenHash],
  monitor: (siteId: number): Deno.KvKey => ["monitors", siteId],
  monitors: (): Deno.KvKey => ["monitors"],
  monitorState: (siteId: number): Deno.KvKey => ["monitor_state", siteId],
  monitorStates: (): Deno.KvKey => ["monitor_state"],
  monitorDue: (dueMs: number, siteId: number): Deno.KvKey => ["idx", "monitor_due", dueMs, siteId],
  monitorDues: (): Deno.KvKey => ["idx", "monitor_due"],
  monitorHeartbeat: (siteId: number, timeMs: number, n: number): Deno.KvKey => [
    "monitor_heartbeats",
    siteId,
    timeMs,
    n,
  ],
  monitorHeartbeatsFrom: (
    siteId: number,
    timeMs: number,
  ): Deno.KvKey => ["monitor_heartbeats", siteId, timeMs],
  monitorHeartbeats: (siteId: number): Deno.KvKey => ["monitor_heartbeats", siteId],
  monitorHourly: (siteId: number, hourMs: number): Deno.KvKey => ["monitor_hourly", siteId, hourMs],
  monitorHourlies: (siteId: number): Deno.KvKey => ["monitor_hourly", siteId],
  monitorIncident: (siteId: number, startMs: number): Deno.KvKey => ["monitor_incidents", siteId, startMs],
  monitorIncidents: (siteId: number): Deno.KvKey => ["monitor_incidents", siteId],
  monitorGlobalSettings: (): Deno.KvKey => ["settings", "uptime_monitoring"],
  fleetSchedule: (): Deno.KvKey => ["schedule", "fleet_sync"],
  updateSeen: (siteId: number): Deno.KvKey => ["update_seen", siteId],
  webhook: (id: number): Deno.KvKey => ["webhooks", id],
  webhooks: (): Deno.KvKey => ["webhooks"],
  webhookDelivery: (webhookId: number, deliveryId: string): Deno.KvKey => [
    "webhook_deliveries",
    webhookId,
    deliveryId,
  ],
  webhookDeliveries: (webhookId: number): Deno.KvKey => ["webhook_deliveries", webhookId],
  webhookDue: (due: number, webhookId: number, deliveryId: string): Deno.KvKey => [
    "idx",
    "webhook_due",
    due,
    webhookId,
    deliveryId,
  ],
  webhookDues: (): Deno.KvKey => ["idx", "webhook_due"],
  webhookSiteLink: (siteId: number): Deno.KvKey => ["webhook_site_link", siteId],
} as const;
