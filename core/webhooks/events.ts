/**
 * @module
 * The webhook event types, their bounded JSON bodies (`{"type","timestamp","data"}`, Standard Webhooks)
 * and where they come from: each is produced from a hook the rest of Fleetpress already fires.
 *
 * | event | from |
 * |---|---|
 * | `site.down` / `site.up` | `fleetpress_incident_opened` / `fleetpress_incident_closed` (uptime monitors) |
 * | `site.disconnected` / `site.reconnected` | a sync failing for a site that was connected, or a disconnect (`mainwp_site_sync_failed`, `fleetpress_site_disconnected`) / a sync or reconnect succeeding for one that was not (`mainwp_site_synced`, `mainwp_site_reconnected`) |
 * | `sync.failed` | `mainwp_site_sync_failed` |
 * | `updates.available` | `fleetpress_updates_found` (a sync found updates not pending before) |
 * | `update.applied` / `update.failed` | `fleetpress_update_step` (every update mode) |
 * | `job.completed` / `job.failed` | `fleetpress_job_finished` |
 * | `changes.detected` | `mainwp_site_synced` when the site's stored non-MainWP changes gained rows |
 *
 * @example
 * ```ts
 * subscribeWebhookEvents(ctx, dispatcher);
 * ```
 */
import type { HookDeps } from "../deps.ts";
import type { SiteRecord } from "../../store/sites.ts";
import { getSiteSync } from "../../store/sites.ts";
import { keys } from "../../store/keys.ts";
import { storedSiteChanges } from "../sync/changes.ts";
import { childErrorMessage } from "../sync/child.ts";
import type { IncidentEvent } from "../../hooks/types.ts";

/** Every event type an endpoint may subscribe to. */
export const WEBHOOK_EVENTS = [
  "site.down",
  "site.up",
  "site.disconnected",
  "site.reconnected",
  "sync.failed",
  "updates.available",
  "update.applied",
  "update.failed",
  "job.completed",
  "job.failed",
  "changes.detected",
] as const;

/** An event type. */
export type WebhookEvent = typeof WEBHOOK_EVENTS[number];

/** Largest body sent; larger data is cut down to its scalar fields. */
export const MAX_BODY_BYTES = 16_384;
/** Most list entries an event carries. */
const MAX_LIST = 100;

/**
 * The JSON body of an event, at most {@link MAX_BODY_BYTES} (lists are cut to 100 entries; data still too
 * large keeps only its scalar fields and `truncated: true`).
 *
 * @example
 * ```ts
 * eventBody("site.down", Date.now(), { site_id: 3 }); // '{"type":"site.down","timestamp":"…","data":{"site_id":3}}'
 * ```
 */
export function eventBody(type: WebhookEvent, now: number, data: Record<string, unknown>): string {
  const timestamp = new Date(now).toISOString();
  const cut = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Array.isArray(v) ? v.slice(0, MAX_LIST) : v]),
  );
  const body = JSON.stringify({ type, timestamp, data: cut });
  if (new TextEncoder().encode(body).byteLength <= MAX_BODY_BYTES) return body;
  const scalars = Object.fromEntries(
    Object.entries(data).filter(([, v]) =>
      v === null || typeof v === "number" || typeof v === "boolean" ||
      (typeof v === "string" && v.length <= 2048)
    ),
  );
  return JSON.stringify({ type, timestamp, data: { ...scalars, truncated: true } });
}

/** Where events go: the dispatcher's `emit` and `wants`. */
export interface EventSink {
  emit(type: WebhookEvent, data: Record<string, unknown>): Promise<number>;
  wants(type: WebhookEvent): Promise<boolean>;
}

/** The per-site state events compare against: the connection and the newest change seen. */
interface SiteLink {
  link: "up" | "down";
  /** `created` (unix seconds) of the newest non-MainWP change reported. */
  changes_at?: number;
}

const siteOf = (site: SiteRecord) => ({ site_id: site.id, name: site.name, url: site.url });

/** Reads and (when changed) writes a site's link state; returns the previous one. */
async function updateLink(
  { kv }: HookDeps,
  siteId: number,
  change: (previous: SiteLink | null) => SiteLink,
): Promise<SiteLink | null> {
  const entry = await kv.get<SiteLink>(keys.webhookSiteLink(siteId));
  const next = change(entry.value);
  if (JSON.stringify(next) !== JSON.stringify(entry.value)) {
    const result = await kv.atomic().check(entry).set(keys.webhookSiteLink(siteId), next).commit();
    if (!result.ok) return next; // another process reported the same change at the same time
  }
  return entry.value;
}

