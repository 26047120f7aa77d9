/**
 * @module
 * The site lifecycle routes' answers (rest-v2.md §2.1): each calls the core operation and shapes its
 * result, or its domain error where MainWP answers one with HTTP 200 (`success` 0), as MainWP does.
 *
 * @example
 * ```ts
 * await presentCheck(ctx, site); // { success: 1, data: { id: "3", …, status: 1, http_code: 200 } }
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { RestError, restError } from "../../rest/errors.ts";
import { siteViewOf, type SiteViewOptions } from "./site-view.ts";
import { type SiteMini, siteMini } from "./site-format.ts";
import { clientRawRow } from "./clients.ts";
import { findClient } from "../../core/clients.ts";
import { costsOfSite } from "../../core/costs.ts";
import { costListMap } from "./costs.ts";
import { deadlineMessage } from "../../lib/bulk-deadline.ts";
import { ChildUnavailable, Conflict, DomainError, InvalidInput, NotFound } from "../../core/errors.ts";
import type { SiteRecord } from "../../core/sites/resolve.ts";
import { addSite } from "../../core/sites/add.ts";
import { editSite, type SiteEditFields } from "../../core/sites/edit.ts";
import { checkSite, disconnectSite, reconnectSite, securityCheck } from "../../core/sites/connection.ts";
import { type BulkCheck, checkSites } from "../../core/sites/bulk.ts";
import {
  type AddSiteArgs,
  BULK_CHECK_ICON,
  type BulkAnswer,
  checkData,
  FETCH_URL_OUTPUT,
  insertItemOf,
  keyedBySite,
  SITE_ADDED_MESSAGE,
} from "./sites.ts";

/**
 * `POST /sites/add`: `{"success":1,"data":SITE_MINI,"message":…}`; a refused add is HTTP 200 with
 * `success` 0 and `error` (plus the existing site's id as `found_id`).
 *
 * @example
 * ```ts
 * await presentAdd(ctx, { url: "https://shop.example", admin: "admin" }, params);
 * ```
 */
export async function presentAdd(
  ctx: AppContext,
  args: AddSiteArgs,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  try {
    const site = await addSite(ctx, insertItemOf(args), { params });
    return { success: 1, data: siteMini(site), message: SITE_ADDED_MESSAGE };
  } catch (error) {
    if (!(error instanceof DomainError) || error instanceof NotFound) throw error;
    if (error instanceof Conflict) {
      return { success: 0, error: error.message, found_id: String(error.existingId) };
    }
    return { success: 0, error: error.message };
  }
}

/**
 * `POST /sites/{id}/edit`: `{"success":1,"data":<site view>}` (`[]` for a staging site); a new address
 * another site has → `success` 0 with `takenBy` (that site's id); an unknown client → `success` 0.
 *
 * @example
 * ```ts
 * await presentEdit(ctx, site, { name: "Shop" }, {});
 * ```
 */
export async function presentEdit(
  ctx: AppContext,
  site: SiteRecord,
  fields: SiteEditFields,
  options: SiteViewOptions,
): Promise<Record<string, unknown>> {
  let next;
  try {
    next = (await editSite(ctx, site, fields, { params: options.params })).site;
  } catch (error) {
    if (error instanceof Conflict) return { success: 0, error: error.message, takenBy: error.existingId };
    if (error instanceof InvalidInput) return { success: 0, error: error.message };
    throw error;
  }
  if (next.is_staging) return { success: 1, data: [] };
  return { success: 1, data: await siteViewOf(ctx, next, options) };
}

/**
 * `GET /sites/{id}/security`: `{"data":{…child's checks, fetch_url_output},"site":SITE_MINI}`; a child
 * that cannot be reached → 404 `mainwp_rest_get_secure_site_error`.
 *
 * @example
 * ```ts
 * (await presentSecurity(ctx, site)).data.fetch_url_output; // { http_status: 200, … }
 * ```
 */
export async function presentSecurity(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ data: Record<string, unknown>; site: SiteMini }> {
  try {
    const reply = await securityCheck(ctx, site);
    return { data: { ...reply, fetch_url_output: { ...FETCH_URL_OUTPUT } }, site: siteMini(site) };
  } catch (error) {
    if (error instanceof ChildUnavailable) {
      throw restError("mainwp_rest_get_secure_site_error", error.message, 404);
    }
    throw error;
  }
}

/**
 * `POST /sites/{id}/reconnect`: `{"success":1,"data":SITE_MINI}`; a failure is MainWP's HTTP 500
 * `mainwp_rest_reconnect_site_error` `Reconnect Site "<id>" error:: <reason>`.
 *
 * @example
 * ```ts
 * await presentReconnect(ctx, site);
 * ```
 */
