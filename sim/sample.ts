/**
 * @module
 * A simulated site's `stats` reply without a server round trip, for seeding stores directly (benchmarks):
 * the same payload the simulator answers a first sync with, so seeded data and simulated syncs share one
 * source of realistic data.
 *
 * @example
 * ```ts
 * const reply = sampleStatsReply(3, "https://site-3.example.test/", { plugins: 40 });
 * (reply.plugins as unknown[]).length; // 40
 * ```
 */
import { siteContent, type SiteSizes } from "./catalog.ts";
import { buildStats } from "./stats.ts";
import { WpAdminLog } from "./wp-admin.ts";

/**
 * The `stats` reply site `index` (1-based) at `url` gives a Dashboard's first sync (`optimize=1`, as
 * MainWP sends it), with `sizes` plugins and themes.
 *
 * @example
 * ```ts
 * sampleStatsReply(1, "https://a.example.test/").version; // "6.1"
 * ```
 */
export function sampleStatsReply(index: number, url: string, sizes: SiteSizes = {}): Record<string, unknown> {
  return buildStats({
    url,
    childVersion: "6.1",
    content: siteContent(index, sizes),
    adminUser: "admin",
    users: new Map([
      ["admin", { role: "administrator", email: `admin@site-${index}.test` }],
      ["editor", { role: "editor", email: `editor@site-${index}.test` }],
    ]),
    uniqueId: "",
    missingTheme: null,
    wpAdmin: new WpAdminLog(),
  }, new URLSearchParams("optimize=1"));
}
