/**
 * @module
 * Which site URLs the Dashboard may contact. Only `http:` and `https:` URLs are accepted. Addresses are
 * classified (literal IPs directly, host names after one system lookup of all their addresses), and the
 * addresses checked are the ones connected to (`sendHttp` pins them: no second lookup, no DNS rebinding).
 * IPv6 forms that carry an IPv4 address (mapped, SIIT, compatible, NAT64, 6to4, Teredo) are classified
 * by that IPv4 address.
 *
 * | class | examples | default |
 * |---|---|---|
 * | `loopback` | 127.0.0.0/8, ::1, `localhost` | allowed |
 * | `public` | everything else | allowed |
 * | `private` | 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10 | with `allowPrivateAddresses` |
 * | `link_local` | 169.254.0.0/16, fe80::/10 | refused |
 * | `metadata` | 100.100.100.200, fd00:ec2::254, `metadata.google.internal` | refused |
 * | `reserved` | 0.0.0.0/8, ::, multicast, broadcast, 240/4, resolver answers that are not IPs | refused |
 *
 * The filter `fleetpress_allow_site_address` gets the default decision and may overturn it.
 *
 * @example
 * ```ts
 * await assertSiteAddressAllowed(new URL("http://169.254.169.254/"), hooks); // throws URL_NOT_ALLOWED
 * ```
 */
import { lookup } from "node:dns/promises";
import type { HookRegistry } from "../hooks/registry.ts";
import { ChildError, httpError } from "./errors.ts";
import { deadlineSignal } from "./http.ts";

/** Filter: `(allowed: boolean, info: AddressCheck) => boolean`. */
export const ALLOW_SITE_ADDRESS_FILTER = "fleetpress_allow_site_address";

/** Address classes, see the module table. */
export type AddressClass = "loopback" | "public" | "private" | "link_local" | "metadata" | "reserved";

/** What the `fleetpress_allow_site_address` filter is told. */
export interface AddressCheck {
  /** The full URL being contacted. */
  url: string;
  /** Host name as in the URL (IPv6 without brackets). */
  hostname: string;
  /** The address judged (a literal IP, or one resolved address of the host name). */
  address: string;
  /** Its class. */
  addressClass: AddressClass;
}

/** Guard settings. */
export interface AddressGuardOptions {
  /** Allow RFC 1918 / unique-local / CGNAT addresses (default false). */
  allowPrivateAddresses?: boolean;
  /** Allow loopback addresses (default true; webhook URLs pass false). */
  allowLoopback?: boolean;
  /** Resolve host names and judge their addresses (default true). */
  resolveHostnames?: boolean;
  /** Resolves a host name to IP addresses (default: the system resolver; tests inject their own). */
  resolve?: (hostname: string) => Promise<string[]>;
}

const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata.goog", "metadata"]);
const METADATA_ADDRESSES = new Set(["100.100.100.200", "fd00:ec2:0:0:0:0:0:254"]);

