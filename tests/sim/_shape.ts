/**
 * The shape comparison of simulator replies with recorded ones: the same keys, recursively, and the same
 * JSON types; values may differ. Maps keyed by item are compared entry by entry with the closest entry.
 */

/** Objects whose keys are items (files, ids), not field names. */
export const ITEM_MAPS = new Set([
  "child_site_actions_data",
  "changes_logs_data",
  "plugin_updates",
  "theme_updates",
  "plugin_action_data",
  "theme_action_data",
  "theme_deactivate_data",
  "plugins_outdate_info",
  "themes_outdate_info",
]);

export const kind = (v: unknown) => v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
export const isObject = (v: unknown): v is Record<string, unknown> => kind(v) === "object";

/** Differences of `actual`'s shape from `expected`'s, as "path: what" lines. */
export function shapeDiff(expected: unknown, actual: unknown, path: string, key = ""): string[] {
  const [e, a] = [kind(expected), kind(actual)];
  if (e === "null") return a === "object" || a === "array" ? [`${path}: ${a}, recorded null`] : [];
  // An empty PHP array is an empty map or list: the simulator's state may fill it.
  if (e === "array" && (expected as unknown[]).length === 0) {
    return a === "array" || a === "object" ? [] : [`${path}: ${a}, recorded []`];
  }
  if (e !== a) return [`${path}: ${a}, recorded ${e}`];
  if (e === "array") {
    return (actual as unknown[]).flatMap((item, i) => closest(expected as unknown[], item, `${path}[${i}]`));
  }
  if (e !== "object") return [];
  const [exp, act] = [expected as Record<string, unknown>, actual as Record<string, unknown>];
  if (ITEM_MAPS.has(key)) {
    return Object.entries(act).flatMap(([k, v]) => closest(Object.values(exp), v, `${path}{${k}}`));
  }
  const out: string[] = [];
  for (const k of Object.keys(exp)) {
    if (!(k in act)) out.push(`${path}.${k}: missing`);
    else out.push(...shapeDiff(exp[k], act[k], `${path}.${k}`, k));
  }
  for (const k of Object.keys(act)) if (!(k in exp)) out.push(`${path}.${k}: not in the recording`);
  return out;
}

/** The differences against the recorded element `item` is closest to. */
function closest(candidates: unknown[], item: unknown, path: string): string[] {
  let best: string[] | null = null;
  for (const candidate of candidates.slice(0, 100)) {
    const diff = shapeDiff(candidate, item, path);
    if (best === null || diff.length < best.length) best = diff;
    if (diff.length === 0) break;
  }
  return best ?? [];
}
