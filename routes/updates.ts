/**
 * @module
 * The `/wp-json/mainwp/v2/updates` routes (rest-v2.md §2.4), in MainWP's registration order.
 *
 * @example
 * ```ts
 * registerUpdatesRoutes(rest);
 * ```
 */
import { z } from "zod";
import { parseList, wp } from "../rest/args.ts";
import { RestError } from "../rest/errors.ts";
import { EDITABLE, READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import { ChildError } from "../child/errors.ts";
import { findSite, parseSiteRef } from "../services/sites.ts";
import { parseSiteListQuery } from "../services/site-list.ts";
import {
  ignoreCore,
  ignoredUpdates,
  ignoreItems,
  listUpdates,
  siteUpdates,
  updateCore,
  updateEverything,
  updateItems,
  updateSiteEverything,
} from "../services/updates.ts";

const NS = "mainwp/v2";
const opt = () => wp.any().optional();
/** `{id_domain}` of the action routes (no underscore, as MainWP). */
const ID_DOMAIN = "(?P<id_domain>[A-Za-z0-9-\\.]+)";
const DOMAIN = "(?P<id_domain>[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}$)";

const listArgs = z.looseObject({ type: opt(), search: opt(), include: opt(), exclude: opt(), status: opt() });
const slugArgs = z.looseObject({ slug: opt() });

async function siteOf(req: RestRequest) {
  return await findSite(req.ctx, parseSiteRef(req.params.id_domain));
}

/** The sites `status` validation MainWP applies to `/updates` (otherwise unused). */
function validateStatus(req: RestRequest): void {
  parseSiteListQuery({ status: req.params.status }, { withTags: false, fullData: false });
}

async function orChildError<T>(code: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ChildError) throw new RestError(code, error.message, { status: 500 });
    throw error;
  }
}

/** Registers the updates routes. */
export function registerUpdatesRoutes(rest: RestServer): void {
  rest.register(NS, "/updates", {
    methods: READABLE,
    args: listArgs,
    handler: (req) => {
      validateStatus(req);
      return listUpdates(req.ctx, req.params);
    },
  });
  for (const pattern of ["(?P<id_domain>[\\d]+)", DOMAIN]) {
    rest.register(NS, `/updates/${pattern}`, {
      methods: READABLE,
      args: listArgs,
      handler: async (req) => siteUpdates(req.ctx, await siteOf(req), req.params),
    });
  }
  rest.register(NS, "/updates/ignored", {
    methods: READABLE,
    args: listArgs,
    handler: (req) => ignoredUpdates(req.ctx, null, req.params),
  });
  rest.register(NS, `/updates/${ID_DOMAIN}/ignored`, {
    methods: READABLE,
    args: listArgs,
    handler: async (req) => ignoredUpdates(req.ctx, await siteOf(req), req.params),
  });
  rest.register(NS, "/updates/update", { methods: EDITABLE, handler: (req) => updateEverything(req.ctx) });
  rest.register(NS, `/updates/${ID_DOMAIN}/update`, {
    methods: EDITABLE,
    handler: async (req) => updateSiteEverything(req.ctx, await siteOf(req)),
  });
  rest.register(NS, `/updates/${ID_DOMAIN}/update/wp`, {
    methods: EDITABLE,
    handler: async (req) => {
      const site = await siteOf(req);
      return orChildError("mainwp_rest_upgrade_wp_of_site_error", () => updateCore(req.ctx, site));
    },
  });
  for (const kind of ["plugins", "themes", "translations"] as const) {
    rest.register(NS, `/updates/${ID_DOMAIN}/update/${kind}`, {
      methods: EDITABLE,
      args: slugArgs,
      handler: async (req) => {
        const site = await siteOf(req);
        return orChildError(
          `mainwp_rest_upgrade_${kind}_of_site_error`,
          () => updateItems(req.ctx, site, kind, parseList(req.params.slug)),
        );
      },
    });
  }
  rest.register(NS, `/updates/${ID_DOMAIN}/ignore/wp`, {
    methods: EDITABLE,
    handler: async (req) => ignoreCore(req.ctx, await siteOf(req)),
  });
  for (const kind of ["plugins", "themes"] as const) {
    rest.register(NS, `/updates/${ID_DOMAIN}/ignore/${kind}`, {
      methods: EDITABLE,
      args: slugArgs,
      handler: async (req) => ignoreItems(req.ctx, await siteOf(req), kind, parseList(req.params.slug)),
    });
  }
}
