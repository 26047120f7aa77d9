/**
 * @module
 * MainWP's tag abilities (abilities.md §2.5, 52–58): list, get, add, update, delete (confirm / dry_run),
 * and a tag's sites and clients: the operations of `core/tags.ts`, in the abilities' own shapes.
 *
 * @example
 * ```ts
 * registerTagAbilities(ctx.abilities);
 * ```
 */
import { z } from "zod";
import { restError } from "../../rest/errors.ts";
import { InvalidInput, NotFound, OperationFailed } from "../../core/errors.ts";
import {
  createTag,
  deleteTag,
  editTag,
  getTag,
  getTagClients,
  getTagSites,
  listTags,
  type TagWithSites,
} from "../../core/tags.ts";
import type { AbilitySink } from "./index.ts";
import { basePermission } from "./permissions.ts";
import { clientAbilityObject, clientOutputSchema, siteBasicObject, siteBasicSchema } from "./objects.ts";
import { confirm, dryRun, idList, optionalInput, page, perPage, tagId } from "./fields.ts";
import { escHtml } from "../../wp/format.ts";

const paging = { page, per_page: perPage(100, 20) };
const tagName = z.string().min(1);
const tagColor = z.string().regex(/^#[0-9A-Fa-f]{6}$/);
const COLOR = 'Colour as "#" and six hex digits, e.g. "#3498db".';
const TagObject = z.object({
  id: z.int(),
  name: z.string(),
  color: z.string().nullable(),
  sites_count: z.int(),
  sites_ids: z.array(z.int()),
});
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.int(), per_page: z.int(), total: z.int() });

/** A stored (HTML-escaped) name as text. */
const decode = (s: string) =>
  s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&#039;", "'")
    .replaceAll("&amp;", "&");

/** The abilities' tag object: numbers as numbers, the name as text, no colour as `null`. */
function tagObject({ tag, siteIds }: TagWithSites) {
  return {
    id: tag.id,
    name: decode(tag.name),
    color: tag.color || null,
    sites_count: siteIds.length,
    sites_ids: [...siteIds],
  };
}

function paginate<T>(items: T[], page: number, perPage: number) {
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    page,
    per_page: perPage,
    total: items.length,
  };
}

const READ = { readonly: true, destructive: false, idempotent: true, instructions: "" };

/**
 * Registers the seven tag abilities, in MainWP's order.
 *
 * @example
 * ```ts
 * registerTagAbilities(registry);
 * ```
 */
