/**
 * @module
 * MainWP's client abilities (abilities.md §2.5, 42–51): list, count, get, add, update, delete (confirm /
 * dry_run), a client's sites, their count and costs, suspend and unsuspend — on the same services as
 * the `/clients` REST routes (`addClient`, `editClient`, `removeClient`, `setClientSuspended`,
 * `costsOfClient`…).
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
import { clientAbilityObject, costAbilityObject, costOutputSchema, siteBasicObject } from "./objects.ts";
import { listInput } from "../schema-validate.ts";
import {
  addClient,
  CLIENT_MESSAGES,
  type ClientInput,
  clientSiteIdList,
  countClientRecords,
  countClientSites,
  editClient,
  findClient,
  listClientRecords,
  removeClient,
  setClientSuspended,
} from "../../services/clients.ts";
import { costsOfClient } from "../../services/costs.ts";
import { getSites } from "../../store/sites.ts";
import type { ClientRecord } from "../../store/clients.ts";

const READ = { readonly: true, destructive: false, idempotent: true, instructions: "" };
const clientRef = z.union([z.int(), z.string()]);

/** The optional client fields add-client and update-client accept (MainWP's column names). */
const clientFields = {
  client_email: z.string().meta({ format: "email" }).optional(),
  client_phone: z.string().optional(),
  address_1: z.string().optional(),
  address_2: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
  note: z.string().optional(),
  selected_sites: z.array(z.int()).optional(),
  client_facebook: z.string().optional(),
  client_twitter: z.string().optional(),
  client_instagram: z.string().optional(),
  client_linkedin: z.string().optional(),
};

const TEXT_INPUTS = [
  "name",
  "client_email",
  "client_phone",
  "address_1",
  "address_2",
  "city",
  "state",
  "zip",
  "country",
  "note",
  "client_facebook",
  "client_twitter",
  "client_instagram",
  "client_linkedin",
] as const;

/** The service input for add/edit from an ability input (text fields and `selected_sites`). */
function clientInputOf(input: Record<string, unknown>): ClientInput {
  const out: ClientInput = {};
  for (const field of TEXT_INPUTS) {
    if (typeof input[field] === "string") out[field] = input[field] as string;
  }
  if (input.selected_sites !== undefined) {
    out.selected_sites = listInput(input.selected_sites).map((v) => Math.trunc(Number(v)));
  }
  return out;
}

