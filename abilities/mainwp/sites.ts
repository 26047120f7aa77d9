/**
 * @module
 * MainWP's site abilities (abilities.md §2.5). So far the read-only ones: `list-sites-v1` (from the
 * same fleet snapshot as `GET /sites`), `get-site-v1`, and `get-site-plugins-v1` / `get-site-themes-v1`
 * (from stored sync data).
 *
 * @example
 * ```ts
 * registerSiteAbilities(ctx.abilities);
 * ```
 */
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import { basePermission, sitePermission } from "./permissions.ts";
import { resolveSite, type SiteRecord } from "../../core/sites/resolve.ts";
import { siteItemSources } from "../../core/sync/items.ts";
import { type SiteSyncData, siteSyncData } from "../../core/sync/sync.ts";
import type { AppContext } from "../../app-context.ts";
import { siteBasicObject, siteBasicSchema } from "./objects.ts";
import { fleetSnapshot, type SiteEntry } from "../../core/sites/fleet.ts";
import { optionalInput, page, perPage, siteIdOrDomain } from "./fields.ts";

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

/** The full site object (abilities.md §2.4), `stats` only on request. */
export const siteFullSchema = siteBasicSchema.extend({
  admin_username: z.string(),
  wp_version: z.string(),
  php_version: z.string(),
  child_version: z.string(),
  last_sync: z.string().nullable(),
  notes: z.string(),
  stats: z.object({
    plugin_updates: z.int(),
    theme_updates: z.int(),
    wp_update_available: z.boolean(),
    health_score: z.number().nullable(),
  }).optional(),
});

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
export function registerSiteAbilities(registry: AbilitySink): void {
  registry.register({
    name: "mainwp/list-sites-v1",
    label: "List MainWP Sites",
    description:
      "Lists managed sites ordered by address, with paging and filters by status, search, client or tag.",
    category: "mainwp-sites",
    input: optionalInput(
      z.object({
        page,
        per_page: perPage(100, 20),
        status: z.enum(STATUSES).default("any").describe(
          'Only sites in this state: "connected", "disconnected" (last sync failed), "suspended", "available_update" (updates pending) or "any" (default).',
        ),
        search: z.string().default("").describe(
          'Case-insensitive text matched against the site ID, name and URL, e.g. "shop". Empty (default) matches all.',
        ),
        client_id: z.int().min(1).optional().describe("Only sites of this client (client ID, e.g. 3)."),
        tag_id: z.int().min(1).optional().describe("Only sites with this tag (tag ID, e.g. 4)."),
      }).strict(),
    ),
    output: z.object({ items: z.array(siteBasicSchema), page: z.int(), per_page: z.int(), total: z.int() }),
    annotations: { readonly: true, destructive: false, idempotent: true, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input: q }) => {
      const { page, per_page: perPage } = q;
      const search = q.search.toLowerCase();
      const snap = await fleetSnapshot(ctx.kv);
      const matching = snap.listed.filter((e) =>
        matchesStatus(e, q.status) &&
        (!search || String(e.site.id).includes(search) || e.name.includes(search) ||
          e.url.includes(search)) &&
        (q.client_id === undefined || e.site.client_id === q.client_id)
      );
      // MainWP counts with the tag filter but lists without it (abilities.md §6); Fleetpress applies it to both.
      const filtered = q.tag_id === undefined
        ? matching
        : matching.filter((e) => q.tag_id !== undefined && e.site.tag_ids.includes(q.tag_id));
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
      site_id_or_domain: siteIdOrDomain,
      include_stats: z.boolean().default(false).describe(
        "true adds stats: pending plugin and theme update counts, whether a WordPress update is available, and the health score. Default false.",
      ),
    }).strict(),
    output: siteFullSchema,
    annotations: { readonly: true, destructive: false, idempotent: true, instructions: "" },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const site = await resolveSite(ctx, input.site_id_or_domain);
      return siteFullObject(site, await siteSyncData(ctx, site.id), input.include_stats);
    },
  });
  registry.register({
    name: "mainwp/get-site-plugins-v1",
    label: "Get MainWP Site Plugins",
    description: "Lists a site's plugins from its last sync, with pending update versions.",
    category: "mainwp-sites",
    input: itemQuery("plugins"),
    output: itemsOutput("plugins"),
    annotations: { readonly: true, destructive: false, idempotent: true, instructions: "" },
    permission: sitePermission,
    execute: ({ ctx, input }) => siteItems(ctx, input, "plugins"),
  });
  registry.register({
    name: "mainwp/get-site-themes-v1",
    label: "Get MainWP Site Themes",
    description:
      "Lists a site's themes from its last sync, with pending update versions and the active theme.",
    category: "mainwp-sites",
    input: itemQuery("themes"),
    output: itemsOutput("themes"),
    annotations: { readonly: true, destructive: false, idempotent: true, instructions: "" },
    permission: sitePermission,
    execute: ({ ctx, input }) => siteItems(ctx, input, "themes"),
  });
}

/** Input of get-site-plugins / get-site-themes. */
function itemQuery(kind: "plugins" | "themes") {
  const one = kind === "plugins" ? "plugin" : "theme";
  return z.object({
    site_id_or_domain: siteIdOrDomain,
    status: z.enum(["all", "active", "inactive"]).default("all").describe(
      `Only ${kind} in this state: "active", "inactive" or "all" (default).`,
    ),
    has_update: z.boolean().optional().describe(
      `true lists only ${kind} with a pending update (as of the last sync); false or absent lists every ${one}.`,
    ),
  }).strict();
}

type ItemQuery = z.output<ReturnType<typeof itemQuery>>;

/** Output of get-site-plugins / get-site-themes. */
function itemsOutput(kind: "plugins" | "themes") {
  const item = z.object({
    slug: z.string(),
    name: z.string(),
    version: z.string(),
    active: z.boolean(),
    update_version: z.string().nullable(),
  });
  const base = z.object({ site_id: z.int(), site_url: z.string(), [kind]: z.array(item), total: z.int() });
  return kind === "themes" ? base.extend({ active_theme: z.string() }) : base;
}

/** Plugins or themes of a site in the abilities' item shape. */
async function siteItems(ctx: AppContext, q: ItemQuery, kind: "plugins" | "themes") {
  const site = await resolveSite(ctx, q.site_id_or_domain);
  const { records: list, upgrades: stored } = await siteItemSources(ctx, site, kind);
  const upgrades = (stored ?? {}) as Record<string, Record<string, unknown>>;
  const activeTheme = kind === "themes"
    ? String(list.find((t) => Number(t.active) === 1 || t.active === true)?.slug ?? "")
    : "";
  let items = list.map((item) => {
    const slug = String(item.slug ?? "");
    const upgrade = Array.isArray(upgrades) ? undefined : upgrades[slug];
    const update = upgrade?.update as Record<string, unknown> | undefined;
    const newVersion = update?.new_version ?? upgrade?.new_version;
    return {
      slug,
      name: String(item.name ?? slug),
      version: String(item.version ?? ""),
      active: kind === "themes"
        ? slug === activeTheme && slug !== ""
        : Number(item.active) === 1 || item.active === true,
      update_version: newVersion === undefined ? null : String(newVersion),
    };
  });
  if (q.status === "active") items = items.filter((i) => i.active);
  if (q.status === "inactive") items = items.filter((i) => !i.active);
  if (q.has_update) items = items.filter((i) => i.update_version !== null);
  const out: Record<string, unknown> = {
    site_id: site.id,
    site_url: site.url,
    [kind]: items,
    total: items.length,
  };
  if (kind === "themes") out.active_theme = activeTheme;
  return out;
}
