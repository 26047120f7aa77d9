/**
 * @module
 * MainWP's Advanced settings (request throttling, sync data, connection options): the edit body's zod
 * schema, MainWP's defaults, read and edit, and what they drive: the child connector's limits through
 * its filters — requests in flight overall (`mainwp_maximum_requests`; for syncs
 * `mainwp_maximum_sync_requests`, for updates `mainwp_maximum_install_update_requests`) and per host
 * (`mainwp_maximum_ip_requests`). A value never saved leaves the connector's own limit.
 *
 * @example
 * ```ts
 * await editAdvancedSettings({ kv }, advancedEditSchema.parse({ mainwp_maximum_requests: 8 }));
 * installSettingsLimits({ kv, hooks }); // the connector now allows 8 requests at once
 * ```
 */
import { z } from "zod";
import type { HookDeps, StoreDeps } from "../deps.ts";
import { getSettingsSection, updateSettingsSection } from "../../store/settings.ts";
import { coerceInt, fail, flag, intEnum, range, toggles } from "./fields.ts";

/** The data a sync asks the child for (MainWP's `get_data_sync_default`), all on by default. */
export const SYNC_DATA_KEYS = [
  "wp_updates",
  "plugin_updates",
  "theme_updates",
  "translation_updates",
  "recent_comments",
  "recent_posts",
  "recent_pages",
  "securityStats",
  "directories",
  "categories",
  "totalsize",
  "dbsize",
  "plugins",
  "themes",
  "users",
  "plugins_outdate_info",
  "themes_outdate_info",
  "health_site_status",
  "child_site_actions_data",
  "othersData",
] as const;

/** OpenSSL signature algorithms by PHP constant value, labelled as MainWP lists them. */
export const SIGNATURE_ALGOS: Readonly<Record<number, string>> = Object.freeze({
  1: "OPENSSL_ALGO_SHA1",
  6: "OPENSSL_ALGO_SHA224",
  7: "OPENSSL_ALGO_SHA256 (Default)",
  8: "OPENSSL_ALGO_SHA384",
  9: "OPENSSL_ALGO_SHA512",
});

/** The algorithm by constant value or label (MainWP validates the label; 6.1.5 documents the value). */
const signatureAlgo = z.unknown().transform((value, ctx): number => {
  const n = coerceInt(value);
  if (n !== null && Object.hasOwn(SIGNATURE_ALGOS, n)) return n;
  const byLabel = Object.entries(SIGNATURE_ALGOS).find(([, label]) => label === value);
  if (byLabel) return Number(byLabel[0]);
  return fail(
    ctx,
    "invalid_mainwp_connect_signature_algo",
    `Invalid mainwp_connect_signature_algo. Allowed values: ${Object.values(SIGNATURE_ALGOS).join(", ")}.`,
  );
}).meta({ type: ["integer", "string"], description: "1, 6, 7, 8, 9 or the algorithm's label" });

/** `PUT|PATCH /settings/advanced/edit`. */
export const advancedEditSchema = z.object({
  mainwp_maximum_requests: intEnum("mainwp_maximum_requests", range(1, 20)).optional(),
  mainwp_minimum_delay: intEnum("mainwp_minimum_delay", range(100, 5000, 100)).optional(),
  mainwp_maximum_ip_requests: intEnum("mainwp_maximum_ip_requests", range(1, 10)).optional(),
  mainwp_minimum_ip_delay: intEnum("mainwp_minimum_ip_delay", range(500, 5000, 100)).optional(),
  mainwp_chunksitesnumber: intEnum("mainwp_chunksitesnumber", range(1, 30)).optional(),
  mainwp_chunksleepinterval: intEnum("mainwp_chunksleepinterval", range(0, 20)).optional(),
  mainwp_maximum_sync_requests: intEnum("mainwp_maximum_sync_requests", range(1, 20)).optional(),
  mainwp_maximum_install_update_requests: intEnum("mainwp_maximum_install_update_requests", range(1, 20))
    .optional(),
  mainwp_maximum_uptime_monitoring_requests: intEnum(
    "mainwp_maximum_uptime_monitoring_requests",
    range(1, 100),
  )
    .optional(),
  mainwp_optimize: flag("mainwp_optimize").optional(),
  mainwp_wp_cron: flag("mainwp_wp_cron").optional(),
  mainwp_ssl_verify_certificate: flag("mainwp_ssl_verify_certificate").optional(),
  mainwp_verify_connection_method: intEnum("mainwp_verify_connection_method", [1, 2]).optional(),
  mainwp_connect_signature_algo: signatureAlgo.optional(),
  mainwp_force_use_ipv4: flag("mainwp_force_use_ipv4").optional(),
  sync_data: toggles(SYNC_DATA_KEYS, {
    type: "invalid_sync_data_type",
    keys: "invalid_sync_data_type",
    value: "invalid_sync_data_type",
    valueType: "invalid_sync_data_type",
  }, { object: "Sync data", keys: "sync data" }).optional(),
});

