/**
 * @module
 * Site operations behind the `/sites/{id_domain}…` routes that need no child site: look-up by id or
 * domain, the single view, edit, suspend/unsuspend, removal of the dashboard record, and the site's
 * client and costs. Plain typed inputs; the REST layer and (later) the abilities call the same functions.
 *
 * @example
 * ```ts
 * const site = await findSite(ctx, parseSiteRef("3"));
 * const body = await editSite(ctx, site, { name: "Blog", groupids: "4,9" });
 * ```
 */
import { childSiteOf } from "./sync.ts";
import { ChildError } from "../child/errors.ts";
import type { AppContext } from "../lib/context.ts";
import { RestError, restError } from "../rest/errors.ts";
import { getClient } from "../store/clients.ts";
import { clientRawRow } from "./client-view.ts";
import { keys } from "../store/keys.ts";
import {
  deleteSite,
  findSiteByDomain,
  getSite,
  normalizeDomain,
  type SiteRecord,
  updateSite,
  updateSiteGuarded,
} from "../store/sites.ts";
import { costsOfSite } from "../core/costs.ts";
import { costListMap, type CostListObject } from "../routes/present/costs.ts";
import { fleetSnapshot } from "./site-list.ts";
import { type SiteMini, siteMini } from "./site-format.ts";
import { siteViewOf, type SiteViewOptions, siteViewsByIds } from "./site-view.ts";
import { isPhpEmpty, phpIntval } from "../wp/php.ts";
import { PHP_NUMERIC } from "../wp/php.ts";

/** How a route names a site: by id (numeric) or by domain. */
export type SiteRef = { by: "id"; id: number } | { by: "domain"; domain: string };

/** PHP `is_numeric` (decimal, optional sign, fraction, exponent; leading whitespace allowed). */

/**
 * Reads `{id_domain}`: a numeric value is an id (PHP `intval`), anything else a domain.
 *
 * @example
 * ```ts
 * parseSiteRef("12"); // { by: "id", id: 12 }
 * parseSiteRef("shop.example.com"); // { by: "domain", domain: "shop.example.com" }
 * ```
 */
export function parseSiteRef(value: unknown): SiteRef {
  const text = typeof value === "string" || typeof value === "number" ? String(value) : "";
  if (PHP_NUMERIC.test(text)) return { by: "id", id: Math.trunc(Number(text)) };
  return { by: "domain", domain: text };
}

/** `404 mainwp_rest_invalid_site_id` / `mainwp_rest_invalid_site_data`. */
export function siteNotFound(by: "id" | "domain"): RestError {
  return by === "id"
    ? restError("mainwp_rest_invalid_site_id", "Invalid or not found ID.", 404)
    : restError("mainwp_rest_invalid_site_data", "Invalid or not found domain.", 404);
}

/**
 * The site a reference names, read from the store; throws the 404 of rest-v2.md §2 when there is none.
 * Domains match ignoring scheme, `www.` and a trailing `/`.
 *
 * @example
 * ```ts
 * await findSite(ctx, { by: "domain", domain: "example.com" }); // https://www.example.com/
 * ```
 */
export async function findSite(ctx: AppContext, ref: SiteRef): Promise<SiteRecord> {
  const site = ref.by === "id"
    ? (ref.id > 0 ? await getSite(ctx.kv, ref.id) : null)
    : (ref.domain ? await findSiteByDomain(ctx.kv, ref.domain) : null);
  if (!site) throw siteNotFound(ref.by);
  return site;
}

/**
 * `GET /sites/{id_domain}`: `{"data": <site view>}` (no `success`), `{"data": []}` for a staging site.
 * Served from the fleet snapshot.
 *
 * @example
 * ```ts
 * await getSiteView(ctx, { by: "id", id: 3 }, { customFields: ["dtsSync"] });
 * ```
 */
export async function getSiteView(
  ctx: AppContext,
  ref: SiteRef,
  options: SiteViewOptions = {},
): Promise<{ data: Record<string, unknown> | [] }> {
  const snap = await fleetSnapshot(ctx.kv);
  const id = ref.by === "id" ? ref.id : snap.byDomain.get(normalizeDomain(ref.domain));
  const entry = id === undefined ? undefined : snap.byId.get(id);
  if (!entry) throw siteNotFound(ref.by);
  if (entry.site.is_staging) return { data: [] };
  const [view] = await siteViewsByIds(ctx, [entry.site.id], options);
  return { data: view ?? [] };
}

// ---------------------------------------------------------------------------------------------------
// Edit

