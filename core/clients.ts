/**
 * @module
 * Clients: find by id or e-mail, list with filters, add, edit, remove, suspend, and which sites belong
 * to a client. Text is stored sanitised like WordPress's `sanitize_text_field`; on edit an empty value
 * is ignored, so a field cannot be cleared (MainWP's rule). Every change fires `mainwp_client_updated`
 * with the action name.
 *
 * Which sites belong to a client, and assigning them, is `core/clients-sites.ts` (re-exported here).
 *
 * @example
 * ```ts
 * const { client, siteIds } = await addClient(ctx, { name: "ACME", client_email: "ops@acme.test", selected_sites: [3] });
 * ```
 */
import type { HookDeps, StoreDeps } from "./deps.ts";
import { Conflict, InvalidInput, NotFound } from "./errors.ts";
import {
  type ClientRecord,
  clientSiteIds,
  createClient,
  deleteClient,
  findClientByEmail,
  getClient,
  getClients,
  listClients,
  updateClient,
} from "../store/clients.ts";
import { findClientFieldByName, updateClientField } from "../store/client-fields.ts";
import { sanitizeTextField } from "../wp/format.ts";
import { assignClientSites, unassignAllSites } from "./clients-sites.ts";

export type { ClientRecord };
export { assignClientSites, clientSiteIdList, clientSites, countClientSites } from "./clients-sites.ts";

/** The text columns a client may set, in MainWP's order. */
export const CLIENT_TEXT_FIELDS = [
  "name",
  "address_1",
  "address_2",
  "city",
  "zip",
  "state",
  "country",
  "note",
  "client_email",
  "client_phone",
  "client_facebook",
  "client_twitter",
  "client_instagram",
  "client_linkedin",
] as const;

/** One text column of a client. */
export type ClientTextField = typeof CLIENT_TEXT_FIELDS[number];

/** A value for an existing custom client field (by the field's name). */
export interface ClientCustomFieldInput {
  field_name: string;
  field_value: string;
  /** A new description for the field; empty keeps the old one. */
  field_desc?: string;
}

/** What add/edit accept (raw text; sanitised here). */
export type ClientInput = Partial<Record<ClientTextField, string>> & {
  /** Site ids to assign: replaces the client's sites (non-empty lists only). */
  selected_sites?: number[];
  /** Edit only: creation time, unix seconds. */
  created?: number;
  /** Edit only: values of existing custom fields. */
  custom_fields?: ClientCustomFieldInput[];
};

/** A client and the ids of its sites after a write. */
export interface ClientWithSites {
  client: ClientRecord;
  siteIds: number[];
}

/** `suspended` values by status name. */
export const CLIENT_STATUSES: Readonly<Record<string, number>> = {
  active: 0,
  suspended: 1,
  lead: 2,
  lost: 3,
};

/** Filters of the client list. */
export interface ClientListQuery {
  /** Substring of the id, name or e-mail (case-insensitive). */
  search?: string;
  include?: number[];
  exclude?: number[];
  /** Status names (`all`, `active`, `suspended`, `lead`, `lost`); unknown names are ignored. */
  status?: string[];
  /** Paging applies only when both are positive. */
  page?: number;
  per_page?: number;
}

/** The readable messages of the domain errors thrown here (MainWP's wording). */
export const CLIENT_MESSAGES = {
  nameRequired: "Client name field is required! Please enter a Client name.",
  emailExists: "Client email exists. Please try again.",
} as const;

/**
 * Finds a client by id (all digits) or by e-mail address (case-insensitive); `null` when none.
 *
 * @example
 * ```ts
 * await findClient(ctx, "2");
 * await findClient(ctx, "ops@acme.test");
 * ```
 */
export async function findClient(
  { kv }: StoreDeps,
  idOrEmail: string | number,
): Promise<ClientRecord | null> {
  const value = String(idOrEmail).trim();
  if (/^\d+$/.test(value)) return await getClient(kv, Number(value));
  return await findClientByEmail(kv, value);
}

