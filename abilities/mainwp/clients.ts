/**
 * @module
 * MainWP's client abilities (abilities.md §2.5, 42–51). So far the read-only ones: list, count, get, a
 * client's sites and their count — on the same services as the `/clients` REST routes.
 *
 * @example
 * ```ts
 * registerClientAbilities(ctx.abilities);
 * ```
 */
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import type { AppContext } from "../../lib/context.ts";
import { restError } from "../../rest/errors.ts";
import { basePermission } from "./permissions.ts";
import { clientAbilityObject, siteBasicObject } from "./objects.ts";
import {
  clientSiteIdList,
  countClientRecords,
  countClientSites,
  findClient,
  listClientRecords,
} from "../../services/clients.ts";
import { getSites } from "../../store/sites.ts";
import type { ClientRecord } from "../../store/clients.ts";

const READ = { readonly: true, destructive: false, idempotent: true, instructions: "" };
const clientRef = z.union([z.int(), z.string()]);

/** Resolves `client_id_or_email`, or throws MainWP's 404. */
async function resolveClient(ctx: AppContext, ref: number | string): Promise<ClientRecord> {
  const client = await findClient(ctx, ref);
  if (client) return client;
  const numeric = /^\d+$/.test(String(ref).trim());
  throw restError(
    "mainwp_client_not_found",
    numeric ? `No client found with ID ${Number(ref)}.` : `No client found with email "${ref}".`,
    404,
  );
}

/**
 * Registers the client abilities.
 *
 * @example
 * ```ts
 * registerClientAbilities(registry);
 * ```
 */
export function registerClientAbilities(registry: AbilitySink): void {
  registry.register({
    name: "mainwp/list-clients-v1",
    label: "List MainWP Clients",
    description: "Lists clients ordered by name, with paging, search and id filters.",
    category: "mainwp-clients",
    input: z.looseObject({
      page: z.int().min(1).max(10000).default(1),
      per_page: z.int().min(1).max(100).default(20),
      status: z.enum(["any", "active", "suspended"]).default("any"),
      search: z.string().default(""),
      include: z.array(z.int()).default([]),
      exclude: z.array(z.int()).default([]),
    }).nullable().default(null),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = (input ?? {}) as {
        page?: number;
        per_page?: number;
        search?: string;
        include?: number[];
        exclude?: number[];
      };
      const page = q.page ?? 1;
      const perPage = q.per_page ?? 20;
      const all = await listClientRecords(ctx, {
        search: q.search ?? "",
        include: q.include ?? [],
        exclude: q.exclude ?? [],
      });
      return {
        items: all.slice((page - 1) * perPage, page * perPage).map(clientAbilityObject),
        page,
        per_page: perPage,
        total: all.length,
      };
    },
  });
  registry.register({
    name: "mainwp/count-clients-v1",
    label: "Count MainWP Clients",
    description: "Counts all clients.",
    category: "mainwp-clients",
    input: z.looseObject({}).nullable().default(null),
    output: z.object({ total: z.int() }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx }) => ({ total: await countClientRecords(ctx) }),
  });
  registry.register({
    name: "mainwp/get-client-v1",
    label: "Get MainWP Client",
    description: "Returns one client by id or e-mail address.",
    category: "mainwp-clients",
    input: z.looseObject({ client_id_or_email: clientRef }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) =>
      clientAbilityObject(
        await resolveClient(ctx, (input as { client_id_or_email: number | string }).client_id_or_email),
      ),
  });
  registry.register({
    name: "mainwp/get-client-sites-v1",
    label: "Get MainWP Client Sites",
    description: "Lists the sites of a client.",
    category: "mainwp-clients",
    input: z.looseObject({ client_id_or_email: clientRef }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const client = await resolveClient(
        ctx,
        (input as { client_id_or_email: number | string }).client_id_or_email,
      );
      const sites = (await getSites(ctx.kv, await clientSiteIdList(ctx, client.client_id)))
        .filter((s) => !s.is_staging && s.client_id === client.client_id)
        .map(siteBasicObject);
      return { items: sites, total: sites.length };
    },
  });
  registry.register({
    name: "mainwp/count-client-sites-v1",
    label: "Count MainWP Client Sites",
    description: "Counts the sites of a client.",
    category: "mainwp-clients",
    input: z.looseObject({ client_id_or_email: clientRef }),
    output: z.object({ total: z.int() }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const client = await resolveClient(
        ctx,
        (input as { client_id_or_email: number | string }).client_id_or_email,
      );
      return { total: await countClientSites(ctx, client.client_id) };
    },
  });
}
