/**
 * @module
 * When each pending update was first seen: every successful sync compares the site's pending,
 * non-ignored updates with those it had, stores the time each new one appeared (the automatic-update
 * delay counts from there) and fires `fleetpress_updates_found` with the new ones.
 *
 * @example
 * ```ts
 * hooks.addAction("mainwp_site_synced", (site, values) => recordSeenUpdates({ kv, hooks }, site, values));
 * ```
 */
import type { HookDeps, StoreDeps } from "../deps.ts";
import type { FoundUpdate } from "../../hooks/types.ts";
import type { SyncValues } from "../../child/sync.ts";
import type { SiteRecord } from "../../store/sites.ts";
import type { SiteSyncData } from "../../store/sites.ts";
import { keys } from "../../store/keys.ts";
import { atomicRetry } from "../../store/kv.ts";
import { getGlobalIgnoredLists } from "../../store/settings.ts";
import { asMap, newVersionOf, type PendingUpdates, pendingUpdates, scalarText } from "../updates/pending.ts";

/** First-seen times (ms) by {@link seenKey}. */
export type SeenUpdates = Record<string, number>;

/** Most entries kept per site, and most characters of their keys (KV values stay under 64 KiB). */
const MAX_SEEN = 1000;
const MAX_SEEN_CHARS = 24_000;

/** The updates whose first-seen times are kept: in order, while they fit the bounds. */
function bounded(updates: FoundUpdate[]): FoundUpdate[] {
  const kept: FoundUpdate[] = [];
  let chars = 0;
  for (const update of updates) {
    chars += seenKey(update.kind, update.slug, update.version).length + 16;
    if (kept.length >= MAX_SEEN || chars > MAX_SEEN_CHARS) break;
    kept.push(update);
  }
  return kept;
}

/**
 * The identity of one pending update: kind, item and the version it offers.
 *
 * @example
 * ```ts
 * seenKey("plugins", "akismet/akismet.php", "5.1"); // "plugins|akismet/akismet.php|5.1"
 * ```
 */
export function seenKey(kind: FoundUpdate["kind"], slug: string, version: string): string {
  return `${kind}|${slug}|${version}`;
}

/**
 * The pending updates as a list of {@link FoundUpdate}s.
 *
 * @example
 * ```ts
 * updateList({ wp: null, plugins: {}, themes: {}, translations: [] }); // []
 * ```
 */
export function updateList(pending: PendingUpdates): FoundUpdate[] {
  const out: FoundUpdate[] = [];
  if (pending.wp) {
    out.push({ kind: "core", slug: "wordpress", name: "WordPress", version: scalarText(pending.wp.new) });
  }
  for (const kind of ["plugins", "themes"] as const) {
    for (const [slug, item] of Object.entries(pending[kind])) {
      const name = scalarText(asMap(item).Name) || scalarText(asMap(item).name) || slug;
      out.push({ kind, slug, name, version: newVersionOf(item) });
    }
  }
  for (const item of pending.translations) {
    const slug = scalarText(item.slug);
    if (slug) {
      out.push({
        kind: "translations",
        slug,
        name: scalarText(item.name) || slug,
        version: scalarText(item.version),
      });
    }
  }
  return out;
}

/** The update lists a sync reply carries, in the stored form `pendingUpdates` reads. */
function syncOfValues(values: SyncValues): SiteSyncData {
  const text = (value: unknown) => value === undefined ? undefined : JSON.stringify(value);
  return {
    wp_upgrades: text(values.wp_upgrades),
    plugin_upgrades: text(values.plugin_upgrades),
    theme_upgrades: text(values.theme_upgrades),
    translation_upgrades: text(values.translation_upgrades),
  };
}

/**
 * The first-seen times of a site's pending updates (`{}` when none were recorded).
 *
 * @example
 * ```ts
 * await seenUpdates({ kv }, 3); // { "plugins|akismet/akismet.php|5.1": 1764979200000 }
 * ```
 */
export async function seenUpdates({ kv }: StoreDeps, siteId: number): Promise<SeenUpdates> {
  const value = (await kv.get<SeenUpdates>(keys.updateSeen(siteId))).value;
  return value && typeof value === "object" ? value : {};
}

/**
 * Records the pending, non-ignored updates of a sync's reply: the ones not seen before get the current
 * time, the ones no longer pending are forgotten; fires `fleetpress_updates_found` with the new ones.
 * Returns them.
 *
 * @example
 * ```ts
 * const fresh = await recordSeenUpdates(ctx, site, values);
 * ```
 */
export async function recordSeenUpdates(
  deps: HookDeps,
  site: SiteRecord,
  values: SyncValues,
): Promise<FoundUpdate[]> {
  const pending = pendingUpdates(site, syncOfValues(values), await getGlobalIgnoredLists(deps.kv));
  const current = bounded(updateList(pending));
  const now = Date.now();
  const stored = (await deps.kv.get<SeenUpdates>(keys.updateSeen(site.id))).value ?? {};
  const known = current.filter((u) => Object.hasOwn(stored, seenKey(u.kind, u.slug, u.version)));
  // The usual sync: the same updates as last time, nothing to write.
  if (known.length === current.length && Object.keys(stored).length === current.length) return [];
  const fresh = await atomicRetry(deps.kv, async (op) => {
    const entry = await deps.kv.get<SeenUpdates>(keys.updateSeen(site.id));
    const before = entry.value && typeof entry.value === "object" ? entry.value : {};
    const next: SeenUpdates = {};
    const found: FoundUpdate[] = [];
    for (const update of current) {
      const key = seenKey(update.kind, update.slug, update.version);
      if (Object.hasOwn(before, key) && typeof before[key] === "number") next[key] = before[key];
      else {
        next[key] = now;
        found.push(update);
      }
    }
    const unchanged = found.length === 0 && Object.keys(before).length === Object.keys(next).length;
    if (unchanged) return found; // nothing to write: the commit of an empty operation is harmless
    op.check(entry);
    if (Object.keys(next).length === 0) op.delete(keys.updateSeen(site.id));
    else op.set(keys.updateSeen(site.id), next);
    return found;
  });
  if (fresh.length > 0) await deps.hooks.doAction("fleetpress_updates_found", site, fresh);
  return fresh;
}
