/**
 * @module
 * The Dashboard side of the MainWP Child protocol (child-protocol.md): `register` with a fresh key pair,
 * signed calls (`function`, `user`, `nonce`, `mainwpver`, `sign_algo=7`, `mainwpsignature` over
 * `function + nonce`), the unsigned pre-connect `stats` probe, and the unsigned "check site". Requests
 * go as MainWP sends them (form POST to `<site>/wp-admin/admin-ajax.php`, MainWP User-Agent,
 * `X-Requested-With`, `Referer`, optional HTTP Basic; one retry against the bare site URL when the first
 * attempt fails without a child answer), under a global and a per-host concurrency limit, a per-request
 * time limit and a body size cap. Hooks:
 *
 * | hook | kind | value, arguments |
 * |---|---|---|
 * | `fleetpress_child_max_concurrent` | filter | `maxConcurrent` (4; MainWP `mainwp_maximumRequests`), url |
 * | `fleetpress_child_max_per_host` | filter | `maxPerHost` (1; MainWP `mainwp_maximumIPRequests`), url |
 * | `fleetpress_allow_site_address` | filter | default decision, `AddressCheck` (`address-guard.ts`) |
 * | `fleetpress_check_site_up_codes` | filter | `[200…206]`, url |
 * | `mainwp_try_visit_follow_location` | filter | `false`: check-site follows no redirects |
 * | `mainwp_connect_http_request_headers` | filter | header record, `{ url }` |
 * | `fleetpress_child_http_client` | filter | `undefined` or `Deno.HttpClient`, `{ url, verifyCertificate }` |
 * | `mainwp_before_child_request` | action | `ChildRequestInfo` |
 * | `mainwp_after_child_request` | action | `ChildRequestInfo`, `ChildRequestOutcome` |
 *
 * TLS: certificates are verified (MainWP's default). Deno cannot switch verification off per request, so
 * a site with `verifyCertificate: false` needs the `fleetpress_child_http_client` filter (a client with the
 * site's CA) or the process flag `--unsafely-ignore-certificate-errors=<host>`.
 *
 * @example
 * ```ts
 * const connector = new ChildConnector(hooks, { dashboardUrl: "https://dash.example/" });
 * const { keys, reply } = await connector.register("https://child.example/", {
 *   adminUser: "admin",
 *   adminPassword: "secret",
 * });
 * const site = { url: "https://child.example/", adminName: "admin", privateKeyPem: keys.privateKeyPem };
 * const stats = await connector.call(site, "stats");
 * ```
 */
import { Buffer } from "node:buffer";
import { STATUS_CODES } from "node:http";
import type { HookRegistry } from "../hooks/registry.ts";
import { ALLOW_SITE_ADDRESS_FILTER, assertSiteAddressAllowed, parseSiteUrl } from "./address-guard.ts";
import { type ChildReply, parseChildReply } from "./envelope.ts";
import { abortedError, ChildError } from "./errors.ts";
import { encodePhpForm, type FormFields, rawUrlEncode } from "./form.ts";
import { type HttpResponse, sendHttp } from "./http.ts";
import {
  generateSiteKeys,
  randomNonce,
  SIGN_ALGO_SHA256,
  signRequestAsync,
  type SiteKeyPair,
} from "./keys.ts";
import { ConcurrencyLimiter } from "./limiter.ts";
import { type SyncValues, syncValuesFromReply } from "./sync.ts";
import { isChildOutdated } from "./version.ts";

/** The MainWP Dashboard version this connector speaks as (`mainwpver`, User-Agent). */
export const DASHBOARD_VERSION = "6.1.2";

/** MainWP's default up-codes of check-site (`up_status_codes`). */
export const DEFAULT_UP_STATUS_CODES: readonly number[] = Object.freeze([200, 201, 202, 203, 204, 205, 206]);

/** Hook names used by the connector. */
export const CHILD_HOOKS: Readonly<
  Record<
    | "maxConcurrent"
    | "maxPerHost"
    | "allowSiteAddress"
    | "upStatusCodes"
    | "checkFollowLocation"
    | "requestHeaders"
    | "httpClient"
    | "beforeRequest"
    | "afterRequest",
    string
  >
