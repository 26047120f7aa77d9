/**
 * @module
 * One identity for a site address, used by the domain index, the fleet snapshot and duplicate checks.
 * Like MainWP's `get_websites_by_url`, it ignores the scheme, a leading `www.` and trailing slashes, and
 * compares case-insensitively (MySQL's collation). Beyond MainWP, the host goes through the WHATWG URL
 * parser, so literal IPs are canonical (`127.1` → `127.0.0.1`, IPv6 compressed and lower-case), names are
 * lower-case (IDN in punycode), default ports are dropped, and a query string or fragment is no part of it.
 * Records indexed under the former (legacy) form are still found, and move to the canonical key on their
 * next write.
 *
 * @example
 * ```ts
 * siteIdentity("HTTP://127.1:80/Site-1/?x=1"); // "127.0.0.1/site-1"
 * ```
 */

import { keys } from "./keys.ts";
import type { SiteRecord } from "./sites.ts";

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The lookup form before canonical hosts (lower case, no scheme, no `www.`, no trailing `/`); records
 * written before are indexed under it, so lookups try it second.
 *
 * @example
 * ```ts
 * legacySiteIdentity("https://www.Example.com/blog/"); // "example.com/blog"
 * ```
 */
export function legacySiteIdentity(urlOrDomain: string): string {
  return urlOrDomain.trim().toLowerCase().replace(SCHEME, "").replace(/^www\./, "").replace(/\/+$/, "");
}

/**
 * The identity of a site URL or bare domain: `host[:port]/path`, lower case, without scheme, `www.`,
 * default port, trailing slashes, query or fragment. Text no URL parser accepts keeps its legacy form.
 *
 * @example
 * ```ts
 * siteIdentity("https://www.Example.com:443/blog/"); // "example.com/blog"
 * siteIdentity("http://[::FFFF:127.0.0.1]:8080/"); // "[::ffff:7f00:1]:8080"
 * ```
 */
export function siteIdentity(urlOrDomain: string): string {
  const text = urlOrDomain.trim();
  let url: URL;
  try {
    url = new URL(SCHEME.test(text) ? text : `http://${text}`);
  } catch {
    return legacySiteIdentity(text);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    return legacySiteIdentity(text);
  }
  const host = url.hostname.replace(/\.$/, "").replace(/^www\./, "");
  const port = url.port === "" ? "" : `:${url.port}`;
  return `${host}${port}${url.pathname.replace(/\/+$/, "")}`.toLowerCase();
}

/**
 * Where on its host a site URL points: `port/path` with the effective port, for comparing sites that
 * resolve to the same address; `null` for text that is not an http(s) URL.
 *
 * @example
 * ```ts
 * siteLocation("http://localhost/site-1/"); // "80/site-1"
 * ```
 */
export function siteLocation(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    const port = parsed.port || (parsed.protocol === "https:" ? "443" : "80");
    return `${port}${parsed.pathname.replace(/\/+$/, "")}`.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * The site id indexed for an address: under its identity, else (records written before identities were
 * canonical) under its legacy form when a site with that legacy form still holds it. `entry` is the
 * identity's index entry, to version-check.
 *
 * @example
 * ```ts
 * const { id } = await indexedSiteId(kv, "http://127.1:8080/site-1/");
 * ```
 */
export async function indexedSiteId(
  kv: Deno.Kv,
  urlOrDomain: string,
): Promise<{ id: number | null; entry: Deno.KvEntryMaybe<number> }> {
  const entry = await kv.get<number>(keys.siteByDomain(siteIdentity(urlOrDomain)));
  if (entry.value !== null) return { id: entry.value, entry };
  const legacy = legacySiteIdentity(urlOrDomain);
  if (legacy === entry.key[2]) return { id: null, entry };
  const old = await kv.get<number>(keys.siteByDomain(legacy));
  if (old.value === null) return { id: null, entry };
  const site = await kv.get<SiteRecord>(keys.site(old.value));
  return { id: site.value && legacySiteIdentity(site.value.url) === legacy ? old.value : null, entry };
}

/**
 * Drops a record's legacy index entry, if it still points at the record, in `op` (with its other
 * indexes): every write of a record so moves it to its canonical key.
 *
 * @example
 * ```ts
 * await dropLegacyIndex(kv, op, entry.value);
 * ```
 */
export async function dropLegacyIndex(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  site: SiteRecord,
): Promise<void> {
  const legacy = legacySiteIdentity(site.url);
  if (legacy === siteIdentity(site.url)) return;
  const old = await kv.get<number>(keys.siteByDomain(legacy));
  if (old.value === site.id) op.delete(old.key);
}

/** Set once every record written before canonical identities has been moved to its canonical key. */
const REINDEXED: Deno.KvKey = ["meta", "site_identity_v2"];

/**
 * Moves every site still indexed under its legacy form to its canonical key, once per database (a
 * marker key remembers it). A record whose canonical key another site holds (the same child added twice
 * under two spellings before) keeps its legacy entry, so it stays findable. Safe to run concurrently:
 * each move is one commit checking the record and both keys.
 *
 * @example
 * ```ts
 * await reindexSites(kv); // at startup
 * ```
 */
export async function reindexSites(kv: Deno.Kv): Promise<void> {
  if ((await kv.get(REINDEXED)).value !== null) return;
  for await (const entry of kv.list<SiteRecord>({ prefix: keys.sites() })) {
    const site = entry.value;
    const legacyKey = keys.siteByDomain(legacySiteIdentity(site.url));
    const canonicalKey = keys.siteByDomain(siteIdentity(site.url));
    if (legacyKey[2] === canonicalKey[2]) continue;
    const [legacy, canonical] = await kv.getMany<[number, number]>([legacyKey, canonicalKey]);
    if (legacy.value !== site.id || canonical.value !== null) continue;
    // A lost race (the record or a key changed meanwhile) leaves it for lookups' legacy path.
    await kv.atomic().check(entry, legacy, canonical).delete(legacyKey).set(canonicalKey, site.id).commit();
  }
  await kv.set(REINDEXED, true);
}
