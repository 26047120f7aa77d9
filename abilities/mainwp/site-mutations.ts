/**
 * @module
 * MainWP's single-site mutation abilities (abilities.md §2.5, 13–23): add, update, delete (confirm /
 * dry_run), reconnect, disconnect, suspend, unsuspend, check, and the plugin and theme actions. They
 * find their site inside execute (so an unknown site is a 404 here, a 403 for the site-flavour reads)
 * and act through the same services as the `/sites` REST routes.
 *
 * @example
 * ```ts
 * registerSiteMutationAbilities(sink);
 * ```
 */
import { z } from "zod";
import type { AbilitySink } from "./index.ts";
import type { AppContext } from "../../app-context.ts";
import { RestError, restError } from "../../rest/errors.ts";
import { basePermission } from "./permissions.ts";
import { siteFullObject } from "./sites.ts";
import { siteBasicObject, siteBasicSchema } from "./objects.ts";
import { outdatedRefusal } from "../../core/sites/gates.ts";
import { siteSyncData } from "../../core/sync/sync.ts";
import { requireAccessibleSite, type SiteRecord } from "../../core/sites/resolve.ts";
import { addSite, findManagedSite, QUERY_ERROR } from "../../core/sites/add.ts";
import { stripTags } from "../../core/sync/child.ts";
import { editSite, removeSite, setSiteSuspended, type SiteEditFields } from "../../core/sites/edit.ts";
import { checkSite, markSiteDisconnected, reconnectSite } from "../../core/sites/connection.ts";
import { ChildUnavailable, Conflict, DomainError, InvalidInput } from "../../core/errors.ts";
import { parseStoredList, pluginAction, themeAction } from "../../core/sync/items.ts";
import { childErrorMessage } from "../../core/sync/child.ts";
import { escHtml } from "../../wp/format.ts";
import { activeTheme } from "../../routes/present/site-format.ts";
import { confirm, dryRun, idList, siteIdOrDomain } from "./fields.ts";

const siteOnly = z.looseObject({ site_id_or_domain: siteIdOrDomain });
const VERIFY =
  "Whether to check the site's TLS certificate: 1 yes, 0 no, 2 follow the dashboard-wide setting.";
const SSL_VERSION = "TLS version to force when connecting to the site; 0 lets the system choose.";
const HTTP_USER = "User name for HTTP basic authentication in front of the site, if it has any.";
const HTTP_PASS = "Password for the site's HTTP basic authentication.";
const ACT = { readonly: false, destructive: false, idempotent: true, instructions: "" };
const DESTRUCTIVE_RULE =
  "Destructive: pass confirm:true to act, or dry_run:true to see what would happen. Only use when the user explicitly asks for deletion.";

/** Full site object (abilities.md §2.4). */
const SiteFull = siteBasicSchema.extend({
  admin_username: z.string(),
  wp_version: z.string(),
  php_version: z.string(),
  child_version: z.string(),
  last_sync: z.string().nullable(),
  notes: z.string(),
}).loose();
const SiteRef = z.object({ id: z.int(), url: z.string(), name: z.string() });
const ItemObject = z.object({
  slug: z.string(),
  name: z.string(),
  version: z.string(),
  active: z.boolean(),
  has_update: z.boolean(),
  update_version: z.string().nullable(),
});
const SlugError = z.object({ slug: z.string(), code: z.string(), message: z.string() });

/** A site's full object as it is stored now. */
async function fullSite(ctx: AppContext, site: SiteRecord) {
  return siteFullObject(site, await siteSyncData(ctx, site.id), false);
}

/** `{id, url, name}` of a site. */
function siteRef3(site: SiteRecord) {
  const { id, url, name } = siteBasicObject(site);
  return { id, url, name };
}

/** The item MainWP fabricates from a slug for plugin/theme mutation results. */
function slugItem(slug: string, active: boolean) {
  return { slug, name: slug, version: "", active, has_update: false, update_version: null };
}

type SiteInput = { site_id_or_domain: number | string };

/** Resolves the input's site (404 / 403 from execute). */
const siteOf = (ctx: AppContext, input: SiteInput) =>
  requireAccessibleSite(ctx, input.site_id_or_domain, input);

/** Resolves the site and refuses children older than 4.0.0. */
async function childSiteOf(ctx: AppContext, input: SiteInput): Promise<SiteRecord> {
  const site = await siteOf(ctx, input);
  const outdated = outdatedRefusal(site, await siteSyncData(ctx, site.id));
  if (outdated) throw outdated;
  return site;
}

