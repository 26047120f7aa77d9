/**
 * @module
 * Real-sized plugin and theme lists for simulated sites: when a site is asked to carry `N` plugins or
 * themes, the catalog's well-known items come first and generated ones fill the rest, with descriptions
 * as long as the real child reports them and about one in six behind its latest version, so a
 * simulated site's sync data weighs what a real one does (40 plugins ≈ 24 KB stored, as measured).
 *
 * @example
 * ```ts
 * const rng = new Prng(3);
 * generatedPlugins(rng, 5).length; // 5
 * ```
 */
import type { Prng, SimPlugin, SimTheme } from "./catalog.ts";

/** Most plugins or themes a simulated site may carry (bounds memory and reply size). */
export const MAX_SIZED_ITEMS = 500;

const WORDS = [
  "forms",
  "cache",
  "backup",
  "security",
  "gallery",
  "events",
  "shop",
  "analytics",
  "newsletter",
  "redirects",
  "sitemap",
  "slider",
  "booking",
  "translation",
  "members",
  "reviews",
];

const BLURB = "Adds what the site needs in a few clicks, with <strong>blocks for the editor</strong>, " +
  "shortcodes and hooks for developers.";

const version = (rng: Prng) => `${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 12)}`;

function olderThan(latest: string, rng: Prng): string {
  const [major, minor, patch] = latest.split(".").map(Number);
  return patch > 0
    ? `${major}.${minor}.${patch - 1}`
    : minor > 0
    ? `${major}.${minor - 1}.${rng.int(0, 9)}`
    : latest;
}

/**
 * `count` generated plugins (numbered from `first`), about one in six behind their latest version.
 *
 * @example
 * ```ts
 * generatedPlugins(new Prng(1), 2, 21)[0].file; // e.g. "sim-forms-21/sim-forms-21.php"
 * ```
 */
export function generatedPlugins(rng: Prng, count: number, first = 1): SimPlugin[] {
  return Array.from({ length: count }, (_, n) => {
    const word = rng.pick(WORDS);
    const slug = `sim-${word}-${first + n}`;
    const latest = version(rng);
    return {
      file: `${slug}/${slug}.php`,
      name: `Sim ${word[0].toUpperCase()}${word.slice(1)} ${first + n}`,
      author: rng.pick(["Sim Plugins Ltd", "Example Labs", "WordPress Contributors"]),
      description: `The ${word} toolkit for WordPress. ${BLURB}`,
      latest,
      version: rng.next() < 0.15 ? olderThan(latest, rng) : latest,
      active: rng.next() < 0.7,
    };
  });
}

/**
 * `count` generated themes (numbered from `first`), none active.
 *
 * @example
 * ```ts
 * generatedThemes(new Prng(1), 1, 9)[0].stylesheet; // "sim-theme-9"
 * ```
 */
export function generatedThemes(rng: Prng, count: number, first = 1): SimTheme[] {
  return Array.from({ length: count }, (_, n) => {
    const latest = version(rng);
    return {
      stylesheet: `sim-theme-${first + n}`,
      name: `Sim Theme ${first + n}`,
      author: "Sim Themes",
      description: `A flexible block theme for blogs, shops and portfolios. ${BLURB}`,
      latest,
      version: rng.next() < 0.35 ? olderThan(latest, rng) : latest,
      active: false,
    };
  });
}