/** An Advanced settings edit (only the fields given change). */
export type AdvancedEdit = z.output<typeof advancedEditSchema>;

/** The Advanced settings with MainWP's defaults filled in. */
export interface AdvancedSettings {
  mainwp_maximum_requests: number;
  mainwp_minimum_delay: number;
  mainwp_maximum_ip_requests: number;
  mainwp_minimum_ip_delay: number;
  mainwp_chunksitesnumber: number;
  mainwp_chunksleepinterval: number;
  mainwp_maximum_sync_requests: number;
  mainwp_maximum_install_update_requests: number;
  mainwp_maximum_uptime_monitoring_requests: number;
  mainwp_optimize: number;
  mainwp_wp_cron: number;
  mainwp_ssl_verify_certificate: number;
  mainwp_verify_connection_method: number;
  /** The PHP constant value (7 = SHA-256). */
  mainwp_connect_signature_algo: number;
  mainwp_force_use_ipv4: number;
  sync_data: Record<string, 0 | 1>;
}

/** MainWP's defaults. */
export const ADVANCED_DEFAULTS: Readonly<AdvancedSettings> = Object.freeze({
  mainwp_maximum_requests: 4,
  mainwp_minimum_delay: 200,
  mainwp_maximum_ip_requests: 1,
  mainwp_minimum_ip_delay: 1000,
  mainwp_chunksitesnumber: 10,
  mainwp_chunksleepinterval: 5,
  mainwp_maximum_sync_requests: 8,
  mainwp_maximum_install_update_requests: 3,
  mainwp_maximum_uptime_monitoring_requests: 10,
  mainwp_optimize: 1,
  mainwp_wp_cron: 1,
  mainwp_ssl_verify_certificate: 1,
  mainwp_verify_connection_method: 1,
  mainwp_connect_signature_algo: 7,
  mainwp_force_use_ipv4: 0,
  sync_data: Object.fromEntries(SYNC_DATA_KEYS.map((k) => [k, 1])) as Record<string, 0 | 1>,
});

function merge(stored: Record<string, unknown>): AdvancedSettings {
  const out = { ...ADVANCED_DEFAULTS } as Record<string, unknown>;
  for (const k of Object.keys(ADVANCED_DEFAULTS)) {
    if (!Object.hasOwn(stored, k)) continue;
    const value = stored[k];
    if (k === "sync_data") {
      if (value && typeof value === "object") {
        out[k] = { ...ADVANCED_DEFAULTS.sync_data, ...(value as object) };
      }
    } else if (typeof value === "number") out[k] = value;
  }
  return out as unknown as AdvancedSettings;
}

/**
 * The Advanced settings (MainWP's defaults for anything never set).
 *
 * @example
 * ```ts
 * (await getAdvancedSettings({ kv })).mainwp_maximum_requests; // 4
 * ```
 */
export async function getAdvancedSettings({ kv }: StoreDeps): Promise<AdvancedSettings> {
  return merge(await getSettingsSection(kv, "advanced"));
}

/**
 * Changes the given Advanced settings in one commit and returns them all; the connector's limits follow
 * at once in this process and within {@link LIMITS_TTL_MS} in others.
 *
 * @example
 * ```ts
 * await editAdvancedSettings({ kv }, { mainwp_maximum_sync_requests: 4 });
 * ```
 */
