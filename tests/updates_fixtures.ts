/**
 * @module
 * Test fixture of the update routes: a child-site simulator and an app whose sites are registered with
 * the simulated children directly (`ctx.child.register` with the module's shared key pair), stored with
 * `createSite` and synced with `syncSite` — no dependency on the site routes.
 *
 * @example
 * ```ts
 * const f = await updatesApp(3);
 * try {
 *   const res = await f.t.call("GET", "/wp-json/mainwp/v2/updates", { token: f.token });
 * } finally {
 *   await f.close();
 * }
 * ```
 */
import { encryptPrivateKey } from "../child/index.ts";
import { startChildSimulator } from "../sim/server.ts";
import type { ChildSimulator } from "../sim/server.ts";
import {
  createSite,
  type NewSite,
  type SiteRecord,
  type SiteSyncData,
  writeSiteSync,
} from "../store/sites.ts";
import { syncSite } from "../core/sync/sync.ts";
import { testKeys } from "./child/_fixtures.ts";
import { type TestApp, testApp } from "./helpers.ts";

/** The app, the simulator, a read_write token and the ids of simulated sites 1…count. */
export interface UpdatesFixture {
  t: TestApp;
  sim: ChildSimulator;
  token: string;
  /** `ids[i - 1]` is the site id of simulated site `i`. */
  ids: number[];
  close(): Promise<void>;
}

/**
 * Starts `count` simulated sites and an app managing all of them (synced once).
 *
 * @example
 * ```ts
 * const { t, sim, token, ids, close } = await updatesApp(2);
 * ```
 */
export async function updatesApp(count: number): Promise<UpdatesFixture> {
  const sim = await startChildSimulator({ count });
  let t: TestApp | undefined;
  const close = async () => {
    await t?.close();
    await sim.close();
  };
  try {
    t = await testApp({
      env: { SECRET_KEY: "0123456789abcdef0123" },
      child: { maxPerHost: 16, maxConcurrent: 16, timeoutMs: 2000 },
    });
    const token = await t.key("read_write");
    const keys = await testKeys();
    const ids: number[] = [];
    for (let i = 1; i <= count; i++) {
      const reg = await t.ctx.child.register(sim.url(i), {
        adminUser: "admin",
        adminPassword: "admin-password",
        keys,
      });
      const created = await createSite(t.ctx.kv, {
        url: sim.url(i),
        name: `Site ${i}`,
        adminname: reg.user,
        pubkey: reg.keys.publicKeyPem,
        privkey: await encryptPrivateKey(reg.keys.privateKeyPem, t.ctx.secretKey),
        uniqueId: reg.uniqueId,
      });
      if (!("site" in created)) throw new Error(`site ${i} already stored`);
      const synced = await syncSite(t.ctx, created.site.id);
      if (!synced?.ok) throw new Error(`site ${i} did not sync`);
      ids.push(created.site.id);
    }
    return { t, sim, token, ids, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Stores a site that has no child behind it, with hand-made sync data (domain routes, rollback data,
 * ignore-version rules).
 *
 * @example
 * ```ts
 * await storedSite(t, { url: "https://shop.example.com/" }, { plugin_upgrades: "{}" });
 * ```
 */
export async function storedSite(t: TestApp, site: NewSite, sync: SiteSyncData): Promise<SiteRecord> {
  const created = await createSite(t.ctx.kv, site);
  if (!("site" in created)) throw new Error("site already stored");
  const stored = await writeSiteSync(t.ctx.kv, created.site.id, sync);
  if (!stored) throw new Error("site vanished");
  return stored;
}

/** A plugin/theme update entry as a child reports it. */
export function upgradeEntry(name: string, version: string, newVersion: string): Record<string, unknown> {
  return { Name: name, Version: version, update: { new_version: newVersion, slug: name.toLowerCase() } };
}
