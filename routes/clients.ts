/**
 * @module
 * The `/wp-json/mainwp/v2/clients` routes (rest-v2.md §2.2), registered in MainWP's order (the first
 * matching route wins: `GET /clients/add` falls through to the e-mail lookup and answers 404
 * `mainwp_rest_invalid_client_data`, as in MainWP). `/clients/batch` comes with the batch work; its
 * place in the order is marked below.
 *
 * Request parsing follows MainWP: add/edit read every parameter source and drop PHP-empty values
 * (`""`, `"0"`, `0`, `null`, `[]`), so an edit cannot clear a field; `/clients/fields/add` reads only the
 * form-encoded body and `/clients/fields/{id_name}/edit` only the JSON body. Those rules and the wire
 * shapes live in `routes/present/clients.ts`; the operations are `core/clients.ts` and
 * `core/client-fields.ts`, whose errors `routes/errors.ts` maps, except MainWP's soft `success: 0`
 * answers and the field codes, caught here.
 *
 * @example
 * ```ts
 * registerClientsRoutes(rest);
 * ```
 */
import { z } from "zod";
import { listArgs, opt, parseIdList, wp } from "../rest/args.ts";
import { restError } from "../rest/errors.ts";
import {
  DELETABLE,
  EDITABLE,
  PUT_PATCH,
  READABLE,
  type RestRequest,
  type RestServer,
} from "../rest/server.ts";
import {
  addClient,
  CLIENT_TEXT_FIELDS,
  type ClientRecord,
  clientSiteIdList,
  countClientRecords,
  countClientSites,
  editClient,
  findClient,
  listClientRecords,
  removeClient,
  setClientSuspended,
} from "../core/clients.ts";
import {
  addClientField,
  editClientField,
  listClientFieldPage,
  removeClientField,
  requireClientField,
} from "../core/client-fields.ts";
import { Conflict, InvalidInput, NotFound } from "../core/errors.ts";
import {
  clientFieldView,
  clientInputOf,
  clientListQuery,
  clientSimple,
  clientSimpleWithSites,
  clientView,
  intParam,
  phpText,
} from "./present/clients.ts";
import { costsOfClient } from "../core/costs.ts";
import { costListMap } from "./present/costs.ts";
import { siteViewsByIds } from "./present/site-view.ts";

const NS = "mainwp/v2";

/** `{id_email}` of the GET-by-id route. */
const ID_ROUTE = "(?P<id_email>(?!fields$)[\\d]+)";
/** `{id_email}` of the GET-by-e-mail route. */
const EMAIL_ROUTE = "(?P<id_email>(?!fields$)[a-zA-Z0-9\\.\\_\\%\\+\\-\\@]+)";
/** `{id_email}` of the action routes (no `%` or `+`, as in MainWP). */
export const ID_EMAIL = "(?P<id_email>(?!fields$)[a-zA-Z0-9\\_\\-\\.\\@]+)";

/** Site-view keys MainWP leaves blank on `GET /clients/{id}/sites` (rest-v2.md §10). */
export const CLIENT_SITES_BLANK = [
  "ip",
  "is_staging",
  "health_status",
  "recent_posts",
  "recent_pages",
  "recent_comments",
  "categories",
  "is_ignoreCoreUpdates",
  "is_ignorePluginUpdates",
  "is_ignoreThemeUpdates",
  "force_use_ipv4",
] as const;

/** `GET /clients`: MainWP declares no types, so nothing is rejected. */
export const clientListArgs = listArgs({
  status: opt(),
  with_tags: opt(),
  custom_fields: opt(),
  with_contacts: opt(),
});

/** One client's fields (add, edit and the batch items): untyped, as in MainWP, and sanitised later. */
export const clientItemArgs = z.looseObject({
  ...Object.fromEntries(CLIENT_TEXT_FIELDS.map((name) => [name, opt()])) as Record<
    (typeof CLIENT_TEXT_FIELDS)[number],
    ReturnType<typeof opt>
  >,
  selected_sites: opt(),
  created: opt(),
  custom_fields: opt(),
  context: opt(),
});

/** Routes acting on one client with no other input. */
export const clientRefArgs = z.looseObject({ id_email: wp.str(), context: opt() });

/** `GET /clients/fields` (MainWP declares `page` ≥ 1 and the misspelt `pre_page` 1–200). */
export const clientFieldListArgs = z.looseObject({
  search: opt(),
  include: opt(),
  exclude: opt(),
  page: wp.int().pipe(z.int().min(1, { error: "%s must be greater than or equal to 1" })).optional(),
  per_page: opt(),
  pre_page: wp.int().pipe(
    z.int().min(1, { error: "%s must be greater than or equal to 1" }).max(200, {
      error: "%s must be less than or equal to 200",
    }),
  ).optional(),
});

