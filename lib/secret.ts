/**
 * @module
 * The server's secret key (`SECRET_KEY`), which encrypts each site's private key at rest. When unset, a
 * random key is generated once into the data folder beside a KV file (`secret.key`, mode 0600) and read
 * from there on later starts, so the CLI and the server agree. A remote KV needs `SECRET_KEY` set;
 * `:memory:` gets a key for the life of the process.
 *
 * @example
 * ```ts
 * const secret = await resolveSecretKey(config);
 * ```
 */
import { type Config, ConfigError, isRemoteKv } from "./config.ts";

/** Shortest accepted `SECRET_KEY`. */
export const MIN_SECRET_LENGTH = 16;

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where the generated key lives for a KV file path. */
export function secretFilePath(kvPath: string): string {
  const slash = kvPath.lastIndexOf("/");
  return `${slash >= 0 ? kvPath.slice(0, slash) : "."}/secret.key`;
}

/**
 * Returns `SECRET_KEY`, or the generated key of the data folder (creating it on first use).
 *
 * @example
 * ```ts
 * await resolveSecretKey({ ...config, secretKey: undefined, kvPath: "./data/fleetpress.kv" });
 * ```
 */
export async function resolveSecretKey(config: Pick<Config, "kvPath" | "secretKey">): Promise<string> {
  if (config.secretKey) return config.secretKey;
  if (config.kvPath === ":memory:") return randomKey();
  if (isRemoteKv(config.kvPath)) {
    throw new ConfigError("Invalid configuration: SECRET_KEY must be set when KV_PATH is a remote KV URL");
  }
  const file = secretFilePath(config.kvPath);
  try {
    const existing = (await Deno.readTextFile(file)).trim();
    if (existing.length >= MIN_SECRET_LENGTH) return existing;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const key = randomKey();
  const dir = file.slice(0, file.lastIndexOf("/"));
  await Deno.mkdir(dir, { recursive: true });
  try {
    // createNew: a concurrent first start (server and CLI) keeps whichever key was written first.
    await Deno.writeTextFile(file, key + "\n", { createNew: true, mode: 0o600 });
    return key;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return (await Deno.readTextFile(file)).trim();
    throw error;
  }
}