/** MainWP's `confirm` / `dry_run` pair: both at once is refused before anything else. */
function assertNotBoth(input: { confirm?: boolean; dry_run?: boolean }, message: string): void {
  if (input.confirm && input.dry_run) throw restError("mainwp_invalid_input", message, 400);
}

/** delete-site-plugins' / delete-site-themes' input: the list sits under the kind's own key. */
function deleteItemsInput<K extends "plugins" | "themes">(kind: K) {
  const list = z.array(z.string()).min(1).describe(
    kind === "plugins"
      ? 'Plugins to delete, by slug (folder/main file), e.g. ["hello-dolly/hello.php"]. At least one.'
      : 'Themes to delete, by slug (folder name), e.g. ["twentytwentytwo"]. At least one.',
  );
  // A computed key is typed as a plain string key; the mapped type gives it back its literal name.
  const items = { [kind]: list } as { [P in K]: typeof list };
  return z.looseObject({ site_id_or_domain: siteIdOrDomain, ...items, confirm, dry_run: dryRun });
}

/** A thrown transport failure of a child action: MainWP lets it escape (500 ability_callback_exception). */
function callbackException(name: string): RestError {
  return new RestError("ability_callback_exception", `Ability "${name}" callback threw an exception.`, null);
}

/** Maps the add-site failure text onto MainWP's codes (abilities.md §2.5, 13). */
function addSiteError(error: string): RestError {
  if (error === QUERY_ERROR) return restError("mainwp_invalid_url", error, 400);
  const lower = error.toLowerCase();
  if (lower.includes("connect")) return restError("mainwp_connection_failed", error, 503);
  if (lower.includes("credentials") || lower.includes("invalid")) {
    return restError("mainwp_invalid_credentials", error, 401);
  }
  return restError("mainwp_site_add_failed", error || "Failed to add site.", 500);
}

/** A text field as the REST add reads it: tags stripped, whitespace runs collapsed, trimmed. */
const textField = (v: string) => stripTags(v.trim()).replace(/\s+/g, " ").trim();

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== "";
  } catch {
    return false;
  }
}

/** Slugs of a site's stored plugins (or themes) that are active. */
async function activeSlugs(
  ctx: AppContext,
  site: SiteRecord,
  kind: "plugins" | "themes",
): Promise<Set<string>> {
  const sync = await siteSyncData(ctx, site.id);
  if (kind === "themes") return new Set([activeTheme(sync?.themes)].filter((s) => s !== ""));
  return new Set(
    parseStoredList(sync?.plugins).filter((p) => p.active === true || Number(p.active) === 1).map((p) =>
      String(p.slug ?? "")
    ),
  );
}

/**
 * Registers the single-site mutation abilities.
 *
 * @example
 * ```ts
 * registerSiteMutationAbilities(sink);
 * ```
 */
