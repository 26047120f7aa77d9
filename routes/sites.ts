/**
 * @module
 * The `/wp-json/mainwp/v2/sites` routes (rest-v2.md §2.1), registered in MainWP's order (the first
 * matching route wins; the numbers are the rows of the spec's table): the listings and record routes,
 * and the routes that talk to child sites — add (register), sync, reconnect, disconnect, check (one and
 * bulk), security, plugins, themes, non-MainWP changes. The site lifecycle's logic lives in
 * `core/sites/` (wire shapes in `present/sites.ts` and `present/site-answers.ts`), sync, plugins,
 * themes and changes in `core/sync/` (wire shapes in `present/sync.ts` and `present/site-items.ts`).
 * Only the controller batch (32) is registered elsewhere.
 *
 * Every route here applies `_fields` to each site object itself (MainWP keeps the envelope).
 *
 * @example
 * ```ts
 * registerSitesRoutes(rest);
 * ```
 */
import { z } from "zod";
import { isTruthyFlag, listArgs, opt, parseList, wp } from "../rest/args.ts";
import { parseFieldsParam, projectFields } from "../rest/fields.ts";
import {
  CREATABLE,
  DELETABLE,
  EDITABLE,
  type Endpoint,
  READABLE,
  type RestRequest,
  type RestServer,
} from "../rest/server.ts";
import {
  BASIC_DEFAULTS,
  countSites,
  LIST_DEFAULTS,
  listSiteMinis,
  listSiteViews,
  parseSiteListQuery,
} from "./present/site-list.ts";
import { RestError } from "../rest/errors.ts";
import { siteViewsByIds } from "./present/site-view.ts";
import { siteMini } from "./present/site-format.ts";
import { findSite, parseSiteRef } from "../core/sites/resolve.ts";
import { removeSite, setSiteSuspended, SITE_EDIT_FIELDS } from "../core/sites/edit.ts";
import {
  presentAbandoned,
  presentItemList,
  presentPluginAction,
  presentSiteChanges,
  presentThemeAction,
} from "./present/site-items.ts";
import { presentSyncMany, presentSyncOne } from "./present/sync.ts";
import {
  disconnectSites,
  reconnectSites,
  selectBulkSites,
  selectBulkSitesReportingUnknown,
} from "../core/sites/bulk.ts";
import {
  bulkSelectionOf,
  bulkSyncSelectionOf,
  keyedBySite,
  pickSiteEditFields,
  removeAnswer,
  successWord,
} from "./present/sites.ts";
import {
  presentAdd,
  presentBulkCheck,
  presentCheck,
  presentDisconnect,
  presentEdit,
  presentReconnect,
  presentSecurity,
  presentSiteClient,
  presentSiteCosts,
} from "./present/site-answers.ts";

const NS = "mainwp/v2";

/** `{id_domain}` of routes 11–31. */
export const ID_DOMAIN = "(?P<id_domain>[a-zA-Z0-9\\-\\.\\_]+)";

/** The common list parameters (no schema types in MainWP: nothing is rejected here). */
export const siteListArgs = listArgs({
  status: opt(),
  with_tags: opt(),
  full_data: opt(),
  custom_fields: opt(),
});

/** `GET /sites/{id_domain}`. */
export const siteItemArgs = z.looseObject({
  id_domain: wp.str(),
  with_tags: opt(),
  custom_fields: opt(),
  context: opt(),
});

/** `POST /sites/{id_domain}/edit`: the request names MainWP reads (untyped, as in MainWP). */
export const siteEditArgs = z.looseObject(
  Object.fromEntries(SITE_EDIT_FIELDS.map((name) => [name, opt()])) as Record<
    (typeof SITE_EDIT_FIELDS)[number],
    ReturnType<typeof opt>
  >,
);

/** Routes acting on one site with no other input (MainWP's collection params: `context`). */
export const siteActionArgs = z.looseObject({ context: opt() });

/**
 * The sites item schema's types, as MainWP validates them on `/sites/add`, `/sites/{id}/check` and
 * `/sites/batch` (types only, nothing required).
 */
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

/** Bulk site actions (4–7): `include` / `exclude` site ids, untyped as in MainWP. */
export const siteBulkArgs = z.looseObject({ include: opt(), exclude: opt(), context: opt() });

