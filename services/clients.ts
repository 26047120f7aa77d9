/**
 * @module
 * Client business logic shared by the REST routes and (later) the Abilities API: listing with MainWP's
 * filters, add/edit with MainWP's field rules (text is sanitised like WordPress's
 * `sanitize_text_field`; on edit, empty values are ignored so a field cannot be cleared), suspend and
 * remove, and the client↔site assignment (`selected_sites`). Every change fires `mainwp_client_updated`
 * with the action name.
 *
 * Site assignment writes each site through `updateSite` (one atomic commit per site, moving the
 * client→sites index with the record); a site is only taken away from this client if it still belongs
 * to it, so concurrent assignments never leave the index and the records disagreeing.
 *
 * @example
 * ```ts
 * const result = await addClient(ctx, { name: "ACME", client_email: "ops@acme.test", selected_sites: [3] });
 * if ("client" in result) console.log(result.client.client_id, result.siteIds);
 * ```
 */
import type { AppContext } from "../lib/context.ts";
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
import { getSites, updateSite } from "../store/sites.ts";
import { sanitizeTextField } from "../wp/format.ts";
import { mapConcurrent } from "../lib/concurrency.ts";

/** The text columns a client request may set, in MainWP's order. */
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

/** A value for a custom client field (`custom_fields` on edit). */
export interface ClientCustomFieldInput {
  field_name: string;
  field_value: string;
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

/** A MainWP "soft" failure (HTTP 200, `success: 0`). */
export interface SoftError {
  error: string;
}

/** `suspended` values by status name (`GET /clients?status=`). */
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

/** Messages MainWP answers with. */
export const CLIENT_MESSAGES = {
  nameRequired: "Client name field is required! Please enter a Client name.",
  addFailed: "Undefined error. Please try again.",
  emailExists: "Client email exists. Please try again.",
} as const;

/** Site writes in flight at once while (un)assigning. */
const ASSIGN_CONCURRENCY = 8;

/**
 * Finds a client by id (all digits) or by e-mail address (case-insensitive).
 *
 * @example
 * ```ts
 * await findClient(ctx, "2");
 * await findClient(ctx, "ops@acme.test");
 * ```
 */
export async function findClient(ctx: AppContext, idOrEmail: string | number): Promise<ClientRecord | null> {
  const value = String(idOrEmail).trim();
  if (/^\d+$/.test(value)) return await getClient(ctx.kv, Number(value));
  return await findClientByEmail(ctx.kv, value);
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
export async function listClientRecords(ctx: AppContext, q: ClientListQuery = {}): Promise<ClientRecord[]> {
  const base = q.include && q.include.length > 0
    ? await getClients(ctx.kv, q.include)
    : await listClients(ctx.kv);
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
export async function countClientRecords(ctx: AppContext): Promise<number> {
  return (await listClients(ctx.kv)).length;
}

/**
 * Ids of a client's sites (staging sites included, as MainWP's `selected_sites`), ascending.
 *
 * @example
 * ```ts
 * await clientSiteIdList(ctx, 2); // [3, 7]
 * ```
 */
export async function clientSiteIdList(ctx: AppContext, clientId: number): Promise<number[]> {
  return await clientSiteIds(ctx.kv, clientId);
}

/**
 * How many (non-staging) sites a client has.
 *
 * @example
 * ```ts
 * await countClientSites(ctx, 2); // 3
 * ```
 */
export async function countClientSites(ctx: AppContext, clientId: number): Promise<number> {
  const sites = await getSites(ctx.kv, await clientSiteIds(ctx.kv, clientId));
  return sites.filter((s) => !s.is_staging && s.client_id === clientId).length;
}

async function unassignAllSites(ctx: AppContext, clientId: number): Promise<void> {
  const ids = await clientSiteIds(ctx.kv, clientId);
  await mapConcurrent(
    ids,
    ASSIGN_CONCURRENCY,
    (siteId) => updateSite(ctx.kv, siteId, (s) => (s.client_id === clientId ? { ...s, client_id: 0 } : null)),
  );
}

/**
 * Makes `siteIds` the client's sites: its other sites are unassigned (client 0), the listed ones are
 * moved to it (unknown ids are ignored). With an empty list every site is unassigned. If the client is
 * deleted meanwhile, the sites it just got are unassigned again.
 *
 * @example
 * ```ts
 * await assignClientSites(ctx, 2, [3, 7]);
 * ```
 */
export async function assignClientSites(ctx: AppContext, clientId: number, siteIds: number[]): Promise<void> {
  const wanted = [...new Set(siteIds.filter((id) => Number.isInteger(id) && id > 0))];
  const current = await clientSiteIds(ctx.kv, clientId);
  const jobs = [
    ...current.filter((id) => !wanted.includes(id)).map((siteId) => () =>
      updateSite(ctx.kv, siteId, (s) => (s.client_id === clientId ? { ...s, client_id: 0 } : null))
    ),
    ...wanted.map((siteId) => () =>
      updateSite(ctx.kv, siteId, (s) => (s.client_id === clientId ? null : { ...s, client_id: clientId }))
    ),
  ];
  await mapConcurrent(jobs, ASSIGN_CONCURRENCY, (job) => job());
  if (wanted.length > 0 && !(await getClient(ctx.kv, clientId))) await unassignAllSites(ctx, clientId);
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
 * Adds a client (`created` = now) and assigns `selected_sites`. Soft errors: missing name, or an
 * e-mail address another client has (MainWP's "Undefined error. Please try again.").
 *
 * @example
 * ```ts
 * await addClient(ctx, { name: "ACME", city: "Berlin" });
 * ```
 */
export async function addClient(ctx: AppContext, input: ClientInput): Promise<ClientWithSites | SoftError> {
  const fields = sanitizedFields(input);
  if (!fields.name) return { error: CLIENT_MESSAGES.nameRequired };
  const result = await createClient(ctx.kv, { ...fields, name: fields.name });
  if ("email_taken" in result) return { error: CLIENT_MESSAGES.addFailed };
  const id = result.client.client_id;
  if (input.selected_sites && input.selected_sites.length > 0) {
    await assignClientSites(ctx, id, input.selected_sites);
  }
  const client = (await getClient(ctx.kv, id)) ?? result.client;
  await ctx.hooks.doAction("mainwp_client_updated", client, "created");
  return { client, siteIds: await clientSiteIds(ctx.kv, id) };
}

async function resolveCustomFields(
  ctx: AppContext,
  clientId: number,
  custom: ClientCustomFieldInput[],
): Promise<{ fieldId: number; value: string; desc: string; oldDesc: string }[]> {
  const out: { fieldId: number; value: string; desc: string; oldDesc: string }[] = [];
  for (const item of custom) {
    const name = sanitizeTextField(item.field_name).replace(/[[\]]/g, "");
    const value = sanitizeTextField(item.field_value);
    if (name === "" || value === "") continue;
    const field = await findClientFieldByName(ctx.kv, name);
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
 * given), a non-empty `selected_sites` replaces the client's sites. `null` when the client does not
 * exist; a soft error when the new e-mail address belongs to another client (nothing is changed then).
 *
 * @example
 * ```ts
 * await editClient(ctx, 2, { city: "Hamburg", selected_sites: [3] });
 * ```
 */
export async function editClient(
  ctx: AppContext,
  id: number,
  input: ClientInput,
): Promise<ClientWithSites | SoftError | null> {
  const fields = sanitizedFields(input);
  const custom = await resolveCustomFields(ctx, id, input.custom_fields ?? []);
  const result = await updateClient(ctx.kv, id, (c) => {
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
  if (result === null) return null;
  if ("email_taken" in result) return { error: CLIENT_MESSAGES.emailExists };
  for (const item of custom) {
    if (item.desc !== "" && item.desc !== item.oldDesc) {
      await updateClientField(ctx.kv, item.fieldId, (f) => ({ ...f, field_desc: item.desc }));
    }
  }
  if (input.selected_sites && input.selected_sites.length > 0) {
    await assignClientSites(ctx, id, input.selected_sites);
  }
  const client = (await getClient(ctx.kv, id)) ?? result.client;
  await ctx.hooks.doAction("mainwp_client_updated", client, "updated");
  return { client, siteIds: await clientSiteIds(ctx.kv, id) };
}

/**
 * Removes a client and unassigns its sites (client 0); returns the removed record or `null`.
 *
 * @example
 * ```ts
 * await removeClient(ctx, 2);
 * ```
 */
export async function removeClient(ctx: AppContext, id: number): Promise<ClientRecord | null> {
  const removed = await deleteClient(ctx.kv, id);
  if (!removed) return null;
  await unassignAllSites(ctx, id);
  await ctx.hooks.doAction("mainwp_client_updated", removed, "deleted");
  return removed;
}

/**
 * Sets `suspended` to 1 (suspend) or 0 (unsuspend); fires the hook when the value changed. Returns the
 * client, or `null` if it does not exist.
 *
 * @example
 * ```ts
 * await setClientSuspended(ctx, 2, 1);
 * ```
 */
export async function setClientSuspended(
  ctx: AppContext,
  id: number,
  suspended: 0 | 1,
): Promise<ClientRecord | null> {
  const result = await updateClient(
    ctx.kv,
    id,
    (c) => (c.suspended === suspended ? null : { ...c, suspended }),
  );
  if (result === null || "email_taken" in result) return null;
  if (result.client !== result.previous) {
    await ctx.hooks.doAction("mainwp_client_updated", result.client, suspended ? "suspended" : "unsuspended");
  }
  return result.client;
}
