/** Shared set-up of the store tests: an in-memory KV per test, and a site created in it. */
import { assert } from "@std/assert";
import { createSite, type SiteRecord } from "../../store/sites.ts";

/** Runs `fn` with a fresh in-memory KV, closed afterwards. */
export async function withKv(fn: (kv: Deno.Kv) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(kv);
  } finally {
    kv.close();
  }
}

/** Creates a site (asserting it was new) and returns its record. */
export async function newSiteRecord(
  kv: Deno.Kv,
  url: string,
  extra: Partial<SiteRecord> = {},
): Promise<SiteRecord> {
  const r = await createSite(kv, { url, ...extra });
  assert("site" in r);
  return r.site;
}

/** Creates a site (asserting it was new) and returns its id. */
export async function newSite(kv: Deno.Kv, url: string, extra: Partial<SiteRecord> = {}): Promise<number> {
  return (await newSiteRecord(kv, url, extra)).id;
}