/**
 * Orders clients by name as MySQL's case-insensitive collation does (ties by id).
 *
 * @example
 * ```ts
 * clients.sort(compareClientsByName);
 * ```
 */
export function compareClientsByName(a: ClientRecord, b: ClientRecord): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.client_id - b.client_id;
}

/**
 * Whether a client passes the list filters (everything except paging).
 *
 * @example
 * ```ts
 * matchesClientQuery(client, { status: ["lead"], search: "acme" });
 * ```
 */
export function matchesClientQuery(c: ClientRecord, q: ClientListQuery): boolean {
  if (q.exclude?.includes(c.client_id)) return false;
  const statuses = q.status ?? [];
  if (!statuses.includes("all")) {
    const wanted = statuses.filter((s) => Object.hasOwn(CLIENT_STATUSES, s)).map((s) => CLIENT_STATUSES[s]);
    if (wanted.length > 0 && !wanted.includes(c.suspended)) return false;
  }
  const search = (q.search ?? "").trim().toLowerCase();
  if (search !== "") {
    const hay = [String(c.client_id), c.name, c.client_email].map((s) => s.toLowerCase());
    if (!hay.some((s) => s.includes(search))) return false;
  }
  return true;
}

/**
 * Lists clients: filtered, ordered by name, then paged when both `page` and `per_page` are given.
 *
 * @example
 * ```ts
 * const leads = await listClientRecords(ctx, { status: ["lead"], page: 1, per_page: 20 });
 * ```
 */
export async function listClientRecords({ kv }: StoreDeps, q: ClientListQuery = {}): Promise<ClientRecord[]> {
  const base = q.include && q.include.length > 0 ? await getClients(kv, q.include) : await listClients(kv);
  const rows = base.filter((c) => matchesClientQuery(c, q)).sort(compareClientsByName);
  if (q.page && q.per_page && q.page > 0 && q.per_page > 0) {
    return rows.slice((q.page - 1) * q.per_page, q.page * q.per_page);
  }
  return rows;
}

/**
 * How many clients exist (no filters, as MainWP's count).
 *
 * @example
 * ```ts
 * await countClientRecords(ctx); // 12
 * ```
 */
export async function countClientRecords({ kv }: StoreDeps): Promise<number> {
  return (await listClients(kv)).length;
}

function sanitizedFields(input: ClientInput): Partial<Record<ClientTextField, string>> {
  const out: Partial<Record<ClientTextField, string>> = {};
  for (const field of CLIENT_TEXT_FIELDS) {
    if (input[field] === undefined) continue;
    const value = sanitizeTextField(input[field]);
    if (value !== "") out[field] = value;
  }
  return out;
}

/**
 * Adds a client (`created` = now) and assigns `selected_sites`. Throws `InvalidInput("name")` when the
 * name is empty after sanitising, `Conflict` when another client has the e-mail address.
 *
 * @example
 * ```ts
 * await addClient(ctx, { name: "ACME", city: "Berlin" });
 * ```
 */
export async function addClient(deps: HookDeps, input: ClientInput): Promise<ClientWithSites> {
  const { kv } = deps;
  const fields = sanitizedFields(input);
  if (!fields.name) throw new InvalidInput("name", CLIENT_MESSAGES.nameRequired, "client");
  const result = await createClient(kv, { ...fields, name: fields.name });
  if ("email_taken" in result) throw new Conflict("client", result.email_taken, CLIENT_MESSAGES.emailExists);
  const id = result.client.client_id;
  if (input.selected_sites && input.selected_sites.length > 0) {
    await assignClientSites(deps, id, input.selected_sites);
  }
  const client = (await getClient(kv, id)) ?? result.client;
  await deps.hooks.doAction("mainwp_client_updated", client, "created");
  return { client, siteIds: await clientSiteIds(kv, id) };
}

interface ResolvedCustomField {
  fieldId: number;
  value: string;
  desc: string;
  oldDesc: string;
}

