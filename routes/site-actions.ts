/**
 * @module
 * The `/wp-json/mainwp/v2/sites…` routes that talk to child sites (rest-v2.md §2.1): add, sync, check,
 * reconnect, disconnect (one and bulk), security, plugins and themes. Registered right after the
 * record-only site routes; no earlier route matches these paths, so MainWP's matching is unchanged.
 *
 * @example
 * ```ts
 * registerSiteActionRoutes(rest);
 * ```
 */
import { z } from "zod";
import { parseList, wp } from "../rest/args.ts";
import { RestError } from "../rest/errors.ts";
import {
  CREATABLE,
  DELETABLE,
  EDITABLE,
  READABLE,
  type RestRequest,
  type RestServer,
} from "../rest/server.ts";
import { ChildError } from "../child/errors.ts";
import { findSite, parseSiteRef } from "../services/sites.ts";
import { siteMini } from "../services/site-format.ts";
import {
  abandonedItems,
  addSite,
  bulkSiteIds,
  bulkStatus,
  checkManySites,
  checkOneSite,
  disconnectSite,
  listSiteItems,
  pluginAction,
  reconnectSite,
  securityCheck,
  syncManySites,
  syncOneSite,
  themeAction,
} from "../services/site-actions.ts";
import { ID_DOMAIN, siteActionArgs } from "./sites.ts";

const NS = "mainwp/v2";
const opt = () => wp.any().optional();

/** The sites item schema's types, as MainWP validates them on `/sites/add` and `/sites/{id}/check`. */
export const siteItemSchemaArgs = z.looseObject({
  id: wp.int().optional(),
  url: wp.str().optional(),
  name: wp.str().optional(),
  client_id: wp.int().optional(),
  is_staging: wp.intOneOf([0, 1]).optional(),
  automatic_update: wp.intOneOf([0, 1]).optional(),
  disable_health_check: wp.intOneOf([0, 1]).optional(),
  health_threshold: wp.int().optional(),
  suspended: wp.intOneOf([0, 1]).optional(),
  tags: wp.str().optional(),
  status: wp.strOrArray().optional(),
  plugins: wp.strOrArray().optional(),
  themes: wp.strOrArray().optional(),
});

const bulkArgs = z.looseObject({ include: opt(), exclude: opt(), context: opt() });
const itemListArgs = z.looseObject({
  status: opt(),
  search: opt(),
  must_use: opt(),
  page: opt(),
  per_page: opt(),
});
const slugArgs = z.looseObject({ slug: opt() });

async function siteOf(req: RestRequest) {
  return await findSite(req.ctx, parseSiteRef(req.params.id_domain));
}

/** Turns a child failure of a single-site route into MainWP's error for it (no stack, no secrets). */
async function orChildError<T>(code: string, status: number, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ChildError) throw new RestError(code, error.message, { status });
    throw error;
  }
}

function slugsOf(req: RestRequest, code: string, message: string): string[] {
  const slugs = parseList(req.params.slug);
  // MainWP sends these with bare-integer data (HTTP 500); a plain 400 is the sensible answer.
  if (slugs.length === 0) throw new RestError(code, message, { status: 400 });
  return slugs;
}

