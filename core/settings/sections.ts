/**
 * @module
 * The settings Fleetpress stores and returns for compatibility with MainWP's screens: e-mail
 * notifications, Dashboard Insights, the API backup providers (secrets encrypted at rest, shown masked)
 * and the Tools screen's interface options; plus the Tools actions that clear stored state (add-on
 * activation data, dismissed messages).
 *
 * @example
 * ```ts
 * await editEmailSettings({ kv }, "uptime", { disable: 1 });
 * (await getEmailSettings({ kv })).find((e) => e.type === "uptime")?.disable; // 1
 * ```
 */
import { z } from "zod";
import type { ChildDeps, StoreDeps } from "../deps.ts";
import { NotFound } from "../errors.ts";
import { getSettingsSection, type SectionValues, updateSettingsSection } from "../../store/settings.ts";
import { encryptPrivateKey } from "../../child/keys.ts";
import { fail, flag, strEnum, text } from "./fields.ts";
import { getGeneralSettings } from "./general.ts";
import { URL_MAX } from "../../lib/limits.ts";

/** One e-mail notification's settings. */
export interface EmailSettings {
  type: string;
  heading: string;
  subject: string;
  recipients: string;
  disable: number;
}

/** MainWP's notification e-mails (general settings) and their default heading and subject. */
const EMAIL_TYPES: Readonly<Record<string, { heading: string; subject: string }>> = Object.freeze({
  daily_digest: { heading: "Daily Digest", subject: "Daily Digest from Your MainWP Dashboard" },
  uptime: { heading: "Uptime Monitoring", subject: "Uptime Monitoring Alert from your MainWP Dashboard" },
  site_health: {
    heading: "Site Health Monitoring",
    subject: "Site Health Monitoring Alert from Your MainWP Dashboard",
  },
  deactivated_license_alert: {
    heading: "Extension License Deactivation Notification",
    subject: "Extension License Deactivation Notification from Your MainWP Dashboard",
  },
  http_check: { heading: "Sites Check", subject: "HTTP response check" },
});

const EMAIL_RE = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
/** Longest subject or recipient list (five e-mails' settings share one KV value). */
const EMAIL_TEXT_MAX = 1_000;

/** `PUT|PATCH /settings/emails/{mail_type}/edit`. */
export const emailEditSchema = z.object({
  disable: flag("disable").optional(),
  heading: text("heading").optional(),
  subject: text("subject", EMAIL_TEXT_MAX).optional(),
  recipients: z.unknown().transform((value, ctx): string => {
    const list = typeof value === "string" && value.length <= EMAIL_TEXT_MAX
      ? value.split(",").map((s) => s.trim()).filter(Boolean)
      : null;
    const bad = list === null || value === ""
      ? String(value).slice(0, 100)
      : list.find((e) => e.length > 254 || !EMAIL_RE.test(e));
    return bad === undefined && list
      ? list.join(", ")
      : fail(ctx, "invalid_email", `Invalid email address: ${bad}.`);
  }).meta({ type: "string", description: "e-mail addresses, comma-separated" }).optional(),
});
/** An e-mail settings edit. */
export type EmailEdit = z.output<typeof emailEditSchema>;

/** The notification types in force: `http_check` only while the HTTP check after updates is on. */
async function emailTypes(deps: StoreDeps): Promise<string[]> {
  const types = Object.keys(EMAIL_TYPES).filter((t) => t !== "http_check");
  if ((await getGeneralSettings(deps)).check_http_response === 1) types.push("http_check");
  return types;
}

function emailOf(type: string, stored: unknown): EmailSettings {
  const s = stored && typeof stored === "object" ? stored as Partial<EmailSettings> : {};
  const d = EMAIL_TYPES[type];
  return {
    type,
    heading: typeof s.heading === "string" ? s.heading : d.heading,
    subject: typeof s.subject === "string" ? s.subject : d.subject,
    // Fleetpress has no WordPress admin e-mail to default to.
    recipients: typeof s.recipients === "string" ? s.recipients : "",
    disable: s.disable === 1 ? 1 : 0,
  };
}

/**
 * Every notification e-mail with its settings (MainWP's defaults for anything never set).
 *
 * @example
 * ```ts
 * (await getEmailSettings({ kv }))[0].type; // "daily_digest"
 * ```
 */
export async function getEmailSettings(deps: StoreDeps): Promise<EmailSettings[]> {
  const stored = await getSettingsSection(deps.kv, "emails");
  return (await emailTypes(deps)).map((type) =>
    emailOf(type, Object.hasOwn(stored, type) ? stored[type] : null)
  );
}

/**
 * Changes one notification e-mail's settings (the fields given); {@link NotFound} (`mail_type`) for a
 * type not in force.
 *
 * @example
 * ```ts
 * await editEmailSettings({ kv }, "daily_digest", { recipients: "ops@example.com" });
 * ```
 */
