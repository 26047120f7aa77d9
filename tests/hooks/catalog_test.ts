import { assertEquals } from "@std/assert";
import { HOOKS } from "../../hooks/catalog.ts";
import { renderHooksDoc } from "../../hooks/doc.ts";
import { CHILD_HOOKS } from "../../child/connector.ts";

const ROOT = new URL("../../", import.meta.url);
const SOURCE_DIRS = [
  "app.ts",
  "main.ts",
  "routes",
  "services",
  "store",
  "auth",
  "rest",
  "hooks",
  "jobs",
  "abilities",
  "child",
  "plugins",
  "lib",
];

async function* sourceFiles(path: URL): AsyncGenerator<URL> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    return;
  }
  if (info.isFile) {
    if (path.pathname.endsWith(".ts")) yield path;
    return;
  }
  for await (const entry of Deno.readDir(path)) {
    yield* sourceFiles(new URL(entry.name + (entry.isDirectory ? "/" : ""), path));
  }
}

Deno.test("every hook the code applies or fires is in the catalogue, once", async () => {
  const names = new Set(HOOKS.map((h) => h.name));
  assertEquals(names.size, HOOKS.length, "duplicate catalogue entries");
  const missing: string[] = [];
  const pattern = /(?:applyFilters|doAction)(?:<[^>]*>)?\(\s*["'`]([\w-]+)["'`]/g;
  for (const dir of SOURCE_DIRS) {
    for await (const file of sourceFiles(new URL(dir + (dir.endsWith(".ts") ? "" : "/"), ROOT))) {
      const text = await Deno.readTextFile(file);
      for (const m of text.matchAll(pattern)) {
        if (!names.has(m[1])) missing.push(`${m[1]} (${file.pathname})`);
      }
    }
  }
  // Hook names kept in constant maps rather than literals.
  for (const name of Object.values(CHILD_HOOKS)) if (!names.has(name)) missing.push(`${name} (CHILD_HOOKS)`);
  assertEquals(missing, []);
});

Deno.test("the batch items limit hook is catalogued with its default", () => {
  const hook = HOOKS.find((h) => h.name === "mainwp_rest_batch_items_limit");
  assertEquals([hook?.kind, hook?.default], ["filter", 100]);
});

Deno.test("HOOKS.md is generated from the catalogue (run `deno task hooks-doc`)", async () => {
  assertEquals(await Deno.readTextFile(new URL("HOOKS.md", ROOT)), renderHooksDoc());
});
