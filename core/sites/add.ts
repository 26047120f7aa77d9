/**
 * @module
 * Adding a site: registering the Dashboard with the site's MainWP Child and storing it, refusing an
 * address that is already a managed site under any spelling (`duplicates.ts`).
 *
 * Hooks: `mainwp_rest_pre_insert_site_item` (filter), `mainwp_site_added` and `mainwp_added_new_site`,
 * `mainwp_added_new_group` / `mainwp_site_tag_action` (tags created by name).
 *
 * @example
 * ```ts
 * const site = await addSite(ctx, { ...NEW_SITE, url: "https://shop.example", wpadmin: "admin" });
 * ```
 */
import { createMonitor } from "../monitors/schedule.ts";
import type { AppContext } from "../../app-context.ts";
import { encryptPrivateKey, parseSiteUrl, type SiteKeyPair } from "../../child/index.ts";
import { ChildError } from "../../child/errors.ts";
import type { ChildReply } from "../../child/envelope.ts";
import { syncValuesFromReply } from "../../child/sync.ts";
import { getClient } from "../../store/clients.ts";
import { createSite, findSiteByDomain, normalizeSiteUrl, type SiteRecord } from "../../store/sites.ts";
import type { StoreDeps } from "../deps.ts";
import { recordSyncValues } from "../sync/sync.ts";
import { resolveTagRefs } from "../tags.ts";
import { nowSeconds } from "../../wp/dates.ts";
import { childErrorMessage } from "../sync/child.ts";
import { ChildUnavailable, Conflict, InvalidInput } from "../errors.ts";
import { findSameSite } from "./duplicates.ts";

/** The answer for an address that is already a site. */
export const ALREADY_CONNECTED_ERROR = "The site is already connected to your MainWP Dashboard";
/** The answer when nothing more specific is known (e.g. no URL). */
export const ADD_FAILED_ERROR = "Add site failed. Please try again.";
/** A URL with a query string or fragment (a site address has neither). */
export const QUERY_ERROR = "The site URL must not contain a query string or a fragment.";
/** An edit or add whose `client_id` names no client. */
export const UNKNOWN_CLIENT_ERROR = "Invalid or not found client ID.";

/**
 * A new site as `mainwp_rest_pre_insert_site_item` sees it (MainWP's names, plus `client_id`):
 * `ssl_verify` 1 or `false`, `groupids` tag ids or tag names.
 */
export interface SiteInsertItem {
  url: string;
  name: string;
  wpadmin: string;
  adminpwd: string;
  unique_id: string;
  ssl_verify: number | false;
  force_use_ipv4: 0 | 1;
  http_user: string;
  http_pass: string;
  groupids: string[];
  client_id: number;
}

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

/** A register reply without the verify key (a credential), for hooks. */
function publicReply(reply: ChildReply): ChildReply {
  const { regverify: _regverify, regverify_info: _info, ...rest } = reply;
  return rest;
}

/**
 * Adds a site and answers its stored record. Refuses (before any change) an empty URL
 * (`InvalidInput` "url"), a managed address (`Conflict` with the existing id), a URL the connector's
 * address guard refuses or that carries a query or fragment (`InvalidInput` "url"), an unknown client
 * (`InvalidInput` "client_id"), and a child that does not register us (`ChildUnavailable`, site id 0).
 * Registers with a fresh RSA-2048 key pair unless `keys` is given, stores the private key encrypted
 * under `SECRET_KEY` and the register reply (a full sync) as the site's first sync.
 *
 * @example
 * ```ts
 * await addSite(ctx, { ...item, url: "http://127.0.0.1:9100/site-1/" }, { params: {} });
 * ```
 */
export async function addSite(
  ctx: AppContext,
  input: SiteInsertItem,
  options: { keys?: SiteKeyPair; params?: Record<string, unknown> } = {},
): Promise<SiteRecord> {
  const item = await ctx.hooks.applyFilters<SiteInsertItem>(
    "mainwp_rest_pre_insert_site_item",
    input,
    options.params ?? {},
  );
  if (!item || text(item.url) === "") throw new InvalidInput("url", ADD_FAILED_ERROR, "site");
  const url = normalizeSiteUrl(text(item.url));
  const existing = await findSameSite(ctx, url);
  if (existing) throw new Conflict("site", existing.id, ALREADY_CONNECTED_ERROR);
  try {
    parseSiteUrl(url);
  } catch (error) {
    if (error instanceof ChildError) throw new InvalidInput("url", childErrorMessage(error), "site");
    throw error;
  }
  // The identity ignores them, so a site cannot be told apart (nor stored) by its query or fragment.
  if (/[?#]/.test(url)) throw new InvalidInput("url", QUERY_ERROR, "site");
  const clientId = Math.trunc(Number(item.client_id)) || 0;
  if (clientId > 0 && !(await getClient(ctx.kv, clientId))) {
    throw new InvalidInput("client_id", UNKNOWN_CLIENT_ERROR, "site");
  }
  const verify = item.ssl_verify === false || Number(item.ssl_verify) === 0 ? 0 : 1;
  let registered;
  try {
    registered = await ctx.child.register(url, {
      adminUser: text(item.wpadmin),
      adminPassword: item.adminpwd === "" ? undefined : String(item.adminpwd),
      uniqueId: text(item.unique_id) || undefined,
      httpUser: text(item.http_user) || undefined,
      httpPass: item.http_pass === "" ? undefined : String(item.http_pass),
      verifyCertificate: verify === 1,
      keys: options.keys,
    });
  } catch (error) {
    if (error instanceof ChildError) throw new ChildUnavailable(0, error, childErrorMessage(error));
    throw error;
  }
  const created = await createSite(ctx.kv, {
    url,
    name: text(item.name) || url.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, ""),
    adminname: registered.user || text(item.wpadmin),
    pubkey: registered.keys.publicKeyPem,
    privkey: await encryptPrivateKey(registered.keys.privateKeyPem, ctx.secretKey),
    uniqueId: registered.uniqueId,
    http_user: text(item.http_user),
    http_pass: String(item.http_pass ?? ""),
    verify_certificate: verify,
    force_use_ipv4: Number(item.force_use_ipv4) ? 1 : 0,
    client_id: clientId,
    tag_ids: await resolveTagRefs(ctx, Array.isArray(item.groupids) ? item.groupids.map(String) : []),
    added: nowSeconds(),
  });
  if (!("site" in created)) throw new Conflict("site", created.found_id, ALREADY_CONNECTED_ERROR);
  const values = syncValuesFromReply(registered.reply);
  if (registered.regverify) values.register_verify_key = registered.regverify;
  const changes = registered.reply.child_site_actions_data;
  const site = (await recordSyncValues(ctx, created.site.id, values, changes)) ?? created.site;
  await createMonitor(ctx, site.id);
  await ctx.hooks.doAction("mainwp_site_added", site, publicReply(registered.reply));
  await ctx.hooks.doAction("mainwp_added_new_site", site.id, site);
  return site;
}

/**
 * The managed site whose identity `url` has (scheme, `www.`, case and trailing `/` ignored), or `null`:
 * the quick check the add-site ability makes before anything else.
 *
 * @example
 * ```ts
 * await findManagedSite(ctx, "https://www.example.com"); // the site of https://example.com/
 * ```
 */
export async function findManagedSite({ kv }: StoreDeps, url: string): Promise<SiteRecord | null> {
  return await findSiteByDomain(kv, normalizeSiteUrl(url));
}
