/**
 * @module
 * The layering rules of issue #13, checked on the source tree: which top-level folders may import which
 * (relative imports, `import type` included; comments ignored), and no source module over 600 lines.
 *
 * @example
 * ```sh
 * deno test -A tests/architecture_test.ts
 * ```
 */
import { assert, assertEquals } from "@std/assert";

const ROOT = new URL("../", import.meta.url);
/** Folders that hold no application source. */
const SKIPPED = new Set(["tests", "node_modules", "data"]);
const MAX_LINES = 600;

/** One rule: a folder, and which targets (repo-relative paths) its modules may not import. */
interface Rule {
  from: string;
  why: string;
  forbids: (target: string) => boolean;
}

const topOf = (path: string) => path.split("/")[0];
const only = (...allowed: string[]) => (target: string) => !allowed.includes(topOf(target));
const none = (...denied: string[]) => (target: string) => denied.includes(topOf(target));

const RULES: Rule[] = [
  { from: "store", why: "store/ imports only lib/ and store/", forbids: only("store", "lib") },
  {
    from: "core",
    why: "core/ imports no surface (rest/, routes/, abilities/) and nothing from services/",
    forbids: none("rest", "routes", "abilities", "services"),
  },
  {
    from: "jobs",
    why: "jobs/ is core-level: it imports no surface (rest/, routes/, abilities/)",
    forbids: none("rest", "routes", "abilities"),
  },
  { from: "lib", why: "lib/ imports nothing above lib/", forbids: only("lib") },
  { from: "routes", why: "routes/ imports no store/ module (it calls the core)", forbids: none("store") },
  {
    from: "abilities",
    why: "abilities/ imports no store/ module (it calls the core)",
    forbids: none("store"),
  },
  { from: "wp", why: "wp/ imports only wp/ and lib/", forbids: only("wp", "lib") },
  { from: "openapi", why: "openapi/ imports no store/ module (a surface)", forbids: none("store") },
  {
    from: "mcp",
    why: "mcp/ imports no store/ module (a surface: it calls the core)",
    forbids: none("store"),
  },
  {
    from: "console",
    why: "console/ is a surface: it talks to the REST API or calls the core, never store/",
    forbids: none("store"),
  },
];

/** The source without comments (block comments, and lines that are only a `//` comment). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/**
 * The relative module specifiers a source imports or re-exports (static, side-effect and dynamic).
 *
 * @example
 * ```ts
 * importsOf('import type { A } from "./a.ts";'); // ["./a.ts"]
 * ```
 */
export function importsOf(source: string): string[] {
  const code = withoutComments(source);
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^;"']*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) out.push(m[1]);
  return out;
}

/** `spec` as imported from `from` (both repo-relative), normalised. */
function resolveFrom(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const part of spec.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/**
 * Every broken rule among the given modules' imports, as `"importer -> target: why"`.
 *
 * @example
 * ```ts
 * violations(new Map([["lib/x.ts", ['import "../core/y.ts";']]])); // ["lib/x.ts -> core/y.ts: …"]
 * ```
 */
export function violations(sources: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [path, source] of sources) {
    const rule = RULES.find((r) => r.from === topOf(path) && path.includes("/"));
    if (!rule) continue;
    for (const spec of importsOf(source)) {
      const target = resolveFrom(path, spec);
      if (rule.forbids(target)) out.push(`${path} -> ${target}: ${rule.why}`);
    }
  }
  return out.sort();
}

/** Every `.ts`/`.tsx` source module of the repository (repo-relative path → text), tests and data left out. */
async function sourceTree(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, depth: number) => {
    assert(depth < 20, `source tree deeper than expected at ${dir}`);
    for await (const entry of Deno.readDir(new URL(dir, ROOT))) {
      if (entry.name.startsWith(".")) continue;
      const path = dir === "./" ? entry.name : `${dir}${entry.name}`;
      if (entry.isDirectory && !(depth === 0 && SKIPPED.has(entry.name))) await walk(`${path}/`, depth + 1);
      else if (entry.isFile && /\.tsx?$/.test(entry.name)) {
        out.set(path, await Deno.readTextFile(new URL(path, ROOT)));
      }
    }
  };
  await walk("./", 0);
  return out;
}

Deno.test("the import scanner sees every kind of relative import and skips comments", () => {
  const source = [
    "/**",
    ' * import { Example } from "../store/sites.ts";',
    " */",
    '// import { gone } from "../store/old.ts";',
    'import { z } from "zod";',
    'import type { SiteRecord } from "../core/sites/resolve.ts";',
    "import {",
    "  a,",
    "  b,",
    '} from "./multi.ts";',
    'export { c } from "./again.ts";',
    'import "./side-effect.ts";',
    'const lazy = await import("../lib/lazy.ts");',
  ].join("\n");
  assertEquals(importsOf(source), [
    "../core/sites/resolve.ts",
    "./multi.ts",
    "./again.ts",
    "./side-effect.ts",
    "../lib/lazy.ts",
  ]);
});

Deno.test("each rule reports an import that breaks it", () => {
  const bad = new Map([
    ["store/x.ts", 'import { a } from "../core/a.ts";\nimport { k } from "./keys.ts";'],
    ["core/x.ts", 'import { r } from "../rest/errors.ts";\nimport { s } from "../services/other.ts";'],
    ["lib/x.ts", 'import type { AppContext } from "../app-context.ts";'],
    ["routes/present/x.ts", 'import { getSite } from "../../store/sites.ts";'],
    ["abilities/mainwp/x.ts", 'import type { ClientRecord } from "../../store/clients.ts";'],
    ["wp/x.ts", 'import { keys } from "../store/keys.ts";\nimport { l } from "../lib/limits.ts";'],
    ["console/x.tsx", 'import { listSites } from "../store/sites.ts";\nimport { c } from "../core/c.ts";'],
    // A rule-free folder.
    ["cli/x.ts", 'import { keys } from "../store/keys.ts";'],
  ]);
  assertEquals(violations(bad).map((v) => v.split(":")[0]), [
    "abilities/mainwp/x.ts -> store/clients.ts",
    "console/x.tsx -> store/sites.ts",
    "core/x.ts -> rest/errors.ts",
    "core/x.ts -> services/other.ts",
    "lib/x.ts -> app-context.ts",
    "routes/present/x.ts -> store/sites.ts",
    "store/x.ts -> core/a.ts",
    "wp/x.ts -> store/keys.ts",
  ]);
});

Deno.test("source modules follow the layering rules of issue #13", async () => {
  const sources = await sourceTree();
  // Guard against a vacuous pass: the walk found the layers and their imports.
  for (const dir of ["store/", "core/", "lib/", "routes/", "abilities/", "wp/", "console/"]) {
    assert([...sources.keys()].some((p) => p.startsWith(dir)), `no modules found under ${dir}`);
  }
  assert(importsOf(sources.get("core/errors.ts") ?? "").length > 0, "core/errors.ts's imports not seen");
  assertEquals(violations(sources), []);
});

Deno.test(`no source module is over ${MAX_LINES} lines`, async () => {
  const sources = await sourceTree();
  const long = [...sources]
    .map(([path, text]) => [path, text.split("\n").length - (text.endsWith("\n") ? 1 : 0)] as const)
    .filter(([, lines]) => lines > MAX_LINES)
    .map(([path, lines]) => `${path}: ${lines} lines`);
  assertEquals(long, []);
});