export function registerTagAbilities(registry: AbilitySink): void {
  registry.register({
    name: "mainwp/list-tags-v1",
    label: "List MainWP Tags",
    description: "Lists tags, ordered by name, with the sites each tags.",
    category: "mainwp-tags",
    input: optionalInput(
      z.object({
        ...paging,
        search: z.string().default("").describe(
          'Text matched against tag names and IDs, e.g. "vip". Empty (default) matches all.',
        ),
        include: idList("Only these tag IDs").optional(),
        exclude: idList("Leave out these tag IDs").optional(),
      }).strict(),
    ),
    output: pageOf(TagObject),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input: q }) => {
      // Names are stored escaped, so the search text is escaped the same way to match them.
      const tags = await listTags(ctx, { include: q.include, exclude: q.exclude, search: escHtml(q.search) });
      return paginate(tags.map(tagObject), q.page, q.per_page);
    },
  });
  registry.register({
    name: "mainwp/get-tag-v1",
    label: "Get MainWP Tag",
    description: "Returns one tag by ID.",
    category: "mainwp-tags",
    input: z.object({ tag_id: tagId }).strict(),
    output: TagObject,
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input }) => tagObject(await getTag(ctx, input.tag_id)),
  });
  registry.register({
    name: "mainwp/add-tag-v1",
    label: "Add MainWP Tag",
    description: "Creates a tag; names are unique.",
    category: "mainwp-tags",
    input: z.object({
      name: tagName.describe('Name of the new tag, e.g. "VIP clients". Must not be taken by another tag.'),
      color: tagColor.optional().describe(COLOR),
    }).strict(),
    output: TagObject,
    annotations: { readonly: false, destructive: false, idempotent: false, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input }) => tagObject({ tag: await createTag(ctx, input, "refuse"), siteIds: [] }),
  });
  registry.register({
    name: "mainwp/update-tag-v1",
    label: "Update MainWP Tag",
    description: "Renames a tag or changes its colour.",
    category: "mainwp-tags",
    input: z.object({
      tag_id: tagId,
      name: tagName.optional().describe('New name, e.g. "VIP clients"; absent keeps the current one.'),
      color: tagColor.optional().describe(`${COLOR} Absent keeps the current colour.`),
    }).strict(),
    output: TagObject,
    annotations: { readonly: false, destructive: false, idempotent: true, instructions: "" },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const { tag_id, name, color } = input;
      await editTag(ctx, tag_id, { name, color }, "refuse");
      return tagObject(await getTag(ctx, tag_id));
    },
  });
  registry.register({
    name: "mainwp/delete-tag-v1",
    label: "Delete MainWP Tag",
    description: "Deletes a tag and unlinks it from its sites.",
    category: "mainwp-tags",
    input: z.object({
      tag_id: tagId,
      confirm,
      dry_run: dryRun,
    }).strict(),
    output: z.union([
      z.object({ deleted: z.boolean(), tag: z.object({ id: z.int(), name: z.string() }) }),
      z.object({
        dry_run: z.boolean(),
        would_affect: z.object({
          id: z.int(),
          name: z.string(),
          sites_count: z.int(),
          clients_count: z.int(),
        }),
        warnings: z.array(z.string()),
      }),
    ]),
    annotations: {
      readonly: false,
      destructive: true,
      idempotent: true,
      instructions:
        "Destructive: send confirm:true to delete, or dry_run:true to see what would be affected. Only delete when the user asked for it.",
    },
    permission: basePermission,
    execute: async ({ ctx, input }) => {
      const { tag_id, confirm, dry_run } = input;
      if (confirm && dry_run) throw new InvalidInput("confirm", "Cannot specify both dry_run and confirm.");
      const { tag } = await getTag(ctx, tag_id);
      if (dry_run) {
        const sites = await getTagSites(ctx, tag_id);
        const clients = new Set(sites.map((s) => s.client_id).filter((c) => c > 0));
        return {
          dry_run: true,
          would_affect: {
            id: tag.id,
            name: decode(tag.name),
            sites_count: sites.length,
            clients_count: clients.size,
          },
          warnings: [],
        };
      }
      if (!confirm) {
        throw restError(
          "mainwp_confirmation_required",
          "Tag deletion requires confirmation. Set confirm:true to proceed.",
          400,
        );
      }
      const deleted = await deleteTag(ctx, tag_id).catch((error) => {
        // Gone between the lookup and the delete: MainWP reports a failed delete, not a missing tag.
        throw error instanceof NotFound ? new OperationFailed("tag.delete", "Failed to delete tag.") : error;
      });
      return { deleted: true, tag: { id: deleted.id, name: decode(deleted.name) } };
    },
  });
  registry.register({
    name: "mainwp/get-tag-sites-v1",
    label: "Get MainWP Tag Sites",
    description: "Lists the sites a tag is on.",
    category: "mainwp-tags",
    input: z.object({ tag_id: tagId, ...paging }).strict(),
    output: pageOf(siteBasicSchema),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input: q }) => {
      const sites = (await getTagSites(ctx, q.tag_id)).map(siteBasicObject);
      return paginate(sites, q.page, q.per_page);
    },
  });
  registry.register({
    name: "mainwp/get-tag-clients-v1",
    label: "Get MainWP Tag Clients",
    description: "Lists the clients owning sites a tag is on.",
    category: "mainwp-tags",
    input: z.object({ tag_id: tagId, ...paging }).strict(),
    output: pageOf(clientOutputSchema),
    annotations: READ,
    permission: basePermission,
    execute: async ({ ctx, input: q }) => {
      const clients = (await getTagClients(ctx, q.tag_id)).map(clientAbilityObject);
      return paginate(clients, q.page, q.per_page);
    },
  });
}
