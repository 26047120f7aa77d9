/**
 * @module
 * Child-plugin version checks. MainWP refuses several operations on children older than 4.0.0 with
 * `mainwp_child_outdated` "Child plugin version <min> or higher required." (HTTP 400), comparing with
 * PHP's `version_compare` — so `""` (never synced) is outdated and `"4.0"` is lower than `"4.0.0"`
 * (abilities.md, error table). {@link compareVersions} implements `version_compare`'s rules.
 *
 * @example
 * ```ts
 * isChildOutdated("3.9.1"); // true
 * assertChildVersion("6.1"); // passes
 * ```
 */
import { ChildError } from "./errors.ts";

/** The minimum child version of MainWP's abilities (`MIN_CHILD_VERSION_FOR_ABILITIES`). */
export const MIN_CHILD_VERSION = "4.0.0";

const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ["dev", 0],
  ["alpha", 1],
  ["a", 1],
  ["beta", 2],
  ["b", 2],
  ["RC", 3],
  ["rc", 3],
  ["#", 4],
  ["pl", 5],
  ["p", 5],
];

const isDigit = (c: string) => c >= "0" && c <= "9";
const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);

/** PHP's canonical form: `-_+` and other non-alphanumerics become `.`; digit/non-digit borders get a `.`. */
function canonical(version: string): string {
  let out = version[0];
  for (let i = 1; i < version.length; i++) {
    const c = version[i];
    const prev = version[i - 1];
    const border = prev !== "." && c !== "." && isDigit(prev) !== isDigit(c);
    if ("-_+".includes(c)) {
      if (!out.endsWith(".")) out += ".";
    } else if (border) {
      if (!out.endsWith(".")) out += ".";
      out += c;
    } else if (!isAlnum(c)) {
      if (!out.endsWith(".")) out += ".";
    } else {
      out += c;
    }
  }
  return out;
}

function specialRank(part: string): number {
  return SPECIAL_FORMS.find(([name]) => part.startsWith(name))?.[1] ?? -6;
}

function comparePart(a: string, b: string): number {
  const aNum = isDigit(a[0] ?? "");
  const bNum = isDigit(b[0] ?? "");
  if (aNum && bNum) return Math.sign(Number(a) - Number(b));
  return Math.sign(specialRank(aNum ? "#" : a) - specialRank(bNum ? "#" : b));
}

/**
 * PHP `version_compare($a, $b)`: -1, 0 or 1.
 *
 * @example
 * ```ts
 * compareVersions("4.0", "4.0.0"); // -1
 * compareVersions("6.1", "4.0.0"); // 1
 * compareVersions("5.0-beta", "5.0"); // -1
 * ```
 */
export function compareVersions(a: string, b: string): number {
  if (a === "" || b === "") return a === b ? 0 : a === "" ? -1 : 1;
  const left = canonical(a).split(".");
  const right = canonical(b).split(".");
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    const result = comparePart(left[i], right[i]);
    if (result !== 0) return result;
  }
  if (left.length > shared) return isDigit(left[shared][0] ?? "") ? 1 : comparePart(left[shared], "#");
  if (right.length > shared) return isDigit(right[shared][0] ?? "") ? -1 : comparePart("#", right[shared]);
  return 0;
}

/**
 * Whether a child version is below `min` (an unknown version counts as outdated).
 *
 * @example
 * ```ts
 * isChildOutdated(undefined); // true
 * ```
 */
export function isChildOutdated(version: string | null | undefined, min = MIN_CHILD_VERSION): boolean {
  return compareVersions(version ?? "", min) < 0;
}

/**
 * Throws MainWP's `mainwp_child_outdated` error (status 400) when the child is older than `min`.
 *
 * @example
 * ```ts
 * assertChildVersion(site.childVersion); // throws for "3.5"
 * ```
 */
export function assertChildVersion(version: string | null | undefined, min = MIN_CHILD_VERSION): void {
  if (!isChildOutdated(version, min)) return;
  throw new ChildError(
    "mainwp_child_outdated",
    `Child plugin version ${min} or higher required.`,
    "outdated",
    {
      status: 400,
    },
  );
}
