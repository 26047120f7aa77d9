/**
 * @module
 * One simulated MainWP Child site: the child's request handling (child-protocol.md §B2–§B6) over a
 * site's form fields, with its state — connection (public key, Dashboard URL, admin, accepted signature
 * algorithm, register verify keys), users, plugins, themes, pending updates, posts (`posts.ts`). It checks
 * what the real child checks, in the same order: signed requests are verified first (bad or missing key →
 * "Authentication failed!"), then `register` (REG_ERROR1–10), then the callable functions (unknown →
 * `child_plugin_incompatible`). Functions a Dashboard uses are simulated and change the state (updates
 * applied disappear from the next `stats`); other known functions answer `sim_not_implemented`.
 *
 * @example
 * ```ts
 * const site = new SimSite(1, "http://127.0.0.1:8080/site-1/");
 * site.handle(new URLSearchParams({ function: "stats", user: "admin" })); // { kind: "envelope", … }
 * ```
 */
import { rawUrlDecode } from "../child/form.ts";
import { SIGN_ALGORITHMS, verifySignature } from "../child/keys.ts";
import { compareVersions } from "../child/version.ts";
import {
  CHILD_PLUGIN_FILE,
  SECURITY_CHECK_NAMES,
  type SiteContent,
  siteContent,
  WP_LATEST,
} from "./catalog.ts";
import {
  buildStats,
  hasUpdate,
  pluginList,
  pluginSlug,
  pluginUpdates,
  type StatsState,
  themeList,
} from "./stats.ts";
import { KNOWN_FUNCTIONS, MESSAGES } from "./messages.ts";
import { WpAdminLog } from "./wp-admin.ts";
import { ChildFatal, SimPosts } from "./posts.ts";
import { seedAccount, type SimAccount, simUsersCall } from "./users.ts";

/** Ways a site can answer protocol requests with something that is not a valid envelope. */
export type GarbageMode = "html" | "invalid-base64" | "invalid-json" | "truncated" | "oversized";

/** Per-site switches a test flips. */
export interface SiteControls {
  /** Extra latency of every request to this site, in ms (on top of the server's). */
  latencyMs: number;
  /** Answer every request with HTTP 503 and a maintenance page. */
  offline: boolean;
  /** Answer every request with this HTTP status and an HTML error page (`null` = off). */
  httpStatus: number | null;
  /** Answer protocol requests with a broken body (`null` = off). */
  garbage: GarbageMode | null;
  /** Body size of the `oversized` garbage, in bytes (default 32 MiB, streamed without Content-Length). */
  oversizeBytes: number;
  /** Child plugin version the site reports (default `"6.1"`). */
  childVersion: string;
}

/** How the site answers one request. */
export type SimAnswer =
  /** A `<mainwp>` envelope with this value. */
  | { kind: "envelope"; value: unknown }
  /** A PHP fatal error: HTTP 500 with WordPress's critical-error page. */
  | { kind: "fatal" }
  /** The ordinary WordPress page: the child did not take the request. */
  | { kind: "page" };

/** Settings of a simulated site. */
export interface SimSiteOptions {
  /** Administrator login (default `admin`). */
  adminUser?: string;
  /** Administrator password (default `admin-password`). */
  adminPassword?: string;
  /** Require this unique security ID on register (default none). */
  uniqueId?: string;
  /** Child plugin version (default `"6.1"`). */
  childVersion?: string;
  /** Plugins in the stats reply, MainWP Child included (default: a few, varying by site). */
  plugins?: number;
  /** Installed themes (default: 2–4, varying by site). */
  themes?: number;
}

/** Thrown to end a request with an envelope, as the child's `MainWP_Helper::write` does (`die`). */
class ChildExit {
  constructor(readonly value: unknown) {}
}

const REGVERIFY_KEPT = 5;

function exit(value: unknown): never {
  throw new ChildExit(value);
}

