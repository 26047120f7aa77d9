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
 * | `fleetpress_child_max_concurrent` | filter | `maxConcurrent` (4; MainWP `mainwp_maximumRequests`), url, function |
 * | `fleetpress_child_max_per_host` | filter | `maxPerHost` (1; MainWP `mainwp_maximumIPRequests`), url, function |
 * | `fleetpress_allow_site_address` | filter | default decision, `AddressCheck` (`address-guard.ts`) |
 * | `fleetpress_check_site_up_codes` | filter | `[200…206]`, url |
 * | `mainwp_try_visit_follow_location` | filter | `false`: check-site follows no redirects |
 * | `mainwp_connect_http_request_headers` | filter | header record, `{ url }` |
 * | `fleetpress_child_tls_options` | filter | `ChildTlsOptions` (`{}`; `{ rejectUnauthorized: false }` for a site that does not verify), `{ url, verifyCertificate }` |
 * | `mainwp_before_child_request` | action | `ChildRequestInfo` |
 * | `mainwp_after_child_request` | action | `ChildRequestInfo`, `ChildRequestOutcome` |
 *
 * TLS: certificates are verified against the site's host name (MainWP's default) unless the site has
 * `verifyCertificate: false`, as in MainWP; a private CA comes from the `fleetpress_child_tls_options`
 * filter (`{ caCerts }`). Connections go only to the addresses the guard checked (see `http.ts`).
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
import {
  type AddressGuardOptions,
  ALLOW_SITE_ADDRESS_FILTER,
  checkSiteAddresses,
  parseSiteUrl,
} from "./address-guard.ts";
import { type ChildReply, parseChildReply, parseChildValue } from "./envelope.ts";
import { abortedError, ChildError } from "./errors.ts";
import { encodePhpForm, type FormFields, rawUrlEncode } from "./form.ts";
import { type ChildTlsOptions, type HttpResponse, sendHttp } from "./http.ts";
import { generateSiteKeys, randomNonce, SIGN_ALGO_SHA256, signRequestAsync } from "./keys.ts";
import { ConcurrencyLimiter } from "./limiter.ts";
import { ConnectionPool } from "./pool.ts";
import { syncValuesFromReply } from "./sync.ts";
import { isChildOutdated } from "./version.ts";

/** The MainWP Dashboard version this connector speaks as (`mainwpver`, User-Agent). */
export const DASHBOARD_VERSION = "6.1.2";

/** MainWP's default up-codes of check-site (`up_status_codes`). */
export const DEFAULT_UP_STATUS_CODES: readonly number[] = Object.freeze([200, 201, 202, 203, 204, 205, 206]);

/** Hook names used by the connector (literal, so that each call is checked against hooks/types.ts). */
export const CHILD_HOOKS = Object.freeze(
  {
    maxConcurrent: "fleetpress_child_max_concurrent",
    maxPerHost: "fleetpress_child_max_per_host",
    allowSiteAddress: ALLOW_SITE_ADDRESS_FILTER,
    upStatusCodes: "fleetpress_check_site_up_codes",
    checkFollowLocation: "mainwp_try_visit_follow_location",
    requestHeaders: "mainwp_connect_http_request_headers",
    tlsOptions: "fleetpress_child_tls_options",
    beforeRequest: "mainwp_before_child_request",
    afterRequest: "mainwp_after_child_request",
  } as const,
);