async function resolveCustomFields(
  { kv }: StoreDeps,
  clientId: number,
  custom: ClientCustomFieldInput[],
): Promise<ResolvedCustomField[]> {
  const out: ResolvedCustomField[] = [];
  for (const item of custom) {
    const name = sanitizeTextField(item.field_name).replace(/[[\]]/g, "");
    const value = sanitizeTextField(item.field_value);
    if (name === "" || value === "") continue;
    const field = await findClientFieldByName(kv, name);
    if (!field || (field.client_id !== 0 && field.client_id !== clientId)) continue;
    out.push({
      fieldId: field.field_id,
      value,
      desc: sanitizeTextField(item.field_desc),
      oldDesc: field.field_desc,
    });
  }
  return out;
}

/**
 * Edits a client: non-empty fields overwrite (a field cannot be cleared, as in MainWP), `created`
 * sets the creation time, `custom_fields` set values of existing fields (and their description when
 * given), a non-empty `selected_sites` replaces the client's sites. Throws `NotFound` when the client
 * does not exist, `Conflict` when the new e-mail address belongs to another client (nothing changes).
 *
 * @example
 * ```ts
 * await editClient(ctx, 2, { city: "Hamburg", selected_sites: [3] });
 * ```
 */
export async function editClient(deps: HookDeps, id: number, input: ClientInput): Promise<ClientWithSites> {
  const { kv } = deps;
  const fields = sanitizedFields(input);
  const custom = await resolveCustomFields(deps, id, input.custom_fields ?? []);
  const result = await updateClient(kv, id, (c) => {
    const next: ClientRecord = { ...c, ...fields };
    if (input.created !== undefined && Number.isFinite(input.created)) {
      next.created = Math.trunc(input.created);
    }
    if (custom.length > 0) {
      next.custom_fields = { ...c.custom_fields };
      for (const item of custom) next.custom_fields[String(item.fieldId)] = item.value;
    }
    return next;
  });
  if (result === null) throw new NotFound("client", id);
  if ("email_taken" in result) throw new Conflict("client", result.email_taken, CLIENT_MESSAGES.emailExists);
  for (const item of custom) {
    if (item.desc !== "" && item.desc !== item.oldDesc) {
      await updateClientField(kv, item.fieldId, (f) => ({ ...f, field_desc: item.desc }));
    }
  }
  if (input.selected_sites && input.selected_sites.length > 0) {
    await assignClientSites(deps, id, input.selected_sites);
  }
  const client = (await getClient(kv, id)) ?? result.client;
  await deps.hooks.doAction("mainwp_client_updated", client, "updated");
  return { client, siteIds: await clientSiteIds(kv, id) };
}

/**
 * Removes a client and unassigns its sites (client 0); returns the removed record. Throws `NotFound`
 * when the client does not exist (or was removed meanwhile).
 *
 * @example
 * ```ts
 * await removeClient(ctx, 2);
 * ```
 */
export async function removeClient(deps: HookDeps, id: number): Promise<ClientRecord> {
  const removed = await deleteClient(deps.kv, id);
  if (!removed) throw new NotFound("client", id);
  await unassignAllSites(deps, id);
  await deps.hooks.doAction("mainwp_client_updated", removed, "deleted");
  return removed;
}

/**
 * Suspends (`true`) or reactivates (`false`) a client: `suspended` becomes 1 or 0; the hook fires only
 * when the value changed. Returns the client; throws `NotFound` when it does not exist.
 *
 * @example
 * ```ts
 * await setClientSuspended(ctx, 2, true);
 * ```
 */
export async function setClientSuspended(
  deps: HookDeps,
  id: number,
  suspend: boolean,
): Promise<ClientRecord> {
  const suspended = suspend ? 1 : 0;
  const result = await updateClient(
    deps.kv,
    id,
    (c) => (c.suspended === suspended ? null : { ...c, suspended }),
  );
  // The e-mail address does not change here, so `email_taken` cannot happen; treat it as gone.
  if (result === null || "email_taken" in result) throw new NotFound("client", id);
  if (result.client !== result.previous) {
    await deps.hooks.doAction("mainwp_client_updated", result.client, suspend ? "suspended" : "unsuspended");
  }
  return result.client;
}
