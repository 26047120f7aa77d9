/**
 * @module
 * Changing a site on the Dashboard: its settings (edit), suspension, and removal. Edits follow
 * MainWP's reading rules for each setting; every change is one atomic commit.
 *
 * Hooks: `mainwp_rest_pre_update_site_item` (filter), `mainwp_site_updated`, `mainwp_site_suspended`,
 * `mainwp_delete_site`.
 *
 * @example
 * ```ts
 * const { site } = await editSite(ctx, site, { name: "Blog", groupids: "4,9" });
 * ```
 */
import { removeMonitor } from "../monitors/schedule.ts";
import { childSiteOf } from "../sync/sync.ts";
import { ChildError } from "../../child/errors.ts";
import type { AppContext } from "../../app-context.ts";
import { keys } from "../../store/keys.ts";
import { deleteSite, type SiteRecord, updateSite, updateSiteGuarded } from "../../store/sites.ts";
import { isPhpEmpty, phpIntval } from "../../wp/php.ts";
import type { HookDeps } from "../deps.ts";
import { Conflict, InvalidInput, NotFound } from "../errors.ts";
import { UNKNOWN_CLIENT_ERROR } from "./add.ts";

/** The edit settings by MainWP's request names (they differ from the record's names). */
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
 * `verify_certificate` and `url` (MainWP's REST edit never sets them).
 */
export type SiteEditFields = Partial<Record<(typeof SITE_EDIT_FIELDS)[number], unknown>> & {
  tag_ids?: readonly number[];
  verify_certificate?: number;
  url?: string;
};

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

/** The refusal of an edit whose new address another site already has. */
export const UPDATE_FAILED_ERROR = "Update site failed. Please try again.";

/**
 * Applies the fields (after `mainwp_rest_pre_update_site_item`, which also sees `params`) in one commit
 * that also checks the linked tags and client; fires `mainwp_site_updated` (and `mainwp_site_suspended`
 * when the state changed). Answers the stored record and the one before. Throws `NotFound` (site gone),
 * `Conflict` (a new address another site has; its id) or `InvalidInput` "client_id" (no such client).
 *
 * @example
 * ```ts
 * const { site: stored } = await editSite(ctx, site, { name: "Shop", client_id: 2 });
 * ```
 */
export async function editSite(
  deps: HookDeps,
  site: SiteRecord,
  input: SiteEditFields,
  options: { params?: Record<string, unknown> } = {},
): Promise<{ site: SiteRecord; previous: SiteRecord }> {
  const fields = await deps.hooks.applyFilters<SiteEditFields>(
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
  const result = await updateSiteGuarded(deps.kv, site.id, guards, (current, read) => {
    const found = new Map(guards.map((key, i) => [key.join("/"), read[i]?.value != null]));
    return applySiteEdit(current, fields, {
      tagExists: (id) => found.get(keys.tag(id).join("/")) === true,
      clientExists: (id) => found.get(keys.client(id).join("/")) === true,
    });
  });
  if (result === null) throw new NotFound("site", site.id);
  if ("conflict" in result) throw new Conflict("site", result.conflict, UPDATE_FAILED_ERROR);
  if ("refused" in result) throw new InvalidInput("client_id", UNKNOWN_CLIENT_ERROR, "site");
  const { site: next, previous } = result;
  await deps.hooks.doAction("mainwp_site_updated", next, previous);
  if (Boolean(previous.suspended) !== Boolean(next.suspended)) {
    await deps.hooks.doAction("mainwp_site_suspended", next, next.suspended ? 1 : 0);
  }
  return { site: next, previous };
}

/**
 * Sets a site's suspension; fires `mainwp_site_suspended` only when it changed (with `alwaysFire`, every
 * time, as MainWP's abilities and jobs do). Answers the stored record and whether it changed; throws
 * `NotFound` when the site is gone.
 *
 * @example
 * ```ts
 * (await setSiteSuspended(ctx, site, 1)).site.suspended; // 1
 * ```
 */
export async function setSiteSuspended(
  deps: HookDeps,
  site: SiteRecord,
  suspended: 0 | 1,
  options: { alwaysFire?: boolean } = {},
): Promise<{ site: SiteRecord; changed: boolean }> {
  let changed = false;
  const result = await updateSite(deps.kv, site.id, (current) => {
    changed = Boolean(current.suspended) !== Boolean(suspended);
    return changed ? { ...current, suspended } : null;
  });
  if (result === null) throw new NotFound("site", site.id);
  if ("conflict" in result) return { site, changed: false };
  if (changed || options.alwaysFire) await deps.hooks.doAction("mainwp_site_suspended", result, suspended);
  return { site: result, changed };
}

/** What the child said when its site was removed. */
export type RemovalChild =
  /** It confirmed it deactivated its MainWP Child plugin. */
  | { told: "disabled" }
  /** It could not be reached, answered no MainWP reply, or was not asked. */
  | { told: "unconfirmed" }
  /** It answered with its own error (e.g. it already forgot this Dashboard). */
  | { told: "refused"; error: string };

/**
 * Removes a site: tells the child to deactivate its MainWP Child plugin (signed `deactivate`) unless
 * `notifyChild` is false, then deletes the Dashboard record (indexes, tag/client links and sync data in
 * one commit) whatever the child answered, and fires `mainwp_delete_site`. Answers the removed record
 * and what the child said; throws `NotFound` when the site is already gone.
 *
 * @example
 * ```ts
 * (await removeSite(ctx, site)).child.told; // "disabled"
 * ```
 */
export async function removeSite(
  ctx: AppContext,
  site: SiteRecord,
  options: { notifyChild?: boolean } = {},
): Promise<{ site: SiteRecord; child: RemovalChild }> {
  let child: RemovalChild = { told: "unconfirmed" };
  if (site.privkey && options.notifyChild !== false) {
    try {
      await ctx.child.call(await childSiteOf(ctx, site), "deactivate");
      child = { told: "disabled" };
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      // Only the child's own error answer fails the removal; an unreachable child gets the "make sure" note.
      if (error.category === "child") child = { told: "refused", error: error.message };
    }
  }
  const deleted = await deleteSite(ctx.kv, site.id);
  if (!deleted) throw new NotFound("site", site.id);
  await removeMonitor(ctx, deleted.id);
  await ctx.hooks.doAction("mainwp_delete_site", deleted);
  return { site: deleted, child };
}