/** Registers the child-backed site routes. */
export function registerSiteActionRoutes(rest: RestServer): void {
  // 4–7. Bulk actions (all sites when `include` is absent).
  rest.register(NS, "/sites/sync", {
    methods: EDITABLE,
    args: bulkArgs,
    handler: async (req) => syncManySites(req.ctx, await bulkSiteIds(req.ctx, req.params)),
  });
  rest.register(NS, "/sites/reconnect", {
    methods: EDITABLE,
    args: bulkArgs,
    // Only disconnected sites are retried (MainWP stops at the first connected site: a loop bug).
    handler: async (req) => {
      const ids = await bulkSiteIds(req.ctx, req.params);
      return bulkStatus(
        req.ctx,
        ids,
        async (site) => site.sync_errors === "" || await reconnectSite(req.ctx, site),
      );
    },
  });
  rest.register(NS, "/sites/disconnect", {
    methods: EDITABLE,
    args: bulkArgs,
    handler: async (req) =>
      bulkStatus(
        req.ctx,
        await bulkSiteIds(req.ctx, req.params),
        async (s) => (await disconnectSite(req.ctx, s)) === null,
      ),
  });
  rest.register(NS, "/sites/check", {
    methods: EDITABLE,
    args: bulkArgs,
    handler: async (req) => checkManySites(req.ctx, await bulkSiteIds(req.ctx, req.params)),
  });
  // 10. POST /sites/add
  rest.register(NS, "/sites/add", {
    methods: CREATABLE,
    args: siteItemSchemaArgs,
    handler: (req) => addSite(req.ctx, req.params),
  });
  // 12. POST /sites/{id_domain}/sync
  rest.register(NS, `/sites/${ID_DOMAIN}/sync`, {
    methods: EDITABLE,
    args: siteActionArgs,
    handler: async (req) => syncOneSite(req.ctx, await siteOf(req)),
  });
  // 13. GET /sites/{id_domain}/security
  rest.register(NS, `/sites/${ID_DOMAIN}/security`, {
    methods: READABLE,
    args: siteActionArgs,
    handler: async (req) => {
      const site = await siteOf(req);
      return orChildError("mainwp_rest_get_secure_site_error", 404, () => securityCheck(req.ctx, site));
    },
  });
  // 14–18. Plugins.
  rest.register(NS, `/sites/${ID_DOMAIN}/plugins`, {
    methods: READABLE,
    args: itemListArgs,
    handler: async (req) => listSiteItems(req.ctx, await siteOf(req), "plugins", req.params),
  });
  for (const action of ["activate", "deactivate", "delete"] as const) {
    rest.register(NS, `/sites/${ID_DOMAIN}/plugins/${action}`, {
      methods: action === "delete" ? DELETABLE : EDITABLE,
      args: slugArgs,
      handler: async (req) => {
        const site = await siteOf(req);
        const slugs = slugsOf(
          req,
          "mainwp_rest_invalid_plugins_slugs",
          "Plugins slugs are empty or invalid.",
        );
        return orChildError(
          `mainwp_rest_${action}_plugins_action`,
          500,
          () => pluginAction(req.ctx, site, action, slugs),
        );
      },
    });
  }
  rest.register(NS, `/sites/${ID_DOMAIN}/plugins/abandoned`, {
    methods: READABLE,
    args: siteActionArgs,
    handler: async (req) => abandonedItems(req.ctx, await siteOf(req), "plugins"),
  });
  // 19–22. Themes.
  rest.register(NS, `/sites/${ID_DOMAIN}/themes`, {
    methods: READABLE,
    args: itemListArgs,
    handler: async (req) => listSiteItems(req.ctx, await siteOf(req), "themes", req.params),
  });
  for (const action of ["activate", "delete"] as const) {
    rest.register(NS, `/sites/${ID_DOMAIN}/themes/${action}`, {
      methods: action === "delete" ? DELETABLE : EDITABLE,
      args: slugArgs,
      handler: async (req) => {
        const site = await siteOf(req);
        const slugs = slugsOf(req, "mainwp_rest_invalid_themes_slugs", "Theme slug is empty or invalid.");
        if (action === "activate" && slugs.length !== 1) {
          throw new RestError("mainwp_rest_invalid_themes_slugs", "Theme slug is empty or invalid.", {
            status: 400,
          });
        }
        return orChildError(
          `mainwp_rest_${action}_themes_action`,
          500,
          () => themeAction(req.ctx, site, action, slugs),
        );
      },
    });
  }
  rest.register(NS, `/sites/${ID_DOMAIN}/themes/abandoned`, {
    methods: READABLE,
    args: siteActionArgs,
    handler: async (req) => abandonedItems(req.ctx, await siteOf(req), "themes"),
  });
  // 23. GET /sites/{id_domain}/non-mainwp-changes: the child reports none through Fleetpress's sync yet.
  rest.register(NS, `/sites/${ID_DOMAIN}/non-mainwp-changes`, {
    methods: READABLE,
    args: z.looseObject({ page: opt(), per_page: opt(), limit: opt(), total_count: opt() }),
    handler: async (req) => ({ success: 1, total: 0, data: [], site: siteMini(await siteOf(req)) }),
  });
  // 24–25. Reconnect / disconnect one site.
  rest.register(NS, `/sites/${ID_DOMAIN}/reconnect`, {
    methods: EDITABLE,
    args: siteActionArgs,
    handler: async (req) => {
      const site = await siteOf(req);
      return { success: (await reconnectSite(req.ctx, site)) ? 1 : 0, data: siteMini(site) };
    },
  });
  rest.register(NS, `/sites/${ID_DOMAIN}/disconnect`, {
    methods: EDITABLE,
    args: siteActionArgs,
    handler: async (req) => {
      const site = await siteOf(req);
      const error = await disconnectSite(req.ctx, site);
      return error === null
        ? { success: 1, data: siteMini(site) }
        : { success: 0, data: siteMini(site), error };
    },
  });
  // 28. POST /sites/{id_domain}/check
  rest.register(NS, `/sites/${ID_DOMAIN}/check`, {
    methods: EDITABLE,
    args: siteItemSchemaArgs,
    handler: async (req) => checkOneSite(req.ctx, await siteOf(req)),
  });
}