/** Parses a dotted IPv4 address into its 4 bytes, or `null`. */
function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** Parses an IPv6 address (with `::` and an embedded IPv4 tail) into 8 16-bit groups, or `null`. */
function parseIpv6(text: string): number[] | null {
  let body = text.toLowerCase().replace(/%.*$/, "");
  const tail: number[] = [];
  const withIpv4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (withIpv4) {
    const v4 = parseIpv4(withIpv4[2]);
    if (!v4) return null;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    body = withIpv4[1].endsWith("::") ? withIpv4[1] : withIpv4[1].slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groupsOf(halves[0]);
  const rest = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return null;
  const zeros: number[] = Array(halves.length === 2 ? 8 - explicit : 0).fill(0);
  const hex = (g: string) => parseInt(g, 16);
  return [...head.map(hex), ...zeros, ...rest.map(hex), ...tail];
}

function classifyIpv4([a, b, c, d]: number[]): AddressClass {
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link_local";
  if (`${a}.${b}.${c}.${d}` === "100.100.100.200") return "metadata";
  if (a === 0 || a >= 224) return "reserved";
  if (
    a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  ) {
    return "private";
  }
  return "public";
}

/** The 16 bytes of 8 IPv6 groups. */
function bytesOf(groups: number[]): number[] {
  return groups.flatMap((g) => [g >> 8, g & 255]);
}

/** RFC 6052 positions of the embedded IPv4 for each prefix length (byte 8, bits 64–71, is skipped). */
const RFC6052_BYTES: Record<number, number[]> = {
  32: [4, 5, 6, 7],
  40: [5, 6, 7, 9],
  48: [6, 7, 9, 10],
  56: [7, 9, 10, 11],
  64: [9, 10, 11, 12],
  96: [12, 13, 14, 15],
};

/**
 * The IPv4 addresses an IPv6 address carries and that a connection to it may reach: IPv4-mapped
 * (`::ffff:0:0/96`), SIIT (`::ffff:0:0:0/96`), IPv4-compatible (`::/96`), NAT64 (`64:ff9b::/96`, and the
 * local-use `64:ff9b:1::/48` at every RFC 6052 prefix length, since its length is the operator's choice),
 * 6to4 (`2002::/16`) and Teredo (`2001::/32`, the client address inverted).
 */
function embeddedIpv4(groups: number[]): number[][] {
  const bytes = bytesOf(groups);
  const zero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  const last = [bytes.slice(12, 16)];
  if (zero(0, 5) && groups[5] === 0xffff) return last;
  if (zero(0, 4) && groups[4] === 0xffff && groups[5] === 0) return last;
  if (zero(0, 6)) return last;
  if (groups[0] === 0x64 && groups[1] === 0xff9b) {
    if (zero(2, 6)) return last;
    // Zeros between prefix and tail fit only the /96 layout; otherwise judge every layout.
    if (groups[2] === 1 && zero(3, 6)) return last;
    if (groups[2] === 1) return [48, 56, 64, 96].map((length) => RFC6052_BYTES[length].map((i) => bytes[i]));
  }
  if (groups[0] === 0x2002) return [bytes.slice(2, 6)];
  if (groups[0] === 0x2001 && groups[1] === 0) return [bytes.slice(12, 16).map((b) => b ^ 255)];
  return [];
}

/** Most to least restrictive, to judge an address by the worst thing it may reach. */
const SEVERITY: AddressClass[] = ["metadata", "link_local", "reserved", "private", "loopback", "public"];

function worst(classes: AddressClass[]): AddressClass {
  return SEVERITY.find((c) => classes.includes(c)) ?? "public";
}

function classifyIpv6(groups: number[]): AddressClass {
  if (groups.slice(0, 7).every((g) => g === 0)) return groups[7] === 1 ? "loopback" : "reserved";
  const carried = embeddedIpv4(groups);
  if (carried.length > 0) return worst(carried.map(classifyIpv4));
  if (METADATA_ADDRESSES.has(groups.map((g) => g.toString(16)).join(":"))) return "metadata";
  if ((groups[0] & 0xffc0) === 0xfe80) return "link_local";
  if ((groups[0] & 0xffc0) === 0xfec0 || (groups[0] & 0xfe00) === 0xfc00) return "private";
  if ((groups[0] & 0xff00) === 0xff00) return "reserved";
  return "public";
}

/**
 * Classifies a literal IP address; `null` when the text is not an IP address.
 *
 * @example
 * ```ts
 * classifyAddress("169.254.169.254"); // "link_local"
 * classifyAddress("::ffff:127.0.0.1"); // "loopback"
 * ```
 */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = parseIpv4(address);
  if (v4) return classifyIpv4(v4);
  const v6 = address.includes(":") ? parseIpv6(address) : null;
  return v6 ? classifyIpv6(v6) : null;
}

function isAllowedByDefault(addressClass: AddressClass, options: AddressGuardOptions): boolean {
  if (addressClass === "loopback") return options.allowLoopback !== false;
  if (addressClass === "public") return true;
  return addressClass === "private" && options.allowPrivateAddresses === true;
}

function refused(url: string, reason: string): ChildError {
  return new ChildError("URL_NOT_ALLOWED", `The site URL ${url} is not allowed: ${reason}.`, "address");
}

const DNS_TIMEOUT_MS = 5000;

/** The system resolver (getaddrinfo, as cURL uses: hosts file included), bounded in time. */
async function systemResolve(hostname: string): Promise<string[]> {
  const deadline = deadlineSignal(DNS_TIMEOUT_MS);
  const timedOut = new Promise<never>((_, reject) =>
    deadline.signal.addEventListener("abort", () => reject(deadline.signal.reason), { once: true })
  );
  try {
    const found = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timedOut]);
    return found.map((entry) => entry.address);
  } catch {
    return [];
  } finally {
    deadline.clear();
  }
}

