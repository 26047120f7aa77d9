/**
 * @module
 * Deterministic, varied content for simulated child sites: which plugins and themes a site has, which
 * of them are behind the latest version, its WordPress/PHP/MySQL versions, pending translations, security
 * checks, posts and comments. Everything derives from the site number through a seeded PRNG, so site 3
 * looks the same in every run while sites differ from one another.
 *
 * @example
 * ```ts
 * const content = siteContent(3);
 * content.plugins.filter((p) => p.version !== p.latest).length; // pending plugin updates of site 3
 * ```
 */
import { generatedPlugins, generatedThemes, MAX_SIZED_ITEMS } from "./sized.ts";

/** A plugin installed on a simulated site. */
export interface SimPlugin {
  file: string;
  name: string;
  description: string;
  author: string;
  version: string;
  latest: string;
  active: boolean;
}

/** A theme installed on a simulated site. */
export interface SimTheme {
  stylesheet: string;
  name: string;
  description: string;
  author: string;
  version: string;
  latest: string;
  active: boolean;
}

/** A pending translation update. */
export interface SimTranslation {
  type: "core" | "plugin" | "theme";
  slug: string;
  language: string;
  version: string;
  name: string;
}

/** A recent post or page. */
export interface SimPost {
  id: number;
  status: string;
  title: string;
  comment_count: number;
  dts: number;
  author: string;
}

/** A recent comment. */
export interface SimComment {
  id: number;
  status: string;
  author: string;
  content: string;
  postId: number;
  dts: number;
}

/** Everything a simulated site starts with. */
export interface SiteContent {
  wpVersion: string;
  phpVersion: string;
  mysqlVersion: string;
  memoryLimit: string;
  siteLang: string;
  plugins: SimPlugin[];
  themes: SimTheme[];
  translations: SimTranslation[];
  security: Record<string, "Y" | "N">;
  posts: SimPost[];
  pages: SimPost[];
  comments: SimComment[];
  dbSize: number;
  totalSize: number;
  health: { good: number; recommended: number; critical: number };
}

/** The newest WordPress release the simulator knows. */
export const WP_LATEST = "6.7.1";

/** The MainWP Child plugin file. */
export const CHILD_PLUGIN_FILE = "mainwp-child/mainwp-child.php";

const WP_VERSIONS = ["6.4.5", "6.5.5", "6.6.2", WP_LATEST, WP_LATEST];
const PHP_VERSIONS = ["7.4.33", "8.1.29", "8.2.24", "8.3.12"];
const MYSQL_VERSIONS = ["8.0.39", "10.6.19-MariaDB", "10.11.8-MariaDB", "5.7.44"];
const MEMORY_LIMITS = ["128M", "256M", "512M"];
const LANGUAGES = ["en_US", "de_DE", "fr_FR", "es_ES", "nl_NL"];
const BASE_TIME = 1_735_689_600; // 2025-01-01T00:00:00Z: content times are fixed, not "now".