/** `POST /clients/fields/add`. */
export const clientFieldAddArgs = z.looseObject({ name: wp.str(), description: wp.str() });

/** `PUT|PATCH /clients/fields/{id_name}/edit`. */
export const clientFieldEditArgs = z.looseObject({
  name: wp.str().optional(),
  description: wp.str().optional(),
});

/** MainWP's message when a new client's e-mail address is taken (it reports no reason). */
const ADD_FAILED = "Undefined error. Please try again.";

/** MainWP's answer to a field write with an empty body (checked by the route, before the core). */
const EMPTY_BODY = ["empty_body", "Request body is empty."] as const;

/** The client named by `{id_email}`, or the 404 MainWP answers. */
async function clientOf(req: RestRequest<{ id_email?: unknown }>): Promise<ClientRecord> {
  // MainWP reads the merged `id_email` parameter, so a body/query value overrides the path.
  const value = String(req.args.id_email ?? "");
  const client = await findClient(req.ctx, value);
  if (client) return client;
  throw /^\d+$/.test(value)
    ? restError("mainwp_rest_invalid_client_id", "Invalid or not found ID.", 404)
    : restError("mainwp_rest_invalid_client_data", "Invalid or not found email.", 404);
}

function nonEmptyObject(value: Record<string, unknown> | null): value is Record<string, unknown> {
  return value !== null && Object.keys(value).length > 0;
}

/**
 * Runs a custom-field write, turning its refusals into MainWP's codes for `op` (an empty name and a
 * taken name are 400s with field-specific codes, not the namespace's generic ones).
 */
async function fieldWrite<T>(op: "create" | "update", write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof InvalidInput) throw restError("empty_name", e.message, 400);
    if (e instanceof Conflict) throw restError(`${op}_field_failed`, e.message, 400);
    throw e;
  }
}

/**
 * Registers the clients routes in MainWP's order.
 *
 * @example
 * ```ts
 * registerClientsRoutes(rest);
 * ```
 */
