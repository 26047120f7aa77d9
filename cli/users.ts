/**
 * @module
 * `deno task cli user …` and `deno task cli app-password …`: WordPress-style users and their
 * application passwords (for the `/wp-json/wp-abilities/v1` API).
 *
 * @example
 * ```ts
 * await runUserCommand(kv, "create", ["admin"], {}, io);
 * await runAppPasswordCommand(kv, "create", ["admin"], { label: "MCP" }, io);
 * ```
 */
import {
  createAppPassword,
  createUser,
  findUserByLogin,
  listAppPasswords,
  revokeAppPassword,
  type Role,
  ROLES,
} from "../store/users.ts";
import type { CliIO } from "./main.ts";

/**
 * Runs a `user` sub-command; returns the exit code.
 *
 * @example
 * ```ts
 * await runUserCommand(kv, "create", ["ops"], { role: "editor" }, io);
 * ```
 */
export async function runUserCommand(
  kv: Deno.Kv,
  command: string | undefined,
  args: string[],
  options: { role?: string },
  io: CliIO,
): Promise<number> {
  if (command !== "create") {
    io.err(`Unknown user command: ${command ?? "(none)"}. Try: create.`);
    return 2;
  }
  const login = args[0]?.trim();
  const role = (options.role ?? "administrator") as Role;
  if (!login || !ROLES.includes(role)) {
    io.err(`Usage: user create NAME [--role ${ROLES.join("|")}]`);
    return 2;
  }
  const user = await createUser(kv, { login, role });
  if (!user) {
    io.err(`A user named ${login} already exists.`);
    return 1;
  }
  io.out(`Created user ${user.id} (${user.login}, ${user.role}).`);
  return 0;
}

/**
 * Runs an `app-password` sub-command; `create` prints the password alone on the last line.
 *
 * @example
 * ```ts
 * await runAppPasswordCommand(kv, "list", ["admin"], {}, io);
 * ```
 */
export async function runAppPasswordCommand(
  kv: Deno.Kv,
  command: string | undefined,
  args: string[],
  options: { label?: string },
  io: CliIO,
): Promise<number> {
  const user = args[0] ? await findUserByLogin(kv, args[0]) : null;
  if (!["create", "list", "revoke"].includes(command ?? "")) {
    io.err(`Unknown app-password command: ${command ?? "(none)"}. Try: create, list, revoke.`);
    return 2;
  }
  if (!user) {
    io.err(args[0] ? `No user named ${args[0]}.` : "Name the user: app-password <create|list|revoke> NAME …");
    return args[0] ? 1 : 2;
  }
  if (command === "create") {
    const { record, password } = await createAppPassword(kv, user.id, options.label ?? "Fleetpress CLI");
    io.out(`Created application password ${record.uuid} for ${user.login}. It is shown once; store it now.`);
    io.out(password);
    return 0;
  }
  if (command === "list") {
    const list = await listAppPasswords(kv, user.id);
    if (list.length === 0) io.out(`No application passwords for ${user.login}.`);
    else {
      io.out(["ID", "NAME", "CREATED", "LAST USED"].join("\t"));
      for (const p of list) io.out([p.uuid, p.name, p.created, p.last_used ?? "never"].join("\t"));
    }
    return 0;
  }
  const uuid = args[1];
  if (!uuid) {
    io.err("Usage: app-password revoke NAME ID");
    return 2;
  }
  if (!(await revokeAppPassword(kv, user.id, uuid))) {
    io.err(`No application password ${uuid} for ${user.login}.`);
    return 1;
  }
  io.out(`Revoked application password ${uuid}.`);
  return 0;
}
