/**
 * @module
 * Custom client fields: find by id or name, list with MainWP's paging (page 1 / 20 per page, the page
 * clamped to the last one), create, rename/describe and delete. Names and descriptions are stored
 * sanitised like WordPress's `sanitize_text_field`; a name is unique (case-insensitively).
 *
 * @example
 * ```ts
 * const field = await addClientField(ctx, { name: "VAT", description: "VAT number" });
 * field.field_id; // 1
 * ```
 */
import type { StoreDeps } from "./deps.ts";
import { Conflict, InvalidInput, NotFound } from "./errors.ts";
import {
  type ClientFieldRecord,
  createClientField,
  deleteClientField,
  findClientFieldByName,
  getClientField,
  listClientFields,
  updateClientField,
} from "../store/client-fields.ts";
import { sanitizeTextField } from "../wp/format.ts";

export type { ClientFieldRecord };

/** Filters and paging of the field list. */
export interface ClientFieldListQuery {
  /** Substring of the name (case-insensitive). */
  search?: string;
  include?: number[];
  exclude?: number[];
  /** Default 1; clamped to the last page. */
  page?: number;
  /** Default 20. */
  per_page?: number;
}

/** One page of fields. */
export interface ClientFieldPage {
  /** Matching fields overall. */
  total: number;
  pages: number;
  /** The page served (after clamping). */
  page: number;
  items: ClientFieldRecord[];
}

/** A field's name and description (raw text; sanitised here). */
export interface ClientFieldInput {
  name?: string;
  description?: string;
}

/** The readable messages of the domain errors thrown here (MainWP's wording). */
export const CLIENT_FIELD_MESSAGES = {
  emptyName: "Name and description are required.",
  createFailed: "Create client field failed.",
  invalidField: "Invalid client field.",
  nameTaken: "Field already exists, try different field name.",
} as const;

/** Fields per page when the caller gives none. */
export const DEFAULT_FIELDS_PER_PAGE = 20;

/**
 * Finds a field by id (all digits) or by name (case-insensitive; `[`/`]` ignored, as MainWP's token
 * lookup does); `null` when none.
 *
 * @example
 * ```ts
 * await findClientField(ctx, "3");
 * await findClientField(ctx, "VAT");
 * ```
 */
export async function findClientField(
  { kv }: StoreDeps,
  idOrName: string,
): Promise<ClientFieldRecord | null> {
  const value = sanitizeTextField(idOrName);
  if (value === "") return null;
  if (/^\d+$/.test(value)) return await getClientField(kv, Number(value));
  return await findClientFieldByName(kv, value.replace(/[[\]]/g, ""));
}

/**
 * The field named by id or name; throws `NotFound` when there is none.
 *
 * @example
 * ```ts
 * await requireClientField(ctx, "VAT");
 * ```
 */
export async function requireClientField(deps: StoreDeps, idOrName: string): Promise<ClientFieldRecord> {
  const field = await findClientField(deps, idOrName);
  if (!field) throw new NotFound("client_field", idOrName, CLIENT_FIELD_MESSAGES.invalidField);
  return field;
}

/**
 * Lists fields ordered by name, filtered and paged (page clamped to the last page).
 *
 * @example
 * ```ts
 * const { total, pages, items } = await listClientFieldPage(ctx, { search: "vat", page: 1, per_page: 20 });
 * ```
 */
export async function listClientFieldPage(
  { kv }: StoreDeps,
  q: ClientFieldListQuery = {},
): Promise<ClientFieldPage> {
  const search = (q.search ?? "").trim().toLowerCase();
  const rows = (await listClientFields(kv))
    .filter((f) => !q.include?.length || q.include.includes(f.field_id))
    .filter((f) => !q.exclude?.includes(f.field_id))
    .filter((f) => search === "" || f.field_name.toLowerCase().includes(search))
    .sort((a, b) => {
      const x = a.field_name.toLowerCase();
      const y = b.field_name.toLowerCase();
      return x < y ? -1 : x > y ? 1 : a.field_id - b.field_id;
    });
  const perPage = q.per_page && q.per_page > 0 ? Math.trunc(q.per_page) : DEFAULT_FIELDS_PER_PAGE;
  const pages = Math.max(1, Math.ceil(rows.length / perPage));
  const page = Math.min(Math.max(1, Math.trunc(q.page ?? 1)), pages);
  return { total: rows.length, pages, page, items: rows.slice((page - 1) * perPage, page * perPage) };
}

/**
 * Creates a general field. Throws `InvalidInput("name")` when the name or description is empty
 * (after sanitising), `Conflict` when the name is taken.
 *
 * @example
 * ```ts
 * await addClientField(ctx, { name: "VAT", description: "VAT number" });
 * ```
 */
export async function addClientField(
  { kv }: StoreDeps,
  input: ClientFieldInput,
): Promise<ClientFieldRecord> {
  const name = sanitizeTextField(input.name);
  const desc = sanitizeTextField(input.description);
  if (name === "" || desc === "") {
    throw new InvalidInput("name", CLIENT_FIELD_MESSAGES.emptyName, "client_field");
  }
  const result = await createClientField(kv, { field_name: name, field_desc: desc });
  if ("name_taken" in result) {
    throw new Conflict("client_field", result.name_taken, CLIENT_FIELD_MESSAGES.createFailed);
  }
  return result.field;
}

/**
 * Renames and/or re-describes a field; an absent or empty value keeps the old one. Throws `NotFound`
 * for an unknown field, `Conflict` when the new name belongs to another field.
 *
 * @example
 * ```ts
 * await editClientField(ctx, "VAT", { description: "EU VAT number" });
 * ```
 */
export async function editClientField(
  deps: StoreDeps,
  idOrName: string,
  input: ClientFieldInput,
): Promise<ClientFieldRecord> {
  const field = await requireClientField(deps, idOrName);
  const name = sanitizeTextField(input.name);
  const desc = sanitizeTextField(input.description);
  const result = await updateClientField(deps.kv, field.field_id, (f) => ({
    ...f,
    field_name: name !== "" ? name : f.field_name,
    field_desc: desc !== "" ? desc : f.field_desc,
  }));
  if (result === null) throw new NotFound("client_field", idOrName, CLIENT_FIELD_MESSAGES.invalidField);
  if ("name_taken" in result) {
    throw new Conflict("client_field", result.name_taken, CLIENT_FIELD_MESSAGES.nameTaken);
  }
  return result.field;
}

/**
 * Deletes a field (its values are no longer read). Throws `NotFound` for an unknown field.
 *
 * @example
 * ```ts
 * await removeClientField(ctx, "3");
 * ```
 */
export async function removeClientField(deps: StoreDeps, idOrName: string): Promise<ClientFieldRecord> {
  const field = await requireClientField(deps, idOrName);
  const removed = await deleteClientField(deps.kv, field.field_id);
  if (!removed) throw new NotFound("client_field", idOrName, CLIENT_FIELD_MESSAGES.invalidField);
  return removed;
}