export async function editEmailSettings(
  deps: StoreDeps,
  type: string,
  edit: EmailEdit,
): Promise<EmailSettings> {
  if (!(await emailTypes(deps)).includes(type)) throw new NotFound("mail_type", type);
  const given = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined));
  const values = await updateSettingsSection(deps.kv, "emails", (v) => {
    if (Object.keys(given).length === 0) return null;
    const current = emailOf(type, Object.hasOwn(v, type) ? v[type] : null);
    const { type: _type, ...fields } = { ...current, ...given };
    return { ...v, [type]: fields };
  });
  return emailOf(type, values[type]);
}

/**
 * Whether Dashboard Insights logging is on (MainWP's default: on).
 *
 * @example
 * ```ts
 * await insightsLogging({ kv }); // 1
 * ```
 */
export async function insightsLogging({ kv }: StoreDeps): Promise<number> {
  const stored = await getSettingsSection(kv, "insights");
  return stored.enabled === 0 ? 0 : 1;
}

/** `PUT|PATCH /settings/dashboard-insights/edit`. */
export const insightsEditSchema = z.object({
  enable_insights_logging: flag("enable_insights_logging").optional(),
});

/**
 * Turns Dashboard Insights logging on or off (kept for compatibility: Fleetpress keeps no insights log);
 * returns the value in force.
 *
 * @example
 * ```ts
 * await setInsightsLogging({ kv }, 0);
 * ```
 */
export async function setInsightsLogging({ kv }: StoreDeps, enabled: number | undefined): Promise<number> {
  if (enabled === undefined) return await insightsLogging({ kv });
  await updateSettingsSection(kv, "insights", (v) => ({ ...v, enabled }));
  return enabled;
}

/** A backup provider: label, the plain fields it keeps, and whether it has an API key. */
interface Provider {
  label: string;
  options: readonly ("account_email" | "url" | "site_path" | "username" | "company_id")[];
  apiKey: boolean;
}

/** MainWP's API backup providers. */
export const API_BACKUP_PROVIDERS: Readonly<Record<string, Provider>> = Object.freeze({
  cloudways: { label: "Cloudways", options: ["account_email"], apiKey: true },
  gridpane: { label: "GridPane", options: [], apiKey: true },
  vultr: { label: "Vultr", options: [], apiKey: true },
  linode: { label: "Akamai (Linode)", options: [], apiKey: true },
  digitalocean: { label: "DigitalOcean", options: [], apiKey: true },
  cpanel: { label: "cPanel (WP Toolkit)", options: ["url", "site_path", "username"], apiKey: false },
  plesk: { label: "Plesk", options: ["url"], apiKey: true },
  kinsta: { label: "Kinsta", options: ["account_email", "company_id"], apiKey: true },
});

/** `PUT|PATCH /settings/api-backups/{api_slug}/edit`. */
export const apiBackupEditSchema = z.object({
  enabled: flag("enabled").optional(),
  account_email: z.unknown().transform((value, ctx): string => {
    const s = typeof value === "string" ? value.trim() : "";
    return s.length <= 254 && EMAIL_RE.test(s) ? s : fail(ctx, "rest_invalid_param", "Invalid parameter.");
  }).meta({ type: "string", format: "email" }).optional(),
  url: text("url", URL_MAX).optional(),
  site_path: text("site_path", URL_MAX).optional(),
  username: text("username").optional(),
  company_id: text("company_id").optional(),
  password: text("password", 1024).optional(),
  secrets: z.object({ api_key: text("secrets[api_key]", 1024) }).optional(),
});
/** An API backup provider edit. */
export type ApiBackupEdit = z.output<typeof apiBackupEditSchema>;

/** One provider as shown: secrets masked (`****` and the last four characters). */
export interface ApiBackupView {
  label: string;
  enabled: number;
  fields: Record<string, string>;
  /** `null` for a provider without an API key (cPanel). */
  secrets: Record<string, string> | null;
}

const mask = (tail: unknown) => typeof tail === "string" && tail !== "" ? `****${tail}` : "";

function providerView(slug: string, stored: SectionValues): ApiBackupView {
  const p = API_BACKUP_PROVIDERS[slug];
  const s = stored[slug] && typeof stored[slug] === "object" ? stored[slug] as SectionValues : {};
  const fields = Object.fromEntries(
    p.options.map((o) => [o, typeof s[o] === "string" ? s[o] as string : ""]),
  );
  return {
    label: p.label,
    enabled: s.enabled === 1 ? 1 : 0,
    fields,
    secrets: p.apiKey ? { api_key: mask(s.api_key_tail) } : null,
  };
}

/**
 * Every API backup provider's settings, secrets masked.
 *
 * @example
 * ```ts
 * (await getApiBackupSettings({ kv })).kinsta.secrets; // { api_key: "" }
 * ```
 */
export async function getApiBackupSettings({ kv }: StoreDeps): Promise<Record<string, ApiBackupView>> {
  const stored = await getSettingsSection(kv, "api_backups");
  return Object.fromEntries(
    Object.keys(API_BACKUP_PROVIDERS).map((slug) => [slug, providerView(slug, stored)]),
  );
}