export async function presentReconnect(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ success: 1; data: SiteMini }> {
  const outcome = await reconnectSite(ctx, site);
  if (!outcome.ok) {
    throw new RestError(
      "mainwp_rest_reconnect_site_error",
      `Reconnect Site "${site.id}" error:: ${outcome.error}`,
    );
  }
  return { success: 1, data: siteMini(outcome.site) };
}

/**
 * `POST /sites/{id}/disconnect`: `{"success":1|0,"data":SITE_MINI[,"error":"<child error>"]}`; a child
 * that cannot be reached is MainWP's HTTP 500 `mainwp_rest_disconnect_site_error`.
 *
 * @example
 * ```ts
 * await presentDisconnect(ctx, site); // { success: 1, data: { id: "3", … } }
 * ```
 */
export async function presentDisconnect(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ success: 0 | 1; data: SiteMini; error?: string }> {
  let outcome;
  try {
    outcome = await disconnectSite(ctx, site);
  } catch (error) {
    if (!(error instanceof ChildUnavailable)) throw error;
    throw new RestError(
      "mainwp_rest_disconnect_site_error",
      `Disconnect Site "${site.id}" error:: ${error.message}`,
    );
  }
  const answer: { success: 0 | 1; data: SiteMini; error?: string } = {
    success: outcome.success ? 1 : 0,
    data: siteMini(site),
  };
  if (outcome.error !== "") answer.error = outcome.error;
  return answer;
}

/**
 * `POST /sites/{id}/check`: `success` 1 when the check ran (whatever the site answered) with
 * {@link checkData}; a URL the check may not contact → `success` 0 with `error`.
 *
 * @example
 * ```ts
 * await presentCheck(ctx, site);
 * ```
 */
export async function presentCheck(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ success: 0 | 1; data: Record<string, unknown>; error?: string }> {
  try {
    return { success: 1, data: checkData(await checkSite(ctx, site)) };
  } catch (error) {
    if (!(error instanceof ChildUnavailable)) throw error;
    return { success: 0, data: { ...siteMini(site) }, error: error.message };
  }
}

/**
 * `POST /sites/check`: `{"total":N,"data":{"<id>":{"result":"success"|"failed", …site view}}}` —
 * `success` when the check ran (the view's `http_status` tells the answer); views without tags and with
 * blank icons, as MainWP's bulk check shows them; a late site also carries the deadline `error`.
 *
 * @example
 * ```ts
 * await presentBulkCheck(ctx, sites, { fields: null });
 * ```
 */
export async function presentBulkCheck(
  ctx: AppContext,
  sites: readonly SiteRecord[],
  options: SiteViewOptions,
): Promise<BulkAnswer<Record<string, unknown>>> {
  const entry = async (check: BulkCheck) => {
    const [site, result, error] = check.status === "checked"
      ? [check.outcome.site, "success", undefined]
      : [check.site, "failed", check.status === "late" ? deadlineMessage(check.ms) : undefined];
    const view = await siteViewOf(ctx, site, { ...options, withTags: false });
    if ("icon" in view) view.icon = BULK_CHECK_ICON;
    return error === undefined ? { result, ...view } : { result, ...view, error };
  };
  return keyedBySite(await checkSites(ctx, sites, entry));
}

/**
 * `GET /sites/{id}/client`: `{"success":1,"data":<raw client row>}` or
 * `{"success":0,"error":"Client is not set or not found."}`.
 *
 * @example
 * ```ts
 * await presentSiteClient(ctx, site);
 * ```
 */
export async function presentSiteClient(ctx: AppContext, site: SiteRecord): Promise<Record<string, unknown>> {
  const client = site.client_id > 0 ? await findClient(ctx, site.client_id) : null;
  if (!client) return { success: 0, error: "Client is not set or not found." };
  return { success: 1, data: clientRawRow(client) };
}

/**
 * `GET /sites/{id}/costs`: the costs whose `sites` list holds the site (not via its tags or client), as
 * cost list objects keyed by cost id, or `{"success":1,"message":"Cost not found.","data":[]}`.
 *
 * @example
 * ```ts
 * await presentSiteCosts(ctx, site); // { success: 1, total: 1, data: { "12": {...} } }
 * ```
 */
export async function presentSiteCosts(ctx: AppContext, site: SiteRecord): Promise<Record<string, unknown>> {
  const costs = await costsOfSite(ctx, site.id);
  if (costs.length === 0) return { success: 1, message: "Cost not found.", data: [] };
  return { success: 1, total: costs.length, data: await costListMap(ctx, costs) };
}
