/**
 * @module
 * The six routes MainWP registers for posts and for pages (rest-v2.md §2.9), in its order: the fan-out
 * list, one item, `update-status`, `edit`, `create`, `delete`. Each turns the request into content core
 * calls (`core/content/`) and the results into MainWP's answers (`./content.ts`).
 *
 * @example
 * ```ts
 * registerContentRoutes(rest, "post");
 * ```
 */
import { z } from "zod";
import { opt } from "../../rest/args.ts";
import {
  CREATABLE,
  DELETABLE,
  type Endpoint,
  PUT_PATCH,
  READABLE,
  type RestRequest,
  type RestServer,
} from "../../rest/server.ts";
import type { ContentKind } from "../../core/content/child.ts";
import { listContent, selectContentSites } from "../../core/content/list.ts";
import {
  createContent,
  deleteContent,
  editContent,
  getContent,
  setContentStatus,
} from "../../core/content/items.ts";
import { InvalidInput, OperationFailed } from "../../core/errors.ts";
import { findSite, parseSiteRef } from "../../core/sites/resolve.ts";
import { absint } from "../../wp/php.ts";
import {
  contentChangesOf,
  contentCreateArgs,
  contentEditArgs,
  contentListArgs,
  contentQueryOf,
  contentSelectionOf,
  contentStatusArgs,
  listFilterError,
  newContentOf,
  statusActionOf,
} from "./content-args.ts";
import {
  contentDetailBody,
  contentListBody,
  noSiteError,
  orChildError,
  selectionError,
  type SuccessMessage,
  words,
} from "./content.ts";
import { restError } from "../../rest/errors.ts";

const NS = "mainwp/v2";
const ID_DOMAIN = "(?P<id_domain>(\\d+|[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}))";
const itemArgs = z.looseObject({ id_domain: opt(), id_post: opt(), id_page: opt() });

async function siteOf(req: RestRequest) {
  return await findSite(req.ctx, parseSiteRef(req.urlParams.id_domain));
}

/** The item a route names, read from its site (MainWP reads it before any change). */
async function itemOf(req: RestRequest, kind: ContentKind) {
  const site = await siteOf(req);
  const id = absint(req.urlParams[words(kind).idParam]);
  const item = await orChildError("get", kind, () => getContent(req.ctx, site, kind, id));
  return { site, item };
}

/** An endpoint whose handler receives its schema's parsed arguments (as `routes/sites.ts` does). */
const typed = <S extends z.ZodObject>(endpoint: Endpoint<S>) => endpoint as unknown as Endpoint;

/** `{success: 0, message}` where MainWP's posts controller answers a failure with HTTP 200. */
const failed = (message: string): SuccessMessage => ({ success: 0, message });

/** Registers the routes of `/posts` or `/pages`. */
export function registerContentRoutes(rest: RestServer, kind: ContentKind): void {
  const w = words(kind);
  const base = `/${w.plural}`;
  const item = `${base}/${ID_DOMAIN}/(?P<${w.idParam}>[\\d]+)`;
  rest.register(
    NS,
    base,
    typed({
      methods: READABLE,
      args: contentListArgs(kind),
      handler: async (req) => {
        const filterError = listFilterError(kind, req.args);
        if (filterError) throw filterError;
        let sites;
        try {
          sites = await selectContentSites(req.ctx, contentSelectionOf(req.args));
        } catch (error) {
          if (error instanceof InvalidInput) throw selectionError(error);
          throw error;
        }
        if (sites.length === 0) throw noSiteError(kind);
        return contentListBody(kind, await listContent(req.ctx, kind, sites, contentQueryOf(kind, req.args)));
      },
    }),
  );
  rest.register(
    NS,
    item,
    typed({
      methods: READABLE,
      args: itemArgs,
      handler: async (req) => {
        const { site, item } = await itemOf(req, kind);
        return contentDetailBody(site.id, item);
      },
    }),
  );
  rest.register(
    NS,
    `${item}/update-status`,
    typed({
      methods: PUT_PATCH,
      args: contentStatusArgs,
      handler: async (req) => {
        const { site, item } = await itemOf(req, kind);
        const action = statusActionOf(req.args.status);
        if (action === null) {
          if (kind === "post") return failed("Status not found.");
          throw restError("status_not_found", "Status not found.", 400);
        }
        const { done } = await orChildError(
          "update_status",
          kind,
          () => setContentStatus(req.ctx, site, item, action),
        );
        if (done) return { success: 1, message: `Update ${w.one} status successfully.` };
        if (kind === "post") return failed("Update post status failed.");
        throw restError("update_page_status_failed", "Update page status failed.", 502);
      },
    }),
  );
  rest.register(
    NS,
    `${item}/edit`,
    typed({
      methods: PUT_PATCH,
      args: contentEditArgs,
      handler: async (req) => {
        const changes = contentChangesOf(kind, req.args);
        const { site, item } = await itemOf(req, kind);
        await orChildError("edit", kind, () => editContent(req.ctx, site, item, changes));
        return { success: 1, message: `Edit ${w.one} successfully.` };
      },
    }),
  );
  rest.register(
    NS,
    `${base}/${ID_DOMAIN}/create`,
    typed({
      methods: CREATABLE,
      args: contentCreateArgs,
      handler: async (req) => {
        const input = newContentOf(kind, req.args);
        const site = await siteOf(req);
        try {
          const added = await orChildError("create", kind, () => createContent(req.ctx, site, kind, input));
          return {
            success: 1,
            message: `Create ${w.one} successfully.`,
            data: { post_id: added.id, link: added.link },
          };
        } catch (error) {
          if (kind === "post" && error instanceof OperationFailed) return failed("Create post failed.");
          throw error;
        }
      },
    }),
  );
  rest.register(
    NS,
    `${item}/delete`,
    typed({
      methods: DELETABLE,
      args: itemArgs,
      handler: async (req) => {
        const { site, item } = await itemOf(req, kind);
        const { done } = await orChildError("delete", kind, () => deleteContent(req.ctx, site, item));
        if (done) return { success: 1, message: `Delete ${w.one} successfully.` };
        if (kind === "post") return failed("Delete post failed.");
        throw restError("delete_page_failed", "Delete page failed.", 502);
      },
    }),
  );
}