/** [file, name, author, description, latest, older] */
const PLUGINS: ReadonlyArray<readonly [string, string, string, string, string, string]> = [
  [
    "akismet/akismet.php",
    "Akismet Anti-spam: Spam Protection",
    "Automattic",
    "Used by millions, Akismet is quite possibly the best way in the world to protect your blog from spam.",
    "5.3.5",
    "5.3.3",
  ],
  [
    "classic-editor/classic-editor.php",
    "Classic Editor",
    "WordPress Contributors",
    "Enables the WordPress classic editor and the old-style Edit Post screen.",
    "1.6.7",
    "1.6.5",
  ],
  [
    "contact-form-7/wp-contact-form-7.php",
    "Contact Form 7",
    "Takayuki Miyoshi",
    "Just another contact form plugin. Simple but flexible.",
    "6.0.1",
    "5.9.8",
  ],
  [
    "woocommerce/woocommerce.php",
    "WooCommerce",
    "Automattic",
    "An ecommerce toolkit that helps you sell anything. Beautifully.",
    "9.4.2",
    "9.3.3",
  ],
  [
    "wordpress-seo/wp-seo.php",
    "Yoast SEO",
    "Team Yoast",
    "The first true all-in-one SEO solution for WordPress.",
    "23.9",
    "23.7",
  ],
  [
    "elementor/elementor.php",
    "Elementor",
    "Elementor.com",
    "The Elementor Website Builder has it all: drag and drop page builder.",
    "3.25.9",
    "3.24.7",
  ],
  [
    "wordfence/wordfence.php",
    "Wordfence Security",
    "Wordfence",
    "Wordfence Security - Anti-virus, Firewall and Malware Scan",
    "8.0.1",
    "7.11.7",
  ],
  [
    "updraftplus/updraftplus.php",
    "UpdraftPlus - Backup/Restore",
    "UpdraftPlus.Com, DavidAnderson",
    "Backup and restore: take backups locally, or backup to the cloud.",
    "1.24.11",
    "1.24.6",
  ],
  [
    "jetpack/jetpack.php",
    "Jetpack",
    "Automattic",
    "Security, performance, and marketing tools made by WordPress experts.",
    "14.0",
    "13.9.1",
  ],
  [
    "wp-super-cache/wp-cache.php",
    "WP Super Cache",
    "Automattic",
    "Very fast caching plugin for WordPress.",
    "1.12.4",
    "1.12.3",
  ],
  [
    "redirection/redirection.php",
    "Redirection",
    "John Godley",
    "Manage 301 redirects, track 404 errors, and improve your site.",
    "5.5.1",
    "5.5.0",
  ],
  [
    "wp-mail-smtp/wp_mail_smtp.php",
    "WP Mail SMTP",
    "WP Mail SMTP",
    "Reconfigures the wp_mail() function to use Gmail/Mailgun/SendGrid/SMTP.",
    "4.2.0",
    "4.1.1",
  ],
  [
    "duplicate-post/duplicate-post.php",
    "Yoast Duplicate Post",
    "Enrico Battocchi & Team Yoast",
    "The go-to tool for cloning posts and pages.",
    "4.5",
    "4.4",
  ],
  [
    "advanced-custom-fields/acf.php",
    "Advanced Custom Fields",
    "WP Engine",
    "Customize WordPress with powerful, professional and intuitive fields.",
    "6.3.11",
    "6.3.9",
  ],
  [
    "query-monitor/query-monitor.php",
    "Query Monitor",
    "John Blackbourn",
    "The developer tools panel for WordPress.",
    "3.17.0",
    "3.16.4",
  ],
  [
    "hello.php",
    "Hello Dolly",
    "Matt Mullenweg",
    "This is not just a plugin, it symbolizes the hope and enthusiasm of an entire generation.",
    "1.7.2",
    "1.7.1",
  ],
  [
    "litespeed-cache/litespeed-cache.php",
    "LiteSpeed Cache",
    "LiteSpeed Technologies",
    "High-performance page caching and site optimization from LiteSpeed.",
    "6.5.2",
    "6.5.1",
  ],
  [
    "wpforms-lite/wpforms.php",
    "WPForms Lite",
    "WPForms",
    "Beginner friendly WordPress contact form plugin.",
    "1.9.2.1",
    "1.9.1.6",
  ],
  [
    "all-in-one-wp-migration/all-in-one-wp-migration.php",
    "All-in-One WP Migration",
    "ServMask",
    "Migration tool for all your blog data.",
    "7.87",
    "7.86",
  ],
  [
    "really-simple-ssl/rlrsssl-really-simple-ssl.php",
    "Really Simple Security",
    "Really Simple Security",
    "Easily improve site security with WordPress Hardening.",
    "9.1.2",
    "9.0.2",
  ],
];