/**
 * Changes one provider's settings: the fields it keeps, and its API key or password (encrypted with the
 * Dashboard's secret key; only the last four characters are kept readable, for the mask). Returns the
 * fields changed, secrets masked. {@link NotFound} (`api_backup`) for an unknown provider.
 *
 * @example
 * ```ts
 * await editApiBackup(ctx, "kinsta", { enabled: 1, secrets: { api_key: "…" } });
 * ```
 */
export async function editApiBackup(
  deps: Pick<ChildDeps, "kv" | "secretKey">,
  slug: string,
  edit: ApiBackupEdit,
): Promise<Record<string, string | number>> {
  const provider = Object.hasOwn(API_BACKUP_PROVIDERS, slug) ? API_BACKUP_PROVIDERS[slug] : null;
  if (!provider) throw new NotFound("api_backup", slug);
  const changed: Record<string, string | number> = {};
  const fields: SectionValues = {};
  if (edit.enabled !== undefined) fields.enabled = changed.enabled = edit.enabled;
  for (const option of provider.options) {
    const value = edit[option];
    if (value !== undefined) fields[option] = changed[option] = value;
  }
  // MainWP keeps one secret per provider: the API key, or the password where there is none (cPanel).
  for (const [name, secret] of [["api_key", edit.secrets?.api_key], ["password", edit.password]] as const) {
    if (!secret) continue;
    fields.api_key_sealed = await encryptPrivateKey(secret, deps.secretKey);
    fields.api_key_tail = secret.slice(-4);
    changed[name] = mask(fields.api_key_tail);
  }
  await updateSettingsSection(deps.kv, "api_backups", (v) => {
    if (Object.keys(fields).length === 0) return null;
    const current = v[slug] && typeof v[slug] === "object" ? v[slug] as SectionValues : {};
    return { ...v, [slug]: { ...current, ...fields } };
  });
  return changed;
}

/** The Tools screen's interface options. */
export interface ToolSettings {
  mainwp_theme: string;
  guided_tours: number;
  chatbase: number;
  guided_video: number;
}

const TOOL_DEFAULTS: Readonly<ToolSettings> = Object.freeze({
  mainwp_theme: "default",
  guided_tours: 0,
  chatbase: 0,
  guided_video: 0,
});

/** `PUT|PATCH /settings/tools/edit`. */
export const toolsEditSchema = z.object({
  mainwp_theme: strEnum("mainwp_theme", [
    "default",
    "default-2024",
    "classic",
    "dark",
    "wpadmin",
    "minimalistic",
  ])
    .optional(),
  guided_tours: flag("guided_tours").optional(),
  chatbase: flag("chatbase").optional(),
  guided_video: flag("guided_video").optional(),
});
/** A Tools settings edit. */
export type ToolsEdit = z.output<typeof toolsEditSchema>;

function toolsOf(stored: SectionValues): ToolSettings {
  const out = { ...TOOL_DEFAULTS } as Record<string, unknown>;
  for (const [k, v] of Object.entries(TOOL_DEFAULTS)) {
    if (Object.hasOwn(stored, k) && typeof stored[k] === typeof v) out[k] = stored[k];
  }
  return out as unknown as ToolSettings;
}

/**
 * The Tools screen's options (MainWP's defaults for anything never set).
 *
 * @example
 * ```ts
 * (await getToolSettings({ kv })).mainwp_theme; // "default"
 * ```
 */
export async function getToolSettings({ kv }: StoreDeps): Promise<ToolSettings> {
  return toolsOf(await getSettingsSection(kv, "tools"));
}

/**
 * Changes the Tools screen's options given; returns them all.
 *
 * @example
 * ```ts
 * await editToolSettings({ kv }, { mainwp_theme: "dark" });
 * ```
 */
export async function editToolSettings({ kv }: StoreDeps, edit: ToolsEdit): Promise<ToolSettings> {
  const given = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined));
  return toolsOf(await updateSettingsSection(kv, "tools", (v) => ({ ...v, ...given })));
}

/**
 * Forgets add-on licence activation data (MainWP's Tools action). Fleetpress activates no add-ons, so
 * there is only what a client may have stored in the `activation` section.
 *
 * @example
 * ```ts
 * await clearActivationData({ kv });
 * ```
 */
export async function clearActivationData({ kv }: StoreDeps): Promise<void> {
  await updateSettingsSection(kv, "activation", (v) => (Object.keys(v).length === 0 ? null : {}));
}

/**
 * Brings back the information messages a user dismissed (MainWP's `mainwp_notice_saved_status`).
 *
 * @example
 * ```ts
 * await restoreInfoMessages({ kv }, 1);
 * ```
 */
export async function restoreInfoMessages({ kv }: StoreDeps, userId: number): Promise<void> {
  const key = String(userId);
  await updateSettingsSection(kv, "notices", (v) => {
    if (!Object.hasOwn(v, key)) return null;
    const { [key]: _gone, ...rest } = v;
    return rest;
  });
}