export function registerSiteMutationAbilities(sink: AbilitySink): void {
  sink.register({
    name: "mainwp/add-site-v1",
    label: "Add MainWP Site",
    description:
      "Connects a WordPress site running the MainWP Child plugin: registers the dashboard's key with it and stores the site.",
    category: "mainwp-sites",
    input: z.object({
      url: z.string().describe(
        'Address of the WordPress site, with http:// or https://, e.g. "https://example.com".',
      ),
      name: z.string().describe('Name the dashboard shows for the site, e.g. "Example Shop".'),
      admin_username: z.string().describe(
        'Login of an administrator on the site, e.g. "admin"; the MainWP Child plugin acts as this user.',
      ),
      verify_certificate: z.literal([0, 1, 2]).default(1).describe(`${VERIFY} Default 1.`),
      ssl_version: z.int().default(0).describe(`${SSL_VERSION} Default 0.`),
      http_user: z.string().optional().describe(HTTP_USER),
      http_pass: z.string().optional().describe(HTTP_PASS),
      tag_ids: idList("Tag IDs to give the site").optional(),
      client_id: z.int().optional().describe("Client the site belongs to (client ID, e.g. 3)."),
      adminpassword: z.string().optional().describe(
        "The administrator's WordPress password; only for sites set up to ask for it when connecting.",
      ),
      uniqueid: z.string().optional().describe(
        "The Unique Security ID set in the MainWP Child plugin's settings on the site, if one is set.",
      ),
    }).strict(),
    output: SiteFull,
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = input;
      const url = q.url.trim();
      const name = q.name.trim();
      const admin = q.admin_username.trim();
      if (!url || !name || !admin) {
        throw restError(
          "mainwp_invalid_input",
          "Missing required fields: url, name, or admin_username.",
          400,
        );
      }
      if (!isHttpUrl(url)) throw restError("mainwp_invalid_url", "The site URL is not a valid URL.", 400);
      if (await findManagedSite(ctx, url)) {
        throw restError("mainwp_site_already_exists", "A site with this URL already exists.", 409);
      }
      try {
        const site = await addSite(ctx, {
          url: textField(url),
          name: textField(name),
          wpadmin: textField(admin),
          adminpwd: q.adminpassword ?? "",
          unique_id: textField(q.uniqueid ?? ""),
          ssl_verify: q.verify_certificate === 0 ? false : 1,
          force_use_ipv4: 0,
          http_user: textField(q.http_user ?? ""),
          http_pass: q.http_pass ?? "",
          groupids: (q.tag_ids ?? []).map(String),
          client_id: q.client_id !== undefined && q.client_id > 0 ? q.client_id : 0,
        });
        return await fullSite(ctx, site);
      } catch (error) {
        if (error instanceof Conflict) {
          throw restError("mainwp_site_already_exists", "A site with this URL already exists.", 409);
        }
        if (error instanceof DomainError) throw addSiteError(error.message);
        throw error;
      }
    },
  });

  sink.register({
    name: "mainwp/update-site-v1",
    label: "Update MainWP Site",
    description:
      "Changes a site's settings: name, address, administrator, HTTP authentication, certificate check, tags, client or suspension.",
    category: "mainwp-sites",
    input: z.object({
      site_id_or_domain: siteIdOrDomain,
      name: z.string().optional().describe('New name for the site, e.g. "Example Shop".'),
      url: z.string().optional().describe(
        'New address of the site, with http:// or https://, e.g. "https://www.example.com"; empty keeps it.',
      ),
      admin_username: z.string().optional().describe(
        "New administrator login the MainWP Child plugin acts as.",
      ),
      verify_certificate: z.literal([0, 1, 2]).optional().describe(VERIFY),
      ssl_version: z.int().optional().describe(SSL_VERSION),
      http_user: z.string().optional().describe(HTTP_USER),
      http_pass: z.string().optional().describe(HTTP_PASS),
      tag_ids: idList("Tag IDs the site should have").optional(),
      client_id: z.int().optional().describe("Client to assign the site to (client ID, e.g. 3)."),
      suspended: z.literal([0, 1]).optional().describe("1 suspends the site, 0 lifts the suspension."),
    }).strict(),
    output: SiteFull,
    annotations: ACT,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = input;
      let site = await siteOf(ctx, input);
      const fields: SiteEditFields = {
        name: q.name,
        admin: q.admin_username,
        sslversion: q.ssl_version,
        http_user: q.http_user,
        http_pass: q.http_pass,
        client_id: q.client_id,
        suspended: q.suspended,
        tag_ids: q.tag_ids,
        verify_certificate: q.verify_certificate,
        url: q.url?.trim() || undefined,
      };
      for (const key of Object.keys(fields) as (keyof SiteEditFields)[]) {
        if (fields[key] === undefined) delete fields[key];
      }
      try {
        site = (await editSite(ctx, site, fields)).site;
      } catch (error) {
        if (error instanceof Conflict) {
          throw restError("mainwp_site_already_exists", "A site with this URL already exists.", 409);
        }
        if (error instanceof InvalidInput) throw restError("mainwp_invalid_input", error.message, 400);
        throw error;
      }
      return await fullSite(ctx, site);
    },
  });

  sink.register({
    name: "mainwp/delete-site-v1",
    label: "Delete MainWP Site",
    description:
      "Removes a site from the dashboard with its stored data. The MainWP Child plugin on the site itself is left as it is.",
    category: "mainwp-sites",
    input: z.looseObject({ site_id_or_domain: siteIdOrDomain, confirm, dry_run: dryRun }),
    output: z.object({
      dry_run: z.boolean(),
      would_affect: z.looseObject({}),
      warnings: z.array(z.string()),
      deleted: z.boolean().optional(),
      site: SiteRef.optional(),
    }),
    annotations: { readonly: false, destructive: true, idempotent: false, instructions: DESTRUCTIVE_RULE },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const q = input;
      assertNotBoth(q, "Cannot specify both dry_run and confirm.");
      const site = await siteOf(ctx, input);
      if (q.dry_run) {
        return {
          dry_run: true,
          would_affect: siteRef3(site),
          warnings: [
            "The site and everything the dashboard stored about it (sync data, settings) would be removed.",
            "Its tag and client assignments would be removed.",
            "The MainWP Child plugin on the site would not be deactivated or removed.",
            "This cannot be undone; the site would have to be added again.",
          ],
        };
      }
      if (!q.confirm) {
        throw restError(
          "mainwp_confirmation_required",
          "Deletion requires confirm parameter to be true.",
          400,
        );
      }
      await removeSite(ctx, site, { notifyChild: false });
      return { dry_run: false, deleted: true, site: siteRef3(site), would_affect: [], warnings: [] };
    },
  });

  sink.register({
    name: "mainwp/reconnect-site-v1",
    label: "Reconnect MainWP Site",
    description:
      "Reconnects a disconnected site: syncs it, or registers the dashboard with its child again when the sync fails.",
    category: "mainwp-sites",
    input: siteOnly,
    output: z.object({ reconnected: z.boolean(), site: SiteFull }),
    annotations: ACT,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const outcome = await reconnectSite(ctx, await siteOf(ctx, input));
      if (!outcome.ok) {
        throw restError("mainwp_reconnect_failed", outcome.error || "Site reconnection failed.", 503);
      }
      return { reconnected: true, site: await fullSite(ctx, outcome.site) };
    },
  });

  sink.register({
    name: "mainwp/disconnect-site-v1",
    label: "Disconnect MainWP Site",
    description: "Marks a site as disconnected on the dashboard; reconnect it to manage it again.",
    category: "mainwp-sites",
    input: siteOnly,
    output: z.object({ disconnected: z.boolean(), site: SiteFull }),
    annotations: ACT,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const site = await siteOf(ctx, input);
      const stored = (await markSiteDisconnected(ctx, site)) ?? site;
      return { disconnected: true, site: await fullSite(ctx, stored) };
    },
  });

  for (const [verb, value] of [["suspend", 1], ["unsuspend", 0]] as const) {
    sink.register({
      name: `mainwp/${verb}-site-v1`,
      label: value ? "Suspend MainWP Site" : "Unsuspend MainWP Site",
      description: value
        ? "Suspends a site: it stays on the dashboard but is left out of syncs and updates."
        : "Lifts a site's suspension so it is synced and updated again.",
      category: "mainwp-sites",
      input: siteOnly,
      output: z.object({ [`${verb}ed`]: z.boolean(), site: SiteFull }),
      annotations: ACT,
      permission: basePermission,
      execute: async ({ ctx, input }) => {
        const site = await siteOf(ctx, input);
        const stored = (await setSiteSuspended(ctx, site, value, { alwaysFire: true })).site;
        return { [`${verb}ed`]: true, site: await fullSite(ctx, stored) };
      },
    });
  }

  sink.register({
    name: "mainwp/check-site-v1",
    label: "Check MainWP Site",
    description: "Checks whether a site answers over HTTP and stores the result as its online status.",
    category: "mainwp-sites",
    input: siteOnly,
    output: z.object({
      site_id: z.int(),
      response_time: z.number(),
      checked: z.boolean(),
      site: SiteRef,
      status: z.object({ online: z.boolean(), http_code: z.int(), response_time: z.number() }),
    }),
    annotations: ACT,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const site = await siteOf(ctx, input);
      const started = performance.now();
      let result;
      try {
        result = await checkSite(ctx, site);
      } catch (error) {
        if (!(error instanceof ChildUnavailable)) throw error;
        throw restError("mainwp_check_failed", error.childError.message, 503);
      }
      const seconds = Math.round((performance.now() - started) / 10) / 100;
      return {
        site_id: site.id,
        response_time: seconds,
        checked: true,
        site: siteRef3(result.site),
        status: { online: result.online, http_code: result.httpCode, response_time: seconds },
      };
    },
  });

  for (const [verb, noun] of [["activate", "activated"], ["deactivate", "deactivated"]] as const) {
    const name = `mainwp/${verb}-site-plugins-v1`;
    sink.register({
      name,
      label: verb === "activate" ? "Activate Site Plugins" : "Deactivate Site Plugins",
      description: `${
        verb === "activate" ? "Activates" : "Deactivates"
      } plugins on a site, one by one; each plugin succeeds or fails on its own.`,
      category: "mainwp-sites",
      input: z.looseObject({
        site_id_or_domain: siteIdOrDomain,
        plugins: z.array(z.string()).min(1).describe(
          `Plugins to ${verb}, by slug (folder/main file), e.g. ["akismet/akismet.php"]. At least one.`,
        ),
      }),
      output: z.object({ [noun]: z.array(ItemObject), errors: z.array(SlugError) }),
      annotations: ACT,
      permission: basePermission,
      execute: async ({ ctx, input }) => {
        const site = await childSiteOf(ctx, input);
        const done = [];
        const errors = [];
        for (const slug of input.plugins) {
          let result;
          try {
            result = await pluginAction(ctx, site, verb, [slug]);
          } catch (error) {
            if (error instanceof ChildUnavailable) throw callbackException(name);
            throw error;
          }
          if (result.acted) done.push(slugItem(slug, verb === "activate"));
          else {
            errors.push({
              slug,
              code: verb === "activate" ? "mainwp_activation_failed" : "mainwp_deactivation_failed",
              message: verb === "activate" ? "Activation failed" : "Deactivation failed",
            });
          }
        }
        return { [noun]: done, errors };
      },
    });
  }

  for (const kind of ["plugins", "themes"] as const) {
    const singular = kind === "plugins" ? "Plugin" : "Theme";
    const name = `mainwp/delete-site-${kind}-v1`;
    sink.register({
      name,
      label: `Delete Site ${singular}s`,
      description:
        `Deletes ${kind} from a site, one by one. A dry run lists what would go, from the last sync.`,
      category: "mainwp-sites",
      input: deleteItemsInput(kind),
      output: z.object({
        dry_run: z.boolean(),
        would_affect: z.array(ItemObject).optional(),
        deleted: z.array(ItemObject).optional(),
        count: z.int(),
        warnings: z.array(z.string()),
        errors: z.array(SlugError).optional(),
      }),
      annotations: {
        readonly: false,
        destructive: true,
        idempotent: false,
        instructions: `${DESTRUCTIVE_RULE} The ${kind} are removed from the child site for good.`,
      },
      permission: basePermission,
      execute: async ({ ctx, input }) => {
        const q = input;
        assertNotBoth(q, "Cannot specify both dry_run and confirm.");
        const site = await childSiteOf(ctx, input);
        const slugs = q[kind].map((s) => s.trim()).filter((s) => s !== "");
        if (slugs.length === 0) throw restError("mainwp_invalid_input", `No ${kind} specified.`, 400);
        if (q.dry_run) {
          const active = await activeSlugs(ctx, site, kind);
          return {
            dry_run: true,
            would_affect: slugs.map((slug) => slugItem(slug, false)),
            count: slugs.length,
            warnings: slugs.filter((slug) => active.has(slug)).map((slug) =>
              kind === "plugins"
                ? `Plugin ${slug} is currently active.`
                : `Theme ${slug} is the currently active theme.`
            ),
          };
        }
        if (!q.confirm) {
          throw restError(
            "mainwp_confirmation_required",
            "Deletion requires confirm parameter to be true.",
            400,
          );
        }
        const deleted = [];
        const errors = [];
        for (const slug of slugs) {
          let ok: boolean;
          let message = "Deletion failed";
          try {
            if (kind === "plugins") ok = (await pluginAction(ctx, site, "delete", [slug])).acted;
            else {
              const result = await themeAction(ctx, site, "delete", [slug]);
              ok = result.acted && result.refusedActive === null;
              if (result.refusedActive !== null) {
                message = `The theme ${escHtml(result.refusedActive)} is active.`;
              }
            }
          } catch (error) {
            if (error instanceof ChildUnavailable) throw callbackException(name);
            throw error;
          }
          if (ok) deleted.push(slugItem(slug, false));
          else errors.push({ slug, code: "mainwp_deletion_failed", message });
        }
        return { dry_run: false, deleted, count: deleted.length, errors, warnings: [] };
      },
    });
  }

  sink.register({
    name: "mainwp/activate-site-theme-v1",
    label: "Activate Site Theme",
    description: "Switches a site to another installed theme.",
    category: "mainwp-sites",
    input: z.looseObject({
      site_id_or_domain: siteIdOrDomain,
      theme: z.string().describe('Slug (folder name) of an installed theme, e.g. "twentytwentyfour".'),
    }),
    output: z.object({ activated: z.boolean(), theme: ItemObject }),
    annotations: ACT,
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const site = await childSiteOf(ctx, input);
      const theme = input.theme.trim();
      if (theme === "") throw restError("mainwp_invalid_input", "Theme slug is required.", 400);
      let result;
      try {
        result = await themeAction(ctx, site, "activate", [theme]);
      } catch (error) {
        if (!(error instanceof ChildUnavailable)) throw error;
        throw restError("mainwp_activation_failed", childErrorMessage(error.childError), 500);
      }
      if (!result.acted) {
        throw restError("mainwp_activation_failed", `The theme ${theme} could not be activated.`, 500);
      }
      // MainWP reports the theme it just activated with `active: false` (abilities.md §6.20).
      return { activated: true, theme: slugItem(theme, false) };
    },
  });
}
