/**
 * @module
 * The encoded site views of the listings: each site's full view object (`formatSiteView`) and its
 * `wp_json_encode` text, built once per row version and tag names and kept in an LRU bounded by bytes
 * (`config.viewCacheBytes`), so a page of `/sites` is the concatenation of cached texts
 * (`rememberEncoding`). A miss reads that one site's record and sync data from the store; concurrent
 * misses of one site share the read.
 *
 * @example
 * ```ts
 * const views = await entryViews(ctx, snap, entries);
 * ```
 */
import type { AppContext } from "../../app-context.ts";
import {
  type FleetSnapshot,
  type SiteEntry,
  type SiteRecord,
  siteStateOf,
  type SiteSyncData,
} from "../../core/sites/fleet.ts";
import { ByteLru } from "../../lib/lru.ts";
import { mapConcurrent } from "../../lib/concurrency.ts";
import { encodeWpJson, rememberEncoding } from "../../rest/json.ts";
import { formatSiteView, type SiteView } from "./site-format.ts";

/** One cached view. */
interface CachedView {
  /** Row version the view was built from (a newer snapshot entry misses). */
  stamp: string;
  /** The names of the site's tags it shows. */
  tagSig: string;
  view: SiteView;
}

interface ViewCache {
  lru: ByteLru<number, CachedView>;
  /** Misses being read, by site id. */
  loading: Map<number, Promise<CachedView | null>>;
  hits: number;
  misses: number;
}

const caches = new WeakMap<Deno.Kv, ViewCache>();

/** Reads for misses at once (each is one site's record and sync data). */
const MISS_CONCURRENCY = 8;

function cacheOf(ctx: AppContext): ViewCache {
  let cache = caches.get(ctx.kv);
  if (!cache) {
    cache = { lru: new ByteLru(ctx.config.viewCacheBytes), loading: new Map(), hits: 0, misses: 0 };
    caches.set(ctx.kv, cache);
  }
  return cache;
}

function tagSigOf(tagIds: readonly number[], names: ReadonlyMap<number, string>): string {
  let sig = "";
  for (const id of tagIds) sig += `${id}\u0000${names.get(id) ?? "\u0001"}\u0000`;
  return sig;
}

function fresh(cached: CachedView | undefined, entry: SiteEntry, sig: string): cached is CachedView {
  return cached !== undefined && cached.stamp >= entry.stamp && cached.tagSig === sig;
}

async function load(ctx: AppContext, cache: ViewCache, snap: FleetSnapshot, entry: SiteEntry) {
  const id = entry.site.id;
  const state = await siteStateOf(ctx.kv, id);
  if (!state) {
    cache.lru.delete(id);
    return null;
  }
  const view = formatSiteView(state.site, state.sync, snap.tagNames);
  const { value, bytes } = rememberEncoding(view, encodeWpJson(view));
  const cached: CachedView = {
    stamp: state.stamp ?? entry.stamp,
    tagSig: tagSigOf(state.site.tag_ids, snap.tagNames),
    view: value,
  };
  // The bytes once, the view's strings about once more, and the bookkeeping.
  cache.lru.set(id, cached, 2 * bytes + 512);
  return cached;
}

/**
 * The full view objects of snapshot entries (shared and frozen: copy with `adaptView`), from the cache
 * or built from the store; `null` for a site deleted since the snapshot.
 *
 * @example
 * ```ts
 * const views = await entryViews(ctx, snap, snap.listed.slice(0, 20));
 * ```
 */
export async function entryViews(
  ctx: AppContext,
  snap: FleetSnapshot,
  entries: readonly SiteEntry[],
): Promise<(SiteView | null)[]> {
  const cache = cacheOf(ctx);
  const out: (SiteView | null)[] = new Array(entries.length).fill(null);
  const missing: number[] = [];
  entries.forEach((entry, i) => {
    const cached = cache.lru.get(entry.site.id);
    if (fresh(cached, entry, tagSigOf(entry.site.tag_ids, snap.tagNames))) {
      out[i] = cached.view;
      cache.hits++;
    } else missing.push(i);
  });
  await mapConcurrent(missing, MISS_CONCURRENCY, async (i) => {
    const entry = entries[i];
    const id = entry.site.id;
    cache.misses++;
    let pending = cache.loading.get(id);
    let loaded = pending ? await pending : undefined;
    if (!loaded || !fresh(loaded, entry, tagSigOf(entry.site.tag_ids, snap.tagNames))) {
      pending = load(ctx, cache, snap, entry).finally(() => cache.loading.delete(id));
      cache.loading.set(id, pending);
      loaded = await pending;
    }
    out[i] = loaded?.view ?? null;
  });
  return out;
}

/**
 * The record and sync data of snapshot entries, read from the store (custom fields, hooks); `null` for a
 * site deleted since the snapshot.
 *
 * @example
 * ```ts
 * const sources = await entrySources(ctx, entries);
 * ```
 */
export async function entrySources(
  ctx: AppContext,
  entries: readonly SiteEntry[],
): Promise<({ site: SiteRecord; sync: SiteSyncData | null } | null)[]> {
  return await mapConcurrent(entries, MISS_CONCURRENCY, (e) => siteStateOf(ctx.kv, e.site.id));
}

/**
 * What the view cache of a KV handle holds and did (tests and the benchmark read it).
 *
 * @example
 * ```ts
 * viewCacheStats(ctx).bytes;
 * ```
 */
export function viewCacheStats(
  ctx: AppContext,
): { bytes: number; views: number; hits: number; misses: number } {
  const c = cacheOf(ctx);
  return { bytes: c.lru.bytes, views: c.lru.size, hits: c.hits, misses: c.misses };
}
