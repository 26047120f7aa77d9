/**
 * @module
 * The `/wp-json/mainwp/v2/users` routes (MainWP's users controller, rest-v2.md §2.9): the WordPress users
 * of the child sites — list them across sites (`search_users`), create one on many sites (`newuser`),
 * edit or delete one on one site (`user_action`), set the connected administrator's password on many
 * sites (`newadminpassword`) and import users from a CSV upload. Presenters of `core/site-users/`; the
 * wire shapes are `present/site-users.ts`. Writes take a JSON body, as MainWP requires; passwords are
 * never logged, and only the create answer shows one (as MainWP does: it may be a generated one).
 *
 * @example
 * ```ts
 * registerUsersRoutes(rest);
 * ```
 */
import { z } from "zod";
import { parseList, wp } from "../rest/args.ts";
import { restError } from "../rest/errors.ts";
import {
  CREATABLE,
  DELETABLE,
  PUT_PATCH,
  READABLE,
  type RestRequest,
  type RestServer,
} from "../rest/server.ts";
import { createSiteUsers, setAdminPasswords } from "../core/site-users/create.ts";
import { parseUserCsv } from "../core/site-users/csv.ts";
import { deleteSiteUser, type SiteUserChanges, updateSiteUser } from "../core/site-users/edit.ts";
import { importSiteUsers } from "../core/site-users/import.ts";
import { listSiteUsers } from "../core/site-users/list.ts";
import {
  isSiteUserRole,
  resolveUserTargets,
  SITE_USER_ROLES,
  type UserTargets,
} from "../core/site-users/targets.ts";
import { InvalidInput } from "../core/errors.ts";
import { findSite, parseSiteRef } from "../core/sites/resolve.ts";
import { typed } from "./sites.ts";
import { isEmail, sanitizeEmail } from "../wp/email.ts";
import { sanitizeTextField } from "../wp/format.ts";
import { isPhpEmpty } from "../wp/php.ts";
import { escUrlRaw } from "../core/cost-values.ts";
import {
  adminPasswordBody,
  importReportBody,
  userCreatedBody,
  usersListBody,
  userUpdatedBody,
} from "./present/site-users.ts";

const NS = "mainwp/v2";

/** `{id_domain}/{user_id}` as MainWP's users controller writes it. */
const SITE_USER_PATH =
  "/users/(?P<id_domain>(\\d+|[A-Za-z0-9-\\.]*[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,6}))/(?P<user_id>[\\d]+)";

const ROLE_MESSAGE = `Invalid %s. Allowed values: ${SITE_USER_ROLES.join(", ")}.`;
const isRole = (v: string) => (SITE_USER_ROLES as readonly string[]).includes(v.trim());

/** `role`: one of the roles (`""` = not given). */
const roleArg = () =>
  wp.str().refine((v) => v.trim() === "" || isRole(v), { error: ROLE_MESSAGE }).optional();

/** `roles`: a list (or comma string) of roles. */
const rolesArg = () =>
  wp.strOrArray().refine((v) => parseList(v).every(isRole), { error: ROLE_MESSAGE }).optional();

/** The site selection every bulk users route takes: comma lists (or arrays) of ids or tag names. */
const targetArgs = {
  websites: wp.strOrArray().optional(),
  groups: wp.strOrArray().optional(),
  clients: wp.strOrArray().optional(),
};

/** `GET /users`. */
export const usersListArgs = z.looseObject({ ...targetArgs, search: wp.str().optional(), roles: rolesArg() });

/** The profile fields create and edit share. */
const profileArgs = {
  password: wp.str().optional(),
  role: roleArg(),
  first_name: wp.str().optional(),
  last_name: wp.str().optional(),
  user_url: wp.str().optional(),
};

/** `POST /users/create`. */
export const userCreateArgs = z.looseObject({
  ...profileArgs,
  ...targetArgs,
  username: wp.str(),
  email: wp.str(),
  send_password: wp.bool().optional(),
});

/** `PUT|PATCH /users/{id_domain}/{user_id}/edit` and `DELETE …/delete`. */
export const userEditArgs = z.looseObject({
  id_domain: wp.str(),
  user_id: wp.int(),
  ...profileArgs,
  nickname: wp.str().optional(),
  display_name: wp.str().optional(),
  email: wp.str().optional(),
  description: wp.str().optional(),
});

/** `PUT|PATCH /users/update-admin-password`. */
export const adminPasswordArgs = z.looseObject({ password: wp.str(), ...targetArgs });

/** `POST /users/import` (the file itself is the multipart part `csv_file`). */
export const userImportArgs = z.looseObject({ has_header: wp.bool().optional() });

/** The selection of a request (texts sanitized as MainWP's `sanitize_text_field` does). */
function targetsOf(args: { websites?: unknown; groups?: unknown; clients?: unknown }): UserTargets {
  const list = (v: unknown) => parseList(v).map(sanitizeTextField).filter((s) => s !== "");
  return { websites: list(args.websites), groups: list(args.groups), clients: list(args.clients) };
}

/** MainWP's writes read a JSON body only. */
function requireJsonBody(req: RestRequest): void {
  const type = req.raw.headers.get("content-type") ?? "";
  if (!type.toLowerCase().includes("application/json")) {
    throw restError("invalid_content_type", "Invalid content type. Expected application/json.", 415);
  }
  if (req.json === null) throw restError("empty_body", "Request body is empty.", 400);
}

