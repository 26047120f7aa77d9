/**
 * @module
 * The `/wp-json/mainwp/v2/tags` routes (rest-v2.md §2.3), in MainWP's order. The controller batch
 * (`/tags/batch`) is registered by later work, after `/tags/{id}/clients`.
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
import {
  addTag,
  editTag,
  getTagObject,
  listTagObjects,
  parseTagListQuery,
  removeTag,
  tagClients,
  tagSites,
} from "../services/tags.ts";
import { phpIntval } from "../wp/php.ts";

const NS = "mainwp/v2";
const TAG_ID = "(?P<id>[\\d]+)";

/** `GET /tags` parameters (no schema types in MainWP). */
export const tagListArgs = listArgs();

/** Routes naming one tag. */
export const tagItemArgs = z.looseObject({ id: opt() });

/** `POST /tags/add` and `/tags/{id}/edit`: `name`, `color` (and `id`), unvalidated as in MainWP. */
export const tagWriteArgs = z.looseObject({ id: opt(), name: opt(), color: opt() });

const tagIdOf = (req: RestRequest) => phpIntval(req.params.id);

/** Registers the tags routes in MainWP's order. */
export function registerTagsRoutes(rest: RestServer): void {
  rest.register(NS, "/tags", {
    methods: READABLE,
    args: tagListArgs,
    handler: (req) => listTagObjects(req.ctx, parseTagListQuery(req.params), req.params),
  });
  rest.register(NS, `/tags/${TAG_ID}`, {
    methods: READABLE,
    args: tagItemArgs,
    handler: (req) => getTagObject(req.ctx, tagIdOf(req)),
  });
  rest.register(NS, "/tags/add", {
    methods: CREATABLE,
    args: tagWriteArgs,
    handler: (req) => addTag(req.ctx, { name: req.params.name, color: req.params.color, id: req.params.id }),
  });
  rest.register(NS, `/tags/${TAG_ID}/edit`, {
    methods: EDITABLE,
    args: tagWriteArgs,
    handler: (req) => editTag(req.ctx, tagIdOf(req), { name: req.params.name, color: req.params.color }),
  });
  rest.register(NS, `/tags/${TAG_ID}/remove`, {
    methods: DELETABLE,
    args: tagItemArgs,
    handler: (req) => removeTag(req.ctx, tagIdOf(req)),
  });
  rest.register(NS, `/tags/${TAG_ID}/sites`, {
    methods: READABLE,
    args: tagItemArgs,
    handler: (req) => tagSites(req.ctx, tagIdOf(req), { params: req.params }),
  });
  rest.register(NS, `/tags/${TAG_ID}/clients`, {
    methods: READABLE,
    args: tagItemArgs,
    handler: (req) => tagClients(req.ctx, tagIdOf(req)),
  });
  // POST|PUT|PATCH /tags/batch (controller batch, later).
}
