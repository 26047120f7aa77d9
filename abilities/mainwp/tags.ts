/**
 * @module
 * MainWP's tag abilities (abilities.md §2.5, 52–58): list, get, add, update, delete (confirm / dry_run),
 * and a tag's sites and clients. They use the same store and view code as the `/tags` REST routes.
 *
 * @example
 * ```ts
 * registerTagAbilities(ctx.abilities);
 * ```
 */
import { z } from "zod";
import { restError } from "../../rest/errors.ts";
import type { AbilitySink } from "./index.ts";
import { basePermission } from "./permissions.ts";
import {
  createTag,
  deleteTag,
  findTagByName,
  getTag,
  listTags,
  type TagRecord,
  tagSiteIds,
  updateTag,
} from "../../store/tags.ts";
import { getClients } from "../../store/clients.ts";
import { getSites, type SiteRecord } from "../../store/sites.ts";
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

const decode = (s: string) =>
  s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&#039;", "'")
    .replaceAll("&amp;", "&");

async function tagObject(kv: Deno.Kv, tag: TagRecord) {
  const ids = (await tagSiteIds(kv, tag.id)).sort((a, b) => a - b);
  return {
    id: tag.id,
    name: decode(tag.name),
    color: tag.color || null,
    sites_count: ids.length,
    sites_ids: ids,
  };
}

function tagNotFound(id: number) {
  return restError("mainwp_tag_not_found", `No tag found with ID ${id}.`, 404);
}

async function existingTag(kv: Deno.Kv, id: number): Promise<TagRecord> {
  const tag = await getTag(kv, id);
  if (!tag) throw tagNotFound(id);
  return tag;
}

function alreadyExists(name: string) {
  return restError("mainwp_already_exists", `A tag with name "${name}" already exists.`, 400);
}

function paginate<T>(items: T[], page: number, perPage: number) {
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    page,
    per_page: perPage,
    total: items.length,
  };
}

async function sitesOfTag(kv: Deno.Kv, id: number): Promise<SiteRecord[]> {
  const sites = await getSites(kv, await tagSiteIds(kv, id));
  return sites.sort((a, b) => a.url.localeCompare(b.url));
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
      const search = q.search.toLowerCase();
      const tags = (await listTags(ctx.kv))
        .filter((t) => !q.include?.length || q.include.includes(t.id))
        .filter((t) => !q.exclude?.includes(t.id))
        .filter((t) =>
          !search || decode(t.name).toLowerCase().includes(search) || String(t.id).includes(search)
        )
        .sort((a, b) => decode(a.name).localeCompare(decode(b.name)));
      const objects = await Promise.all(tags.map((t) => tagObject(ctx.kv, t)));
      return paginate(objects, q.page, q.per_page);
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
    execute: async ({ ctx, input }) => tagObject(ctx.kv, await existingTag(ctx.kv, input.tag_id)),
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
    execute: async ({ ctx, input }) => {
      const { name, color } = input;
      if (await findTagByName(ctx.kv, escHtml(name))) throw alreadyExists(name);
      const tag = await createTag(ctx.kv, { name: escHtml(name), color: color ?? "" });
      await ctx.hooks.doAction("mainwp_added_new_group", tag.id, tag.name);
      await ctx.hooks.doAction("mainwp_site_tag_action", tag, "created");
      return tagObject(ctx.kv, tag);
    },
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
      await existingTag(ctx.kv, tag_id);
      if (name !== undefined) {
        const other = await findTagByName(ctx.kv, escHtml(name));
        if (other && other.id !== tag_id) throw alreadyExists(name);
      }
      const tag = await updateTag(ctx.kv, tag_id, {
        ...(name !== undefined ? { name: escHtml(name) } : {}),
        ...(color !== undefined ? { color } : {}),
      });
      if (!tag) throw tagNotFound(tag_id);
      await ctx.hooks.doAction("mainwp_site_tag_action", tag, "updated");
      return tagObject(ctx.kv, tag);
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
      if (confirm && dry_run) {
        throw restError("mainwp_invalid_input", "Cannot specify both dry_run and confirm.", 400);
      }
      const tag = await existingTag(ctx.kv, tag_id);
      if (dry_run) {
        const sites = await sitesOfTag(ctx.kv, tag_id);
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
      const deleted = await deleteTag(ctx.kv, tag_id);
      if (!deleted) throw restError("mainwp_operation_failed", "Failed to delete tag.", 500);
      await ctx.hooks.doAction("mainwp_site_tag_action", deleted, "deleted");
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
      await existingTag(ctx.kv, q.tag_id);
      const sites = (await sitesOfTag(ctx.kv, q.tag_id)).map(siteBasicObject);
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
      await existingTag(ctx.kv, q.tag_id);
      const ids = [
        ...new Set((await sitesOfTag(ctx.kv, q.tag_id)).map((s) => s.client_id).filter((c) => c > 0)),
      ];
      const clients = (await getClients(ctx.kv, ids)).map(clientAbilityObject);
      return paginate(clients, q.page, q.per_page);
    },
  });
}
