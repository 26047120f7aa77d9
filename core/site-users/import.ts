/**
 * @module
 * Importing users from a parsed CSV file (`csv.ts`): each row is checked, its sites found (site URLs and
 * tag names; unknown ones, disconnected and suspended sites are skipped) and the user created on them,
 * one row after the other, so a login repeated further down the file meets the first one. The whole
 * import keeps to the bulk deadline: rows not started when it has passed are reported as not run, so a
 * file of slow sites cannot hold the request for hundreds of deadlines.
 *
 * @example
 * ```ts
 * const outcomes = await importSiteUsers(ctx, parseUserCsv(bytes, true));
 * ```
 */
import { findSiteByDomain, type SiteRecord } from "../../store/sites.ts";
import { findTagByName } from "../../store/tags.ts";
import { bulkDeadlineMs } from "../../lib/bulk-deadline.ts";
import { escHtml } from "../../wp/format.ts";
import type { ChildDeps } from "../deps.ts";
import { selectBulkSites } from "../sites/bulk.ts";
import { createSiteUsers, type SiteWriteResult } from "./create.ts";
import { csvRowError, type CsvUserRow } from "./csv.ts";
import { isReachableSite, isSiteUserRole } from "./targets.ts";

/** What became of one row: refused (with the reason) or sent to its sites. */
export type CsvRowOutcome =
  | { row: CsvUserRow; error: string }
  | { row: CsvUserRow; results: SiteWriteResult[] };

/** MainWP's text for a row none of whose sites and tags matched a connected site. */
export const NO_VALID_WEBSITES = "No valid websites found for this user.";

/** The error of a row not run because the import's deadline had passed. */
export function notRunMessage(ms: number): string {
  return `Not imported: the import did not reach this row within ${ms / 1000} seconds; import it again.`;
}

/** The connected, unsuspended sites a row names: its site URLs first, then its tags' sites. */
async function rowSites(
  deps: ChildDeps,
  row: CsvUserRow,
  listed: readonly SiteRecord[],
): Promise<SiteRecord[]> {
  const usable = new Map(listed.filter(isReachableSite).map((s) => [s.id, s]));
  const out = new Map<number, SiteRecord>();
  for (const url of row.sites) {
    const site = await findSiteByDomain(deps.kv, url);
    if (site && usable.has(site.id)) out.set(site.id, usable.get(site.id)!);
  }
  for (const name of row.groups) {
    const tag = (await findTagByName(deps.kv, name)) ?? (await findTagByName(deps.kv, escHtml(name)));
    if (!tag) continue;
    for (const site of usable.values()) if (site.tag_ids.includes(tag.id)) out.set(site.id, site);
  }
  return [...out.values()];
}

/**
 * Checks and imports each row in file order; a row's refusal or failure never stops the others.
 *
 * @example
 * ```ts
 * for (const o of await importSiteUsers(ctx, rows)) console.log(o.row.line, "error" in o ? o.error : "sent");
 * ```
 */
export async function importSiteUsers(
  deps: ChildDeps,
  rows: readonly CsvUserRow[],
): Promise<CsvRowOutcome[]> {
  const listed = await selectBulkSites(deps, { include: null, exclude: null });
  const deadlineMs = await bulkDeadlineMs(deps);
  const started = Date.now();
  const out: CsvRowOutcome[] = [];
  for (const row of rows) {
    const error = csvRowError(row);
    if (error !== null) {
      out.push({ row, error });
      continue;
    }
    const sites = await rowSites(deps, row, listed);
    if (sites.length === 0) {
      out.push({ row, error: NO_VALID_WEBSITES });
      continue;
    }
    if (Date.now() - started >= deadlineMs) {
      out.push({ row, error: notRunMessage(deadlineMs) });
      continue;
    }
    const { results } = await createSiteUsers(deps, sites, {
      login: row.username,
      email: row.email,
      password: row.password === "" ? null : row.password,
      role: isSiteUserRole(row.role) ? row.role : "subscriber",
      url: row.url,
      firstName: row.firstName,
      lastName: row.lastName,
      sendPassword: row.sendPassword,
    });
    out.push({ row, results });
  }
  return out;
}
