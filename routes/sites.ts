/**
 * @module
 * The `/wp-json/mainwp/v2/sites` routes that need no child site (rest-v2.md §2.1), registered in
 * MainWP's relative order (the first matching route wins). The numbers are the rows of the spec's table;
 * the gaps are the routes that talk to child sites (sync, reconnect, disconnect, check, add, plugins,
 * themes, security…) and the controller batch, registered in their places by later work.
 *
 * Every route here applies `_fields` to each site object itself (MainWP keeps the envelope).
 *
 * @example
 * ```ts
 * registerSitesRoutes(rest);
 * ```
 */
import { z } from "zod";
import { isTruthyFlag, listArgs, parseList, wp } from "../rest/args.ts";
import { parseFieldsParam, projectFields } from "../rest/fields.ts";
import { DELETABLE, EDITABLE, READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import {
  BASIC_DEFAULTS,
  countSites,
  LIST_DEFAULTS,
  listSiteMinis,
  listSiteViews,
  parseSiteListQuery,
} from "../services/site-list.ts";
import {
  editSite,
  findSite,
  getSiteView,
  parseSiteRef,
  pickSiteEditFields,
  removeSite,
  setSiteSuspended,
  SITE_EDIT_FIELDS,
  siteClient,
  siteCosts,
} from "../services/sites.ts";

const NS = "mainwp/v2";

/** `{id_domain}` of routes 11–31. */
export const ID_DOMAIN = "(?P<id_domain>[a-zA-Z0-9\\-\\.\\_]+)";

const opt = () => wp.any().optional();

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

const fieldsOf = (req: RestRequest) => parseFieldsParam(req.query._fields);

async function siteOf(req: RestRequest) {
  return await findSite(req.ctx, parseSiteRef(req.params.id_domain));
}

function customFieldsOf(req: RestRequest): string[] {
  const v = req.params.custom_fields;
  return v === undefined || v === null ? [] : parseList(v);
}

function withMiniFields<T extends { data: object }>(req: RestRequest, body: T): T {
  const fields = fieldsOf(req);
  return fields ? { ...body, data: projectFields(body.data as Record<string, unknown>, fields) } : body;
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
  // 4–7: /sites/sync, /sites/reconnect, /sites/disconnect, /sites/check (child connector).

  // 8. GET /sites/{id}  and  9. GET /sites/{domain}
  const getOne = {
    methods: READABLE,
    args: siteItemArgs,
    fieldsPerItem: true,
    handler: (req: RestRequest) => {
      const withTags = req.params.with_tags;
      return getSiteView(req.ctx, parseSiteRef(req.params.id_domain), {
        withTags: withTags === undefined || withTags === null ? true : isTruthyFlag(withTags),
        customFields: customFieldsOf(req),
        fields: fieldsOf(req),
        params: req.params,
      });
    },
  };
  rest.register(NS, "/sites/(?P<id_domain>[\\d]+)", getOne);
  rest.register(NS, "/sites/(?P<id_domain>[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}$)", getOne);
  // 10. POST /sites/add (child connector).

  // 11. POST|PUT|PATCH /sites/{id_domain}/edit
  rest.register(NS, `/sites/${ID_DOMAIN}/edit`, {
    methods: EDITABLE,
    args: siteEditArgs,
    fieldsPerItem: true,
    handler: async (req) =>
      editSite(req.ctx, await siteOf(req), pickSiteEditFields(req.params), {
        customFields: customFieldsOf(req),
        fields: fieldsOf(req),
        params: req.params,
      }),
  });
  // 12–25: sync, security, plugins…, themes…, non-mainwp-changes, reconnect, disconnect (child connector).

  // 26. POST|PUT|PATCH /sites/{id_domain}/suspend  and  27. /unsuspend
  rest.register(NS, `/sites/${ID_DOMAIN}/suspend`, {
    methods: EDITABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => withMiniFields(req, await setSiteSuspended(req.ctx, await siteOf(req), 1)),
  });
  rest.register(NS, `/sites/${ID_DOMAIN}/unsuspend`, {
    methods: EDITABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => withMiniFields(req, await setSiteSuspended(req.ctx, await siteOf(req), 0)),
  });
  // 28. POST /sites/{id_domain}/check (child connector).

  // 29. DELETE /sites/{id_domain}/remove
  rest.register(NS, `/sites/${ID_DOMAIN}/remove`, {
    methods: DELETABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => withMiniFields(req, await removeSite(req.ctx, await siteOf(req))),
  });
  // 30. GET /sites/{id_domain}/client
  rest.register(NS, `/sites/${ID_DOMAIN}/client`, {
    methods: READABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => siteClient(req.ctx, await siteOf(req)),
  });
  // 31. GET /sites/{id_domain}/costs
  rest.register(NS, `/sites/${ID_DOMAIN}/costs`, {
    methods: READABLE,
    args: siteActionArgs,
    fieldsPerItem: true,
    handler: async (req) => siteCosts(req.ctx, await siteOf(req)),
  });
  // 32. POST|PUT|PATCH /sites/batch (controller batch, later).
}
