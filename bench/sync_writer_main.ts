/**
 * @module
 * The sync-data writer of `sites-list --writes` as a process of its own (so the load generator's event
 * loop never delays it): `deno run -A bench/sync_writer_main.ts <kvPath> <idsFile> <perSecond> <plugins>
 * <maxMs>` rewrites the sites listed in `idsFile` (JSON) until its stdin closes or `maxMs` passed, then
 * prints its report as JSON.
 *
 * @example
 * ```sh
 * deno run -A bench/sync_writer_main.ts /tmp/b/bench.kv /tmp/b/ids.json 100 40 15000 < /dev/null
 * ```
 */
import { startSyncWriter } from "./realistic.ts";

const [kvPath, idsFile, perSecond, plugins, maxMs] = Deno.args;
const siteIds: number[] = JSON.parse(await Deno.readTextFile(idsFile));
const writer = await startSyncWriter(kvPath, siteIds, {
  perSecond: Number(perSecond),
  plugins: Number(plugins),
  maxMs: Number(maxMs),
});
// Runs until the parent closes our stdin (or maxMs passed, then the writer idles until then).
for await (const _ of Deno.stdin.readable) {
  // nothing is sent; EOF ends the loop
}
console.log(JSON.stringify(await writer.stop()));