/** A boolean input as WordPress 7.1 coerces it: `true`, `1`, `"1"`, `"true"` (any case). */
function flag(value: unknown): boolean {
  return value === true || value === 1 ||
    (typeof value === "string" && ["1", "true"].includes(value.trim().toLowerCase()));
}

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
  registry.register({
    name: "mainwp/add-client-v1",
    label: "Add MainWP Client",
    description: "Creates a client, optionally assigning sites to it.",
    category: "mainwp-clients",
    input: z.looseObject({ name: z.string(), ...clientFields }),
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = input as Record<string, unknown>;
      const result = await addClient(ctx, clientInputOf(q));
      if ("error" in result) {
        if (result.error === CLIENT_MESSAGES.nameRequired) {
          throw restError("mainwp_invalid_input", "Client name is required.", 400);
        }
        throw restError("mainwp_client_creation_failed", "Failed to create client.", 500);
      }
      return clientAbilityObject(result.client);
    },
  });
  registry.register({
    name: "mainwp/update-client-v1",
    label: "Update MainWP Client",
    description:
      "Changes a client's details or sites; fields left out (or empty) keep their value, and a non-empty selected_sites replaces the client's sites.",
    category: "mainwp-clients",
    input: z.looseObject({ client_id_or_email: clientRef, name: z.string().optional(), ...clientFields }),
    annotations: { readonly: false, destructive: false, idempotent: true, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = input as Record<string, unknown> & { client_id_or_email: number | string };
      const client = await resolveClient(ctx, q.client_id_or_email);
      const result = await editClient(ctx, client.client_id, clientInputOf(q));
      if (result === null) {
        throw restError("mainwp_client_not_found", `No client found with ID ${client.client_id}.`, 404);
      }
      // MainWP swallows a failed update and answers the unchanged client; Fleetpress reports it.
      if ("error" in result) throw restError("mainwp_client_update_failed", result.error, 400);
      return clientAbilityObject(result.client);
    },
  });
  registry.register({
    name: "mainwp/delete-client-v1",
    label: "Delete MainWP Client",
    description:
      "Deletes a client; its sites stay and are left without a client. Preview with dry_run first.",
    category: "mainwp-clients",
    input: z.looseObject({
      client_id_or_email: clientRef,
      confirm: z.boolean().default(false),
      dry_run: z.boolean().default(false),
    }),
    annotations: {
      readonly: false,
      destructive: true,
      idempotent: false,
      instructions:
        "Destructive: deleting needs confirm:true; dry_run:true shows the client and how many sites it has without deleting. Never send both, and only delete when the user explicitly asked for it.",
    },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = input as { client_id_or_email: number | string; confirm?: unknown; dry_run?: unknown };
      const confirm = flag(q.confirm);
      const dryRun = flag(q.dry_run);
      if (confirm && dryRun) {
        throw restError(
          "mainwp_invalid_input",
          "Cannot specify both dry_run and confirm. Use dry_run for preview, confirm for actual deletion.",
          400,
        );
      }
      const client = await resolveClient(ctx, q.client_id_or_email);
      if (dryRun) {
        const sites = await countClientSites(ctx, client.client_id);
        return {
          dry_run: true,
          would_affect: { client: clientAbilityObject(client), associated_sites_count: sites },
          count: 1,
          warnings: sites === 0 ? [] : [
            sites === 1
              ? "This client has 1 associated site. Deleting the client will not delete the site."
              : `This client has ${sites} associated sites. Deleting the client will not delete the sites.`,
          ],
        };
      }
      if (!confirm) {
        throw restError(
          "mainwp_confirmation_required",
          "This is a destructive operation. Set confirm: true or use dry_run: true for preview.",
          400,
        );
      }
      const removed = await removeClient(ctx, client.client_id);
      if (!removed) throw restError("mainwp_client_deletion_failed", "Failed to delete client.", 500);
      return clientAbilityObject(removed);
    },
  });
  registry.register({
    name: "mainwp/get-client-costs-v1",
    label: "Get MainWP Client Costs",
    description:
      "Lists a client's cost tracker entries: those of its sites, of those sites' tags and those assigned to the client.",
    category: "mainwp-clients",
    input: z.looseObject({ client_id_or_email: clientRef }),
    output: z.object({ items: z.array(costOutputSchema), total: z.int() }),
    annotations: {
      ...READ,
      instructions: "Costs come from the cost tracker, which Fleetpress always provides.",
    },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const client = await resolveClient(
        ctx,
        (input as { client_id_or_email: number | string }).client_id_or_email,
      );
      const items = (await costsOfClient(ctx, client.client_id)).map(costAbilityObject);
      return { items, total: items.length };
    },
  });
  for (const [verb, value] of [["suspend", 1], ["unsuspend", 0]] as const) {
    registry.register({
      name: `mainwp/${verb}-client-v1`,
      label: verb === "suspend" ? "Suspend MainWP Client" : "Unsuspend MainWP Client",
      description: verb === "suspend"
        ? "Marks a client as suspended (its sites are not changed)."
        : "Marks a suspended client as active again.",
      category: "mainwp-clients",
      input: z.looseObject({ client_id_or_email: clientRef }),
      annotations: { readonly: false, destructive: false, idempotent: true, instructions: "" },
      permission: basePermission,
      execute: async ({ ctx, input }) => {
        const client = await resolveClient(
          ctx,
          (input as { client_id_or_email: number | string }).client_id_or_email,
        );
        const updated = await setClientSuspended(ctx, client.client_id, value);
        if (!updated) throw restError("mainwp_client_update_failed", "Failed to update client.", 500);
        return clientAbilityObject(updated);
      },
    });
  }
}
