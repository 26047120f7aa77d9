/**
 * @module
 * MainWP's read-only site abilities on stored data (abilities.md §2.5, 6–12): abandoned plugins and
 * themes, security checks, non-MainWP changes, a site's client and costs, and the site count and basic
 * list. Each one reads through the same services as the matching `/sites` REST route
 * (`core/sync/items.ts`, `core/sync/change-list.ts`, `costsOfSite`, the fleet snapshot…).
 *
 * @example
 * ```ts
 * registerSiteReadAbilities(sink);
 * ```
 */
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import type { AppContext } from "../../app-context.ts";
import { basePermission, sitePermission } from "./permissions.ts";
import {
  clientAbilityObject,
  clientOutputSchema,
  costAbilityObject,
  costOutputSchema,
  siteBasicObject,
} from "./objects.ts";
import { idList, optionalInput, page, perPage, siteIdOrDomain } from "./fields.ts";
import { resolveSite, type SiteRecord } from "../../core/sites/resolve.ts";
import { abandonedItems, siteJsonOption } from "../../core/sync/items.ts";
import { siteChangeItems } from "../../core/sync/change-list.ts";
import { parseList } from "../../rest/args.ts";
import { costsOfSite } from "../../core/costs.ts";
import { findClient } from "../../core/clients.ts";
import { fleetSnapshot, selectSites, type SiteEntry } from "../../core/sites/fleet.ts";
import { isPlainObject } from "../../lib/objects.ts";

const READ = { readonly: true, destructive: false, idempotent: true, instructions: "" };
const COUNT_STATUSES = ["connected", "disconnected", "suspended"] as const;
const siteOnly = z.looseObject({ site_id_or_domain: siteIdOrDomain });
type SiteInput = { site_id_or_domain: number | string };

/** count-sites' and get-sites-basic's filters. */
const countFilters = {
  status: z.enum(COUNT_STATUSES).optional().describe(
    'Only sites in this state: "connected", "disconnected" or "suspended". Absent means every site.',
  ),
  tag_ids: idList("Only sites with at least one of these tag IDs").optional(),
  client_id: z.int().optional().describe("Only sites of this client (client ID, e.g. 3)."),
};
type CountQuery = { status?: (typeof COUNT_STATUSES)[number]; tag_ids?: number[]; client_id?: number };

/** Unix seconds as ISO 8601 with `+00:00`. */
function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** The site of a site-scoped ability (the permission callback already resolved it once). */
async function siteOf(ctx: AppContext, input: SiteInput): Promise<SiteRecord> {
  return await resolveSite(ctx, input.site_id_or_domain);
}

/** One abandoned plugin or theme from the child's outdate information. */
function abandonedItem(slug: string, info: Record<string, unknown>, now: number) {
  const last = info.last_updated;
  const lastUpdated =
    typeof last === "number" || (typeof last === "string" && /^\s*\d+(\.\d+)?\s*$/.test(last))
      ? iso(Math.trunc(Number(last)))
      : typeof last === "string"
      ? last
      : "";
  const outdated = Number(info.outdate_timestamp);
  return {
    slug,
    name: String(info.Name || slug),
    version: String(info.Version || ""),
    last_updated: lastUpdated,
    days_since_update: info.outdate_timestamp !== undefined && info.outdate_timestamp !== null &&
        info.outdate_timestamp !== "" && Number.isFinite(outdated)
      ? Math.floor((now - outdated) / 86400)
      : null,
  };
}

/** Abandoned plugins or themes of a site, from the same stored data as `GET /sites/{id}/plugins/abandoned`. */
async function abandoned(ctx: AppContext, input: SiteInput, kind: "plugins" | "themes") {
  const site = await siteOf(ctx, input);
  const data = await abandonedItems(ctx, site.id, kind);
  const now = Math.floor(Date.now() / 1000);
  const entries: [string, unknown][] = Array.isArray(data)
    ? data.map((v, i) => [isPlainObject(v) && v.slug ? String(v.slug) : String(i), v])
    : Object.entries(data as Record<string, unknown>);
  const items = entries.filter(([, v]) => isPlainObject(v)).map(([slug, v]) =>
    abandonedItem(slug, v as Record<string, unknown>, now)
  );
  return { [kind]: items, total: items.length };
}

const abandonedOutput = (kind: "plugins" | "themes") =>
  z.object({
    [kind]: z.array(z.object({
      slug: z.string(),
      name: z.string(),
      version: z.string(),
      last_updated: z.string(),
      days_since_update: z.int().nullable(),
    })),
    total: z.int(),
  });

/** Status filter of count-sites / get-sites-basic: list-sites' (connected = no sync errors, not suspended). */
function countFilter(entries: readonly SiteEntry[], q: CountQuery): SiteEntry[] {
  const tagIds = q.tag_ids ?? [];
  return entries.filter((e) =>
    (q.status !== "connected" || !e.site.suspended) &&
    (q.client_id === undefined || e.site.client_id === q.client_id) &&
    (tagIds.length === 0 || e.site.tag_ids.some((id) => tagIds.includes(id)))
  );
}

/** Listed sites matching count-sites / get-sites-basic filters, in listing order. */
async function filteredSites(ctx: AppContext, q: CountQuery): Promise<SiteEntry[]> {
  const snap = await fleetSnapshot(ctx.kv);
  const byStatus = selectSites(snap, {
    include: [],
    exclude: [],
    search: "",
    status: q.status ? [q.status] : [],
  });
  return countFilter(byStatus, q);
}

/**
 * Registers these abilities.
 *
 * @example
 * ```ts
 * registerSiteReadAbilities(sink);
 * ```
 */
