/**
 * @module
 * The `/wp-json/mainwp/v2/updates` routes (rest-v2.md §2.4), in MainWP's registration order. Legacy
 * (non-ability) response shapes and status codes: the requests become calls of the update core
 * (`core/updates/`), the results MainWP's wire shapes (`routes/present/updates.ts`).
 *
 * @example
 * ```ts
 * registerUpdatesRoutes(rest);
 * ```
 */
import { z } from "zod";
import { opt, parseIdList, parseList } from "../rest/args.ts";
import { RestError, restError } from "../rest/errors.ts";
import { EDITABLE, READABLE, type RestRequest, type RestServer } from "../rest/server.ts";
import { ChildUnavailable } from "../core/errors.ts";
import { findSite, parseSiteRef } from "../core/sites/resolve.ts";
import { parseSiteListQuery } from "./present/site-list.ts";
import { fleetUpdateLists, ignoreListsOf, searchText, siteUpdateListsOf } from "../core/updates/lists.ts";
import { ignoreAllUpdates, ignoreSiteItems } from "../core/updates/ignore.ts";
import {
  applyCoreUpdate,
  applyItemUpdates,
  updateEverything,
  updateSiteEverything,
} from "../core/updates/run.ts";
import {
  coreUpdateBody,
  fleetSummary,
  fleetUpdatesBody,
  IGNORED_PER_SITE,
  ignoredBody,
  ignoreSlugs,
  itemsUpdateBody,
  NOTHING_TO_UPDATE,
  parseUpdateTypes,
  siteEverythingBody,
  siteUpdatesBody,
} from "./present/updates.ts";
import { isoNoZone } from "../wp/dates.ts";

const NS = "mainwp/v2";
/** `{id_domain}` of the ignored/update/ignore routes (no underscore, as MainWP). */
const ID_DOMAIN = "(?P<id_domain>[A-Za-z0-9-\\.]+)";
/** `GET /updates/{id}` and `/updates/{domain}` (TLD of 2–6 letters). */
const SITE_PATTERNS = [
  "(?P<id_domain>[\\d]+)",
  "(?P<id_domain>[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}$)",
];

/** The list filters (MainWP declares none of them; `status` is checked as on the site lists). */
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
  return await findSite(req.ctx, parseSiteRef(req.urlParams.id_domain));
}

/** The `type` and `search` filters of the list routes. */
function listFilter(args: Record<string, unknown>) {
  return { types: parseUpdateTypes(parseList(args.type)), search: searchText(args.search) };
}

/** The ignore-list kinds of `type` (`plugins` / `themes`; anything else: both). */
function ignoreKinds(type: unknown) {
  const types = parseList(type);
  const picked = (["plugins", "themes"] as const).filter((k) => types.includes(k));
  return picked.length > 0 ? picked : (["plugins", "themes"] as const);
}

