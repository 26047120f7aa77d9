/**
 * @module
 * MainWP's site abilities (abilities.md §2.5). So far `list-sites-v1` (from the same fleet snapshot as
 * `GET /sites`) and `get-site-v1`.
 *
 * @example
 * ```ts
 * registerSiteAbilities(ctx.abilities);
 * ```
 */
import { z } from "zod";
import type { AbilityRegistry } from "../registry.ts";
import { basePermission, sitePermission } from "./permissions.ts";
import { resolveSite } from "../../services/site-resolve.ts";
import { getSiteSync, type SiteRecord, type SiteSyncData } from "../../store/sites.ts";
import { siteBasicObject } from "./objects.ts";
import { fleetSnapshot, type SiteEntry } from "../../services/site-list.ts";

const SiteBasic = z.object({
  id: z.int(),
  url: z.string(),
  name: z.string(),
  status: z.string(),
  client_id: z.int().nullable(),
});

const STATUSES = ["any", "connected", "disconnected", "suspended", "available_update"] as const;

/** The ability path's status filter (it looks at sync errors; `connected` excludes suspended sites). */
function matchesStatus(entry: SiteEntry, status: (typeof STATUSES)[number]): boolean {
  const s = entry.site;
  switch (status) {
    case "connected":
      return !s.sync_errors && !s.suspended;
    case "disconnected":
      return !!s.sync_errors;
    case "suspended":
      return s.suspended === 1;
    case "available_update":
      return entry.hasUpdate;
    default:
      return true;
  }
}

function countOf(json: string | undefined): number {
  try {
    const v = json ? JSON.parse(json) : null;
    return Array.isArray(v) ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0;
  } catch {
    return 0;
  }
}

/**
 * The full site object of get-site (abilities.md §2.4), with `stats` on request.
 *
 * @example
 * ```ts
 * siteFullObject(site, sync, true).stats?.plugin_updates;
 * ```
 */
export function siteFullObject(site: SiteRecord, sync: SiteSyncData | null, includeStats: boolean) {
  const info = sync?.site_info ?? {};
  const full: Record<string, unknown> = {
    ...siteBasicObject(site),
    admin_username: site.adminname,
    wp_version: String(info.wpversion ?? ""),
    php_version: String(info.phpversion ?? ""),
    child_version: String(sync?.version ?? ""),
    last_sync: site.dtsSync > 0
      ? new Date(site.dtsSync * 1000).toISOString().replace(".000Z", "+00:00")
      : null,
    notes: site.note ?? "",
  };
  if (includeStats) {
    full.stats = {
      plugin_updates: countOf(sync?.plugin_upgrades),
      theme_updates: countOf(sync?.theme_upgrades),
      wp_update_available: countOf(sync?.wp_upgrades) > 0,
      health_score: site.health_value === "" ? null : Number(site.health_value),
    };
  }
  return full;
}

/**
 * Registers the site abilities.
 *
 * @example
 * ```ts
 * registerSiteAbilities(registry);
 * ```
 */
export function registerSiteAbilities(registry: AbilityRegistry): void {
  registry.register({
    name: "mainwp/list-sites-v1",
    label: "List MainWP Sites",
    description:
      "Lists managed sites ordered by address, with paging and filters by status, search, client or tag.",
    category: "mainwp-sites",
    input: z.object({
      page: z.int().min(1).default(1),
      per_page: z.int().min(1).max(100).default(20),
      status: z.enum(STATUSES).default("any"),
      search: z.string().default(""),
      client_id: z.int().min(1).optional(),
      tag_id: z.int().min(1).optional(),
    }).strict().nullable().default(null),
    output: z.object({ items: z.array(SiteBasic), page: z.int(), per_page: z.int(), total: z.int() }),
    annotations: { readonly: true, destructive: false, idempotent: true, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = (input ?? {}) as {
        page?: number;
        per_page?: number;
        status?: (typeof STATUSES)[number];
        search?: string;
        client_id?: number;
        tag_id?: number;
      };
      const page = q.page ?? 1;
      const perPage = q.per_page ?? 20;
      const search = (q.search ?? "").toLowerCase();
      const snap = await fleetSnapshot(ctx.kv);
      const matching = snap.listed.filter((e) =>
        matchesStatus(e, q.status ?? "any") &&
        (!search || String(e.site.id).includes(search) || e.name.includes(search) ||
          e.url.includes(search)) &&
        (q.client_id === undefined || e.site.client_id === q.client_id)
      );
      // MainWP counts with the tag filter but lists without it (abilities.md §6); Fleetpress applies it to both.
      const filtered = q.tag_id === undefined
        ? matching
        : matching.filter((e) => e.site.tag_ids.includes(q.tag_id!));
      const items = filtered.slice((page - 1) * perPage, page * perPage).map((e) => siteBasicObject(e.site));
      return { items, page, per_page: perPage, total: filtered.length };
    },
  });
  registry.register({
    name: "mainwp/get-site-v1",
    label: "Get MainWP Site",
    description: "Returns one site by id, domain or URL, optionally with update and health statistics.",
    category: "mainwp-sites",
    input: z.object({
      site_id_or_domain: z.union([z.int(), z.string()]),
      include_stats: z.boolean().default(false),
    }).strict(),
    annotations: { readonly: true, destructive: false, idempotent: true, instructions: "" },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const q = input as { site_id_or_domain: number | string; include_stats?: boolean };
      const site = await resolveSite(ctx, q.site_id_or_domain);
      if (!("id" in site)) throw site;
      return siteFullObject(site, await getSiteSync(ctx.kv, site.id), q.include_stats === true);
    },
  });
}
