/**
 * @module
 * A second process for the cross-process listing test: opens the KV file given as its argument and
 * changes the fleet through the store (rename site 1, new sync data for site 2, delete site 3, add a
 * site), then prints the new site's id.
 *
 * @example
 * ```sh
 * deno run -A tests/routes/_fleet_writer.ts /tmp/x/fleet.kv
 * ```
 */
import { createSite, deleteSite, updateSite, writeSiteSync } from "../../store/sites.ts";

const kv = await Deno.openKv(Deno.args[0]);
try {
  await updateSite(kv, 1, (s) => ({ ...s, name: "Renamed elsewhere" }));
  await writeSiteSync(kv, 2, { dbsize: 7, plugin_upgrades: '{"a/a.php":{"Name":"A","new_version":"2.0"}}' });
  await deleteSite(kv, 3);
  const created = await createSite(kv, { url: "https://d.example", name: "Delta" });
  console.log(JSON.stringify({ created: "site" in created ? created.site.id : null }));
} finally {
  kv.close();
}