export function registerClientsRoutes(rest: RestServer): void {
  // GET /clients
  rest.register(NS, "/clients", {
    methods: READABLE,
    args: clientListArgs,
    handler: async (req) => {
      const query = await req.ctx.hooks.applyFilters(
        "mainwp_rest_object_object_query",
        clientListQuery(req.args),
        req.args,
      );
      const rows = await listClientRecords(req.ctx, query);
      return { success: 1, total: rows.length, data: rows.map(clientView) };
    },
  });
  // GET /clients/count (ignores every filter; `total` is a string)
  rest.register(NS, "/clients/count", {
    methods: READABLE,
    args: z.looseObject({ context: opt() }),
    handler: async (req) => ({ success: 1, total: String(await countClientRecords(req.ctx)) }),
  });
  // POST /clients/add
  rest.register(NS, "/clients/add", {
    methods: ["POST"],
    args: clientItemArgs,
    handler: async (req) => {
      let result;
      try {
        result = await addClient(req.ctx, clientInputOf(req.args));
      } catch (e) {
        // MainWP answers a refused add with HTTP 200 and `success: 0`.
        if (e instanceof InvalidInput) return { success: 0, error: e.message };
        if (e instanceof Conflict) return { success: 0, error: ADD_FAILED };
        throw e;
      }
      return {
        success: 1,
        message: "Client created Successfully.",
        data: clientSimpleWithSites(result.client, result.siteIds),
      };
    },
  });
  // GET /clients/{id} and /clients/{email}
  const getOne = {
    methods: READABLE,
    args: clientRefArgs,
    handler: async (req: RestRequest) => ({ success: 1, data: clientSimple(await clientOf(req)) }),
  };
  rest.register(NS, `/clients/${ID_ROUTE}`, getOne);
  rest.register(NS, `/clients/${EMAIL_ROUTE}`, getOne);
  // POST|PUT|PATCH /clients/{id_email}/edit
  rest.register(NS, `/clients/${ID_EMAIL}/edit`, {
    methods: EDITABLE,
    args: clientItemArgs,
    handler: async (req) => {
      const client = await clientOf(req);
      let result;
      try {
        result = await editClient(req.ctx, client.client_id, clientInputOf(req.args));
      } catch (e) {
        if (e instanceof Conflict) return { success: 0, error: e.message };
        throw e;
      }
      return {
        success: 1,
        message: "Client updated Successfully.",
        data: clientSimpleWithSites(result.client, result.siteIds),
      };
    },
  });
  // DELETE /clients/{id_email}/remove
  rest.register(NS, `/clients/${ID_EMAIL}/remove`, {
    methods: DELETABLE,
    args: clientRefArgs,
    handler: async (req) => {
      const client = await clientOf(req);
      const removed = await removeClient(req.ctx, client.client_id).then(() => true, (e) => {
        // Removed by someone else meanwhile: MainWP's "failed" answer, not a 404.
        if (e instanceof NotFound) return false;
        throw e;
      });
      return {
        success: removed ? 1 : 0,
        message: removed ? "Client deleted successfully" : "Client deleted failed.",
        data: clientSimple(client),
      };
    },
  });
  // GET /clients/{id_email}/sites
  rest.register(NS, `/clients/${ID_EMAIL}/sites`, {
    methods: READABLE,
    args: clientRefArgs,
    handler: async (req) => {
      const client = await clientOf(req);
      const ids = await clientSiteIdList(req.ctx, client.client_id);
      const data = ids.length > 0
        ? await siteViewsByIds(req.ctx, ids, { blank: CLIENT_SITES_BLANK, params: req.args })
        : [];
      return { success: 1, total: data.length, data };
    },
  });
  // GET /clients/{id_email}/costs
  rest.register(NS, `/clients/${ID_EMAIL}/costs`, {
    methods: READABLE,
    args: clientRefArgs,
    handler: async (req) => {
      const client = await clientOf(req);
      const costs = await costsOfClient(req.ctx, client.client_id);
      if (costs.length === 0) return { success: 1, message: "Costs not found." };
      return { success: 1, total: costs.length, data: await costListMap(req.ctx, costs) };
    },
  });
  // GET /clients/{id_email}/sites/count
  rest.register(NS, `/clients/${ID_EMAIL}/sites/count`, {
    methods: READABLE,
    args: clientRefArgs,
    handler: async (req) => {
      const client = await clientOf(req);
      return { success: 1, total: await countClientSites(req.ctx, client.client_id) };
    },
  });
  // POST|PUT|PATCH /clients/{id_email}/suspend  and  /unsuspend
  for (
    const [action, suspend, message] of [
      ["suspend", true, "Client suspended successfully."],
      ["unsuspend", false, "Client unsuspended successfully."],
    ] as const
  ) {
    rest.register(NS, `/clients/${ID_EMAIL}/${action}`, {
      methods: EDITABLE,
      args: clientRefArgs,
      handler: async (req) => {
        const client = await clientOf(req);
        const updated = await setClientSuspended(req.ctx, client.client_id, suspend);
        return { success: 1, message, data: clientSimple(updated) };
      },
    });
  }
  // POST|PUT|PATCH /clients/batch (controller batch, later).

  // GET /clients/fields
  rest.register(NS, "/clients/fields", {
    methods: READABLE,
    args: clientFieldListArgs,
    handler: async (req) => {
      const p = req.args;
      const page = await listClientFieldPage(req.ctx, {
        search: typeof p.search === "string" ? p.search : undefined,
        include: parseIdList(p.include),
        exclude: parseIdList(p.exclude),
        page: typeof p.page === "number" ? p.page : undefined,
        per_page: intParam(p.per_page) ?? (typeof p.pre_page === "number" ? p.pre_page : undefined),
      });
      if (page.total === 0) return { success: 0, message: "No client fields found." };
      return { success: 1, total: page.total, pages: page.pages, data: page.items.map(clientFieldView) };
    },
  });
  // POST /clients/fields/add (form body only)
  rest.register(NS, "/clients/fields/add", {
    methods: ["POST"],
    args: clientFieldAddArgs,
    handler: async (req) => {
      const form = req.form;
      if (!nonEmptyObject(form)) throw restError(...EMPTY_BODY, 400);
      const field = await fieldWrite(
        "create",
        () => addClientField(req.ctx, { name: phpText(form.name), description: phpText(form.description) }),
      );
      return { success: 1, message: "Client field created successfully.", data: clientFieldView(field) };
    },
  });
  // PUT|PATCH /clients/fields/{id_name}/edit (JSON body only)
  rest.register(NS, "/clients/fields/(?P<id_name>[^/]+)/edit", {
    methods: PUT_PATCH,
    args: clientFieldEditArgs,
    handler: async (req) => {
      const field = await requireClientField(req.ctx, String(req.args.id_name ?? ""));
      const json = req.json;
      if (!nonEmptyObject(json)) throw restError(...EMPTY_BODY, 400);
      await fieldWrite("update", () =>
        editClientField(req.ctx, String(field.field_id), {
          name: phpText(json.name),
          description: phpText(json.description),
        }));
      return { success: 1, message: "Client field updated successfully." };
    },
  });
  // DELETE /clients/fields/{id_name}/delete
  rest.register(NS, "/clients/fields/(?P<id_name>[^/]+)/delete", {
    methods: DELETABLE,
    args: z.looseObject({ id_name: wp.str() }),
    handler: async (req) => {
      await removeClientField(req.ctx, String(req.args.id_name ?? ""));
      return { success: 1, message: "Client field deleted successfully." };
    },
  });
}
