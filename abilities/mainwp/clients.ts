/**
 * @module
 * MainWP's client abilities (abilities.md §2.5, 42–51): list, count, get, add, update, delete (confirm /
 * dry_run), a client's sites, their count and costs, suspend and unsuspend — on the same core operations
 * as the `/clients` REST routes (`addClient`, `editClient`, `removeClient`, `setClientSuspended`,
 * `costsOfClient`…); where MainWP's abilities answer a refusal with their own code, the execute
 * function turns the domain error into it.
 *
 * @example
 * ```ts
 * registerClientAbilities(ctx.abilities);
 * ```
 */
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import type { StoreDeps } from "../../core/deps.ts";
import { restError } from "../../rest/errors.ts";
import { basePermission } from "./permissions.ts";
import {
  clientAbilityObject,
  clientOutputSchema,
  costAbilityObject,
  costOutputSchema,
  siteBasicObject,
  siteBasicSchema,
} from "./objects.ts";
import { clientIdOrEmail, confirm, dryRun, idList, optionalInput, perPage } from "./fields.ts";
import {
  addClient,
  CLIENT_TEXT_FIELDS,
  type ClientInput,
  type ClientRecord,
  clientSites,
  type ClientTextField,
  countClientRecords,
  countClientSites,
  editClient,
  findClient,
  listClientRecords,
  removeClient,
  setClientSuspended,
} from "../../core/clients.ts";
import { Conflict, InvalidInput, NotFound } from "../../core/errors.ts";
import { costsOfClient } from "../../core/costs.ts";

const READ = { readonly: true, destructive: false, idempotent: true, instructions: "" };
const clientRef = clientIdOrEmail;

/** A client's text field, described for agents. */
const text = (what: string) => z.string().optional().describe(what);

/** The optional client fields add-client and update-client accept (MainWP's column names). */
const clientFields = {
  client_email: z.string().meta({ format: "email" }).optional().describe(
    'The client\'s e-mail address, e.g. "billing@acme.example".',
  ),
  client_phone: text('Phone number as free text, e.g. "+1 555 0100".'),
  address_1: text('First address line, e.g. "1 Main Street".'),
  address_2: text('Second address line (suite, floor…), e.g. "Suite 200".'),
  city: text('City, e.g. "Springfield".'),
  state: text('State, province or region, e.g. "Oregon".'),
  zip: text('Postal code, e.g. "97403".'),
  country: text('Country, e.g. "United States".'),
  note: text("Free-text note about the client."),
  selected_sites: idList("IDs of the sites that belong to this client").optional(),
  client_facebook: text('Facebook page or profile URL, e.g. "https://facebook.com/acme".'),
  client_twitter: text('X/Twitter handle or profile URL, e.g. "@acme".'),
  client_instagram: text('Instagram handle or profile URL, e.g. "@acme".'),
  client_linkedin: text('LinkedIn page URL, e.g. "https://linkedin.com/company/acme".'),
};

const clientListOutput = z.object({
  items: z.array(clientOutputSchema),
  page: z.int(),
  per_page: z.int(),
  total: z.int(),
});

/** The core input for add/edit from an ability input (text fields and `selected_sites`). */
function clientInputOf(
  input: Partial<Record<ClientTextField, string>> & { selected_sites?: number[] },
): ClientInput {
  const out: ClientInput = {};
  for (const field of CLIENT_TEXT_FIELDS) {
    const value = input[field];
    if (typeof value === "string") out[field] = value;
  }
  if (input.selected_sites !== undefined) out.selected_sites = input.selected_sites;
  return out;
}