/** The addresses to judge for a URL host, each with its class; `null` when names are not resolved. */
async function addressesOf(
  hostname: string,
  options: AddressGuardOptions,
): Promise<[string, AddressClass][] | null> {
  const literal = classifyAddress(hostname);
  if (literal) return [[hostname, literal]];
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (METADATA_HOSTS.has(name)) return [[name, "metadata"]];
  // RFC 6761: localhost names are loopback, never looked up.
  if (name === "localhost" || name.endsWith(".localhost")) {
    return [["127.0.0.1", "loopback"], ["::1", "loopback"]];
  }
  if (options.resolveHostnames === false) return null;
  return await resolvedAddresses(name, options);
}

async function resolvedAddresses(
  name: string,
  options: AddressGuardOptions,
): Promise<[string, AddressClass][]> {
  const resolved = await (options.resolve ?? systemResolve)(name);
  // Only IP addresses can be connected to; anything else a resolver returns is refused.
  return resolved.map((address) => [address, classifyAddress(address) ?? "reserved"]);
}

/** Runs every judged address through the filter; throws for the first one refused. */
async function judge(
  url: URL,
  hostname: string,
  judged: [string, AddressClass][],
  hooks: HookRegistry,
  options: AddressGuardOptions,
): Promise<void> {
  for (const [address, addressClass] of judged) {
    const check: AddressCheck = { url: url.href, hostname, address, addressClass };
    const allowed = await hooks.applyFilters(
      ALLOW_SITE_ADDRESS_FILTER,
      isAllowedByDefault(addressClass, options),
      check,
    );
    if (!allowed) throw refused(url.href, `${address} is a ${addressClass.replace("_", "-")} address`);
  }
}

/**
 * Checks the URL's host and returns the addresses a connection may use: the literal IP, or every
 * address the host name resolved to, each allowed (by default or by the `fleetpress_allow_site_address`
 * filter). Connecting to exactly these (see `sendHttp`) means no second lookup can swap in another
 * address (DNS rebinding). Returns `null` with `resolveHostnames: false` (the system resolves at connect
 * time). Throws {@link ChildError} `URL_NOT_ALLOWED` for a refused address and `HTTPERROR` "Could not
 * resolve host" for a name without addresses.
 *
 * @example
 * ```ts
 * await checkSiteAddresses(new URL("http://localhost:8080/"), hooks); // ["127.0.0.1", "::1"]
 * ```
 */
export async function checkSiteAddresses(
  url: URL,
  hooks: HookRegistry,
  options: AddressGuardOptions = {},
): Promise<string[] | null> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  let judged = await addressesOf(hostname, options);
  if (judged === null) return null;
  await judge(url, hostname, judged, hooks, options);
  if (judged.length === 1 && classifyAddress(judged[0][0]) === null) {
    // A metadata host name the filter let through: what it resolves to is judged (and used) as well.
    if (options.resolveHostnames === false) return null;
    judged = await resolvedAddresses(judged[0][0], options);
    await judge(url, hostname, judged, hooks, options);
  }
  if (judged.length === 0) throw httpError(`Could not resolve host: ${hostname}`);
  return judged.map(([address]) => address);
}

/**
 * Parses a site URL and refuses anything but `http:` / `https:`.
 *
 * @example
 * ```ts
 * parseSiteUrl("ftp://a.example/"); // throws ChildError URL_NOT_ALLOWED
 * ```
 */
export function parseSiteUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refused(String(url), "it is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw refused(parsed.href, `only http and https are supported, not ${parsed.protocol.slice(0, -1)}`);
  }
  if (parsed.username || parsed.password) {
    throw refused(parsed.origin, "credentials in the URL are not supported");
  }
  return parsed;
}

/**
 * Throws {@link ChildError} `URL_NOT_ALLOWED` unless every address of the URL's host is allowed (see
 * {@link checkSiteAddresses}). Host names that do not resolve pass here; connecting to them then fails.
 *
 * @example
 * ```ts
 * await assertSiteAddressAllowed(new URL("http://127.0.0.1:8080/site-1/"), hooks); // passes
 * ```
 */
export async function assertSiteAddressAllowed(
  url: URL,
  hooks: HookRegistry,
  options: AddressGuardOptions = {},
): Promise<void> {
  try {
    await checkSiteAddresses(url, hooks, options);
  } catch (error) {
    if (!(error instanceof ChildError) || error.code !== "HTTPERROR") throw error;
  }
}
