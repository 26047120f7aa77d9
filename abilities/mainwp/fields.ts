/**
 * @module
 * Input properties several MainWP abilities share, each described once for the agents that read the
 * catalogue (the description is part of the JSON Schema `/wp-abilities/v1/abilities` serves), and
 * {@link optionalInput}, the shape of MainWP's `["object","null"]` inputs.
 *
 * @example
 * ```ts
 * z.object({ site_id_or_domain: siteIdOrDomain, confirm, dry_run: dryRun }).strict();
 * ```
 */
import { z } from "zod";

/** One site identifier: numeric ID or domain/URL (list items; the lists carry the description). */
export const siteIdentifier = z.union([z.int(), z.string()]);

/** `site_id_or_domain`: the site an ability acts on. */
export const siteIdOrDomain = siteIdentifier.describe(
  'The site: its numeric ID (e.g. 12) or its domain or URL (e.g. "example.com" or "https://www.example.com/"). A number, also written as text, is an ID.',
);

/**
 * `site_ids_or_domains`: a list of sites; `emptyMeans` says what an empty list (the default) selects.
 *
 * @example
 * ```ts
 * siteIdsOrDomains("An empty list syncs all sites.");
 * ```
 */
export function siteIdsOrDomains(emptyMeans: string) {
  return z.array(siteIdentifier).default([]).describe(
    `Sites by numeric ID or domain/URL, e.g. [12, "example.com"]. ${emptyMeans}`,
  );
}

/** `client_id_or_email`: the client an ability acts on. */
export const clientIdOrEmail = z.union([z.int(), z.string()]).describe(
  'The client: its numeric ID (e.g. 3) or its e-mail address (e.g. "billing@acme.example").',
);

/** `tag_id`: one tag. */
export const tagId = z.int().min(1).describe("Tag ID, a positive integer (e.g. 4); list-tags-v1 shows them.");

/** `page`: 1-based page number. */
export const page = z.int().min(1).default(1).describe("Page number, starting at 1 (default 1).");

/**
 * `per_page`: page size from 1 to `max`, `fallback` by default.
 *
 * @example
 * ```ts
 * perPage(100, 20);
 * ```
 */
export function perPage(max: number, fallback: number) {
  return z.int().min(1).max(max).default(fallback).describe(
    `Items per page, from 1 to ${max} (default ${fallback}).`,
  );
}

/** `confirm` of the destructive abilities. */
export const confirm = z.boolean().default(false).describe(
  "Must be true to really delete. Without it nothing is deleted; send dry_run instead to preview. Default false.",
);

/** `dry_run` of the destructive abilities. */
export const dryRun = z.boolean().default(false).describe(
  "true previews what would be deleted without deleting anything. Do not combine with confirm. Default false.",
);

/** A list of numeric IDs (`what` names them, e.g. "tag IDs"). */
export function idList(what: string, example = "[1, 4]") {
  return z.array(z.int()).describe(`${what}, e.g. ${example}.`);
}

/**
 * MainWP's optional input (`"type": ["object","null"]`): absent or `null` input means the object's
 * defaults, so the execute function always gets the parsed object. `withDefault` adds the top-level
 * `"default": []` the two client list abilities declare.
 *
 * @example
 * ```ts
 * optionalInput(z.object({ page }).strict()); // null → { page: 1 }
 * ```
 */
export function optionalInput<T extends z.ZodObject>(shape: T, withDefault = false) {
  const nullable = withDefault ? shape.nullable().default(null) : shape.nullable();
  return nullable.transform((value): z.output<T> => value ?? shape.parse({}));
}