/** Resolves `client_id_or_email`, or throws MainWP's 404. */
async function resolveClient(ctx: StoreDeps, ref: number | string): Promise<ClientRecord> {
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
    input: optionalInput(
      z.looseObject({
        page: z.int().min(1).max(10000).default(1).describe("Page number, from 1 to 10000 (default 1)."),
        per_page: perPage(100, 20),
        status: z.enum(["any", "active", "suspended"]).default("any").describe(
          'Client state to list: "active", "suspended" or "any" (default). Accepted for compatibility; every client is listed.',
        ),
        search: z.string().default("").describe(
          'Case-insensitive text matched against client IDs, names and e-mail addresses, e.g. "acme". Empty (default) matches all.',
        ),
        include: idList("Only these client IDs").default([]),
        exclude: idList("Leave out these client IDs").default([]),
      }),
      true,
    ),
    output: clientListOutput,
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input: q }) => {
      const { page, per_page: perPage } = q;
      const all = await listClientRecords(ctx, { search: q.search, include: q.include, exclude: q.exclude });
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
    input: optionalInput(z.looseObject({}), true),
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
    output: clientOutputSchema,
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) =>
      clientAbilityObject(
        await resolveClient(ctx, input.client_id_or_email),
      ),
  });
  registry.register({
    name: "mainwp/get-client-sites-v1",
    label: "Get MainWP Client Sites",
    description: "Lists the sites of a client.",
    category: "mainwp-clients",
    input: z.looseObject({ client_id_or_email: clientRef }),
    output: z.object({ items: z.array(siteBasicSchema), total: z.int() }),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const client = await resolveClient(
        ctx,
        input.client_id_or_email,
      );
      const sites = (await clientSites(ctx, client.client_id)).map(siteBasicObject);
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
        input.client_id_or_email,
      );
      return { total: await countClientSites(ctx, client.client_id) };
    },
  });
  registry.register({
    name: "mainwp/add-client-v1",
    label: "Add MainWP Client",
    description: "Creates a client, optionally assigning sites to it.",
    category: "mainwp-clients",
    input: z.looseObject({
      name: z.string().describe('The client\'s name, e.g. "Acme Ltd". Required and not empty.'),
      ...clientFields,
    }),
    output: clientOutputSchema,
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      try {
        return clientAbilityObject((await addClient(ctx, clientInputOf(input))).client);
      } catch (e) {
        if (e instanceof InvalidInput) {
          throw restError("mainwp_invalid_input", "Client name is required.", 400);
        }
        if (e instanceof Conflict) {
          throw restError("mainwp_client_creation_failed", "Failed to create client.", 500);
        }
        throw e;
      }
    },
  });
  registry.register({
    name: "mainwp/update-client-v1",
    label: "Update MainWP Client",
    description:
      "Changes a client's details or sites; fields left out (or empty) keep their value, and a non-empty selected_sites replaces the client's sites.",
    category: "mainwp-clients",
    input: z.looseObject({
      client_id_or_email: clientRef,
      name: text('New name for the client, e.g. "Acme Ltd". Empty or absent keeps the current one.'),
      ...clientFields,
    }),
    output: clientOutputSchema,
    annotations: { readonly: false, destructive: false, idempotent: true, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const client = await resolveClient(ctx, input.client_id_or_email);
      try {
        return clientAbilityObject((await editClient(ctx, client.client_id, clientInputOf(input))).client);
      } catch (e) {
        // MainWP swallows a failed update and answers the unchanged client; Fleetpress reports it.
        if (e instanceof Conflict) throw restError("mainwp_client_update_failed", e.message, 400);
        throw e; // NotFound: abilities/errors.ts answers mainwp_client_not_found.
      }
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
      confirm,
      dry_run: dryRun,
    }),
    output: z.union([
      clientOutputSchema,
      z.object({
        dry_run: z.boolean(),
        would_affect: z.object({ client: clientOutputSchema, associated_sites_count: z.int() }),
        count: z.int(),
        warnings: z.array(z.string()),
      }),
    ]),
    annotations: {
      readonly: false,
      destructive: true,
      idempotent: false,
      instructions:
        "Destructive: deleting needs confirm:true; dry_run:true shows the client and how many sites it has without deleting. Never send both, and only delete when the user explicitly asked for it.",
    },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const { confirm, dry_run: dryRun } = input;
      if (confirm && dryRun) {
        throw restError(
          "mainwp_invalid_input",
          "Cannot specify both dry_run and confirm. Use dry_run for preview, confirm for actual deletion.",
          400,
        );
      }
      const client = await resolveClient(ctx, input.client_id_or_email);
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
      try {
        return clientAbilityObject(await removeClient(ctx, client.client_id));
      } catch (e) {
        if (e instanceof NotFound) {
          throw restError("mainwp_client_deletion_failed", "Failed to delete client.", 500);
        }
        throw e;
      }
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
        input.client_id_or_email,
      );
      const items = (await costsOfClient(ctx, client.client_id)).map(costAbilityObject);
      return { items, total: items.length };
    },
  });
  for (const verb of ["suspend", "unsuspend"] as const) {
    registry.register({
      name: `mainwp/${verb}-client-v1`,
      label: verb === "suspend" ? "Suspend MainWP Client" : "Unsuspend MainWP Client",
      description: verb === "suspend"
        ? "Marks a client as suspended (its sites are not changed)."
        : "Marks a suspended client as active again.",
      category: "mainwp-clients",
      input: z.looseObject({ client_id_or_email: clientRef }),
      output: clientOutputSchema,
      annotations: { readonly: false, destructive: false, idempotent: true, instructions: "" },
      permission: basePermission,
      execute: async ({ ctx, input }) => {
        const client = await resolveClient(
          ctx,
          input.client_id_or_email,
        );
        try {
          return clientAbilityObject(await setClientSuspended(ctx, client.client_id, verb === "suspend"));
        } catch (e) {
          if (e instanceof NotFound) {
            throw restError("mainwp_client_update_failed", "Failed to update client.", 500);
          }
          throw e;
        }
      },
    });
  }
}