/** `GET /sites/{id}/plugins` and `/themes`: MainWP reads these without a schema. */
export const siteItemListArgs = z.looseObject({
  status: opt(),
  search: opt(),
  must_use: opt(),
  page: opt(),
  paged: opt(),
  per_page: opt(),
  context: opt(),
});

/** Plugin and theme actions: `slug` (a comma list or array; theme activation takes one string). */
export const siteSlugArgs = z.looseObject({ slug: opt(), context: opt() });

/** `GET /sites/{id}/non-mainwp-changes`. */
export const siteChangesArgs = z.looseObject({
  page: opt(),
  per_page: opt(),
  limit: opt(),
  order: opt(),
  orderby: opt(),
  source: opt(),
  actions: opt(),
  contexts: opt(),
  total_count: opt(),
  optimize_view: opt(),
  optimize_with_meta: opt(),
  context: opt(),
});

const fieldsOf = (req: RestRequest) => parseFieldsParam(req.query._fields);

async function siteOf(req: RestRequest<{ id_domain?: unknown }>) {
  return await findSite(req.ctx, parseSiteRef(req.args.id_domain));
}

/** An endpoint whose handler receives its schema's parsed arguments. */
export const typed = <S extends z.ZodObject>(endpoint: Endpoint<S>) => endpoint as unknown as Endpoint;

function customFieldsOf(req: RestRequest): string[] {
  const v = req.params.custom_fields;
  return v === undefined || v === null ? [] : parseList(v);
}

function withMiniFields<T extends object>(req: RestRequest, body: T): T {
  const fields = fieldsOf(req);
  const data = (body as { data?: unknown }).data;
  if (!fields || !data || typeof data !== "object" || Array.isArray(data)) return body;
  return { ...body, data: projectFields(data as Record<string, unknown>, fields) };
}

const viewOptions = (req: RestRequest) => ({ fields: fieldsOf(req), params: req.params });

/**
 * The `slug` list of a plugin / theme action. Empty → MainWP's error code and message; MainWP sends it
 * with bare-integer data (HTTP 500), Fleetpress with `{"status":400}` (HTTP 400).
 */
function slugsOf(req: RestRequest, kind: "plugins" | "themes", single = false): string[] {
  const raw = req.args.slug;
  const slugs = single ? (typeof raw === "string" && raw.trim() !== "" ? [raw.trim()] : []) : parseList(raw);
  if (slugs.length > 0) return slugs;
  throw kind === "plugins"
    ? new RestError("mainwp_rest_invalid_plugins_slugs", "Plugins slugs are empty or invalid.", {
      status: 400,
    })
    : new RestError("mainwp_rest_invalid_themes_slugs", "Theme slug is empty or invalid.", { status: 400 });
}