/** Registers the updates routes. */
export function registerUpdatesRoutes(rest: RestServer): void {
  rest.register(NS, "/updates", {
    methods: READABLE,
    args: listArgs,
    handler: async (req) => {
      // `status` is validated as on the site lists and otherwise unused.
      parseSiteListQuery({ status: req.args.status }, { withTags: false, fullData: false });
      const filter = {
        ...listFilter(req.args),
        include: parseIdList(req.args.include),
        exclude: parseIdList(req.args.exclude),
      };
      return fleetUpdatesBody(await fleetUpdateLists(req.ctx, filter));
    },
  });
  for (const pattern of SITE_PATTERNS) {
    rest.register(NS, `/updates/${pattern}`, {
      methods: READABLE,
      args: listArgs,
      handler: async (req) =>
        siteUpdatesBody(await siteUpdateListsOf(req.ctx, await siteOf(req), listFilter(req.args))),
    });
  }
  rest.register(NS, "/updates/ignored", {
    methods: READABLE,
    args: listArgs,
    handler: async (req) =>
      ignoredBody(
        await ignoreListsOf(req.ctx, null, ignoreKinds(req.args.type), searchText(req.args.search)),
      ),
  });
  rest.register(NS, `/updates/${ID_DOMAIN}/ignored`, {
    methods: READABLE,
    args: listArgs,
    handler: async (req) => {
      const site = await siteOf(req);
      return ignoredBody(
        await ignoreListsOf(req.ctx, site, ignoreKinds(req.args.type), searchText(req.args.search)),
      );
    },
  });
  rest.register(NS, "/updates/update", {
    methods: EDITABLE,
    handler: async (req) => {
      const result = await updateEverything(req.ctx);
      const last_time_start_batch_updates = isoNoZone(result.startedAt);
      if (result.state === "running") {
        return { success: 1, message: "A batch updates all job are running.", last_time_start_batch_updates };
      }
      if (result.state === "queued") {
        return {
          success: 1,
          message: "Batch updates queued.",
          job_id: result.job.job_id,
          queued_count: result.sites,
          last_time_start_batch_updates,
        };
      }
      return {
        success: 1,
        message: "Batch updates completed.",
        summary: fleetSummary(result.summary),
        last_time_start_batch_updates,
      };
    },
  });
  rest.register(NS, `/updates/${ID_DOMAIN}/update`, {
    methods: EDITABLE,
    handler: async (req) => {
      const site = await siteOf(req);
      const result = await updateSiteEverything(req.ctx, site);
      if (result.state === "suspended") {
        throw restError(
          "mainwp_rest_updates_site_error",
          "Website suspended. Please unsuspended the website and try again.",
          400,
        );
      }
      return siteEverythingBody(site, result.startedAt, result.state === "done" ? result.run : null);
    },
  });
  rest.register(NS, `/updates/${ID_DOMAIN}/update/wp`, {
    methods: EDITABLE,
    handler: async (req) => {
      const result = await applyCoreUpdate(req.ctx, await siteOf(req));
      return "reply" in result
        ? coreUpdateBody(result.reply)
        : { success: 0, error: result.childError.message };
    },
  });
  for (const kind of ["plugins", "themes", "translations"] as const) {
    rest.register(NS, `/updates/${ID_DOMAIN}/update/${kind}`, {
      methods: EDITABLE,
      args: slugArgs,
      handler: async (req) => {
        const site = await siteOf(req);
        let result;
        try {
          result = await applyItemUpdates(req.ctx, site, kind, parseList(req.args.slug));
        } catch (error) {
          // MainWP's `new WP_Error(code, message)` for a child failure: no data, so HTTP 500.
          if (error instanceof ChildUnavailable) {
            throw new RestError(`mainwp_rest_upgrade_${kind}_of_site_error`, error.message);
          }
          throw error;
        }
        if ("reply" in result) return itemsUpdateBody(result.reply);
        if (result.nothing === "ignored_per_site" && kind !== "translations") {
          return { success: 0, message: IGNORED_PER_SITE[kind] };
        }
        return { success: 0, message: NOTHING_TO_UPDATE[kind] };
      },
    });
  }
  rest.register(NS, `/updates/${ID_DOMAIN}/ignore/wp`, {
    methods: EDITABLE,
    handler: async (req) => {
      const ok = await ignoreAllUpdates(req.ctx, await siteOf(req), "core");
      return {
        success: ok ? 1 : 0,
        message: ok ? "Ignore core update successfully." : "Ignore core update failed.",
      };
    },
  });
  for (const kind of ["plugins", "themes"] as const) {
    rest.register(NS, `/updates/${ID_DOMAIN}/ignore/${kind}`, {
      methods: EDITABLE,
      args: slugArgs,
      handler: async (req) => {
        const site = await siteOf(req);
        const slugs = ignoreSlugs(req.args.slug);
        if (slugs.length === 0) {
          // No slugs: ignore every update of the kind on the site.
          const ok = await ignoreAllUpdates(req.ctx, site, kind);
          const message = ok
            ? `Ignore update ${kind} per site successfully.`
            : `Ignore update ${kind} per site failed`;
          return { success: ok ? 1 : 0, message, url: site.url };
        }
        const { added, site: after } = await ignoreSiteItems(req.ctx, site, kind, slugs);
        return { success: 1, data: added.map(() => "success"), url: after.url };
      },
    });
  }
}
