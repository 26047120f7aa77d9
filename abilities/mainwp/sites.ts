/**
 * @module
 * MainWP's site abilities (abilities.md §2.5). So far `list-sites-v1`, answered from the same fleet
 * snapshot as `GET /sites`.
 *
 * @example
 * ```ts
 * registerSiteAbilities(ctx.abilities);
 * ```
 */
import { z } from "zod";
import type { AbilityRegistry } from "../registry.ts";
import { basePermission } from "./permissions.ts";
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
}
