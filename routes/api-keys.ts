/**
 * @module
 * The API keys controller (`/wp-json/mainwp/v2/rest-api/…`, rest-v2.md §2.8) on the key store the CLI
 * uses: list, add (the token is in this answer only), edit and delete, in MainWP's order. `add-key` takes
 * the form body MainWP 6.1.2 reads or the JSON body 6.1.5 documents; `edit-key` reads JSON. A key can
 * never create or enable a key with more permission than its own (`core/api-keys.ts`).
 *
 * @example
 * ```ts
 * registerApiKeysRoutes(rest);
 * ```
 */
import {
  CREATABLE,
  DELETABLE,
  PUT_PATCH,
  READABLE,
  type RestRequest,
  type RestServer,
} from "../rest/server.ts";
import { restError } from "../rest/errors.ts";
import { notAuthenticated } from "../auth/mainwp-keys.ts";
import {
  addApiKey,
  type ApiKeyRecord,
  deleteApiKey,
  editApiKey,
  findKey,
  listKeys,
} from "../core/api-keys.ts";
import { addKeyArgs, deleteKeyArgs, editKeyArgs, keyListArgs, keyView } from "./present/api-keys.ts";
import { EMPTY_BODY, typed } from "./present/settings.ts";

const NS = "mainwp/v2";
const KEY_ID = "(?P<key_identifier>([1-9][0-9]*|ck_[a-f0-9]{40}))";

/** The key making the request (the guard has authenticated one). */
function callerOf(req: RestRequest<unknown>): ApiKeyRecord {
  if (!req.auth.key) throw notAuthenticated();
  return req.auth.key;
}

const keyNotFound = () => restError("api_key_not_found", "API key not found.", 404);

/** Registers the API keys routes in MainWP's order. */
export function registerApiKeysRoutes(rest: RestServer): void {
  rest.register(
    NS,
    "/rest-api/keys",
    typed({
      methods: READABLE,
      args: keyListArgs,
      handler: async (req) => {
        const page = await listKeys(req.ctx, req.args.page, req.args.per_page);
        return { success: 1, total: page.total, pages: page.pages, data: page.keys.map(keyView) };
      },
    }),
  );
  rest.register(
    NS,
    "/rest-api/add-key",
    typed({
      methods: CREATABLE,
      args: addKeyArgs,
      handler: async (req) => {
        const body = req.json ?? req.form;
        if (!body || Object.keys(body).length === 0) throw EMPTY_BODY();
        const { token } = await addApiKey(req.ctx, callerOf(req), {
          active: req.args.active,
          permissions: req.args.permissions,
          description: req.args.description ?? "",
        });
        return { success: 1, message: "API Key created successfully.", token };
      },
    }),
  );
  rest.register(
    NS,
    `/rest-api/edit-key/${KEY_ID}`,
    typed({
      methods: PUT_PATCH,
      args: editKeyArgs,
      handler: async (req) => {
        const caller = callerOf(req);
        if (!(await findKey(req.ctx, req.args.key_identifier))) throw keyNotFound();
        // MainWP reads this route's JSON body only.
        if (!req.json || Object.keys(req.json).length === 0) throw EMPTY_BODY();
        const has = (name: string) => Object.hasOwn(req.json!, name);
        await editApiKey(req.ctx, caller, req.args.key_identifier, {
          active: has("active") ? req.args.active : undefined,
          description: has("description") ? req.args.description : undefined,
          permissions: has("permissions") ? req.args.permissions : undefined,
        });
        return { success: 1, message: "API Key updated successfully." };
      },
    }),
  );
  rest.register(
    NS,
    `/rest-api/delete-key/${KEY_ID}`,
    typed({
      methods: DELETABLE,
      args: deleteKeyArgs,
      handler: async (req) => {
        await deleteApiKey(req.ctx, req.args.key_identifier);
        return { success: 1, message: "API Key deleted successfully." };
      },
    }),
  );
}
