/**
 * @module
 * The Fleetpress command line: `deno task cli <group> <command> …`. It opens the same `KV_PATH` as the
 * server (Deno KV files are safe to share between processes), so it works while the server runs.
 *
 * @example
 * ```sh
 * deno task cli key create --permissions read_write --description "CI"
 * deno task cli key list
 * deno task cli key revoke 3
 * ```
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { openStore } from "../store/open.ts";
import { runKeyCommand } from "./keys.ts";
import { runAppPasswordCommand, runUserCommand } from "./users.ts";
import { runJobCommand } from "./jobs.ts";

const USAGE = `Usage: deno task cli <command>

  key create --permissions read|write|delete|read_write [--description D] [--user NAME]
                         create an API key; the Bearer token is printed alone on the last line
  key list               list API keys
  key revoke ID          delete a key (takes effect on the next request)
  key disable ID         disable a key without deleting it
  key enable ID          enable a disabled key
  user create NAME [--role administrator|editor|author|contributor|subscriber]
                         create a WordPress-style user (for /wp-json/wp-abilities/v1)
  app-password create NAME [--label L]
                         create an application password; printed alone on the last line
  app-password list NAME list a user's application passwords
  app-password revoke NAME ID
                         revoke one application password
  job list               list the background jobs of the last 24 hours
  job show ID [--follow] show a job's progress (and its errors); --follow redraws until it ends

Environment: KV_PATH (default ./data/fleetpress.kv), as for the server.`;

/** Output sinks, so tests can capture what the CLI prints. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Redraws a status line in place (a terminal); falls back to `out`. */
  draw?(line: string): void;
}

/**
 * Runs one CLI invocation against `kv`; returns the exit code.
 *
 * @example
 * ```ts
 * const code = await runCli(["key", "list"], kv, { out: console.log, err: console.error });
 * ```
 */
export async function runCli(argv: string[], kv: Deno.Kv, io: CliIO): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      permissions: { type: "string" },
      description: { type: "string" },
      role: { type: "string" },
      user: { type: "string" },
      label: { type: "string" },
      follow: { type: "boolean", short: "f" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [group, command, ...rest] = positionals;
  if (values.help || !group) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  if (group === "key") return await runKeyCommand(kv, command, rest, values, io);
  if (group === "user") return await runUserCommand(kv, command, rest, values, io);
  if (group === "app-password") return await runAppPasswordCommand(kv, command, rest, values, io);
  if (group === "job") return await runJobCommand(kv, command, rest, values, io);
  io.err(`Unknown command: ${group}\n\n${USAGE}`);
  return 2;
}

if (import.meta.main) {
  let kv: Deno.Kv | undefined;
  try {
    const config = loadConfig(Deno.env.toObject());
    kv = await openStore(config.kvPath);
    const encoder = new TextEncoder();
    const terminal = Deno.stdout.isTerminal();
    let drawn = false;
    const io: CliIO = {
      out: (l) => {
        if (drawn) Deno.stdout.writeSync(encoder.encode("\n"));
        drawn = false;
        console.log(l);
      },
      err: (l) => console.error(l),
      draw: terminal
        ? (l) => {
          Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${l}`));
          drawn = true;
        }
        : undefined,
    };
    const code = await runCli(Deno.args, kv, io);
    kv.close();
    Deno.exit(code);
  } catch (error) {
    kv?.close();
    console.error(
      error instanceof ConfigError || error instanceof TypeError ? error.message : `Error: ${error}`,
    );
    Deno.exit(error instanceof ConfigError ? 1 : 2);
  }
}
