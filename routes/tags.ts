/**
 * @module
 * The `/wp-json/mainwp/v2/tags` routes (rest-v2.md §2.3), in MainWP's order: each parses its request,
 * calls `core/tags.ts` and answers MainWP's wire shape (`routes/present/tags.ts`). The controller batch
 * (`/tags/batch`) is registered by later work, after `/tags/{id}/clients`; its items come back here as
 * sub-requests.
 *
 * The routes read the merged `id` parameter as MainWP does, so a body or query `id` overrides the
 * path's.
 *
 * @example
 * ```ts
 * registerTagsRoutes(rest);
 * ```
 */
import { z } from "zod";
import { listArgs, opt } from "../rest/args.ts";
import {
  CREATABLE,
  DELETABLE,
  EDITABLE,
  READABLE,
  type RestRequest,
  type RestServer,
} from "../rest/server.ts";
import { InvalidInput, NotFound } from "../core/errors.ts";
import { deleteTag, editTag, getTag, getTagClients, listTags, saveTag } from "../core/tags.ts";
import { clientView } from "./present/clients.ts";
import { entriesByIds, fleetSnapshot, pageOf } from "../core/sites/fleet.ts";
import { presentSites } from "./present/site-list.ts";
import {
  editedName,
  parseTagListQuery,
  tagListBody,
  tagObject,
  tagObjectBlank,
  tagObjectOf,
  tagWriteInput,
} from "./present/tags.ts";
import { phpIntval } from "../wp/php.ts";

const NS = "mainwp/v2";
const TAG_ID = "(?P<id>[\\d]+)";

/** `GET /tags` parameters (no schema types in MainWP). */
export const tagListArgs = listArgs();

/** Routes naming one tag. */
export const tagItemArgs = z.looseObject({ id: opt() });

/** `POST /tags/add` and `/tags/{id}/edit`: `name`, `color` (and `id`), unvalidated as in MainWP. */
export const tagWriteArgs = z.looseObject({ id: opt(), name: opt(), color: opt() });

/** MainWP's answer to an add it could not do (no usable name, or an `id` that names no tag). */
const ADD_FAILED = { success: 0, error: "Add tag failed. Please try again." } as const;

const tagIdOf = (req: RestRequest) => phpIntval(req.args.id);

/** `GET /tags`: tags ordered by name, filtered by `mainwp_rest_object_object_query`, paged. */
async function listTagsRoute(req: RestRequest) {
  const query = await req.ctx.hooks.applyFilters(
    "mainwp_rest_object_object_query",
    parseTagListQuery(req.args),
    req.args,
  );
  const tags = await listTags(req.ctx, query);
  return tagListBody(pageOf(tags, query.page, query.perPage));
}

/** `POST /tags/add`: creates a tag, or updates tag `id` when one is given. */
async function addTagRoute(req: RestRequest) {
  const input = tagWriteInput.parse(req.args);
  try {
    const saved = await saveTag(req.ctx, input);
    return { success: 1, message: "Tag created successfully.", data: tagObject(saved.tag, saved.siteIds) };
  } catch (error) {
    if (error instanceof InvalidInput || error instanceof NotFound) return ADD_FAILED;
    throw error;
  }
}

/** `POST /tags/{id}/edit`. Deviation: an omitted name keeps the old one (MainWP blanks it). */
async function editTagRoute(req: RestRequest) {
  const input = tagWriteInput.parse(req.args);
  const tag = await editTag(req.ctx, tagIdOf(req), { name: editedName(input.name), color: input.color });
  return { success: 1, message: "Tag updated successfully.", data: tagObjectBlank(tag) };
}

/** `DELETE /tags/{id}/remove`: deletes the tag and removes it from every site. */
async function removeTagRoute(req: RestRequest) {
  const tag = await deleteTag(req.ctx, tagIdOf(req));
  return { success: 1, message: "Tag deleted successfully.", data: tagObjectBlank(tag) };
}

/** `GET /tags/{id}/sites`: the tag's (non-staging) sites as site view objects, in URL order. */
async function tagSitesRoute(req: RestRequest) {
  const { siteIds } = await getTag(req.ctx, tagIdOf(req));
  const snap = await fleetSnapshot(req.ctx.kv);
  const data = await presentSites(req.ctx, snap, entriesByIds(snap, siteIds), {
    fields: null,
    params: req.args,
  });
  return { success: 1, total: data.length, data };
}

/** `GET /tags/{id}/clients`: the clients owning the tag's sites, ordered by name, as client views. */
async function tagClientsRoute(req: RestRequest) {
  const data = (await getTagClients(req.ctx, tagIdOf(req))).map(clientView);
  return { success: 1, total: data.length, data };
}

/** Registers the tags routes in MainWP's order. */
export function registerTagsRoutes(rest: RestServer): void {
  rest.register(NS, "/tags", { methods: READABLE, args: tagListArgs, handler: listTagsRoute });
  rest.register(NS, `/tags/${TAG_ID}`, {
    methods: READABLE,
    args: tagItemArgs,
    handler: async (req) => ({ success: 1, data: tagObjectOf(await getTag(req.ctx, tagIdOf(req))) }),
  });
  rest.register(NS, "/tags/add", { methods: CREATABLE, args: tagWriteArgs, handler: addTagRoute });
  rest.register(NS, `/tags/${TAG_ID}/edit`, { methods: EDITABLE, args: tagWriteArgs, handler: editTagRoute });
  rest.register(NS, `/tags/${TAG_ID}/remove`, {
    methods: DELETABLE,
    args: tagItemArgs,
    handler: removeTagRoute,
  });
  rest.register(NS, `/tags/${TAG_ID}/sites`, {
    methods: READABLE,
    args: tagItemArgs,
    handler: tagSitesRoute,
  });
  rest.register(NS, `/tags/${TAG_ID}/clients`, {
    methods: READABLE,
    args: tagItemArgs,
    handler: tagClientsRoute,
  });
  // POST|PUT|PATCH /tags/batch (controller batch, later).
}
