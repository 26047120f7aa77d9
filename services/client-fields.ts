/**
 * @module
 * Custom client fields (`/clients/fields…`): listing with MainWP's paging (page 1 / 20 per page, the
 * page clamped to the last one), create, rename/describe and delete. Failures are WordPress errors
 * (`RestError`) with MainWP's codes and messages; where MainWP answers HTTP 500 for plain bad input,
 * these use 4xx (see COMPATIBILITY.md).
 *
 * @example
 * ```ts
 * const field = await addClientField(ctx, { name: "VAT", description: "VAT number" });
 * clientFieldView(field); // { name: "VAT", field_id: "1", description: "VAT number" }
 * ```
 */
import type { AppContext } from "../lib/context.ts";
import { restError } from "../rest/errors.ts";
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

/** A field as the REST API shows it (strings; key order as MainWP's schema). */
export interface ClientFieldView {
  name: string;
  field_id: string;
  description: string;
}

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

/** Codes and messages MainWP answers with. */
export const CLIENT_FIELD_ERRORS = {
  emptyBody: ["empty_body", "Request body is empty."],
  emptyName: ["empty_name", "Name and description are required."],
  createFailed: ["create_field_failed", "Create client field failed."],
  invalidField: ["invalid_field_id", "Invalid client field."],
  updateFailed: ["update_field_failed", "Field already exists, try different field name."],
  deleteFailed: ["delete_field_failed", "Delete client field failed."],
} as const;

/** Fields per page when the request gives none. */
export const DEFAULT_FIELDS_PER_PAGE = 20;

/**
 * The REST view of a field.
 *
 * @example
 * ```ts
 * clientFieldView({ field_id: 3, field_name: "VAT", field_desc: "VAT number", client_id: 0 });
 * // { name: "VAT", field_id: "3", description: "VAT number" }
 * ```
 */
export function clientFieldView(f: ClientFieldRecord): ClientFieldView {
  return { name: f.field_name, field_id: String(f.field_id), description: f.field_desc };
}

/**
 * Finds a field by id (all digits) or by name (case-insensitive; `[`/`]` ignored, as MainWP's token
 * lookup does).
 *
 * @example
 * ```ts
 * await findClientField(ctx, "3");
 * await findClientField(ctx, "VAT");
 * ```
 */
export async function findClientField(ctx: AppContext, idOrName: string): Promise<ClientFieldRecord | null> {
  const value = sanitizeTextField(idOrName);
  if (value === "") return null;
  if (/^\d+$/.test(value)) return await getClientField(ctx.kv, Number(value));
  return await findClientFieldByName(ctx.kv, value.replace(/[[\]]/g, ""));
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
  ctx: AppContext,
  q: ClientFieldListQuery = {},
): Promise<ClientFieldPage> {
  const search = (q.search ?? "").trim().toLowerCase();
  const rows = (await listClientFields(ctx.kv))
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
 * Creates a general field. Throws 400 `empty_name` when the name or description is empty (after
 * sanitising), 400 `create_field_failed` when the name is taken.
 *
 * @example
 * ```ts
 * await addClientField(ctx, { name: "VAT", description: "VAT number" });
 * ```
 */
export async function addClientField(
  ctx: AppContext,
  input: { name?: unknown; description?: unknown },
): Promise<ClientFieldRecord> {
  const name = sanitizeTextField(input.name);
  const desc = sanitizeTextField(input.description);
  if (name === "" || desc === "") throw restError(...CLIENT_FIELD_ERRORS.emptyName, 400);
  const result = await createClientField(ctx.kv, { field_name: name, field_desc: desc });
  if ("name_taken" in result) throw restError(...CLIENT_FIELD_ERRORS.createFailed, 400);
  return result.field;
}

/**
 * Renames and/or re-describes a field; an absent or empty value keeps the old one. Throws 404
 * `invalid_field_id` for an unknown field, 400 `update_field_failed` when the new name is taken.
 *
 * @example
 * ```ts
 * await editClientField(ctx, "VAT", { description: "EU VAT number" });
 * ```
 */
export async function editClientField(
  ctx: AppContext,
  idOrName: string,
  input: { name?: unknown; description?: unknown },
): Promise<ClientFieldRecord> {
  const field = await findClientField(ctx, idOrName);
  if (!field) throw restError(...CLIENT_FIELD_ERRORS.invalidField, 404);
  const name = sanitizeTextField(input.name);
  const desc = sanitizeTextField(input.description);
  const result = await updateClientField(ctx.kv, field.field_id, (f) => ({
    ...f,
    field_name: name !== "" ? name : f.field_name,
    field_desc: desc !== "" ? desc : f.field_desc,
  }));
  if (result === null) throw restError(...CLIENT_FIELD_ERRORS.invalidField, 404);
  if ("name_taken" in result) throw restError(...CLIENT_FIELD_ERRORS.updateFailed, 400);
  return result.field;
}

/**
 * Deletes a field (its values are no longer read). Throws 404 `invalid_field_id` for an unknown field.
 *
 * @example
 * ```ts
 * await removeClientField(ctx, "3");
 * ```
 */
export async function removeClientField(ctx: AppContext, idOrName: string): Promise<ClientFieldRecord> {
  const field = await findClientField(ctx, idOrName);
  if (!field) throw restError(...CLIENT_FIELD_ERRORS.invalidField, 404);
  const removed = await deleteClientField(ctx.kv, field.field_id);
  if (!removed) throw restError(...CLIENT_FIELD_ERRORS.invalidField, 404);
  return removed;
}