/** Registers the sites routes in MainWP's order. */
export function registerSitesRoutes(rest: RestServer): void {
  // 1. GET /sites
  rest.register(NS, "/sites", {
    methods: READABLE,
    args: siteListArgs,
    fieldsPerItem: true,
    handler: (req) =>
      listSiteViews(req.ctx, parseSiteListQuery(req.params, LIST_DEFAULTS, fieldsOf(req)), req.params),
  });
  // 2. GET /sites/basic
  rest.register(NS, "/sites/basic", {
    methods: READABLE,
    args: siteListArgs,
    fieldsPerItem: true,
    handler: (req) =>
      listSiteMinis(req.ctx, parseSiteListQuery(req.params, BASIC_DEFAULTS, fieldsOf(req)), req.params),
  });
  // 3. GET /sites/count
  rest.register(NS, "/sites/count", {
    methods: READABLE,
    args: siteListArgs,
    fieldsPerItem: true,
    handler: (req) => countSites(req.ctx, parseSiteListQuery(req.params, LIST_DEFAULTS), req.params),
  });
  // 4. POST|PUT|PATCH /sites/sync (all listed sites unless `include` narrows them)
  rest.register(NS, "/sites/sync", {
    methods: EDITABLE,
    args: siteBulkArgs,
    fieldsPerItem: true,
    handler: async (req) => {
      // MainWP (its ability path): no positive id → 400; an unknown id → `{"result":"failed"}`.
      const selection = bulkSyncSelectionOf(req.args);
      const { sites, unknown } = await selectBulkSitesReportingUnknown(req.ctx, selection);
      return await presentSyncMany(req.ctx, sites, unknown, viewOptions(req));
    },
  });
  // 5. POST|PUT|PATCH /sites/reconnect (the disconnected ones among them)
  rest.register(NS, "/sites/reconnect", {
    methods: EDITABLE,
    args: siteBulkArgs,
    fieldsPerItem: true,
    handler: async (req) => {
      const sites = await selectBulkSites(req.ctx, bulkSelectionOf(req.args));
      const results = await reconnectSites(req.ctx, sites);
      return keyedBySite(results.map(({ site, result }) => ({ site, result: successWord(result) })));
    },
  });
  // 6. POST|PUT|PATCH /sites/disconnect
  rest.register(NS, "/sites/disconnect", {
    methods: EDITABLE,
    args: siteBulkArgs,
    fieldsPerItem: true,
    handler: async (req) => {
      const sites = await selectBulkSites(req.ctx, bulkSelectionOf(req.args));
      const results = await disconnectSites(req.ctx, sites);
      return keyedBySite(results.map(({ site, result }) => ({ site, result: successWord(result) })));
    },
  });
  // 7. POST|PUT|PATCH /sites/check
  rest.register(NS, "/sites/check", {
    methods: EDITABLE,
    args: siteBulkArgs,
    fieldsPerItem: true,
    handler: async (req) => {
      const sites = await selectBulkSites(req.ctx, bulkSelectionOf(req.args));
      return await presentBulkCheck(req.ctx, sites, viewOptions(req));
    },
  });

  // 8. GET /sites/{id}  and  9. GET /sites/{domain}
  // `{"data": <site view>}` (no `success`), `{"data": []}` for a staging site.
  const getOne = typed({
    methods: READABLE,
    args: siteItemArgs,
    fieldsPerItem: true,
    handler: async (req) => {
      const site = await siteOf(req);
      if (site.is_staging) return { data: [] };
      const withTags = req.args.with_tags;
      const [view] = await siteViewsByIds(req.ctx, [site.id], {
        withTags: withTags === undefined || withTags === null ? true : isTruthyFlag(withTags),
        customFields: customFieldsOf(req),
        fields: fieldsOf(req),
        params: req.params,
      });
      return { data: view ?? [] };
    },
  });
  rest.register(NS, "/sites/(?P<id_domain>[\\d]+)", getOne);
  rest.register(NS, "/sites/(?P<id_domain>[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}$)", getOne);
  // 10. POST /sites/add (register with the child)
  rest.register(NS, "/sites/add", {
    methods: CREATABLE,
    args: siteItemSchemaArgs,
    fieldsPerItem: true,
    handler: async (req) => withMiniFields(req, await presentAdd(req.ctx, req.args, req.params)),
  });

  // 11. POST|PUT|PATCH /sites/{id_domain}/edit
  rest.register(NS, `/sites/${ID_DOMAIN}/edit`, {
    methods: EDITABLE,
    args: siteEditArgs,
    fieldsPerItem: true,
    handler: async (req) =>
      presentEdit(req.ctx, await siteOf(req), pickSiteEditFields(req.args), {
        customFields: customFieldsOf(req),
        fields: fieldsOf(req),
        params: req.params,
      }),
  });
  // 12. POST|PUT|PATCH /sites/{id_domain}/sync
  rest.register(NS, `/sites/${ID_DOMAIN}/sync`, {
    methods: EDITABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => presentSyncOne(req.ctx, await siteOf(req), viewOptions(req)),
  });
  // 13. GET /sites/{id_domain}/security
  rest.register(NS, `/sites/${ID_DOMAIN}/security`, {
    methods: READABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => presentSecurity(req.ctx, await siteOf(req)),
  });
  // 14. GET /sites/{id_domain}/plugins
  rest.register(NS, `/sites/${ID_DOMAIN}/plugins`, {
    methods: READABLE,
    args: siteItemListArgs,
    fieldsPerItem: true,
    handler: async (req) => presentItemList(req.ctx, await siteOf(req), "plugins", req.args),
  });
  // 15. /plugins/activate  16. /plugins/deactivate  17. DELETE /plugins/delete
  for (const action of ["activate", "deactivate", "delete"] as const) {
    rest.register(NS, `/sites/${ID_DOMAIN}/plugins/${action}`, {
      methods: action === "delete" ? DELETABLE : EDITABLE,
      args: siteSlugArgs,
      fieldsPerItem: true,
      handler: async (req) => {
        const site = await siteOf(req);
        return presentPluginAction(req.ctx, site, action, slugsOf(req, "plugins"));
      },
    });
  }
  // 18. GET /sites/{id_domain}/plugins/abandoned
  rest.register(NS, `/sites/${ID_DOMAIN}/plugins/abandoned`, {
    methods: READABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => presentAbandoned(req.ctx, await siteOf(req), "plugins"),
  });
  // 19. GET /sites/{id_domain}/themes
  rest.register(NS, `/sites/${ID_DOMAIN}/themes`, {
    methods: READABLE,
    args: siteItemListArgs,
    fieldsPerItem: true,
    handler: async (req) => presentItemList(req.ctx, await siteOf(req), "themes", req.args),
  });
  // 20. /themes/activate (one slug)  21. DELETE /themes/delete
  for (const action of ["activate", "delete"] as const) {
    rest.register(NS, `/sites/${ID_DOMAIN}/themes/${action}`, {
      methods: action === "delete" ? DELETABLE : EDITABLE,
      args: siteSlugArgs,
      fieldsPerItem: true,
      handler: async (req) => {
        const site = await siteOf(req);
        return presentThemeAction(req.ctx, site, action, slugsOf(req, "themes", action === "activate"));
      },
    });
  }
  // 22. GET /sites/{id_domain}/themes/abandoned
  rest.register(NS, `/sites/${ID_DOMAIN}/themes/abandoned`, {
    methods: READABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => presentAbandoned(req.ctx, await siteOf(req), "themes"),
  });
  // 23. GET /sites/{id_domain}/non-mainwp-changes
  rest.register(NS, `/sites/${ID_DOMAIN}/non-mainwp-changes`, {
    methods: READABLE,
    args: siteChangesArgs,
    fieldsPerItem: true,
    handler: async (req) => presentSiteChanges(req.ctx, await siteOf(req), req.args),
  });
  // 24. POST|PUT|PATCH /sites/{id_domain}/reconnect
  rest.register(NS, `/sites/${ID_DOMAIN}/reconnect`, {
    methods: EDITABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => withMiniFields(req, await presentReconnect(req.ctx, await siteOf(req))),
  });
  // 25. POST|PUT|PATCH /sites/{id_domain}/disconnect
  rest.register(NS, `/sites/${ID_DOMAIN}/disconnect`, {
    methods: EDITABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => withMiniFields(req, await presentDisconnect(req.ctx, await siteOf(req))),
  });

  // 26. POST|PUT|PATCH /sites/{id_domain}/suspend  and  27. /unsuspend
  rest.register(NS, `/sites/${ID_DOMAIN}/suspend`, {
    methods: EDITABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => {
      const site = await siteOf(req);
      await setSiteSuspended(req.ctx, site, 1);
      return withMiniFields(req, { success: 1, suspended: 1, data: siteMini(site) });
    },
  });
  rest.register(NS, `/sites/${ID_DOMAIN}/unsuspend`, {
    methods: EDITABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => {
      const site = await siteOf(req);
      await setSiteSuspended(req.ctx, site, 0);
      return withMiniFields(req, { success: 1, suspended: 0, data: siteMini(site) });
    },
  });
  // 28. POST|PUT|PATCH /sites/{id_domain}/check
  rest.register(NS, `/sites/${ID_DOMAIN}/check`, {
    methods: EDITABLE,
    args: siteItemSchemaArgs,
    fieldsPerItem: true,
    handler: async (req) => withMiniFields(req, await presentCheck(req.ctx, await siteOf(req))),
  });

  // 29. DELETE /sites/{id_domain}/remove
  rest.register(NS, `/sites/${ID_DOMAIN}/remove`, {
    methods: DELETABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => {
      const site = await siteOf(req);
      const { child } = await removeSite(req.ctx, site);
      return withMiniFields(req, removeAnswer(site, child));
    },
  });
  // 30. GET /sites/{id_domain}/client
  rest.register(NS, `/sites/${ID_DOMAIN}/client`, {
    methods: READABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => presentSiteClient(req.ctx, await siteOf(req)),
  });
  // 31. GET /sites/{id_domain}/costs
  rest.register(NS, `/sites/${ID_DOMAIN}/costs`, {
    methods: READABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => presentSiteCosts(req.ctx, await siteOf(req)),
  });
  // 32. POST|PUT|PATCH /sites/batch (controller batch, later).
}