/** [stylesheet, name, author, description, latest, older] */
const THEMES: ReadonlyArray<readonly [string, string, string, string, string, string]> = [
  [
    "twentytwentyfive",
    "Twenty Twenty-Five",
    "the WordPress team",
    "Twenty Twenty-Five emphasizes simplicity and adaptability.",
    "1.0",
    "1.0",
  ],
  [
    "twentytwentyfour",
    "Twenty Twenty-Four",
    "the WordPress team",
    "Twenty Twenty-Four is designed to be flexible, versatile and applicable to any website.",
    "1.3",
    "1.2",
  ],
  [
    "twentytwentythree",
    "Twenty Twenty-Three",
    "the WordPress team",
    "Twenty Twenty-Three is designed to take advantage of the new design tools.",
    "1.6",
    "1.5",
  ],
  [
    "astra",
    "Astra",
    "Brainstorm Force",
    "The Astra WordPress theme is lightning-fast and highly customizable.",
    "4.8.6",
    "4.8.3",
  ],
  [
    "generatepress",
    "GeneratePress",
    "Tom Usborne",
    "GeneratePress is a lightweight WordPress theme built with a focus on speed and usability.",
    "3.5.1",
    "3.4.0",
  ],
  [
    "kadence",
    "Kadence",
    "Kadence WP",
    "Kadence Theme is a lightweight yet full featured WordPress theme.",
    "1.2.11",
    "1.2.9",
  ],
  ["oceanwp", "OceanWP", "OceanWP", "OceanWP is the perfect theme for your project.", "4.0.2", "3.6.1"],
  [
    "hello-elementor",
    "Hello Elementor",
    "Elementor Team",
    "Hello Elementor is a lightweight and minimalist WordPress theme.",
    "3.2.0",
    "3.1.1",
  ],
];

const SECURITY_CHECKS = [
  "db_reporting",
  "php_reporting",
  "wp_uptodate",
  "phpversion_matched",
  "sslprotocol",
  "debug_disabled",
  "sec_outdated_plugins",
  "sec_inactive_plugins",
  "sec_outdated_themes",
  "sec_inactive_themes",
];

const POST_TITLES = [
  "Hello world!",
  "Spring sale starts today",
  "Our new office",
  "Five tips for faster pages",
  "Release notes",
  "Meet the team",
  "Customer stories",
];

/** A small seeded PRNG (mulberry32) with helpers. */
export class Prng {
  #state: number;

  /** A generator for `seed`; equal seeds give equal sequences. */
  constructor(seed: number) {
    this.#state = (seed * 2654435761) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** `count` distinct elements, in shuffled order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, count);
  }
}

function pluginsFor(rng: Prng, count?: number): SimPlugin[] {
  const known = count === undefined ? rng.int(4, 12) : Math.min(count, PLUGINS.length);
  const extra = count === undefined ? [] : generatedPlugins(rng, count - known, PLUGINS.length + 1);
  return [
    ...rng.sample(PLUGINS, known).map(([file, name, author, description, latest, older]) => ({
      file,
      name,
      author,
      description,
      latest,
      version: rng.next() < 0.4 ? older : latest,
      active: rng.next() < 0.7,
    })),
    ...extra,
  ];
}

function themesFor(rng: Prng, count?: number): SimTheme[] {
  const known = count === undefined ? rng.int(2, 4) : Math.min(count, THEMES.length);
  const extra = count === undefined ? [] : generatedThemes(rng, count - known, THEMES.length + 1);
  const themes = [
    ...rng.sample(THEMES, known).map((
      [stylesheet, name, author, description, latest, older],
    ) => ({
      stylesheet,
      name,
      author,
      description,
      latest,
      version: rng.next() < 0.35 ? older : latest,
      active: false,
    })),
    ...extra,
  ];
  themes[rng.int(0, themes.length - 1)].active = true;
  return themes;
}

function translationsFor(rng: Prng, plugins: SimPlugin[], language: string): SimTranslation[] {
  if (language === "en_US") return [];
  const items: SimTranslation[] = [];
  if (rng.next() < 0.5) {
    items.push({ type: "core", slug: "default", language, version: WP_LATEST, name: "WordPress" });
  }
  for (const plugin of rng.sample(plugins, rng.int(0, 2))) {
    items.push({
      type: "plugin",
      slug: plugin.file.split("/")[0].replace(/\.php$/, ""),
      language,
      version: plugin.version,
      name: plugin.name,
    });
  }
  return items;
}

