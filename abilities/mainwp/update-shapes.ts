/**
 * @module
 * Schemas of MainWP's update abilities: their inputs, every property described for agents, and the
 * output shapes (update items, run results, queued answers, ignore results).
 *
 * @example
 * ```ts
 * const { site_ids_or_domains, types } = listUpdatesInput.parse({}); // [], []
 * ```
 */
import { z } from "zod";
import { UPDATE_TYPES } from "../../core/updates/items.ts";
import { optionalInput, page, perPage, siteIdOrDomain, siteIdsOrDomains } from "./fields.ts";

const TYPES_TEXT = '"core", "plugins", "themes" and "translations"';

/** A list of update types; `what` says what the list selects and what empty means. */
const typeList = (what: string) => z.array(z.enum(UPDATE_TYPES)).describe(`${what} Types: ${TYPES_TEXT}.`);

/** Input of list-updates-v1. */
export const listUpdatesInput = optionalInput(
  z.object({
    site_ids_or_domains: siteIdsOrDomains("An empty list (the default) means every site."),
    types: typeList('Update types to list, e.g. ["plugins"]; an empty list (the default) lists all.').default(
      [],
    ),
    page,
    per_page: perPage(200, 50),
  }).strict(),
);

/** Input of run-updates-v1. */
export const runUpdatesInput = optionalInput(
  z.object({
    site_ids_or_domains: siteIdsOrDomains(
      "An empty list (the default) means every site with pending updates.",
    ),
    types: typeList("Update types to apply; an empty list (the default) applies all.").default([]),
    specific_items: z.array(z.string()).default([]).describe(
      'Only these items, by slug, e.g. ["akismet/akismet.php", "twentytwentyfour"] ("wordpress" for core). An empty list (the default) applies every pending item of the chosen types.',
    ),
  }).strict(),
);

/** Input of list-ignored-updates-v1. */
export const listIgnoredInput = optionalInput(
  z.object({
    site_ids_or_domains: siteIdsOrDomains("An empty list (the default) means every site."),
    types: z.array(z.enum(["core", "plugins", "themes"])).default([]).describe(
      'Ignored update types to list: "core", "plugins" and "themes"; an empty list (the default) lists all.',
    ),
  }).strict(),
);

/** Input of set-ignored-updates-v1. */
export const setIgnoredInput = z.object({
  action: z.enum(["ignore", "unignore"]).describe(
    '"ignore" adds the item to the site\'s ignore list (every version); "unignore" removes it.',
  ),
  site_id_or_domain: siteIdOrDomain,
  type: z.enum(["core", "plugin", "theme"]).describe('What kind of item: "core", "plugin" or "theme".'),
  slug: z.string().describe(
    'Slug of the item, e.g. "akismet/akismet.php" for a plugin or "twentytwentyfour" for a theme; "wordpress" for core.',
  ),
}).strict();

/** Input of get-site-updates-v1. */
export const siteUpdatesInput = z.object({
  site_id_or_domain: siteIdOrDomain,
  types: typeList("Update types to return; by default all four.").default([...UPDATE_TYPES]),
}).strict();

/** Input of update-site-core-v1. */
export const siteCoreInput = z.object({ site_id_or_domain: siteIdOrDomain }).strict();

/** Input of update-site-plugins/themes/translations-v1. */
export function siteItemsUpdateInput(kind: "plugins" | "themes" | "translations") {
  const example = kind === "plugins"
    ? '["akismet/akismet.php"]'
    : kind === "themes"
    ? '["twentytwentyfour"]'
    : '["woocommerce"]';
  return z.object({
    site_id_or_domain: siteIdOrDomain,
    slugs: z.array(z.string()).default([]).describe(
      `Only update these ${kind}, by slug, e.g. ${example}. An empty list (the default) updates every pending one.`,
    ),
  }).strict();
}

/** `action` of the ignore-site-* abilities. */
const ignoreAction = z.enum(["add", "remove"]).default("add").describe(
  '"add" (default) ignores the updates; "remove" stops ignoring them.',
);

/** Input of ignore-site-core-v1. */
export const ignoreCoreInput = z.object({ site_id_or_domain: siteIdOrDomain, action: ignoreAction }).strict();

/** Input of ignore-site-plugins/themes-v1. */
export function ignoreItemsInput(kind: "plugins" | "themes") {
  return z.object({
    site_id_or_domain: siteIdOrDomain,
    slugs: z.array(z.string()).describe(
      `The ${kind} whose updates to ignore (or unignore), by slug, e.g. ${
        kind === "plugins" ? '["akismet/akismet.php"]' : '["twentytwentyfour"]'
      }.`,
    ),
    action: ignoreAction,
  }).strict();
}

/** Input of update-all-v1. */
export const updateAllInput = optionalInput(
  z.object({
    site_ids_or_domains: siteIdsOrDomains("An empty list (the default) means every site."),
    types: typeList(
      "Update types to apply; by default all four. An explicit empty list applies none.",
    ).default([...UPDATE_TYPES]),
  }).strict(),
);

// Output shapes

export const ItemOfSite = z.object({
  site_id: z.int(),
  site_url: z.string(),
  site_name: z.string(),
  type: z.string(),
  slug: z.string(),
  name: z.string(),
});
export const UpdateItemSchema = ItemOfSite.extend({ current_version: z.string(), new_version: z.string() });
export const UpdatedItemSchema = ItemOfSite.extend({ old_version: z.string(), new_version: z.string() });
export const ErrorItemSchema = z.looseObject({
  site_id: z.int(),
  site_url: z.string(),
  type: z.string(),
  slug: z.string(),
  code: z.string(),
  message: z.string(),
});
export const Summary = z.object({
  core: z.int(),
  plugins: z.int(),
  themes: z.int(),
  translations: z.int(),
  total: z.int(),
});
export const RunSummary = z.object({ total_updated: z.int(), total_errors: z.int(), sites_updated: z.int() });
export const RunOutput = z.object({
  updated: z.array(UpdatedItemSchema),
  errors: z.array(ErrorItemSchema),
  summary: RunSummary,
});
export const QueuedOutput = z.object({
  queued: z.literal(true),
  job_id: z.string(),
  status_url: z.string(),
  updates_queued: z.int(),
  errors: z.array(ErrorItemSchema),
});
export const SiteRunOutput = z.object({
  updated: z.array(UpdatedItemSchema),
  errors: z.array(ErrorItemSchema),
  summary: z.object({ total_updated: z.int(), total_errors: z.int() }),
});
export const IgnoreOutput = z.object({ success: z.boolean(), message: z.string(), ignored_count: z.int() });