export async function editAdvancedSettings({ kv }: StoreDeps, edit: AdvancedEdit): Promise<AdvancedSettings> {
  const given = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined));
  const stored = await updateSettingsSection(kv, "advanced", (values) => {
    const next = { ...values, ...given };
    if (edit.sync_data) next.sync_data = { ...merge(values).sync_data, ...edit.sync_data };
    return next;
  });
  limitsCache.delete(kv);
  return merge(stored);
}

/** The throttling values a process reuses for this long before reading them again. */
export const LIMITS_TTL_MS = 2_000;

/** Only the values that were stored: a value never set leaves the connector's own default. */
type StoredLimits = Partial<Pick<AdvancedSettings, LimitName>>;
type LimitName =
  | "mainwp_maximum_requests"
  | "mainwp_maximum_ip_requests"
  | "mainwp_maximum_sync_requests"
  | "mainwp_maximum_install_update_requests";
const LIMIT_NAMES: readonly LimitName[] = [
  "mainwp_maximum_requests",
  "mainwp_maximum_ip_requests",
  "mainwp_maximum_sync_requests",
  "mainwp_maximum_install_update_requests",
];

const limitsCache = new WeakMap<Deno.Kv, { at: number; limits: Promise<StoredLimits> }>();

async function readLimits(kv: Deno.Kv): Promise<StoredLimits> {
  const stored = await getSettingsSection(kv, "advanced");
  const out: StoredLimits = {};
  for (const name of LIMIT_NAMES) {
    const value = stored[name];
    if (typeof value === "number" && Number.isInteger(value) && value > 0) out[name] = value;
  }
  return out;
}

/** The stored throttling values, read at most every {@link LIMITS_TTL_MS} per KV handle. */
function storedLimits(kv: Deno.Kv, now = Date.now()): Promise<StoredLimits> {
  const cached = limitsCache.get(kv);
  if (cached && now - cached.at < LIMITS_TTL_MS) return cached.limits;
  const limits = readLimits(kv).catch(() => ({}));
  limitsCache.set(kv, { at: now, limits });
  return limits;
}

/** The child functions of a sync and of updates (the calls MainWP's sync and update limits count). */
const SYNC_FUNCTIONS = new Set(["stats"]);
const UPDATE_FUNCTIONS = new Set([
  "upgrade",
  "upgradeplugintheme",
  "upgradetranslation",
  "installplugintheme",
]);

/**
 * The limit on requests in flight overall when a call of `fn` starts, from the saved Advanced settings:
 * a sync (`stats`) uses `mainwp_maximum_sync_requests`, an update `mainwp_maximum_install_update_requests`,
 * anything else (or a kind whose own value was never saved) `mainwp_maximum_requests`; `undefined` when
 * none applies (the connector's own limit stays).
 *
 * @example
 * ```ts
 * await settingsConcurrencyLimit({ kv }, "stats"); // undefined until the settings are saved
 * ```
 */
export async function settingsConcurrencyLimit(
  { kv }: StoreDeps,
  fn: string | null,
): Promise<number | undefined> {
  const limits = await storedLimits(kv);
  const own = fn && SYNC_FUNCTIONS.has(fn)
    ? limits.mainwp_maximum_sync_requests
    : fn && UPDATE_FUNCTIONS.has(fn)
    ? limits.mainwp_maximum_install_update_requests
    : undefined;
  return own ?? limits.mainwp_maximum_requests;
}

/**
 * Makes the stored Advanced settings drive the child connector once they are saved:
 * `fleetpress_child_max_concurrent` becomes {@link settingsConcurrencyLimit} for the call's function
 * and `fleetpress_child_max_per_host` `mainwp_maximum_ip_requests`. Added at priority 1, so plugins'
 * filters (priority 10) still have the last word.
 *
 * @example
 * ```ts
 * installSettingsLimits(ctx);
 * ```
 */
export function installSettingsLimits({ kv, hooks }: HookDeps): void {
  hooks.addFilter("fleetpress_child_max_concurrent", async (limit, _url, fn) => {
    return (await settingsConcurrencyLimit({ kv }, fn ?? null)) ?? limit;
  }, 1);
  hooks.addFilter("fleetpress_child_max_per_host", async (limit) => {
    return (await storedLimits(kv)).mainwp_maximum_ip_requests ?? limit;
  }, 1);
}