function postsFor(rng: Prng, count: number, firstId: number): SimPost[] {
  return Array.from({ length: count }, (_, n) => ({
    id: firstId + n,
    status: rng.next() < 0.8 ? "publish" : rng.pick(["draft", "pending", "future"]),
    title: rng.pick(POST_TITLES),
    comment_count: rng.int(0, 12),
    dts: BASE_TIME - rng.int(0, 90) * 86_400 - rng.int(0, 86_399),
    author: "admin",
  }));
}

function commentsFor(rng: Prng, posts: SimPost[]): SimComment[] {
  return Array.from({ length: posts.length === 0 ? 0 : rng.int(0, 4) }, (_, n) => ({
    id: 100 + n,
    status: rng.next() < 0.7 ? "approve" : "hold",
    author: rng.pick(["Jane", "Ahmed", "Li Wei", "Carlos", "A WordPress Commenter"]),
    content: rng.pick(["Great post!", "Thanks for sharing.", "Is this still available?", "Nice work."]),
    postId: rng.pick(posts).id,
    dts: BASE_TIME - rng.int(0, 30) * 86_400,
  }));
}

/** How many plugins and themes a site carries (default: a few of the catalog's, varying by site). */
export interface SiteSizes {
  /** Plugins in the site's stats reply, MainWP Child included (1 – {@link MAX_SIZED_ITEMS}). */
  plugins?: number;
  /** Installed themes (1 – {@link MAX_SIZED_ITEMS}). */
  themes?: number;
}

function sizeOption(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIZED_ITEMS) {
    throw new RangeError(`${name} must be an integer from 1 to ${MAX_SIZED_ITEMS}`);
  }
  return value;
}

/**
 * The starting content of simulated site `index` (1-based), the same on every run. With `sizes`, the
 * site carries exactly that many plugins (MainWP Child counted) and themes.
 *
 * @example
 * ```ts
 * siteContent(1).wpVersion; // e.g. "6.6.2"
 * siteContent(1, { plugins: 40 }).plugins.length; // 39, plus MainWP Child in the stats reply
 * ```
 */
export function siteContent(index: number, sizes: SiteSizes = {}): SiteContent {
  const pluginCount = sizeOption("plugins", sizes.plugins);
  const themeCount = sizeOption("themes", sizes.themes);
  const rng = new Prng(index);
  const plugins = pluginsFor(rng, pluginCount === undefined ? undefined : pluginCount - 1);
  const siteLang = rng.pick(LANGUAGES);
  const posts = postsFor(rng, rng.int(1, 5), 10);
  return {
    wpVersion: rng.pick(WP_VERSIONS),
    phpVersion: rng.pick(PHP_VERSIONS),
    mysqlVersion: rng.pick(MYSQL_VERSIONS),
    memoryLimit: rng.pick(MEMORY_LIMITS),
    siteLang,
    plugins,
    themes: themesFor(rng, themeCount),
    translations: translationsFor(rng, plugins, siteLang),
    security: Object.fromEntries(SECURITY_CHECKS.map((key) => [key, rng.next() < 0.75 ? "Y" : "N"])),
    posts,
    pages: postsFor(rng, rng.int(1, 3), 50),
    comments: commentsFor(rng, posts),
    dbSize: rng.int(2, 400) * 1_048_576 + rng.int(0, 1_048_575),
    totalSize: rng.int(50, 4000) * 1_048_576,
    health: { good: rng.int(12, 18), recommended: rng.int(0, 6), critical: rng.next() < 0.15 ? 1 : 0 },
  };
}

/** The checks of the child's `security` answer, in order. */
export const SECURITY_CHECK_NAMES: readonly string[] = SECURITY_CHECKS;

/** Fixed content time base (unix seconds). */
export const CONTENT_TIME: number = BASE_TIME;