/** `site.reconnected` when a site that was down synced (or reconnected) again. */
async function siteUp(deps: HookDeps, sink: EventSink, site: SiteRecord): Promise<SiteLink | null> {
  // No record (never seen down) or already up: nothing to record, no write on every sync.
  const known = (await deps.kv.get<SiteLink>(keys.webhookSiteLink(site.id))).value;
  if (known === null || known.link === "up") return known;
  const previous = await updateLink(deps, site.id, (p) => ({ ...(p ?? {}), link: "up" }));
  if (previous?.link === "down") await sink.emit("site.reconnected", siteOf(site));
  return previous;
}

/** `changes.detected` when the stored non-MainWP changes gained rows newer than the last reported. */
async function changesAfterSync(deps: HookDeps, sink: EventSink, site: SiteRecord): Promise<void> {
  if (!(await sink.wants("changes.detected"))) return;
  const rows = storedSiteChanges(await getSiteSync(deps.kv, site.id));
  const newest = rows.reduce((max, row) => Math.max(max, Number(row.created) || 0), 0);
  const previous = await updateLink(deps, site.id, (p) => ({
    link: p?.link ?? "up",
    changes_at: Math.max(p?.changes_at ?? 0, newest),
  }));
  // The first sync after subscribing sets the baseline: history from before is not news.
  if (previous?.changes_at === undefined) return;
  const fresh = rows.filter((row) => (Number(row.created) || 0) > previous.changes_at!);
  if (fresh.length === 0) return;
  await sink.emit("changes.detected", {
    ...siteOf(site),
    count: fresh.length,
    changes: fresh.slice(-20).map((row) => ({
      context: row.context,
      action: row.action,
      user: row.action_user,
      created: Number(row.created) || 0,
      summary: row.summary,
    })),
  });
}

/**
 * Turns the hooks listed in the module table into events for `sink`. A failure is logged, never thrown
 * into the code that fired the hook.
 *
 * @example
 * ```ts
 * subscribeWebhookEvents({ kv, hooks }, dispatcher);
 * ```
 */
export function subscribeWebhookEvents(deps: HookDeps, sink: EventSink): void {
  const { hooks } = deps;
  const safe =
    <A extends unknown[]>(what: string, fn: (...args: A) => Promise<unknown>) => async (...args: A) => {
      try {
        await fn(...args);
      } catch (error) {
        console.error(`[fleetpress] webhook event from ${what} failed:`, error);
      }
    };
  const incident = (i: IncidentEvent) => ({
    site_id: i.siteId,
    url: i.url,
    incident_id: i.incidentId,
    started_at: i.startedAt,
    ended_at: i.endedAt,
    cause: i.cause,
  });
  hooks.addAction(
    "fleetpress_incident_opened",
    safe("incident", (i: IncidentEvent) => sink.emit("site.down", incident(i))),
  );
  hooks.addAction(
    "fleetpress_incident_closed",
    safe("incident", (i: IncidentEvent) => sink.emit("site.up", incident(i))),
  );
  const siteDown = async (site: SiteRecord, error: string) => {
    const previous = await updateLink(deps, site.id, (p) => ({ ...(p ?? {}), link: "down" }));
    if (previous?.link !== "down") await sink.emit("site.disconnected", { ...siteOf(site), error });
  };
  hooks.addAction(
    "mainwp_site_sync_failed",
    safe("sync", async (site, error) => {
      const message = childErrorMessage(error);
      await sink.emit("sync.failed", { ...siteOf(site), error: message });
      await siteDown(site, message);
    }),
  );
  hooks.addAction(
    "fleetpress_site_disconnected",
    safe("disconnect", (site) => siteDown(site, site.sync_errors)),
  );
  hooks.addAction(
    "mainwp_site_synced",
    safe("sync", async (site) => {
      await siteUp(deps, sink, site);
      await changesAfterSync(deps, sink, site);
    }),
  );
  hooks.addAction(
    "mainwp_site_reconnected",
    safe("reconnect", async (site, success) => {
      if (success) await siteUp(deps, sink, site);
    }),
  );
  hooks.addAction(
    "fleetpress_updates_found",
    safe("sync", (site, updates) =>
      sink.emit("updates.available", {
        ...siteOf(site),
        count: updates.length,
        updates: updates.map((u) => ({ type: u.kind, slug: u.slug, name: u.name, version: u.version })),
      })),
  );
  hooks.addAction(
    "fleetpress_update_step",
    safe("update", async (site, step) => {
      if (step.updated.length > 0) {
        await sink.emit("update.applied", {
          ...siteOf(site),
          type: step.kind,
          mode: step.mode,
          items: step.updated,
        });
      }
      if (step.failed.length > 0) {
        await sink.emit("update.failed", {
          ...siteOf(site),
          type: step.kind,
          mode: step.mode,
          failures: step.failed,
        });
      }
    }),
  );
  hooks.addAction(
    "fleetpress_job_finished",
    safe("job", (job) => sink.emit(job.status === "completed" ? "job.completed" : "job.failed", { ...job })),
  );
}
