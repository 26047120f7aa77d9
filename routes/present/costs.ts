/**
 * @module
 * MainWP's two wire shapes of a cost (rest-v2.md §6.4): the HTML-escaped *list object* inside maps keyed
 * by cost id (cost lists, a site's and a client's costs) and the *raw row* of single reads and writes
 * (every column as unescaped text, the price as DECIMAL(26,8) text).
 *
 * @example
 * ```ts
 * costRawRow(cost).price; // "20.00000000"
 * ```
 */
import type { Cost } from "../../core/costs.ts";
import { formatPrice } from "../../core/cost-values.ts";
import type { HookDeps } from "../../core/deps.ts";
import { mysqlDate } from "../../wp/dates.ts";
import { escHtml } from "../../wp/format.ts";

/** The cost list object (§6.4): escaped text, `id` an integer, dates as text or integer 0. */
export interface CostListObject {
  id: number;
  name: string;
  url: string;
  type: string;
  product_type: string;
  slug: string;
  license_type: string;
  cost_status: string;
  payment_method: string;
  price: string;
  renewal_type: string;
  last_renewal: string | 0;
  next_renewal: string | 0;
  last_alert: string | 0;
  sites: string;
  groups: string;
  clients: string;
  note: string;
}

/**
 * An owner list as MainWP stores it: a JSON array string, or `""` when empty.
 *
 * @example
 * ```ts
 * ownerListString([3, 7]); // "[3,7]"
 * ```
 */
export function ownerListString(ids: number[]): string {
  return ids.length > 0 ? JSON.stringify(ids) : "";
}

const listDate = (unix: number): string | 0 => (unix > 0 ? mysqlDate(unix) : 0);

/**
 * The cost list object. `note` is the note as the `mainwp_escape_content` filter returned it (default:
 * HTML-escaped); {@link costListMap} applies the filter.
 *
 * @example
 * ```ts
 * costListObject(cost).id; // 12 (an integer)
 * ```
 */
export function costListObject(c: Cost, note: string = escHtml(c.note)): CostListObject {
  return {
    id: c.id,
    name: escHtml(c.name),
    url: escHtml(c.url),
    type: escHtml(c.type),
    product_type: escHtml(c.product_type),
    slug: escHtml(c.slug),
    license_type: escHtml(c.license_type),
    cost_status: escHtml(c.cost_status),
    payment_method: escHtml(c.payment_method),
    price: escHtml(formatPrice(c.price)),
    renewal_type: escHtml(c.renewal_type),
    last_renewal: listDate(c.last_renewal),
    next_renewal: listDate(c.next_renewal),
    last_alert: listDate(c.last_alert),
    sites: escHtml(ownerListString(c.sites)),
    groups: escHtml(ownerListString(c.groups)),
    clients: escHtml(ownerListString(c.clients)),
    note,
  };
}

/**
 * Costs as MainWP lists them: an object keyed by cost id (in the given order, ascending ids), or `[]`
 * when there are none (PHP's empty array). Each note goes through the `mainwp_escape_content` filter.
 *
 * @example
 * ```ts
 * const data = await costListMap(ctx, costs); // { "12": {...}, "15": {...} }
 * ```
 */
export async function costListMap(
  { hooks }: Pick<HookDeps, "hooks">,
  costs: Cost[],
): Promise<Record<string, CostListObject> | []> {
  if (costs.length === 0) return [];
  const out: Record<string, CostListObject> = {};
  for (const c of costs) {
    const note = await hooks.applyFilters("mainwp_escape_content", escHtml(c.note), c.note);
    out[String(c.id)] = costListObject(c, String(note ?? ""));
  }
  return out;
}

/**
 * The raw row (a single cost read, add, edit, remove): every column as a string, unescaped.
 *
 * @example
 * ```ts
 * costRawRow(cost).last_renewal; // "1711929600"
 * ```
 */
export function costRawRow(c: Cost): Record<string, string> {
  return {
    id: String(c.id),
    name: c.name,
    url: c.url,
    type: c.type,
    product_type: c.product_type,
    slug: c.slug,
    license_type: c.license_type,
    cost_status: c.cost_status,
    payment_method: c.payment_method,
    price: formatPrice(c.price),
    renewal_type: c.renewal_type,
    last_renewal: String(c.last_renewal),
    next_renewal: String(c.next_renewal),
    next_renewal_today: String(c.next_renewal_today),
    last_alert: String(c.last_alert),
    cost_icon: c.cost_icon,
    cost_color: c.cost_color,
    sites: ownerListString(c.sites),
    groups: ownerListString(c.groups),
    clients: ownerListString(c.clients),
    note: c.note,
  };
}
