/**
 * @module
 * Signed calls to a site's MainWP Child with what MainWP's `fetch_url_authed` does around them: a reply's
 * `sync` object is stored like a sync (and the child's change log in it kept), plus the texts MainWP
 * shows for connection failures.
 *
 * @example
 * ```ts
 * const reply = await callSiteChild(ctx, site, "plugin_action", { action: "activate", plugin: "a/a.php" });
 * ```
 */
import { ChildError, NOT_DETECTED_MESSAGE } from "../../child/errors.ts";
import type { ChildReply } from "../../child/envelope.ts";
import type { FormFields } from "../../child/form.ts";
import { syncValuesFromReply } from "../../child/sync.ts";
import { isPlainObject } from "../../lib/objects.ts";
import type { SiteRecord } from "../../store/sites.ts";
import type { ChildDeps, StoreDeps } from "../deps.ts";
import { childSiteOf, recordSyncValues } from "./sync.ts";

/**
 * WordPress's `wp_strip_all_tags`: tags (and `<script>`/`<style>` contents) removed, trimmed.
 *
 * @example
 * ```ts
 * stripTags('See <a href="x">the docs</a>.'); // "See the docs."
 * ```
 */
export function stripTags(text: string): string {
  return text.replace(/<(script|style)[^>]*?>[\s\S]*?<\/\1>/gi, "").replace(/<[^>]*>/g, "").trim();
}

/**
 * The text MainWP shows for a failure talking to a child, tags stripped: `HTTP error - …` for network
 * failures and timeouts, the "MainWP Child plugin not detected…" text for an answer without a MainWP
 * envelope, else the child's (or the connector's) own message.
 *
 * @example
 * ```ts
 * childErrorMessage(new ChildError("NOMAINWP", "…", "not_mainwp")); // "MainWP Child plugin not detected or …"
 * ```
 */
export function childErrorMessage(error: ChildError): string {
  return stripTags(error.category === "not_mainwp" ? NOT_DETECTED_MESSAGE : error.message);
}

/** Whether the failure is a child's own `error` answer (as opposed to not reaching a working child). */
export function isChildAnswer(error: unknown): error is ChildError {
  return error instanceof ChildError && error.category === "child";
}

/**
 * Stores what a child reply carries besides its answer: a `sync` object (a full or partial sync) and the
 * child's change log in it.
 *
 * @example
 * ```ts
 * await ingestChildReply(ctx, site.id, registerReply);
 * ```
 */
export async function ingestChildReply(deps: StoreDeps, siteId: number, reply: ChildReply): Promise<void> {
  const sync = reply.sync;
  if (isPlainObject(sync)) {
    await recordSyncValues(deps, siteId, syncValuesFromReply(sync), sync.child_site_actions_data);
  }
}

/**
 * A signed call to a site's child (private key decrypted with the deps' secret key); the reply's `sync`
 * object is stored as MainWP does. Child failures throw `ChildError`.
 *
 * @example
 * ```ts
 * const reply = await callSiteChild(ctx, site, "security");
 * ```
 */
export async function callSiteChild(
  deps: ChildDeps,
  site: SiteRecord,
  fn: string,
  params: FormFields = {},
): Promise<ChildReply> {
  const reply = await deps.child.call(await childSiteOf(deps, site), fn, params);
  await ingestChildReply(deps, site.id, reply);
  return reply;
}
