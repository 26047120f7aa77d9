/**
 * @module
 * Generates `HOOKS.md` from the hook catalogue: `deno task hooks-doc`.
 *
 * @example
 * ```ts
 * const markdown = renderHooksDoc();
 * ```
 */
import { HOOKS } from "./catalog.ts";

const cell = (text: string) => text.replaceAll("|", "\\|");

/**
 * The Markdown table of every hook.
 *
 * @example
 * ```ts
 * renderHooksDoc().startsWith("# Hooks"); // true
 * ```
 */
export function renderHooksDoc(): string {
  const lines = [
    "# Hooks",
    "",
    "Generated from `hooks/catalog.ts` by `deno task hooks-doc`; do not edit by hand. Plugins add callbacks with",
    "`host.addFilter(name, callback, priority)` / `host.addAction(…)` (see `plugins/host.ts`); lower priorities run",
    "first, equal priorities in the order they were added.",
    "",
    "| hook | kind | default | arguments | what it does |",
    "|---|---|---|---|---|",
  ];
  for (const h of HOOKS) {
    const def = h.kind === "filter"
      ? cell(typeof h.default === "string" ? h.default : JSON.stringify(h.default))
      : "";
    lines.push(
      `| \`${h.name}\` | ${h.kind} | ${def} | ${cell(h.args.join(", "))} | ${cell(h.description)} |`,
    );
  }
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  await Deno.writeTextFile(new URL("../HOOKS.md", import.meta.url), renderHooksDoc());
  console.log(`HOOKS.md: ${HOOKS.length} hooks`);
}
