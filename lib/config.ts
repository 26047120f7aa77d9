/**
 * @module
 * Configuration from environment variables, validated once at start. An invalid value raises a
 * {@link ConfigError} whose message is one line naming the variable.
 *
 * @example
 * ```ts
 * const config = loadConfig(Deno.env.toObject());
 * config.port; // 8080
 * ```
 */
import { z } from "zod";

/** Thrown for invalid configuration; `main.ts` prints its message alone and exits 1. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Fleetpress configuration. */
export interface Config {
  /** TCP port to listen on. */
  port: number;
  /** Interface to bind. */
  hostname: string;
  /** Deno KV location: a file path, `:memory:` or a remote KV URL. */
  kvPath: string;
  /** Base URL used for absolute links (`status_url`, discovery `url`); no trailing slash. */
  publicUrl: string;
  /** Honour `X-Forwarded-Proto` / `X-Forwarded-For` from a front proxy. */
  trustProxy: boolean;
  /** Module specifiers of plugins, loaded at start in this order. */
  plugins: string[];
  /** Encrypts site private keys at rest; generated into the data folder when unset (see lib/secret.ts). */
  secretKey?: string;
  /** How background jobs advance: KV queue, or a lease-claiming poll loop (forced for a remote KV). */
  jobsMode: "queue" | "poll";
  /** Chunks of one job that may run at once (MainWP: 1). */
  jobWorkers: number;
  /** Seconds a claimed chunk stays reserved before another worker may take it over. */
  jobLeaseSeconds: number;
  /** Bytes the encoded site views of the listings may hold in memory (an LRU; `VIEW_CACHE_MB`, default 64). */
  viewCacheBytes: number;
}

const boolish = z.enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""]).transform((v) =>
  ["1", "true", "yes", "on"].includes(v)
);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOSTNAME: z.string().min(1).default("127.0.0.1"),
  KV_PATH: z.string().min(1).default("./data/fleetpress.kv"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TRUST_PROXY: z.string().toLowerCase().pipe(boolish).default(false),
  PLUGINS: z.string().default(""),
  SECRET_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  JOBS_MODE: z.enum(["auto", "queue", "poll"]).default("auto"),
  JOB_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  JOB_LEASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(120),
  VIEW_CACHE_MB: z.coerce.number().min(1).max(4096).default(64),
});

/** Whether the KV location is a remote KV Connect URL (no queues there). */
export function isRemoteKv(kvPath: string): boolean {
  return /^https?:\/\//i.test(kvPath);
}

/**
 * Parses configuration from an environment map.
 *
 * @example
 * ```ts
 * loadConfig({ PORT: "9000", KV_PATH: ":memory:" }).port; // 9000
 * ```
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0]);
    const shown = name === "SECRET_KEY" ? "(hidden)" : JSON.stringify(env[name]);
    throw new ConfigError(`Invalid configuration: ${name}=${shown}: ${issue.message}`);
  }
  const v = result.data;
  const publicUrl =
    (v.PUBLIC_URL ?? `http://${v.HOSTNAME.includes(":") ? `[${v.HOSTNAME}]` : v.HOSTNAME}:${v.PORT}`)
      .replace(/\/+$/, "");
  return {
    port: v.PORT,
    hostname: v.HOSTNAME,
    kvPath: v.KV_PATH,
    publicUrl,
    trustProxy: v.TRUST_PROXY,
    plugins: v.PLUGINS.split(",").map((s) => s.trim()).filter(Boolean),
    ...(v.SECRET_KEY ? { secretKey: v.SECRET_KEY } : {}),
    jobsMode: v.JOBS_MODE === "auto" ? (isRemoteKv(v.KV_PATH) ? "poll" : "queue") : v.JOBS_MODE,
    jobWorkers: v.JOB_WORKERS,
    jobLeaseSeconds: v.JOB_LEASE_SECONDS,
    viewCacheBytes: Math.round(v.VIEW_CACHE_MB * 1024 * 1024),
  };
}
