/**
 * @module
 * Which site URLs the Dashboard may contact. Only `http:` and `https:` URLs are accepted. Addresses are
 * classified (literal IPs directly, host names after a DNS lookup of every A/AAAA record):
 *
 * | class | examples | default |
 * |---|---|---|
 * | `loopback` | 127.0.0.0/8, ::1, `localhost` | allowed |
 * | `public` | everything else | allowed |
 * | `private` | 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 | allowed with `allowPrivateAddresses` |
 * | `link_local` | 169.254.0.0/16, fe80::/10 | refused |
 * | `metadata` | 100.100.100.200, fd00:ec2::254, `metadata.google.internal` | refused |
 * | `reserved` | 0.0.0.0/8, ::, multicast, broadcast, 240/4 | refused |
 *
 * The filter `fleetpress_allow_site_address` gets the default decision and may overturn it.
 *
 * @example
 * ```ts
 * await assertSiteAddressAllowed(new URL("http://169.254.169.254/"), hooks); // throws URL_NOT_ALLOWED
 * ```
 */
import type { HookRegistry } from "../hooks/registry.ts";
import { ChildError } from "./errors.ts";
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
  /** Resolve host names and judge their addresses (default true). */
  resolveHostnames?: boolean;
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

function classifyIpv6(groups: number[]): AddressClass {
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMapped) return classifyIpv4([groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255]);
  if (METADATA_ADDRESSES.has(groups.map((g) => g.toString(16)).join(":"))) return "metadata";
  if (groups.slice(0, 7).every((g) => g === 0)) return groups[7] === 1 ? "loopback" : "reserved";
  if ((groups[0] & 0xffc0) === 0xfe80) return "link_local";
  if ((groups[0] & 0xfe00) === 0xfc00) return "private";
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
  if (addressClass === "loopback" || addressClass === "public") return true;
  return addressClass === "private" && options.allowPrivateAddresses === true;
}

function refused(url: string, reason: string): ChildError {
  return new ChildError("URL_NOT_ALLOWED", `The site URL ${url} is not allowed: ${reason}.`, "address");
}

const DNS_TIMEOUT_MS = 5000;

async function resolveAll(hostname: string): Promise<string[]> {
  const deadline = deadlineSignal(DNS_TIMEOUT_MS);
  try {
    const lookups = (["A", "AAAA"] as const).map((type) =>
      Deno.resolveDns(hostname, type, { signal: deadline.signal }).catch(() => [] as string[])
    );
    return (await Promise.all(lookups)).flat();
  } finally {
    deadline.clear();
  }
}

/** The addresses to judge for a URL host, each with its class. */
async function addressesOf(
  hostname: string,
  options: AddressGuardOptions,
): Promise<[string, AddressClass][]> {
  const literal = classifyAddress(hostname);
  if (literal) return [[hostname, literal]];
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (METADATA_HOSTS.has(name)) return [[name, "metadata"]];
  if (name === "localhost" || name.endsWith(".localhost")) return [[name, "loopback"]];
  if (options.resolveHostnames === false) return [];
  const resolved = await resolveAll(name);
  return resolved.map((address) => [address, classifyAddress(address) ?? "public"]);
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
 * Throws {@link ChildError} `URL_NOT_ALLOWED` unless every address of the URL's host is allowed (by
 * default or by the `fleetpress_allow_site_address` filter). Host names that do not resolve pass; the
 * request itself then fails.
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
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  for (const [address, addressClass] of await addressesOf(hostname, options)) {
    const check: AddressCheck = { url: url.href, hostname, address, addressClass };
    const allowed = await hooks.applyFilters(
      ALLOW_SITE_ADDRESS_FILTER,
      isAllowedByDefault(addressClass, options),
      check,
    );
    if (!allowed) throw refused(url.href, `${address} is a ${addressClass.replace("_", "-")} address`);
  }
}