> = Object.freeze({
  maxConcurrent: "fleetpress_child_max_concurrent",
  maxPerHost: "fleetpress_child_max_per_host",
  allowSiteAddress: ALLOW_SITE_ADDRESS_FILTER,
  upStatusCodes: "fleetpress_check_site_up_codes",
  checkFollowLocation: "mainwp_try_visit_follow_location",
  requestHeaders: "mainwp_connect_http_request_headers",
  httpClient: "fleetpress_child_http_client",
  beforeRequest: "mainwp_before_child_request",
  afterRequest: "mainwp_after_child_request",
});

/** Constructor options of {@link ChildConnector}. */
export interface ChildConnectorOptions {
  /** Per-request time limit in ms, connect to last body byte (default 120 000). */
  timeoutMs?: number;
  /** Requests in flight overall (default 4; 0 = no limit). Filter: `fleetpress_child_max_concurrent`. */
  maxConcurrent?: number;
  /** Requests in flight per host (default 1; 0 = no limit). Filter: `fleetpress_child_max_per_host`. */
  maxPerHost?: number;
  /** Largest accepted reply in bytes (default 16 MiB). */
  maxBodyBytes?: number;
  /** Allow RFC 1918 / unique-local / CGNAT site addresses (default false). */
  allowPrivateAddresses?: boolean;
  /** Resolve site host names and check their addresses (default true). */
  resolveHostnames?: boolean;
  /** The Dashboard's public URL (`Referer`); `<dashboardUrl>/wp-admin/` is the `server` sent on register. */
  dashboardUrl?: string;
  /** Most redirects followed on protocol calls (default 10). */
  maxRedirects?: number;
}

/** A connected site, as the store keeps it (private key decrypted). */
export interface ChildSite {
  /** Site URL, e.g. `https://child.example/`. */
  url: string;
  /** The child admin the site was registered with (`user`). */
  adminName: string;
  /** PEM private key of the site's key pair. */
  privateKeyPem: string;
  /** HTTP Basic user for htaccess-protected sites. */
  httpUser?: string;
  /** HTTP Basic password. */
  httpPass?: string;
  /** Verify the TLS certificate (default true; see the module notes). */
  verifyCertificate?: boolean;
  /** Act as another administrator on the child (`alt_user`). */
  altUser?: string;
}

/** Per-request options. */
export interface RequestOptions {
  /** Overrides the connector's time limit for this request. */
  timeoutMs?: number;
  /** Cancels the request (also while it waits for a slot). */
  signal?: AbortSignal;
}

/** HTTP access settings of a site that is not registered yet. */
export interface SiteAccess {
  /** HTTP Basic user for htaccess-protected sites. */
  httpUser?: string;
  /** HTTP Basic password. */
  httpPass?: string;
  /** Verify the TLS certificate (default true). */
  verifyCertificate?: boolean;
}

/** Options of {@link ChildConnector.register}. */
export interface RegisterOptions extends RequestOptions, SiteAccess {
  /** Administrator login on the child (`user`). */
  adminUser: string;
  /** That administrator's WordPress password (`userpwd`, sent URL-encoded once more). */
  adminPassword?: string;
  /** The child's "unique security ID", when it requires one. */
  uniqueId?: string;
  /** Verify key of a previous registration, for reconnects (`regverify`). */
  regverify?: string;
  /** Reuse this key pair instead of generating one. */
  keys?: SiteKeyPair;
}

/** Result of {@link ChildConnector.register}. */
export interface RegisterResult {
  /** The site's key pair; store the private key encrypted. */
  keys: SiteKeyPair;
  /** The child's reply: a full sync payload plus `register`, `regverify`, `uniqueId`, `user`. */
  reply: ChildReply;
  /** New verify key to keep (site option `register_verify_key`), when the child issued one. */
  regverify?: string;
  /** The child's unique security ID (`""` when none). */
  uniqueId: string;
  /** The connected administrator. */
  user: string;
  /** Child plugin version (`""` if the reply lacks it). */
  childVersion: string;
  /** Whether the child is older than MainWP's minimum (4.0.0). */
  childOutdated: boolean;
}

