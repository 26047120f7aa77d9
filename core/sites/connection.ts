/**
 * @module
 * A site's connection with its MainWP Child: the uptime check, reconnecting (sync, else register
 * again), disconnecting (telling the child, or only marking the site on the Dashboard) and the child's
 * security checks. A child that cannot be reached is `ChildUnavailable`; a child's own error answer is
 * part of the result where MainWP passes it on.
 *
 * Hooks: `mainwp_site_reconnected`, plus the sync's `mainwp_site_synced` / `mainwp_site_sync_failed`.
 *
 * @example
 * ```ts
 * const { online, httpCode } = await checkSite(ctx, site);
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import { encryptPrivateKey, type SiteKeyPair } from "../../child/index.ts";
import { ChildError } from "../../child/errors.ts";
import type { ChildReply } from "../../child/envelope.ts";
import { syncValuesFromReply } from "../../child/sync.ts";
import { getSiteSync, type SiteRecord, updateSite } from "../../store/sites.ts";
import { recordSyncValues, syncSite } from "../sync/sync.ts";
import { callSiteChild, childErrorMessage, isChildAnswer } from "../sync/child.ts";
import { nowSeconds } from "../../wp/dates.ts";
import type { ChildDeps, HookDeps } from "../deps.ts";
import { ChildUnavailable } from "../errors.ts";
import { ADD_FAILED_ERROR } from "./add.ts";

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : "");

/** What an uptime check found. */
export interface CheckOutcome {
  /** The site as stored after the check. */
  site: SiteRecord;
  /** Whether the site answered HTTP 200. */
  online: boolean;
  /** The HTTP status received, 0 when none was. */
  httpCode: number;
}

/**
 * Checks a site as MainWP's legacy check does (unsigned POST `test=yes` to the site URL, no redirects,
 * the site's HTTP Basic and TLS settings) and stores `offline_check_result` (1 / -1),
 * `http_response_code` and `offline_checks_last`. A URL the check may not contact throws
 * `ChildUnavailable` (nothing stored).
 *
 * @example
 * ```ts
 * const { online, httpCode } = await checkSite(ctx, site);
 * ```
 */
export async function checkSite(
  deps: Pick<ChildDeps, "kv" | "child">,
  site: SiteRecord,
): Promise<CheckOutcome> {
  let result;
  try {
    result = await deps.child.checkSite(site.url, {
      method: "post",
      httpUser: site.http_user || undefined,
      httpPass: site.http_pass || undefined,
      verifyCertificate: site.verify_certificate !== 0,
    });
  } catch (error) {
    if (error instanceof ChildError) throw new ChildUnavailable(site.id, error, childErrorMessage(error));
    throw error;
  }
  const updated = await updateSite(deps.kv, site.id, (s) => ({
    ...s,
    offline_check_result: result.online ? 1 : -1,
    http_response_code: result.httpCode,
    offline_checks_last: nowSeconds(),
  }));
  const stored = updated && "id" in updated ? updated : site;
  return { site: stored, online: result.online, httpCode: result.httpCode };
}

/** How a reconnect ended (`site` as stored; `error` the reason it failed). */
export type ReconnectOutcome = { ok: true; site: SiteRecord } | {
  ok: false;
  site: SiteRecord;
  error: string;
};

/**
 * Reconnects a site as MainWP does (child-protocol.md §B6): a sync first; when that fails, a new
 * registration with a fresh key pair, authenticated by the stored verify key (`regverify`), whose reply
 * is stored as a sync. Fires `mainwp_site_reconnected` (site, success, error text). A failure is an
 * outcome, not an exception, so bulk runs and jobs record it per site.
 *
 * @example
 * ```ts
 * const outcome = await reconnectSite(ctx, site);
 * if (!outcome.ok) console.log(outcome.error);
 * ```
 */