/** The request names `POST /sites/{id_domain}/edit` reads (they differ from the response names). */
export const SITE_EDIT_FIELDS = [
  "http_user",
  "http_pass",
  "name",
  "admin",
  "sslversion",
  "uniqueid",
  "protocol",
  "disablehealthchecking",
  "healththreshold",
  "suspended",
  "groupids",
  "automatic_update",
  "backup_before_upgrade",
  "force_use_ipv4",
  "ignore_core_updates",
  "ignore_plugin_updates",
  "ignore_theme_updates",
  "monitoring_emails",
  "client_id",
] as const;

/**
 * Edit input, by request name; a key that is absent (or `null`) leaves that setting alone. Besides the
 * REST names, the update-site ability sets `tag_ids` (replaces every tag link, `[]` clears them),
 * `verify_certificate` and `url` (REST requests cannot: {@link pickSiteEditFields} never picks them).
 */
export type SiteEditFields = Partial<Record<(typeof SITE_EDIT_FIELDS)[number], unknown>> & {
  tag_ids?: readonly number[];
  verify_certificate?: number;
  url?: string;
};

/**
 * The edit fields present in request parameters.
 *
 * @example
 * ```ts
 * pickSiteEditFields({ name: "Blog", foo: 1 }); // { name: "Blog" }
 * ```
 */
export function pickSiteEditFields(params: Record<string, unknown>): SiteEditFields {
  const out: SiteEditFields = {};
  for (const name of SITE_EDIT_FIELDS) {
    if (params[name] !== undefined && params[name] !== null) out[name] = params[name];
  }
  return out;
}

const SIMPLE_EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

/**
 * A comma list of the valid e-mail addresses in the input (MainWP's `valid_input_emails`).
 *
 * @example
 * ```ts
 * validEmails("a@x.test, nope, b@y.test"); // "a@x.test,b@y.test"
 * ```
 */
export function validEmails(input: unknown): string {
  const items = Array.isArray(input) ? input.map(String) : typeof input === "string" ? input.split(",") : [];
  return items.map((s) => s.trim()).filter((s) => SIMPLE_EMAIL.test(s)).join(",");
}

/** The tag ids named by `groupids` (comma string or array), positive and unique, in order. */
export function parseGroupIds(input: unknown): number[] {
  const items = Array.isArray(input)
    ? input
    : typeof input === "string" || typeof input === "number"
    ? String(input).split(",")
    : [];
  const out: number[] = [];
  for (const item of items) {
    const id = phpIntval(typeof item === "string" ? item.trim() : item);
    if (id > 0 && !out.includes(id)) out.push(id);
  }
  return out;
}

const flag = (v: unknown): number => (!isPhpEmpty(v) ? 1 : 0);
const text = (v: unknown): string | null =>
  (typeof v === "string" || typeof v === "number") && !isPhpEmpty(v) ? String(v) : null;

/** What a site edit may link to, as read in the same commit. */
export interface EditLinks {
  tagExists(id: number): boolean;
  clientExists(id: number): boolean;
}

/**
 * Applies edit fields to a site record (pure). Follows MainWP's rules: text fields only when non-empty,
 * `sslversion` only when truthy, `suspended` is 1 only for 1, flags are PHP-truthy, `force_use_ipv4`
 * above 2 becomes 0, `groupids` replaces every tag link with the existing tags it names. Deviations:
 * an omitted `client_id` keeps the client (MainWP resets it to 0), an unknown client refuses the edit,
 * and unknown tag ids are dropped.
 *
 * @example
 * ```ts
 * applySiteEdit(site, { suspended: "1", groupids: "4" }, links); // { ...site, suspended: 1, tag_ids: [4] }
 * ```
 */