/** Result of {@link ChildConnector.sync}. */
export interface SyncResult {
  /** The raw `stats` reply. */
  reply: ChildReply;
  /** What to store, see `sync.ts`. */
  values: SyncValues;
  /** Child plugin version (`""` if unknown). */
  childVersion: string;
  /** Whether the child is older than MainWP's minimum (4.0.0). */
  childOutdated: boolean;
}

/** Options of {@link ChildConnector.checkSite}. */
export interface CheckSiteOptions extends RequestOptions, SiteAccess {
  /** `get` (uptime-monitor default), `head`, or `post` (legacy: body `test=yes`). */
  method?: "get" | "head" | "post";
  /** Online only if the body contains this text (case-insensitive). */
  keyword?: string;
}

/** Result of {@link ChildConnector.checkSite}. */
export interface CheckSiteResult {
  /** The URL checked. */
  url: string;
  /** HTTP code in the up-codes (and keyword found, when asked). */
  online: boolean;
  /** HTTP status, 0 when none was received. */
  httpCode: number;
  /** Reason phrase of `httpCode` (`"OK"`), `""` if unknown. */
  httpCodeString: string;
  /** Time to the answer in ms. */
  responseTimeMs: number;
  /** Whether the keyword was found (only when one was given). */
  keywordFound?: boolean;
  /** Why no HTTP status was received. */
  error?: string;
}

/** What the before/after actions are told about a request (never credentials or keys). */
export interface ChildRequestInfo {
  /** The URL requested. */
  url: string;
  /** The site URL. */
  siteUrl: string;
  /** The protocol function (`register`, `stats`, …), or `null` for check-site. */
  function: string | null;
  /** 1, or 2 for the retry against the bare site URL. */
  attempt: number;
}

/** How a request ended. */
export interface ChildRequestOutcome {
  /** HTTP status, when one was received. */
  status?: number;
  /** Duration in ms. */
  durationMs: number;
  /** The failure, if any. */
  error?: ChildError;
}

/** Protocol fields a caller's params cannot override. */
const RESERVED_FIELDS = [
  "user",
  "function",
  "nonce",
  "mainwpver",
  "sign_algo",
  "mainwpsignature",
  "verifylib",
];
/** MainWP retries against the bare URL only if the first attempt took less than this. */
const RETRY_WINDOW_MS = 30_000;

/** HTTP access and per-request settings of one exchange. */
type Access = SiteAccess & RequestOptions;

interface Exchange {
  siteUrl: string;
  fn: string;
  fields: FormFields;
  access: Access;
}

/** Talks to MainWP Child sites; one instance per application (it owns the concurrency limits). */
export class ChildConnector {
  readonly #hooks: HookRegistry;
  readonly #limiter = new ConcurrencyLimiter();
  readonly #timeoutMs: number;
  readonly #maxConcurrent: number;
  readonly #maxPerHost: number;
  readonly #maxBodyBytes: number;
  readonly #maxRedirects: number;
  readonly #guardOptions: { allowPrivateAddresses: boolean; resolveHostnames: boolean };
  readonly #dashboardUrl: string;