export async function reconnectSite(
  ctx: AppContext,
  site: SiteRecord,
  options: { keys?: SiteKeyPair } = {},
): Promise<ReconnectOutcome> {
  const first = await syncSite(ctx, site);
  let outcome: ReconnectOutcome;
  if (first?.ok) outcome = { ok: true, site: first.site };
  else {
    const regverify = (await getSiteSync(ctx.kv, site.id))?.options?.register_verify_key;
    try {
      const registered = await ctx.child.register(site.url, {
        adminUser: site.adminname,
        regverify: regverify || undefined,
        uniqueId: site.uniqueId || undefined,
        httpUser: site.http_user || undefined,
        httpPass: site.http_pass || undefined,
        verifyCertificate: site.verify_certificate !== 0,
        keys: options.keys,
      });
      const privkey = await encryptPrivateKey(registered.keys.privateKeyPem, ctx.secretKey);
      await updateSite(ctx.kv, site.id, (s) => ({
        ...s,
        pubkey: registered.keys.publicKeyPem,
        privkey,
        uniqueId: registered.uniqueId,
      }));
      const values = syncValuesFromReply(registered.reply);
      if (registered.regverify) values.register_verify_key = registered.regverify;
      const stored = await recordSyncValues(ctx, site.id, values, registered.reply.child_site_actions_data);
      outcome = stored ? { ok: true, site: stored } : { ok: false, site, error: ADD_FAILED_ERROR };
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      outcome = { ok: false, site: first?.site ?? site, error: childErrorMessage(error) };
    }
  }
  await ctx.hooks.doAction(
    "mainwp_site_reconnected",
    outcome.site,
    outcome.ok,
    outcome.ok ? "" : outcome.error,
  );
  return outcome;
}

/** What the child answered to `disconnect`. */
export interface DisconnectOutcome {
  /** The child answered with a `result` (it acted on the request). */
  answered: boolean;
  /** Its `result` was `"success"`. */
  success: boolean;
  /** Its `error` text, `""` when none. */
  error: string;
}

/**
 * Sends the signed `disconnect` to the site's child and reports its answer (a child's error answer
 * included); throws `ChildUnavailable` when the child cannot be reached or answers no MainWP reply.
 *
 * @example
 * ```ts
 * (await disconnectSite(ctx, site)).success; // true
 * ```
 */
export async function disconnectSite(ctx: AppContext, site: SiteRecord): Promise<DisconnectOutcome> {
  let reply: ChildReply;
  try {
    reply = await callSiteChild(ctx, site, "disconnect");
  } catch (error) {
    if (isChildAnswer(error)) reply = error.reply ?? { error: error.message };
    else if (error instanceof ChildError) {
      throw new ChildUnavailable(site.id, error, childErrorMessage(error));
    } else throw error;
  }
  return {
    answered: reply.result !== undefined,
    success: reply.result === "success",
    error: text(reply.error),
  };
}

/** The sync error MainWP stores when a site is disconnected from the dashboard side. */
export const MANUALLY_DISCONNECTED = "Manually disconnected";

/**
 * Marks a site disconnected on the dashboard only (its sync error becomes "Manually disconnected"), as
 * MainWP's disconnect abilities and jobs do; the child is not told. Fires `fleetpress_site_disconnected`.
 * `null` when the site is gone.
 *
 * @example
 * ```ts
 * (await markSiteDisconnected(ctx, site))?.sync_errors; // "Manually disconnected"
 * ```
 */
export async function markSiteDisconnected(
  { kv, hooks }: HookDeps,
  site: SiteRecord,
): Promise<SiteRecord | null> {
  const updated = await updateSite(kv, site.id, (s) => ({ ...s, sync_errors: MANUALLY_DISCONNECTED }));
  if (!updated || !("id" in updated)) return null;
  await hooks.doAction("fleetpress_site_disconnected", updated);
  return updated;
}

/**
 * The child's security checks (`security`): its reply as it came, a child's error answer included, as
 * MainWP passes it on; throws `ChildUnavailable` when the child cannot be reached.
 *
 * @example
 * ```ts
 * (await securityCheck(ctx, site)).db_reporting; // "Y"
 * ```
 */
export async function securityCheck(ctx: AppContext, site: SiteRecord): Promise<ChildReply> {
  try {
    return await callSiteChild(ctx, site, "security");
  } catch (error) {
    if (isChildAnswer(error)) return error.reply ?? { error: error.message };
    if (error instanceof ChildError) throw new ChildUnavailable(site.id, error, childErrorMessage(error));
    throw error;
  }
}
