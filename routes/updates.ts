/**
 * @module
 * The `/wp-json/mainwp/v2/updates` routes (rest-v2.md §2.4), in MainWP's registration order. Legacy
 * (non-ability) response shapes and status codes; the logic is in `services/updates.ts` and
 * `services/update-run.ts`.
 *
 * @example
 * ```ts
 * registerUpdatesRoutes(rest);
 * ```
 */
import { z } from "zod";
import { opt, parseList } from "../rest/args.ts";
import { RestError } from "../rest/errors.ts";
import { EDITABLE, READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import { ChildError } from "../child/errors.ts";
import { findSite, parseSiteRef } from "../core/sites/resolve.ts";
import {
  ignoreCore,
  ignoredUpdates,
  ignoreItems,
  ignoreSlugs,
  listUpdates,
  siteUpdates,
  updateCore,
  updateItems,
} from "../services/updates.ts";
import { updateEverything, updateSiteEverything } from "../services/update-run.ts";

const NS = "mainwp/v2";
/** `{id_domain}` of the ignored/update/ignore routes (no underscore, as MainWP). */
const ID_DOMAIN = "(?P<id_domain>[A-Za-z0-9-\\.]+)";
/** `GET /updates/{id}` and `/updates/{domain}` (TLD of 2–6 letters). */
const SITE_PATTERNS = [
  "(?P<id_domain>[\\d]+)",
  "(?P<id_domain>[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}$)",
];

/** The list filters (MainWP declares none of them; `status` is checked by the service). */
const listArgs = z.looseObject({ type: opt(), search: opt(), include: opt(), exclude: opt(), status: opt() });
/**
 * `slug`: a comma list or an array of plugin files / theme stylesheets / translation slugs. MainWP
 * declares no schema; objects are refused here so that nothing like `[object Object]` is stored.
 */
const slugList = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], {
  error: "%s is not of type string,array.",
});
const slugArgs = z.looseObject({ slug: slugList.optional() });

async function siteOf(req: RestRequest) {
  return await findSite(req.ctx, parseSiteRef(req.params.id_domain));
}

/** MainWP's `new WP_Error(code, message)` for a child failure: no data, so HTTP 500. */
async function childErrorAs<T>(code: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ChildError) throw new RestError(code, error.message);
    throw error;
  }
}

/** Registers the updates routes. */
export function registerUpdatesRoutes(rest: RestServer): void {
  rest.register(NS, "/updates", {
    methods: READABLE,
    args: listArgs,
    handler: (req) => listUpdates(req.ctx, req.params),
  });
  for (const pattern of SITE_PATTERNS) {
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
    handler: async (req) => updateCore(req.ctx, await siteOf(req)),
  });
  for (const kind of ["plugins", "themes", "translations"] as const) {
    rest.register(NS, `/updates/${ID_DOMAIN}/update/${kind}`, {
      methods: EDITABLE,
      args: slugArgs,
      handler: async (req) => {
        const site = await siteOf(req);
        return await childErrorAs(
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
      handler: async (req) => ignoreItems(req.ctx, await siteOf(req), kind, ignoreSlugs(req.params.slug)),
    });
  }
}
