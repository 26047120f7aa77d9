/**
 * @module
 * Shared by the simulator's shape tests: the recorded replies of a real MainWP Child 6.1
 * (`/work/shared/fixtures/mainwp-child-6.1/`), sending a recording's call to a simulated site, and the
 * shape comparison — the same keys, recursively, and the same JSON types; values may differ. Maps keyed
 * by item (plugin files, action ids) are compared entry by entry, each against the closest recorded entry.
 *
 * @example
 * ```ts
 * const fixtures = await loadRecordings((fn) => fn === "get_all_users");
 * shapeDiff(fixtures[0].reply, reply, fixtures[0].file); // [] when the shapes agree
 * ```
 */
import { encodePhpForm, type FormFields, parseEnvelope } from "../../child/index.ts";
import type { ChildSimulator } from "../../sim/server.ts";

const DIR = new URL("../../../../shared/fixtures/mainwp-child-6.1/", import.meta.url);
const FIXTURES_DIR = await Deno.stat(DIR).then(
  () => DIR,
  () => new URL("file:///work/shared/fixtures/mainwp-child-6.1/"),
);

/** One recorded call. */
export interface Fixture {
  file: string;
  function: string;
  params: Record<string, unknown>;
  /** The base64-JSON fields decoded (newpost, newuser). */
  params_decoded?: Record<string, unknown>;
  reply: unknown;
  http_status: number;
}

/** A JSON value's kind: `null`, `array`, or its `typeof`. */
export const kind = (v: unknown) => v === null ? "null" : Array.isArray(v) ? "array" : typeof v;

/** Whether a value is a JSON object. */
export const isObject = (v: unknown): v is Record<string, unknown> => kind(v) === "object";

/** Differences of `actual`'s shape from `expected`'s, as "path: what" lines. */
export function shapeDiff(
  expected: unknown,
  actual: unknown,
  path: string,
  key = "",
  itemMaps: ReadonlySet<string> = new Set(),
): string[] {
  const [e, a] = [kind(expected), kind(actual)];
  if (e === "null") return a === "object" || a === "array" ? [`${path}: ${a}, recorded null`] : [];
  // An empty PHP array is an empty map or list: the simulator's state may fill it.
  if (e === "array" && (expected as unknown[]).length === 0) {
    return a === "array" || a === "object" ? [] : [`${path}: ${a}, recorded []`];
  }
  if (e !== a) return [`${path}: ${a}, recorded ${e}`];
  if (e === "array") {
    return (actual as unknown[]).flatMap((item, i) =>
      closest(expected as unknown[], item, `${path}[${i}]`, itemMaps)
    );
  }
  if (e !== "object") return [];
  const [exp, act] = [expected as Record<string, unknown>, actual as Record<string, unknown>];
  if (itemMaps.has(key)) {
    return Object.entries(act).flatMap(([k, v]) => closest(Object.values(exp), v, `${path}{${k}}`, itemMaps));
  }
  const out: string[] = [];
  for (const k of Object.keys(exp)) {
    if (!(k in act)) out.push(`${path}.${k}: missing`);
    else out.push(...shapeDiff(exp[k], act[k], `${path}.${k}`, k, itemMaps));
  }
  for (const k of Object.keys(act)) if (!(k in exp)) out.push(`${path}.${k}: not in the recording`);
  return out;
}

/** The differences against the recorded element `item` is closest to. */
function closest(
  candidates: unknown[],
  item: unknown,
  path: string,
  itemMaps: ReadonlySet<string>,
): string[] {
  let best: string[] | null = null;
  for (const candidate of candidates.slice(0, 100)) {
    const diff = shapeDiff(candidate, item, path, "", itemMaps);
    if (best === null || diff.length < best.length) best = diff;
    if (diff.length === 0) break;
  }
  return best ?? [];
}

/** The recordings of the functions `wanted` accepts, in recording order. */
export async function loadRecordings(wanted: (fn: string) => boolean): Promise<Fixture[]> {
  const out: Fixture[] = [];
  for await (const entry of Deno.readDir(FIXTURES_DIR)) {
    if (!/^\d\d-.*\.json$/.test(entry.name)) continue;
    const data = JSON.parse(await Deno.readTextFile(new URL(entry.name, FIXTURES_DIR)));
    if (wanted(data.function)) out.push({ file: entry.name, ...data });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Posts form fields to simulated site `i`; returns the HTTP status and the decoded reply. */
export async function send(sim: ChildSimulator, i: number, fields: FormFields) {
  const response = await fetch(sim.url(i) + "wp-admin/admin-ajax.php", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encodePhpForm(fields),
  });
  return { status: response.status, reply: parseEnvelope(await response.text()) };
}

/** A signature with its bytes reversed (the recordings' bad-signature case). */
export function reversedSignature(signature: string): string {
  const bytes = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0)).reverse();
  return btoa(String.fromCharCode(...bytes));
}