export function registerSiteReadAbilities(sink: AbilitySink): void {
  sink.register({
    name: "mainwp/get-abandoned-plugins-v1",
    label: "Get Abandoned Plugins",
    description:
      "Lists a site's plugins that have not been updated by their authors for a long time, from its last sync.",
    category: "mainwp-sites",
    input: siteOnly,
    output: abandonedOutput("plugins"),
    annotations: READ,
    permission: sitePermission,
    execute: ({ ctx, input }) => abandoned(ctx, input, "plugins"),
  });
  sink.register({
    name: "mainwp/get-abandoned-themes-v1",
    label: "Get Abandoned Themes",
    description:
      "Lists a site's themes that have not been updated by their authors for a long time, from its last sync.",
    category: "mainwp-sites",
    input: siteOnly,
    output: abandonedOutput("themes"),
    annotations: READ,
    permission: sitePermission,
    execute: ({ ctx, input }) => abandoned(ctx, input, "themes"),
  });
  sink.register({
    name: "mainwp/get-site-security-v1",
    label: "Get Site Security Checks",
    description: "Returns the security checks a site reported at its last sync and how many of them fail.",
    category: "mainwp-sites",
    input: siteOnly,
    output: z.object({
      site_id: z.int(),
      security_issues: z.looseObject({}),
      total_issues: z.int(),
    }),
    annotations: {
      ...READ,
      instructions:
        'Values come from the last sync; a check whose value is "N" (or 0) is a failing check counted in total_issues. Sync the site first for fresh results.',
    },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const site = await siteOf(ctx, input);
      const stats = await siteJsonOption(ctx, site.id, "security_stats");
      const values = Object.values(stats);
      return {
        site_id: site.id,
        security_issues: stats,
        total_issues: values.filter((v) => v === "N" || v === "0" || v === 0).length,
      };
    },
  });
  sink.register({
    name: "mainwp/get-site-changes-v1",
    label: "Get Site Changes",
    description:
      "Lists changes made on a site outside the dashboard (plugins, themes, core…), newest first, with paging.",
    category: "mainwp-sites",
    input: z.looseObject({
      site_id_or_domain: siteIdOrDomain,
      page,
      per_page: perPage(100, 20),
      type: z.string().optional().describe(
        'Only changes of this kind, e.g. "plugins", "themes" or "wordpress"; several separated by commas. Absent lists all.',
      ),
    }),
    output: z.object({
      items: z.array(z.object({
        id: z.int(),
        type: z.string(),
        action: z.string(),
        item: z.string(),
        user_id: z.int(),
        user: z.string(),
        timestamp: z.string().nullable(),
      })),
      page: z.int(),
      per_page: z.int(),
      total: z.int(),
    }),
    annotations: {
      ...READ,
      instructions:
        "Shows what the child site reported at its syncs; filter with type (e.g. plugins, themes, wordpress).",
    },
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const site = await siteOf(ctx, input);
      const { page, per_page: perPage } = input;
      const contexts = parseList(input.type);
      const { items, total } = await siteChangeItems(ctx, site.id, { page, perPage, contexts });
      return { items, page, per_page: perPage, total };
    },
  });
  sink.register({
    name: "mainwp/get-site-client-v1",
    label: "Get Site Client",
    description: "Returns the client a site is assigned to, if any.",
    category: "mainwp-sites",
    input: siteOnly,
    output: z.object({ client: clientOutputSchema.nullable(), message: z.string() }),
    annotations: READ,
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const site = await siteOf(ctx, input);
      if (!(site.client_id > 0)) return { client: null, message: "No client assigned to this site." };
      const client = await findClient(ctx, site.client_id);
      return client
        ? { client: clientAbilityObject(client), message: "Client found." }
        : { client: null, message: "Assigned client not found in database." };
    },
  });
  sink.register({
    name: "mainwp/get-site-costs-v1",
    label: "Get Site Costs",
    description: "Lists the cost tracker entries linked directly to a site.",
    category: "mainwp-sites",
    input: siteOnly,
    output: z.object({ site_id: z.int(), costs: z.array(costOutputSchema), total: z.int() }),
    annotations: READ,
    permission: sitePermission,
    execute: async ({ ctx, input }) => {
      const site = await siteOf(ctx, input);
      const costs = (await costsOfSite(ctx, site.id)).map(costAbilityObject);
      return { site_id: site.id, costs, total: costs.length };
    },
  });
  sink.register({
    name: "mainwp/count-sites-v1",
    label: "Count MainWP Sites",
    description: "Counts managed sites, optionally by status, tags (any of them) or client.",
    category: "mainwp-sites",
    input: optionalInput(z.looseObject(countFilters)),
    output: z.object({ total: z.int() }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => ({ total: (await filteredSites(ctx, input)).length }),
  });
  sink.register({
    name: "mainwp/get-sites-basic-v1",
    label: "Get Basic Site List",
    description:
      "Lists managed sites with only id, address and name, with paging and filters by status, tags or client.",
    category: "mainwp-sites",
    input: optionalInput(z.looseObject({ page, per_page: perPage(100, 20), ...countFilters })),
    output: z.object({
      items: z.array(z.object({ id: z.int(), url: z.string(), name: z.string() })),
      page: z.int(),
      per_page: z.int(),
      total: z.int(),
    }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const { page, per_page: perPage } = input;
      const sites = await filteredSites(ctx, input);
      const items = sites.slice((page - 1) * perPage, page * perPage).map((e) => {
        const { id, url, name } = siteBasicObject(e.site);
        return { id, url, name };
      });
      return { items, page, per_page: perPage, total: sites.length };
    },
  });
}