export function applySiteEdit(
  site: SiteRecord,
  fields: SiteEditFields,
  links: EditLinks,
): SiteRecord | { refuse: "client" } {
  const next: SiteRecord = { ...site };
  const setText = (
    field: keyof SiteEditFields,
    column: "name" | "adminname" | "http_user" | "http_pass" | "uniqueId",
  ) => {
    const value = text(fields[field]);
    if (value !== null) next[column] = value;
  };
  setText("http_user", "http_user");
  setText("http_pass", "http_pass");
  setText("name", "name");
  setText("admin", "adminname");
  setText("uniqueid", "uniqueId");
  if (!isPhpEmpty(fields.sslversion)) next.ssl_version = phpIntval(fields.sslversion);
  if (fields.protocol === "http" || fields.protocol === "https") {
    next.url = `${fields.protocol}://${site.url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")}`;
  }
  if (fields.disablehealthchecking !== undefined) {
    next.disable_health_check = flag(fields.disablehealthchecking);
  }
  if (fields.healththreshold !== undefined) next.health_threshold = phpIntval(fields.healththreshold);
  if (fields.suspended !== undefined) next.suspended = phpIntval(fields.suspended) === 1 ? 1 : 0;
  if (!isPhpEmpty(fields.groupids)) {
    next.tag_ids = parseGroupIds(fields.groupids).filter((id) => links.tagExists(id));
  }
  if (fields.tag_ids) next.tag_ids = fields.tag_ids.filter((id) => links.tagExists(id));
  if (fields.verify_certificate !== undefined) {
    next.verify_certificate = fields.verify_certificate === 0 ? 0 : 1;
  }
  if (fields.url) next.url = fields.url;
  if (fields.automatic_update !== undefined) next.automatic_update = flag(fields.automatic_update);
  if (fields.backup_before_upgrade !== undefined) {
    next.backup_before_upgrade = flag(fields.backup_before_upgrade);
  }
  if (fields.force_use_ipv4 !== undefined) {
    const v = phpIntval(fields.force_use_ipv4);
    next.force_use_ipv4 = v > 2 || v < 0 ? 0 : v;
  }
  if (fields.ignore_core_updates !== undefined) next.is_ignoreCoreUpdates = flag(fields.ignore_core_updates);
  if (fields.ignore_plugin_updates !== undefined) {
    next.is_ignorePluginUpdates = flag(fields.ignore_plugin_updates);
  }
  if (fields.ignore_theme_updates !== undefined) {
    next.is_ignoreThemeUpdates = flag(fields.ignore_theme_updates);
  }
  if (fields.monitoring_emails !== undefined) {
    next.monitoring_notification_emails = validEmails(fields.monitoring_emails);
  }
  if (fields.client_id !== undefined) {
    const clientId = Math.max(0, phpIntval(fields.client_id));
    if (clientId > 0 && !links.clientExists(clientId)) return { refuse: "client" };
    next.client_id = clientId;
  }
  return next;
}

/** The soft failure of an edit whose `client_id` names no client. */
export const UNKNOWN_CLIENT_ERROR = "Invalid or not found client ID.";

/**
 * `POST /sites/{id_domain}/edit`: applies the fields (after `mainwp_rest_pre_update_site_item`) in one
 * commit that also checks the linked tags and client; fires `mainwp_site_updated` (and
 * `mainwp_site_suspended` when the state changed). Answers `{"success":1,"data":<site view>}`; a new
 * address another site already has answers `success` 0 with `takenBy` (that site's id).
 *
 * @example
 * ```ts
 * await editSite(ctx, site, { name: "Shop", client_id: 2 });
 * ```
 */
export async function editSite(
  ctx: AppContext,
  site: SiteRecord,
  input: SiteEditFields,
  options: SiteViewOptions = {},
): Promise<
  { success: 1; data: Record<string, unknown> | [] } | { success: 0; error: string; takenBy?: number }
> {
  const fields = await ctx.hooks.applyFilters<SiteEditFields>(
    "mainwp_rest_pre_update_site_item",
    input,
    site.id,
    options.params ?? {},
  );
  const clientId = fields.client_id !== undefined ? phpIntval(fields.client_id) : 0;
  const tagIds = [
    ...(!isPhpEmpty(fields.groupids) ? parseGroupIds(fields.groupids) : []),
    ...(fields.tag_ids ?? []),
  ];
  const guards: Deno.KvKey[] = [...(clientId > 0 ? [keys.client(clientId)] : []), ...tagIds.map(keys.tag)];
  const result = await updateSiteGuarded(ctx.kv, site.id, guards, (current, read) => {
    const found = new Map(guards.map((key, i) => [key.join("/"), read[i]?.value != null]));
    return applySiteEdit(current, fields, {
      tagExists: (id) => found.get(keys.tag(id).join("/")) === true,
      clientExists: (id) => found.get(keys.client(id).join("/")) === true,
    });
  });
  if (result === null) throw siteNotFound("id");
  if ("conflict" in result) {
    return { success: 0, error: "Update site failed. Please try again.", takenBy: result.conflict };
  }
  if ("refused" in result) return { success: 0, error: UNKNOWN_CLIENT_ERROR };
  const { site: next, previous } = result;
  await ctx.hooks.doAction("mainwp_site_updated", next, previous);
  if (Boolean(previous.suspended) !== Boolean(next.suspended)) {
    await ctx.hooks.doAction("mainwp_site_suspended", next, next.suspended ? 1 : 0);
  }
  if (next.is_staging) return { success: 1, data: [] };
  return { success: 1, data: await siteViewOf(ctx, next, options) };
}

// ---------------------------------------------------------------------------------------------------
// Suspend, remove

/**
 * `POST /sites/{id_domain}/suspend|unsuspend`: sets the state; fires `mainwp_site_suspended` only when
 * it changed (with `alwaysFire`, every time, as MainWP's abilities and jobs do). `{"success":1,"suspended":1,"data":SITE_MINI}`.
 *
 * @example
 * ```ts
 * await setSiteSuspended(ctx, site, 1);
 * ```
 */
