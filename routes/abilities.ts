/**
 * @module
 * The WordPress Abilities API routes, `/wp-json/wp-abilities/v1` (abilities.md §1): list (paginated,
 * `X-WP-Total` / `X-WP-TotalPages` / `Link`), one ability, categories, one category, and `/run`
 * (registered before the single-ability route, as WordPress does).
 *
 * @example
 * ```ts
 * registerAbilityRoutes(rest);
 * ```
 */
import { z } from "zod";
import { opt } from "../rest/args.ts";
import { RestError, restError } from "../rest/errors.ts";
import { READABLE, type RestRequest, RestResponse, type RestServer } from "../rest/server.ts";
import { type Ability, type AbilityCategory, expectedMethod } from "../abilities/registry.ts";
import { runAbility } from "../abilities/run.ts";

const NS = "wp-abilities/v1";
const listArgs = z.looseObject({ page: opt(), per_page: opt(), category: opt(), context: opt() });

function outOfBounds(param: string, message: string): RestError {
  return restError("rest_invalid_param", `Invalid parameter(s): ${param}`, 400, {
    params: { [param]: message },
    details: { [param]: { code: "rest_out_of_bounds", message, data: null } },
  });
}

/** Page and page size of a list request (`page` ≥ 1, `per_page` 1–100, default 50). */
function paging(req: RestRequest): { page: number; perPage: number } {
  const page = req.params.page === undefined ? 1 : Number(req.params.page);
  const perPage = req.params.per_page === undefined ? 50 : Number(req.params.per_page);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    throw outOfBounds("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)");
  }
  if (!Number.isInteger(page) || page < 1) {
    throw outOfBounds("page", "page must be greater than or equal to 1");
  }
  return { page, perPage };
}

function base(req: RestRequest): string {
  return `${req.ctx.config.publicUrl}/wp-json/${NS}`;
}

/** A paginated list answer with WordPress's headers and `Link` relations. */
function paginated<T>(
  req: RestRequest,
  path: string,
  items: T[],
  page: number,
  perPage: number,
): RestResponse {
  const total = items.length;
  const pages = Math.ceil(total / perPage);
  const headers: Record<string, string> = { "X-WP-Total": String(total), "X-WP-TotalPages": String(pages) };
  const link = (n: number) => {
    const url = new URL(`${base(req)}${path}`);
    for (const [k, v] of req.url.searchParams) url.searchParams.append(k, v);
    url.searchParams.set("page", String(n));
    return url.href;
  };
  const links = [];
  if (page > 1 && page <= pages + 1) links.push(`<${link(page - 1)}>; rel="prev"`);
  if (page < pages) links.push(`<${link(page + 1)}>; rel="next"`);
  if (links.length) headers["Link"] = links.join(", ");
  return new RestResponse(items.slice((page - 1) * perPage, page * perPage), 200, undefined, headers);
}

/**
 * An ability as the API shows it (`context=embed`: name, label and category only).
 *
 * @example
 * ```ts
 * abilityObject(req, ability, "view");
 * ```
 */
export function abilityObject(req: RestRequest, ability: Ability, context: string): Record<string, unknown> {
  if (context === "embed") return { name: ability.name, label: ability.label, category: ability.category };
  const a = ability.annotations ?? {};
  return {
    name: ability.name,
    label: ability.label,
    description: ability.description,
    category: ability.category,
    input_schema: ability.inputSchema ?? [],
    output_schema: ability.outputSchema ?? [],
    meta: {
      annotations: {
        readonly: a.readonly ?? false,
        destructive: a.destructive ?? false,
        idempotent: a.idempotent ?? false,
        instructions: a.instructions ?? "",
      },
      show_in_rest: true,
    },
    _links: {
      self: [{
        href: `${base(req)}/abilities/${ability.name}`,
        targetHints: { allow: [expectedMethod(ability.annotations)] },
      }],
      collection: [{ href: `${base(req)}/abilities` }],
      "wp:action-run": [{ href: `${base(req)}/abilities/${ability.name}/run` }],
    },
  };
}

function categoryObject(req: RestRequest, category: AbilityCategory): Record<string, unknown> {
  return {
    slug: category.slug,
    label: category.label,
    description: category.description,
    meta: [],
    _links: {
      self: [{ href: `${base(req)}/categories/${category.slug}`, targetHints: { allow: ["GET"] } }],
      collection: [{ href: `${base(req)}/categories` }],
      abilities: [{ href: `${base(req)}/abilities?category=${category.slug}` }],
    },
  };
}

function visibleAbility(req: RestRequest, name: string): Ability {
  const ability = req.ctx.abilities.get(name);
  if (!ability || ability.showInRest === false) {
    throw restError("rest_ability_not_found", "Ability not found.", 404);
  }
  return ability;
}

function contextOf(req: RestRequest): string {
  const context = String(req.params.context ?? "view");
  if (!["view", "embed", "edit"].includes(context)) {
    throw restError("rest_invalid_param", "Invalid parameter(s): context", 400, {
      params: { context: "context is not one of view, embed, and edit." },
    });
  }
  return context;
}

/** Registers the Abilities API routes. */
export function registerAbilityRoutes(rest: RestServer): void {
  rest.register(NS, "/abilities", {
    methods: READABLE,
    args: listArgs,
    handler: (req) => {
      const { page, perPage } = paging(req);
      const context = contextOf(req);
      const category = req.params.category === undefined
        ? null
        : String(req.params.category).toLowerCase().replace(/[^a-z0-9_-]/g, "");
      const items = req.ctx.abilities.list()
        .filter((a) => a.showInRest !== false && (category === null || a.category === category))
        .map((a) => abilityObject(req, a, context));
      return paginated(req, "/abilities", items, page, perPage);
    },
  });
  rest.register(NS, "/abilities/(?P<name>[a-zA-Z0-9\\-\\/]+?)/run", {
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    permission: () => {},
    handler: (req) => {
      const ability = visibleAbility(req, req.urlParams.name);
      const fromQuery = req.method === "GET" || req.method === "DELETE" || req.method === "HEAD";
      const input = fromQuery ? req.query.input ?? null : (req.json?.input ?? null);
      return runAbility(req.ctx, ability, { method: req.method, input, req });
    },
  });
  rest.register(NS, "/abilities/(?P<name>[a-zA-Z0-9\\-\\/]+)", {
    methods: READABLE,
    args: z.looseObject({ context: opt() }),
    handler: (req) => abilityObject(req, visibleAbility(req, req.urlParams.name), contextOf(req)),
  });
  rest.register(NS, "/categories", {
    methods: READABLE,
    args: listArgs,
    handler: (req) => {
      const { page, perPage } = paging(req);
      const items = req.ctx.abilities.categories().map((c) => categoryObject(req, c));
      return paginated(req, "/categories", items, page, perPage);
    },
  });
  rest.register(NS, "/categories/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)", {
    methods: READABLE,
    handler: (req) => {
      const category = req.ctx.abilities.category(req.urlParams.slug);
      if (!category) throw restError("rest_ability_category_not_found", "Ability category not found.", 404);
      return categoryObject(req, category);
    },
  });
}
