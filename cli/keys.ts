/**
 * @module
 * `deno task cli key …`: create, list, revoke, disable and enable MainWP API keys.
 *
 * @example
 * ```ts
 * await runKeyCommand(kv, "create", [], { permissions: "read" }, io);
 * ```
 */
import {
  createApiKey,
  KEY_PERMISSIONS,
  type KeyPermission,
  listApiKeys,
  revokeApiKey,
  updateApiKey,
} from "../store/api-keys.ts";
import type { CliIO } from "./main.ts";
import { findUserByLogin } from "../store/users.ts";

function parseId(value: string | undefined, io: CliIO): number | null {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id <= 0) {
    io.err(`Expected a key id (a positive integer), got ${JSON.stringify(value ?? "")}`);
    return null;
  }
  return id;
}

/**
 * Runs a `key` sub-command; returns the exit code.
 *
 * @example
 * ```ts
 * await runKeyCommand(kv, "revoke", ["3"], {}, io);
 * ```
 */
export async function runKeyCommand(
  kv: Deno.Kv,
  command: string | undefined,
  args: string[],
  options: { permissions?: string; description?: string; user?: string },
  io: CliIO,
): Promise<number> {
  switch (command) {
    case "create": {
      const permissions = options.permissions as KeyPermission | undefined;
      if (!permissions || !KEY_PERMISSIONS.includes(permissions)) {
        io.err(`--permissions must be one of ${KEY_PERMISSIONS.join(", ")}`);
        return 2;
      }
      const owner = options.user ? await findUserByLogin(kv, options.user) : null;
      if (options.user && !owner) {
        io.err(`No user named ${options.user}; create it with: user create ${options.user}`);
        return 1;
      }
      const { record, token, consumerKey, consumerSecret } = await createApiKey(kv, {
        permissions,
        description: options.description ?? "",
        userId: owner?.id ?? 0,
      });
      io.out(`Created API key ${record.id} (${record.permissions}). It is shown once; store it now.`);
      // Only an owned key works on the Abilities API (as that user); say so, since it cannot change later.
      io.out(
        owner
          ? `Owner: ${owner.login} (user ${owner.id}); the key also works on /wp-json/wp-abilities/v1 as that user.`
          : "No owner: the key works on /wp-json/mainwp/v2 only; use --user NAME for the Abilities API.",
      );
      io.out(`consumer_key: ${consumerKey}`);
      io.out(`consumer_secret: ${consumerSecret}`);
      io.out(`Bearer token:`);
      io.out(token);
      return 0;
    }
    case "list": {
      const keys = await listApiKeys(kv);
      if (keys.length === 0) {
        io.out("No API keys.");
        return 0;
      }
      io.out(["ID", "PERMISSIONS", "ENABLED", "OWNER", "KEY", "LAST ACCESS", "DESCRIPTION"].join("\t"));
      for (const k of keys) {
        io.out(
          [
            k.id,
            k.permissions,
            k.enabled ? "yes" : "no",
            k.user_id > 0 ? `user ${k.user_id}` : "none",
            `…${k.truncated_key}`,
            k.last_access ?? "never",
            k.description,
          ]
            .join("\t"),
        );
      }
      return 0;
    }
    case "revoke": {
      const id = parseId(args[0], io);
      if (id === null) return 2;
      const removed = await revokeApiKey(kv, id);
      if (!removed) {
        io.err(`No API key with id ${id}.`);
        return 1;
      }
      io.out(`Revoked API key ${id}.`);
      return 0;
    }
    case "disable":
    case "enable": {
      const id = parseId(args[0], io);
      if (id === null) return 2;
      const updated = await updateApiKey(kv, id, (k) => ({ ...k, enabled: command === "enable" }));
      if (!updated) {
        io.err(`No API key with id ${id}.`);
        return 1;
      }
      io.out(`${command === "enable" ? "Enabled" : "Disabled"} API key ${id}.`);
      return 0;
    }
    default:
      io.err(`Unknown key command: ${command ?? "(none)"}. Try: create, list, revoke, disable, enable.`);
      return 2;
  }
}