function fail(message: string, code?: string): never {
  exit(code === undefined ? { error: message } : { error: message, error_code: code });
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

function listParam(fields: URLSearchParams, name: string, separator: string): string[] {
  return (fields.get(name) ?? "").split(separator).map((s) => s.trim()).filter((s) => s !== "");
}

function actionItem(item: { name: string; version: string }, slug: string) {
  return { name: item.name, version: item.version, slug };
}

/** One simulated child site. */
export class SimSite {
  /** Site number (1-based). */
  readonly index: number;
  /** The site URL (`http://127.0.0.1:PORT/site-N/`). */
  readonly url: string;
  /** Switches for tests. */
  readonly controls: SiteControls;
  /** Protocol requests received, by function (`#page` for requests the child did not take). */
  readonly calls = new Map<string, number>();
  /** Whether MainWP Child is active (false after `deactivate`). */
  pluginActive = true;

  readonly #content: SiteContent;
  readonly #users = new Map<string, SimAccount>();
  readonly #adminUser: string;
  readonly #uniqueId: string;
  #pubkey: string | null = null;
  #server = "";
  #connectedAdmin = "";
  #signAlgo: number | null = null;
  #verifies: { key: string; secret: string }[] = [];
  #missingTheme: string | null = null;
  readonly #wpAdmin = new WpAdminLog();
  readonly #posts: SimPosts;

  /** Site `index` (1-based) served at `url`. */
  constructor(index: number, url: string, options: SimSiteOptions = {}) {
    this.index = index;
    this.url = url;
    this.#content = siteContent(index, { plugins: options.plugins, themes: options.themes });
    this.#adminUser = options.adminUser ?? "admin";
    this.#uniqueId = options.uniqueId ?? "";
    seedAccount(
      this.#users,
      this.#adminUser,
      options.adminPassword ?? "admin-password",
      "administrator",
      `admin@site-${index}.test`,
    );
    seedAccount(this.#users, "editor", "editor-password", "editor", `editor@site-${index}.test`);
    this.#posts = new SimPosts(this.#content, url, this.#adminUser, `admin@site-${index}.test`);
    this.controls = {
      latencyMs: 0,
      offline: false,
      httpStatus: null,
      garbage: null,
      oversizeBytes: 32 * 1024 * 1024,
      childVersion: options.childVersion ?? "6.1",
    };
  }

  /** The site's WordPress users by login (`sim/users.ts`). */
  get users(): ReadonlyMap<string, SimAccount> {
    return this.#users;
  }

  /** Whether a Dashboard key is stored. */
  get connected(): boolean {
    return this.#pubkey !== null;
  }

  /** The Dashboard admin URL stored on register (`""` when not connected). */
  get server(): string {
    return this.#server;
  }

  /** Pending update counts, for assertions. */
  get pendingUpdates(): { core: boolean; plugins: number; themes: number; translations: number } {
    return {
      core: compareVersions(this.#content.wpVersion, WP_LATEST) < 0,
      plugins: this.#content.plugins.filter(hasUpdate).length,
      themes: this.#content.themes.filter(hasUpdate).length,
      translations: this.#content.translations.length,
    };
  }

  /** Counts a request for `fn` (`null`: a request the child does not take, counted as `#page`). */
  recordCall(fn: string | null): void {
    const name = fn ?? "#page";
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  /** "Deactivate and reactivate the child plugin": active again, connection data removed. */
  reactivate(): void {
    this.pluginActive = true;
    this.#forgetConnection();
  }

  /**
   * A plugin (de)activated by the administrator in wp-admin, outside the Dashboard: the state changes
   * and the child logs it (a deactivation in `child_site_actions_data`, an activation in the change log).
   * Returns false when the plugin is not installed or already in that state.
   *
   * @example
   * ```ts
   * site.wpAdminPluginAction("hello.php", "deactivate");
   * ```
   */
  wpAdminPluginAction(file: string, action: "activate" | "deactivate"): boolean {
    const plugin = this.#content.plugins.find((p) => p.file === file);
    if (!plugin || plugin.active === (action === "activate")) return false;
    plugin.active = action === "activate";
    const user = { id: 1, login: this.#adminUser, role: "administrator" };
    this.#wpAdmin.pluginChange(plugin, action, user);
    return true;
  }

  /**
   * Handles one request's form fields as the child plugin would.
   *
   * @example
   * ```ts
   * site.handle(new URLSearchParams("function=stats&user=admin")).kind; // "envelope"
   * ```
   */
  handle(fields: URLSearchParams): SimAnswer {
    const fn = fields.get("function");
    this.recordCall(fn);
    if (!this.pluginActive) return { kind: "page" };
    try {
      const signature = rawUrlDecode(fields.get("mainwpsignature") ?? "");
      const authed = signature !== "" && this.#checkLogin(fields, fn, signature);
      if (fn === "register") exit(this.#register(fields));
      if (fn === null) return { kind: "page" };
      if (authed) {
        if (!KNOWN_FUNCTIONS.has(fn)) fail(MESSAGES.incompatible, "child_plugin_incompatible");
        exit(this.#call(fn, fields));
      }
      if (fn === "stats") exit(this.#statsNoAuth());
      return { kind: "page" };
    } catch (e) {
      if (e instanceof ChildExit) return { kind: "envelope", value: e.value };
      if (e instanceof ChildFatal) return { kind: "fatal" };
      throw e;
    }
  }

  /** The child's early login check of signed requests (`check_login`, init priority 1). */
  #checkLogin(fields: URLSearchParams, fn: string | null, signature: string): true {
    if (!this.#verify(fields, fn ?? "", signature)) fail(MESSAGES.authFailed);
    const user = fields.get("user");
    if (fn !== null && user !== null) {
      const altUser = rawUrlDecode(fields.get("alt_user") ?? "");
      const login = this.#users.get(altUser)?.role === "administrator" ? altUser : user;
      const account = this.#users.get(login);
      if (!account) fail(MESSAGES.unknownUser);
      if (account.role !== "administrator") fail(MESSAGES.notAdmin);
    }
    return true;
  }

  /** Signature check: `function + nonce`, the stored public key, the `sign_algo` hash. */
  #verify(fields: URLSearchParams, fn: string, signature: string): boolean {
    if (this.#pubkey === null) return false;
    const data = fn + (fields.get("nonce") ?? "");
    const algoText = fields.get("sign_algo");
    if (algoText === null) {
      return this.#signAlgo === null && verifySignature(this.#pubkey, data, signature, 1);
    }
    const algo = Number(algoText);
    if (!SIGN_ALGORITHMS[algo]) return false;
    if (this.#signAlgo !== null && this.#signAlgo !== 1 && algo === 1) fail(MESSAGES.sha1Refused);
    const valid = verifySignature(this.#pubkey, data, signature, algo);
    if (valid) this.#signAlgo = algo;
    return valid;
  }

  #register(fields: URLSearchParams): Record<string, unknown> {
    const user = fields.get("user");
    const pubkey = fields.get("pubkey");
    if (user === null || pubkey === null) fail(MESSAGES.REG_ERROR1, "REG_ERROR1");
    const server = fields.get("server") ?? "";
    const sameDashboard = user === this.#connectedAdmin && server !== "" && server === this.#server;
    if (this.#pubkey !== null && !sameDashboard) fail(MESSAGES.REG_ERROR2, "REG_ERROR2");
    if (this.#uniqueId !== "") {
      const given = fields.get("uniqueId") ?? "";
      if (given === "") fail(MESSAGES.REG_ERROR3, "REG_ERROR3");
      if (given !== this.#uniqueId) fail(MESSAGES.REG_ERROR4, "REG_ERROR4");
    }
    if (user !== "" && !this.#isVerifiedRegister(user, fields)) {
      if (fields.has("regverify") && !fields.get("userpwd")) {
        fail(MESSAGES.reconnect_failed, "reconnect_failed");
      }
      fail(MESSAGES.REG_ERROR7, "REG_ERROR7");
    }
    const account = this.#users.get(user);
    if (!account) fail(MESSAGES.REG_ERROR8, "REG_ERROR8");
    if (account.role !== "administrator") fail(MESSAGES.REG_ERROR9, "REG_ERROR9");
    this.#pubkey = pubkey;
    this.#server = server;
    this.#connectedAdmin = user;
    const regverify = this.#nextRegverify(fields);
    return {
      ...(regverify ? { regverify } : {}),
      register: "OK",
      uniqueId: this.#uniqueId,
      user,
      ...this.#stats(fields),
    };
  }

  #isOldDashboard(fields: URLSearchParams): boolean {
    const version = fields.get("mainwpver") ?? "";
    return version === "" || compareVersions(version, "5.3") < 0;
  }

  #isVerifiedRegister(user: string, fields: URLSearchParams): boolean {
    const password = rawUrlDecode(fields.get("userpwd") ?? "").trim();
    if (password !== "") return this.#users.get(user)?.password === password;
    const regverify = fields.get("regverify") ?? "";
    if (regverify === "" && this.#isOldDashboard(fields)) fail(MESSAGES.REG_ERROR10, "REG_ERROR10");
    return this.#isValidRegverify(regverify);
  }

  #isValidRegverify(value: string): boolean {
    const [key, secret] = value.split("-");
    return this.#verifies.some((v) => v.key === key && v.secret === secret);
  }

  /** A new `<key>-<secret>` unless the Dashboard is older than 5.3 or sent a still-valid one. */
  #nextRegverify(fields: URLSearchParams): string | null {
    if (this.#isOldDashboard(fields)) return null;
    const sent = fields.get("regverify") ?? "";
    return sent !== "" && this.#isValidRegverify(sent) ? null : this.#generateRegverify();
  }

  #generateRegverify(): string {
    const fresh = { key: randomHex(20), secret: randomHex(20) };
    this.#verifies = [...this.#verifies, fresh].slice(-REGVERIFY_KEPT);
    return `${fresh.key}-${fresh.secret}`;
  }

  #forgetConnection(): void {
    this.#pubkey = null;
    this.#server = "";
    this.#connectedAdmin = "";
    this.#signAlgo = null;
  }

  #statsNoAuth(): Record<string, unknown> {
    if (this.#pubkey !== null) fail(MESSAGES.alreadyLinked);
    return { version: this.controls.childVersion, wpversion: this.#content.wpVersion, wpe: 0, wphost: "" };
  }

  #call(fn: string, fields: URLSearchParams): unknown {
    switch (fn) {
      case "get_all_posts":
      case "get_all_pages":
      case "newpost":
      case "post_action":
        return this.#posts.call(fn, fields);
      case "stats":
        return this.#stats(fields);
      case "upgrade":
        return this.#upgradeCore();
      case "upgradeplugintheme":
        return this.#upgradePluginTheme(fields);
      case "upgradetranslation":
        return this.#upgradeTranslations(fields);
      case "installplugintheme":
        return this.#install(fields);
      case "plugin_action":
        return this.#pluginAction(fields);
      case "theme_action":
        return this.#themeAction(fields);
      case "get_all_plugins":
        return { data: pluginList(this.#state(), fields) };
      case "get_all_themes":
        return { data: themeList(this.#state(), fields) };
      case "security":
        return { ...this.#content.security };
      case "securityFix":
      case "securityUnFix":
        return this.#securityFix(fields, fn === "securityFix" ? "Y" : "N");
      case "disconnect":
        this.#forgetConnection();
        return { result: "success" };
      case "deactivate":
        this.pluginActive = false;
        this.#forgetConnection();
        return { deactivated: true };
      case "get_all_users":
      case "search_users":
      case "newuser":
      case "user_action":
      case "newadminpassword":
        return simUsersCall(this.#users, fn, fields) ?? [];
      default:
        fail(`The simulator does not implement "${fn}".`, "sim_not_implemented");
    }
  }

  #upgradeCore(): Record<string, unknown> {
    const old = this.#content.wpVersion;
    if (compareVersions(old, WP_LATEST) >= 0) return { upgrade: "NORESPONSE" };
    this.#content.wpVersion = WP_LATEST;
    return { upgrade: "SUCCESS", old_version: old, version: WP_LATEST };
  }

  #upgradePluginTheme(fields: URLSearchParams): Record<string, unknown> {
    const type = fields.get("type");
    if (type !== "plugin" && type !== "theme") fail(MESSAGES.invalidRequest);
    const items = type === "plugin"
      ? this.#content.plugins.map((p) => ({ key: p.file, item: p }))
      : this.#content.themes.map((t) => ({ key: t.stylesheet, item: t }));
    const upgrades: Record<string, boolean> = {};
    const errors: Record<string, string> = {};
    const updated: Record<string, unknown> = {};
    for (const key of listParam(fields, "list", ",")) {
      const item = items.find((entry) => entry.key === key)?.item;
      if (!item || !hasUpdate(item)) {
        upgrades[key] = false;
        errors[key] = item ? "No update is available." : "The item is not installed.";
        continue;
      }
      const old = item.version;
      item.version = item.latest;
      upgrades[key] = true;
      const slug = type === "plugin" ? pluginSlug(key) : key;
      updated[key] = {
        name: item.name,
        old_version: old,
        version: item.version,
        slug,
        success: 1,
        error: "",
      };
    }
    const reply: Record<string, unknown> = {
      upgrades,
      other_data: { updated_data: updated },
      mainwp_cache_control_last_purged: 0,
    };
    if (Object.keys(errors).length > 0) reply.upgrades_error = errors;
    if (type === "plugin") reply.plugin_updates = pluginUpdates(this.#state());
    else reply.sync = this.#stats(fields);
    return reply;
  }

  #upgradeTranslations(fields: URLSearchParams): Record<string, unknown> {
    const wanted = new Set(listParam(fields, "list", ","));
    const upgrades: Record<string, boolean> = {};
    const updated: Record<string, unknown> = {};
    for (const item of this.#content.translations.filter((t) => wanted.has(t.slug))) {
      upgrades[item.slug] = true;
      updated[item.slug] = { name: item.name, version: item.version, language: item.language, success: 1 };
    }
    this.#content.translations = this.#content.translations.filter((t) => !wanted.has(t.slug));
    return { upgrades, other_data: { updated_data: updated }, sync: this.#stats(fields) };
  }

  #install(fields: URLSearchParams): Record<string, unknown> {
    const type = fields.get("type");
    let urls: unknown;
    try {
      urls = JSON.parse(fields.get("url") ?? "");
    } catch {
      urls = null;
    }
    if ((type !== "plugin" && type !== "theme") || !Array.isArray(urls) || urls.length === 0) {
      fail("Plugin or theme not specified, or missing required data. Please reload the page and try again.");
    }
    const results: Record<string, boolean> = {};
    let destination = "";
    for (const url of urls.slice(0, 20)) {
      const slug = String(url).split("/").pop()!.replace(/(\.\d[\w.]*)?\.zip$/, "").replace(
        /[^a-z0-9-]/gi,
        "",
      );
      destination = slug;
      results[slug] = true;
      const name = slug.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase());
      if (type === "plugin" && !this.#content.plugins.some((p) => pluginSlug(p.file) === slug)) {
        const active = fields.get("activatePlugin") === "yes";
        this.#content.plugins.push({
          file: `${slug}/${slug}.php`,
          name,
          description: "",
          author: "",
          version: "1.0.0",
          latest: "1.0.0",
          active,
        });
      } else if (type === "theme" && !this.#content.themes.some((t) => t.stylesheet === slug)) {
        this.#content.themes.push({
          stylesheet: slug,
          name,
          description: "",
          author: "",
          version: "1.0.0",
          latest: "1.0.0",
          active: false,
        });
      }
    }
    return { installation: "SUCCESS", destination_name: destination, install_results: results };
  }

  #pluginAction(fields: URLSearchParams): Record<string, unknown> {
    const action = fields.get("action");
    const files = listParam(fields, "plugin", "||").filter((file) => file !== CHILD_PLUGIN_FILE);
    const affected = this.#content.plugins.filter((p) => files.includes(p.file));
    // A file that is not installed still gets an (empty) item, and the status stays SUCCESS (fixture 52).
    const items = Object.fromEntries(files.map((file) => {
      const plugin = affected.find((p) => p.file === file);
      return [file, plugin ? actionItem(plugin, file) : { name: "", version: "", slug: file }];
    }));
    let status = "SUCCESS";
    if (action === "activate" || action === "deactivate") {
      for (const plugin of affected) plugin.active = action === "activate";
    } else if (action === "delete") {
      this.#content.plugins = this.#content.plugins.filter((p) => !files.includes(p.file));
    } else {
      status = "FAIL";
    }
    return {
      status,
      sync: this.#stats(fields),
      other_data: { plugin_action_data: items, duration_bulk: Object.keys(items).length },
    };
  }

  #themeAction(fields: URLSearchParams): Record<string, unknown> {
    const action = fields.get("action");
    const wanted = listParam(fields, "theme", "||");
    const active = this.#content.themes.find((t) => t.active);
    const items: Record<string, unknown> = {};
    const otherData: Record<string, unknown> = { theme_action_data: items };
    if (action === "activate") {
      const theme = this.#content.themes.find((t) => t.stylesheet === wanted[0]);
      if (wanted[0] !== undefined) {
        if (active) {
          otherData.theme_deactivate_data = { [active.name]: actionItem(active, active.stylesheet) };
        }
        // WordPress switches even to a stylesheet that is not installed (fixture 55).
        for (const t of this.#content.themes) t.active = t === theme;
        this.#missingTheme = theme ? null : wanted[0];
        items[wanted[0]] = theme
          ? actionItem(theme, theme.stylesheet)
          : { name: wanted[0], version: false, slug: wanted[0] };
      }
    } else if (action === "delete") {
      if (wanted.length === 1 && wanted[0] === active?.stylesheet) {
        exit({ error: { is_activated_theme: wanted[0] } });
      }
      for (const theme of this.#content.themes.filter((t) => wanted.includes(t.stylesheet) && !t.active)) {
        items[theme.stylesheet] = actionItem(theme, theme.stylesheet);
      }
      this.#content.themes = this.#content.themes.filter((t) => !(t.stylesheet in items));
    }
    return {
      status: action === "activate" || action === "delete" ? "SUCCESS" : "FAIL",
      sync: this.#stats(fields),
      other_data: otherData,
    };
  }

  #securityFix(fields: URLSearchParams, value: "Y" | "N"): Record<string, unknown> {
    const feature = fields.get("feature") ?? "all";
    const names = feature === "all"
      ? SECURITY_CHECK_NAMES
      : SECURITY_CHECK_NAMES.filter((n) => n === feature);
    for (const name of names) this.#content.security[name] = value;
    return Object.fromEntries(names.map((name) => [name, value]));
  }

  #state(): StatsState {
    return {
      url: this.url,
      childVersion: this.controls.childVersion,
      content: this.#content,
      adminUser: this.#adminUser,
      users: this.#users,
      uniqueId: this.#uniqueId,
      missingTheme: this.#missingTheme,
      wpAdmin: this.#wpAdmin,
    };
  }

  /** The full sync payload (child-protocol.md §B6). */
  #stats(fields: URLSearchParams): Record<string, unknown> {
    const stats = buildStats(this.#state(), fields);
    if (fields.get("sync_regverify") === "1") stats.regverify_info = this.#generateRegverify();
    return stats;
  }
}