export async function setSiteSuspended(
  ctx: AppContext,
  site: SiteRecord,
  suspended: 0 | 1,
  options: { alwaysFire?: boolean } = {},
): Promise<{ success: 1; suspended: 0 | 1; data: SiteMini }> {
  let changed = false;
  const result = await updateSite(ctx.kv, site.id, (current) => {
    changed = Boolean(current.suspended) !== Boolean(suspended);
    return changed ? { ...current, suspended } : null;
  });
  if (result === null) throw siteNotFound("id");
  if ((changed || options.alwaysFire) && !("conflict" in result)) {
    await ctx.hooks.doAction("mainwp_site_suspended", result, suspended);
  }
  return { success: 1, suspended, data: siteMini(site) };
}

/** The answer of a removal without the child connector (the child could not be told). */
export const SITE_REMOVED_MESSAGE =
  "The site has been removed. Please make sure that the MainWP Child plugin has been deactivated properly.";

/** The answer when the child confirmed it deactivated its MainWP Child plugin. */
export const SITE_REMOVED_DISABLED_MESSAGE =
  "The site has been removed and the MainWP Child plugin has been disabled.";

/**
 * `DELETE /sites/{id_domain}/remove`: tells the child to deactivate its MainWP Child plugin (signed
 * `deactivate`), then deletes the dashboard record (indexes, tag/client links and sync data in one
 * commit) and fires `mainwp_delete_site`. The site is removed whatever the child answers: a child that
 * confirmed → "…has been disabled."; a child that could not be reached (offline, no MainWP answer) →
 * "…Please make sure that the MainWP Child plugin has been deactivated properly."; a child that answered
 * with an error (e.g. it already forgot this Dashboard) → `success` 0 with that `error` and no message
 * (rest-v2.md §10). With `notifyChild: false` (the delete-site ability) the child is left untouched.
 *
 * @example
 * ```ts
 * await removeSite(ctx, site); // { success: 1, message: "The site has been removed and …", data: SITE_MINI }
 * ```
 */
export async function removeSite(
  ctx: AppContext,
  site: SiteRecord,
  options: { notifyChild?: boolean } = {},
): Promise<{ success: 0 | 1; message?: string; error?: string; data: SiteMini }> {
  let childError: string | null = null;
  let disabled = false;
  if (site.privkey && options.notifyChild !== false) {
    try {
      await ctx.child.call(await childSiteOf(ctx, site), "deactivate");
      disabled = true;
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      // Only the child's own error answer fails the removal; an unreachable child gets the "make sure" note.
      if (error.category === "child") childError = error.message;
    }
  }
  const deleted = await deleteSite(ctx.kv, site.id);
  if (!deleted) throw siteNotFound("id");
  await ctx.hooks.doAction("mainwp_delete_site", deleted);
  if (childError !== null) return { success: 0, error: childError, data: siteMini(site) };
  return {
    success: 1,
    message: disabled ? SITE_REMOVED_DISABLED_MESSAGE : SITE_REMOVED_MESSAGE,
    data: siteMini(site),
  };
}

// ---------------------------------------------------------------------------------------------------
// Client and costs of a site

/**
 * `GET /sites/{id_domain}/client`: `{"success":1,"data":<raw client row>}` or
 * `{"success":0,"error":"Client is not set or not found."}`.
 *
 * @example
 * ```ts
 * await siteClient(ctx, site);
 * ```
 */
export async function siteClient(
  ctx: AppContext,
  site: SiteRecord,
): Promise<{ success: 1; data: Record<string, string | null> } | { success: 0; error: string }> {
  const client = site.client_id > 0 ? await getClient(ctx.kv, site.client_id) : null;
  if (!client) return { success: 0, error: "Client is not set or not found." };
  return { success: 1, data: clientRawRow(client) };
}

/**
 * `GET /sites/{id_domain}/costs`: the costs whose `sites` list holds the site (not via its tags or
 * client), as cost list objects keyed by cost id, or `{"success":1,"message":"Cost not found.","data":[]}`.
 *
 * @example
 * ```ts
 * await siteCosts(ctx, site); // { success: 1, total: 1, data: { "12": {...} } }
 * ```
 */
export async function siteCosts(
  ctx: AppContext,
  site: SiteRecord,
): Promise<
  | { success: 1; total: number; data: Record<string, CostListObject> | [] }
  | { success: 1; message: string; data: [] }
> {
  const costs = await costsOfSite(ctx, site.id);
  if (costs.length === 0) return { success: 1, message: "Cost not found.", data: [] };
  return { success: 1, total: costs.length, data: await costListMap(ctx, costs) };
}