/** A sanitized e-mail address; a given one that is no address is refused before any child call. */
function emailOf(value: string | undefined): string {
  const email = sanitizeEmail(value ?? "");
  if ((value ?? "").trim() !== "" && !isEmail(email)) {
    throw new InvalidInput("email", "Invalid email format.", "site_user");
  }
  return email;
}

const text = (v: string | undefined) => sanitizeTextField(v ?? "");
const url = (v: string | undefined) => ((v ?? "").trim() === "" ? "" : escUrlRaw((v ?? "").trim()));

async function listUsers(req: RestRequest<z.output<typeof usersListArgs>>) {
  const { args, ctx } = req;
  const sites = await resolveUserTargets(ctx, targetsOf(args));
  const roles = parseList(args.roles).map((r) => r.trim());
  return usersListBody(await listSiteUsers(ctx, sites, { roles, search: text(args.search) }));
}

async function createUser(req: RestRequest<z.output<typeof userCreateArgs>>) {
  requireJsonBody(req);
  const { args, ctx } = req;
  const email = emailOf(args.email);
  const sites = await resolveUserTargets(ctx, targetsOf(args));
  const role = args.role?.trim();
  const { user, results } = await createSiteUsers(ctx, sites, {
    login: text(args.username),
    email,
    // PHP's empty(): "" and "0" get a generated password, as in MainWP.
    password: isPhpEmpty(args.password) ? null : args.password ?? null,
    role: role && isSiteUserRole(role) ? role : "subscriber",
    url: url(args.user_url),
    firstName: text(args.first_name),
    lastName: text(args.last_name),
    sendPassword: args.send_password ?? false,
  });
  return userCreatedBody(user, results);
}

async function editUser(req: RestRequest<z.output<typeof userEditArgs>>) {
  const { args, ctx } = req;
  const site = await findSite(ctx, parseSiteRef(args.id_domain.trim()));
  requireJsonBody(req);
  const role = args.role?.trim();
  const changes: SiteUserChanges = {
    password: args.password,
    email: emailOf(args.email),
    role: role && isSiteUserRole(role) ? role : undefined,
    firstName: args.first_name === undefined ? undefined : text(args.first_name),
    lastName: args.last_name === undefined ? undefined : text(args.last_name),
    url: args.user_url === undefined ? undefined : url(args.user_url),
    nickname: args.nickname === undefined ? undefined : text(args.nickname),
    displayName: args.display_name === undefined ? undefined : text(args.display_name),
    description: args.description === undefined ? undefined : text(args.description),
  };
  if (Object.values(changes).every((v) => v === undefined || v === "")) {
    throw restError(
      "missing_required_fields",
      "At least one field must be provided to update the user.",
      400,
    );
  }
  const sent = await updateSiteUser(ctx, site, args.user_id, changes);
  return userUpdatedBody(site, args.user_id, sent);
}

async function deleteUser(req: RestRequest<z.output<typeof userEditArgs>>) {
  const { args, ctx } = req;
  const site = await findSite(ctx, parseSiteRef(args.id_domain.trim()));
  await deleteSiteUser(ctx, site, args.user_id);
  return { success: 1, message: "User deleted successfully." };
}

async function updateAdminPassword(req: RestRequest<z.output<typeof adminPasswordArgs>>) {
  requireJsonBody(req);
  const { args, ctx } = req;
  // MainWP would set a random password nobody is told; an empty one is refused instead.
  if (isPhpEmpty(args.password)) {
    throw new InvalidInput("password", "The password must not be empty.", "site_user");
  }
  const sites = await resolveUserTargets(ctx, targetsOf(args));
  return adminPasswordBody(await setAdminPasswords(ctx, sites, args.password));
}

async function importUsers(req: RestRequest<z.output<typeof userImportArgs>>) {
  const file = Object.hasOwn(req.files, "csv_file") ? req.files.csv_file : undefined;
  if (!file) {
    const multipart = (req.raw.headers.get("content-type") ?? "").toLowerCase().includes(
      "multipart/form-data",
    );
    throw restError(
      "no_file_uploaded",
      "No CSV file uploaded." +
        (multipart
          ? " If you manually set Content-Type: multipart/form-data, remove it and let the client add the boundary automatically."
          : ""),
      400,
    );
  }
  if (!/\.(csv|txt)$/i.test(file.name)) {
    throw restError("invalid_file_type", "Invalid file type. Only CSV files are allowed.", 400);
  }
  const rows = parseUserCsv(file.bytes, req.args.has_header ?? true);
  return importReportBody(await importSiteUsers(req.ctx, rows));
}

/**
 * Registers the users routes in MainWP's order.
 *
 * @example
 * ```ts
 * registerUsersRoutes(rest);
 * ```
 */
export function registerUsersRoutes(rest: RestServer): void {
  rest.register(NS, "/users", typed({ methods: READABLE, args: usersListArgs, handler: listUsers }));
  rest.register(
    NS,
    "/users/create",
    typed({ methods: CREATABLE, args: userCreateArgs, handler: createUser }),
  );
  rest.register(
    NS,
    `${SITE_USER_PATH}/edit`,
    typed({ methods: PUT_PATCH, args: userEditArgs, handler: editUser }),
  );
  rest.register(
    NS,
    `${SITE_USER_PATH}/delete`,
    typed({ methods: DELETABLE, args: userEditArgs, handler: deleteUser }),
  );
  rest.register(
    NS,
    "/users/update-admin-password",
    typed({ methods: PUT_PATCH, args: adminPasswordArgs, handler: updateAdminPassword }),
  );
  rest.register(
    NS,
    "/users/import",
    typed({ methods: CREATABLE, args: userImportArgs, handler: importUsers }),
  );
}
