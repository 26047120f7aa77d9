/**
 * @module
 * The types of the child connector's API (options, sites, results, request info), kept apart so that
 * `connector.ts` holds only the protocol.
 *
 * @example
 * ```ts
 * import type { ChildSite } from "./connector-types.ts";
 * const site: ChildSite = { url: "https://child.example/", adminName: "admin", privateKeyPem: pem };
 * ```
 */
import type { ChildReply } from "./envelope.ts";
import type { ChildError } from "./errors.ts";
import type { SiteKeyPair } from "./keys.ts";
import type { SyncValues } from "./sync.ts";

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
  /** Resolves a site host name to IP addresses (default: the system resolver; tests inject their own). */
  resolve?: (hostname: string) => Promise<string[]>;
  /** The Dashboard's public URL (`Referer`); `<dashboardUrl>/wp-admin/` is the `server` sent on register. */
  dashboardUrl?: string;
  /** Most redirects followed on protocol calls (default 10). */
  maxRedirects?: number;
  /**
   * Keep connections alive and reuse them (per host, port, checked addresses and TLS settings; idle ones
   * closed after 1 s). Default false; whoever turns it on calls `close()` when done.
   */
  reuseConnections?: boolean;
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
  /** The up-codes before `fleetpress_check_site_up_codes` (default 200–206; a monitor's `expected_status`). */
  upCodes?: readonly number[];
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
