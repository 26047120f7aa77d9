/**
 * @module
 * Opens Deno KV at `KV_PATH`: a file (its folder is created), `:memory:`, or a remote KV URL.
 *
 * @example
 * ```ts
 * const kv = await openStore("./data/fleetpress.kv");
 * ```
 */
import { isRemoteKv } from "../lib/config.ts";
import { markRemoteKv } from "./commit-scheduler.ts";

/**
 * Opens the store, creating the parent folder of a file path.
 *
 * @example
 * ```ts
 * const kv = await openStore(":memory:");
 * ```
 */
export async function openStore(kvPath: string): Promise<Deno.Kv> {
  if (kvPath !== ":memory:" && !isRemoteKv(kvPath)) {
    const slash = kvPath.lastIndexOf("/");
    if (slash > 0) await Deno.mkdir(kvPath.slice(0, slash), { recursive: true });
  }
  const kv = await Deno.openKv(kvPath);
  if (isRemoteKv(kvPath)) markRemoteKv(kv);
  return kv;
}