  /** Uses `hooks` for the filters and actions listed in the module notes. */
  constructor(hooks: HookRegistry, options: ChildConnectorOptions = {}) {
    this.#hooks = hooks;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#maxConcurrent = options.maxConcurrent ?? 4;
    this.#maxPerHost = options.maxPerHost ?? 1;
    this.#maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
    this.#maxRedirects = options.maxRedirects ?? 10;
    this.#guardOptions = {
      allowPrivateAddresses: options.allowPrivateAddresses ?? false,
      resolveHostnames: options.resolveHostnames ?? true,
    };
    const dashboard = options.dashboardUrl ?? "http://localhost/";
    this.#dashboardUrl = dashboard.endsWith("/") ? dashboard : `${dashboard}/`;
  }

  /** Requests in flight and waiting, for monitoring. */
  get load(): { active: number; waiting: number } {
    return { active: this.#limiter.active, waiting: this.#limiter.waiting };
  }

  /** The `server` value sent on register: the Dashboard's admin URL. */
  get serverUrl(): string {
    return `${this.#dashboardUrl}wp-admin/`;
  }

  /**
   * Registers (connects) a child site: generates a key pair, sends `function=register` with the public
   * key, admin user and password, and requires `register: "OK"`. Child refusals (`REG_ERROR2` "Public key
   * already set", `REG_ERROR7` wrong password, …) throw {@link ChildError} with the child's code.
   *
   * @example
   * ```ts
   * const result = await connector.register(url, { adminUser: "admin", adminPassword: "admin-password" });
   * result.reply.wpversion; // the reply is a full sync payload
   * ```
   */
  async register(url: string, options: RegisterOptions): Promise<RegisterResult> {
    const keys = options.keys ?? await generateSiteKeys();
    const fields: FormFields = {
      user: options.adminUser,
      function: "register",
      mainwpver: DASHBOARD_VERSION,
      pubkey: keys.publicKeyPem,
      server: this.serverUrl,
      uniqueId: options.uniqueId,
      userpwd: options.adminPassword === undefined ? undefined : rawUrlEncode(options.adminPassword),
      regverify: options.regverify,
    };
    const reply = await this.#exchange({ siteUrl: url, fn: "register", fields, access: options });
    if (reply.register !== "OK") {
      throw new ChildError("REGISTER_FAILED", "The child site did not confirm the registration.", "child", {
        reply,
      });
    }
    const childVersion = String(reply.version ?? "");
    return {
      keys,
      reply,
      regverify: typeof reply.regverify === "string" && reply.regverify !== "" ? reply.regverify : undefined,
      uniqueId: String(reply.uniqueId ?? ""),
      user: String(reply.user ?? options.adminUser),
      childVersion,
      childOutdated: isChildOutdated(childVersion),
    };
  }

  /**
   * Calls a child function with a signed request and returns the decoded reply. MainWP's `optimize=1` is
   * added unless given; `params` cannot override the protocol fields. A reply with a string `error`
   * throws {@link ChildError} (code = the child's `error_code`, or `CHILD_ERROR`).
   *
   * @example
   * ```ts
   * await connector.call(site, "plugin_action", { action: "activate", plugin: "akismet/akismet.php" });
   * ```
   */
  async call(
    site: ChildSite,
    fn: string,
    params: FormFields = {},
    options: RequestOptions = {},
  ): Promise<ChildReply> {
    if (fn === "") throw new TypeError("a child function name is required");
    const nonce = randomNonce();
    const mainwpsignature = await signRequestAsync(site.privateKeyPem, fn, nonce);
    const extra = Object.fromEntries(
      Object.entries(params).filter(([name]) => !RESERVED_FIELDS.includes(name)),
    );
    const fields: FormFields = {
      user: site.adminName,
      function: fn,
      nonce,
      mainwpver: DASHBOARD_VERSION,
      optimize: 1,
      ...extra,
      sign_algo: SIGN_ALGO_SHA256,
      mainwpsignature,
      alt_user: site.altUser ? rawUrlEncode(site.altUser) : undefined,
    };
    const { httpUser, httpPass, verifyCertificate } = site;
    const access = { httpUser, httpPass, verifyCertificate, ...options };
    return await this.#exchange({ siteUrl: site.url, fn, fields, access });
  }

  /**
   * Syncs a site (`function=stats`) and maps the reply to the values to store.
   *
   * @example
   * ```ts
   * const { values, childOutdated } = await connector.sync(site, { server: connector.serverUrl });
   * ```
   */
  async sync(site: ChildSite, params: FormFields = {}, options: RequestOptions = {}): Promise<SyncResult> {
    const reply = await this.call(site, "stats", params, options);
    const childVersion = String(reply.version ?? "");
    return {
      reply,
      values: syncValuesFromReply(reply),
      childVersion,
      childOutdated: isChildOutdated(childVersion),
    };
  }

  /**
   * The unsigned pre-connect `stats`: an unconnected child answers `{version, wpversion, wpe, wphost}`;
   * a connected one throws {@link ChildError} "This site already contains a link…".
   *
   * @example
   * ```ts
   * (await connector.probe(url, { adminUser: "admin" })).version; // "6.1"
   * ```
   */
  probe(url: string, options: RequestOptions & SiteAccess & { adminUser: string }): Promise<ChildReply> {
    const fields: FormFields = { user: options.adminUser, function: "stats", mainwpver: DASHBOARD_VERSION };
    return this.#exchange({ siteUrl: url, fn: "stats", fields, access: options });
  }

  /**
   * Checks a site the unsigned way: online when the HTTP code is in the up-codes (filter
   * `fleetpress_check_site_up_codes`) and, if a keyword is given, the body contains it. Network failures
   * give `online: false, httpCode: 0` with `error`; refused URLs and cancellation throw.
   *
   * @example
   * ```ts
   * const { online, httpCode } = await connector.checkSite("https://child.example/");
   * ```
   */
  async checkSite(url: string, options: CheckSiteOptions = {}): Promise<CheckSiteResult> {
    const target = await this.#guardedUrl(url);
    const method = options.method ?? "get";
    const keyword = options.keyword ?? "";
    const release = await this.#acquireSlot(target, options.signal);
    const started = performance.now();
    try {
      const response = await this.#send(target, { siteUrl: target.href, fn: null, attempt: 1 }, options, {
        method: method === "post" ? "POST" : method === "head" ? "HEAD" : "GET",
        body: method === "post" ? "test=yes" : undefined,
        followRedirects: await this.#hooks.applyFilters(CHILD_HOOKS.checkFollowLocation, false, target.href),
        readBody: keyword !== "" && method !== "head",
      });
      const upCodes = await this.#hooks.applyFilters(
        CHILD_HOOKS.upStatusCodes,
        [...DEFAULT_UP_STATUS_CODES],
        target.href,
      );
      const keywordFound = keyword === ""
        ? undefined
        : response.body.toLowerCase().includes(keyword.toLowerCase());
      return {
        url: target.href,
        online: upCodes.includes(response.status) && keywordFound !== false,
        httpCode: response.status,
        httpCodeString: STATUS_CODES[response.status] ?? "",
        responseTimeMs: Math.round(performance.now() - started),
        ...(keywordFound === undefined ? {} : { keywordFound }),
      };
    } catch (error) {
      if (!(error instanceof ChildError) || !["http", "timeout", "too_large"].includes(error.category)) {
        throw error;
      }
      const httpCode = error.status ?? 0;
      return {
        url: target.href,
        online: false,
        httpCode,
        httpCodeString: STATUS_CODES[httpCode] ?? "",
        responseTimeMs: Math.round(performance.now() - started),
        error: error.message,
      };
    } finally {
      release();
    }
  }

  async #guardedUrl(url: string | URL): Promise<URL> {
    const parsed = parseSiteUrl(url);
    await assertSiteAddressAllowed(parsed, this.#hooks, this.#guardOptions);
    return parsed;
  }

  async #acquireSlot(target: URL, signal?: AbortSignal): Promise<() => void> {
    const globalLimit = await this.#hooks.applyFilters(
      CHILD_HOOKS.maxConcurrent,
      this.#maxConcurrent,
      target.href,
    );
    const hostLimit = await this.#hooks.applyFilters(CHILD_HOOKS.maxPerHost, this.#maxPerHost, target.href);
    try {
      return await this.#limiter.acquire(target.host, globalLimit, hostLimit, signal);
    } catch (cause) {
      throw abortedError(cause);
    }
  }

  /** A protocol request: the admin-ajax URL first, then (MainWP's retry) the bare site URL. */
  async #exchange(exchange: Exchange): Promise<ChildReply> {
    const site = await this.#guardedUrl(exchange.siteUrl);
    const endpoint = new URL(ajaxUrl(site.href));
    const body = encodePhpForm(exchange.fields);
    const release = await this.#acquireSlot(site, exchange.access.signal);
    const started = performance.now();
    try {
      return await this.#post(endpoint, exchange, body, 1);
    } catch (error) {
      const retry = isRetryable(error) && endpoint.href !== site.href &&
        performance.now() - started < RETRY_WINDOW_MS;
      if (!retry) throw error;
      return await this.#post(site, exchange, body, 2);
    } finally {
      release();
    }
  }

  async #post(url: URL, exchange: Exchange, body: string, attempt: number): Promise<ChildReply> {
    const request = { method: "POST" as const, body, followRedirects: true, readBody: true };
    const response = await this.#send(
      url,
      { siteUrl: exchange.siteUrl, fn: exchange.fn, attempt },
      exchange.access,
      {
        ...request,
        parse: (res) => parseChildReply(res.body, { status: res.status }),
      },
    );
    return response.reply ?? {};
  }

  /** Sends one HTTP request with the before/after actions around it; `parse` counts as part of it. */
  async #send(
    url: URL,
    about: { siteUrl: string; fn: string | null; attempt: number },
    access: Access,
    request: {
      method: "GET" | "HEAD" | "POST";
      body?: string;
      followRedirects: boolean;
      readBody: boolean;
      parse?: (response: HttpResponse) => ChildReply;
    },
  ): Promise<HttpResponse & { reply?: ChildReply }> {
    const info: ChildRequestInfo = {
      url: url.href,
      siteUrl: about.siteUrl,
      function: about.fn,
      attempt: about.attempt,
    };
    const headers = await this.#headers(url, access, request.body !== undefined);
    const client = await this.#hooks.applyFilters<Deno.HttpClient | undefined>(
      CHILD_HOOKS.httpClient,
      undefined,
      {
        url: about.siteUrl,
        verifyCertificate: access.verifyCertificate ?? true,
      },
    );
    await this.#hooks.doAction(CHILD_HOOKS.beforeRequest, info);
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await sendHttp({
        ...request,
        url,
        headers,
        timeoutMs: access.timeoutMs ?? this.#timeoutMs,
        signal: access.signal,
        maxBodyBytes: this.#maxBodyBytes,
        maxRedirects: this.#maxRedirects,
        guard: async (next) => void await this.#guardedUrl(next),
        client,
      });
      status = response.status;
      const reply = request.parse?.(response);
      await this.#hooks.doAction(CHILD_HOOKS.afterRequest, info, { status, durationMs: elapsed(started) });
      return { ...response, reply };
    } catch (error) {
      const failure = error instanceof ChildError ? error : undefined;
      const outcome: ChildRequestOutcome = {
        status: status ?? failure?.status,
        durationMs: elapsed(started),
      };
      await this.#hooks.doAction(
        CHILD_HOOKS.afterRequest,
        info,
        failure ? { ...outcome, error: failure } : outcome,
      );
      throw error;
    }
  }

  async #headers(url: URL, access: SiteAccess, hasBody: boolean): Promise<Headers> {
    const record: Record<string, string> = {
      "User-Agent": `Mozilla/5.0 (compatible; MainWP/${DASHBOARD_VERSION}; +http://mainwp.com)`,
      "X-Requested-With": "XMLHttpRequest",
      "Referer": this.#dashboardUrl,
    };
    if (hasBody) record["Content-Type"] = "application/x-www-form-urlencoded";
    if (access.httpUser && access.httpPass) {
      record["Authorization"] = "Basic " +
        Buffer.from(`${access.httpUser}:${access.httpPass}`).toString("base64");
    }
    const filtered = await this.#hooks.applyFilters(CHILD_HOOKS.requestHeaders, record, { url: url.href });
    return new Headers(filtered);
  }
}

/**
 * MainWP's endpoint rule: `<url>/wp-admin/admin-ajax.php`, unless the URL already contains `wp-admin`.
 *
 * @example
 * ```ts
 * ajaxUrl("https://child.example"); // "https://child.example/wp-admin/admin-ajax.php"
 * ```
 */
export function ajaxUrl(siteUrl: string): string {
  const base = siteUrl.endsWith("/") ? siteUrl : `${siteUrl}/`;
  return siteUrl.includes("wp-admin") ? base : `${base}wp-admin/admin-ajax.php`;
}

function isRetryable(error: unknown): boolean {
  return error instanceof ChildError && (error.category === "http" || error.category === "not_mainwp");
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