export type * from "./connector-types.ts";
import type {
  CheckSiteOptions,
  CheckSiteResult,
  ChildConnectorOptions,
  ChildRequestInfo,
  ChildRequestOutcome,
  ChildSite,
  RegisterOptions,
  RegisterResult,
  RequestOptions,
  SiteAccess,
  SyncResult,
} from "./connector-types.ts";

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
  /** Accept any JSON value (lists, strings) as the reply, kept under `value`. */
  anyValue?: boolean;
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
  readonly #guardOptions: AddressGuardOptions;
  readonly #dashboardUrl: string;
  readonly #pool: ConnectionPool | undefined;

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
      resolve: options.resolve,
    };
    const dashboard = options.dashboardUrl ?? "http://localhost/";
    this.#dashboardUrl = dashboard.endsWith("/") ? dashboard : `${dashboard}/`;
    this.#pool = options.reuseConnections ? new ConnectionPool() : undefined;
  }

  /** Closes the kept-alive connections (with `reuseConnections`); later requests open their own. */
  close(): void {
    this.#pool?.close();
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
    return await this.#exchange(await this.#signedExchange(site, fn, params, options));
  }

  /**
   * {@link call} for functions whose reply is not an object (`get_all_posts` answers a list, or `""`
   * without a status): returns the decoded JSON value as it is. A string `error` still throws.
   *
   * @example
   * ```ts
   * const posts = await connector.callValue(site, "get_all_posts", { status: "publish" }); // [{ id: 5, … }]
   * ```
   */
  async callValue(
    site: ChildSite,
    fn: string,
    params: FormFields = {},
    options: RequestOptions = {},
  ): Promise<unknown> {
    const exchange = await this.#signedExchange(site, fn, params, options);
    return (await this.#exchange({ ...exchange, anyValue: true })).value;
  }

  async #signedExchange(
    site: ChildSite,
    fn: string,
    params: FormFields,
    options: RequestOptions,
  ): Promise<Exchange> {
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
    return { siteUrl: site.url, fn, fields, access };
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
    const { url: target, addresses } = await this.#guardedUrl(url);
    const method = options.method ?? "get";
    const keyword = options.keyword ?? "";
    const release = await this.#acquireSlot(target, null, options.signal);
    const started = performance.now();
    try {
      const response = await this.#send(
        target,
        addresses,
        { siteUrl: target.href, fn: null, attempt: 1 },
        options,
        {
          method: method === "post" ? "POST" : method === "head" ? "HEAD" : "GET",
          body: method === "post" ? "test=yes" : undefined,
          followRedirects: await this.#hooks.applyFilters(
            CHILD_HOOKS.checkFollowLocation,
            false,
            target.href,
          ),
          readBody: keyword !== "" && method !== "head",
        },
      );
      const upCodes = await this.#hooks.applyFilters(
        CHILD_HOOKS.upStatusCodes,
        [...(options.upCodes ?? DEFAULT_UP_STATUS_CODES)],
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

  /**
   * The addresses a site URL may be reached at: every address its host resolves to, each allowed by the
   * address guard (`["127.0.0.1"]` for a literal). Throws {@link ChildError} `URL_NOT_ALLOWED` or
   * `HTTPERROR` ("Could not resolve host"); `null` when host names are not resolved (`resolveHostnames`).
   *
   * @example
   * ```ts
   * await connector.siteAddresses("http://localhost:8080/"); // ["127.0.0.1", "::1"]
   * ```
   */
  async siteAddresses(url: string | URL): Promise<string[] | null> {
    return (await this.#guardedUrl(url)).addresses;
  }

  async #guardedUrl(url: string | URL): Promise<{ url: URL; addresses: string[] | null }> {
    const parsed = parseSiteUrl(url);
    return { url: parsed, addresses: await checkSiteAddresses(parsed, this.#hooks, this.#guardOptions) };
  }

  /** A slot for a request to `target`; `fn` is the child function (`null`: a site check). */
  async #acquireSlot(target: URL, fn: string | null, signal?: AbortSignal): Promise<() => void> {
    const globalLimit = await this.#hooks.applyFilters(
      CHILD_HOOKS.maxConcurrent,
      this.#maxConcurrent,
      target.href,
      fn,
    );
    const hostLimit = await this.#hooks.applyFilters(
      CHILD_HOOKS.maxPerHost,
      this.#maxPerHost,
      target.href,
      fn,
    );
    try {
      return await this.#limiter.acquire(target.host, globalLimit, hostLimit, signal);
    } catch (cause) {
      throw abortedError(cause);
    }
  }

  /** A protocol request: the admin-ajax URL first, then (MainWP's retry) the bare site URL. */
  async #exchange(exchange: Exchange): Promise<ChildReply> {
    const { url: site, addresses } = await this.#guardedUrl(exchange.siteUrl);
    const endpoint = new URL(ajaxUrl(site.href));
    const body = encodePhpForm(exchange.fields);
    const release = await this.#acquireSlot(site, exchange.fn, exchange.access.signal);
    const started = performance.now();
    try {
      return await this.#post(endpoint, addresses, exchange, body, 1);
    } catch (error) {
      const retry = isRetryable(error) && endpoint.href !== site.href &&
        performance.now() - started < RETRY_WINDOW_MS;
      if (!retry) throw error;
      return await this.#post(site, addresses, exchange, body, 2);
    } finally {
      release();
    }
  }

  async #post(
    url: URL,
    addresses: string[] | null,
    exchange: Exchange,
    body: string,
    attempt: number,
  ): Promise<ChildReply> {
    const request = { method: "POST" as const, body, followRedirects: true, readBody: true };
    const response = await this.#send(
      url,
      addresses,
      { siteUrl: exchange.siteUrl, fn: exchange.fn, attempt },
      exchange.access,
      {
        ...request,
        parse: (res) =>
          exchange.anyValue
            ? { value: parseChildValue(res.body, { status: res.status }) }
            : parseChildReply(res.body, { status: res.status }),
      },
    );
    return response.reply ?? {};
  }

  /**
   * Sends one HTTP request (to the checked `addresses` of the URL's host) with the before/after actions
   * around it; `parse` counts as part of it.
   */
  async #send(
    url: URL,
    addresses: string[] | null,
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
    // A site whose owner switched verification off (MainWP's per-site "Verify SSL certificate: No") is
    // contacted without it, as MainWP's cURL does; the filter may still decide otherwise.
    const verify = access.verifyCertificate ?? true;
    const tls: ChildTlsOptions = await this.#hooks.applyFilters(
      CHILD_HOOKS.tlsOptions,
      verify ? {} : { rejectUnauthorized: false },
      {
        url: about.siteUrl,
        verifyCertificate: verify,
      },
    );
    await this.#hooks.doAction(CHILD_HOOKS.beforeRequest, info);
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await sendHttp({
        ...request,
        url,
        addresses,
        headers,
        timeoutMs: access.timeoutMs ?? this.#timeoutMs,
        signal: access.signal,
        maxBodyBytes: this.#maxBodyBytes,
        maxRedirects: this.#maxRedirects,
        guard: async (next) => (await this.#guardedUrl(next)).addresses,
        tls,
        pool: this.#pool,
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
