/**
 * @module
 * The users CSV file MainWP's `POST /users/import` reads: ten columns per row — username, email,
 * first_name, last_name, user_url, password, send_password, role, select_sites (site URLs, `;`-separated),
 * select_groups (tag names, `;`-separated) — an optional header row, one user per row. The file is bounded
 * ({@link CSV_MAX_BYTES}, {@link CSV_MAX_ROWS}) and parsed as RFC 4180 CSV (quoted fields may hold commas,
 * quotes and line breaks; a UTF-8 BOM and CRLF line ends are accepted). Cells are data only: nothing
 * in them is evaluated, and a cell starting with `=` is just text.
 *
 * @example
 * ```ts
 * const rows = parseUserCsv("username,email,...\njane,jane@example.com,Jane,Doe,,,0,editor,shop.example,", true);
 * rows[0].line; // 2
 * ```
 */
import { CSV_MAX_BYTES, CSV_MAX_ROWS, NAME_MAX, TEXT_MAX, URL_MAX } from "../../lib/limits.ts";
import { isEmail, sanitizeEmail } from "../../wp/email.ts";
import { sanitizeTextField } from "../../wp/format.ts";
import { OperationFailed } from "../errors.ts";
import { escUrlRaw } from "../cost-values.ts";
import { isSiteUserRole, SITE_USER_ROLES } from "./targets.ts";

/** One data row of the file, its cells sanitized as MainWP sanitizes them. */
export interface CsvUserRow {
  /** The file line the row starts on (1-based). */
  line: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  url: string;
  /** As written (never sanitized, never shown). */
  password: string;
  sendPassword: boolean;
  /** Lower-cased; `""` means subscriber. */
  role: string;
  /** Site URLs. */
  sites: string[];
  /** Tag names. */
  groups: string[];
  /** Why the row is refused before any check (an over-long cell). */
  invalid?: string;
}

/** Cells per row MainWP requires. */
export const CSV_COLUMNS = 10;

/** Most characters per cell, by column (the rest: {@link NAME_MAX}). */
const CELL_MAX: readonly number[] = [
  NAME_MAX,
  NAME_MAX,
  NAME_MAX,
  NAME_MAX,
  URL_MAX,
  NAME_MAX,
  NAME_MAX,
  NAME_MAX,
  TEXT_MAX,
  TEXT_MAX,
];
const COLUMN_NAMES = [
  "username",
  "email",
  "first_name",
  "last_name",
  "user_url",
  "password",
  "send_password",
  "role",
  "select_sites",
  "select_groups",
];

/** A refused file: `site_users.csv.<code>` with MainWP's (or Fleetpress's) text. */
function refuse(code: string, message: string): never {
  throw new OperationFailed(`site_users.csv.${code}`, message);
}

/**
 * Splits CSV text into records of cells with the line each starts on: `"` quotes a cell (`""` is a
 * quote inside it), records end at LF or CRLF outside quotes, blank lines are skipped. An unclosed quote
 * runs to the end of the text, as PHP's `str_getcsv` reads it.
 *
 * @example
 * ```ts
 * csvRecords('a,"b,""c"""\r\n\r\nd'); // [{ line: 1, cells: ["a", 'b,"c"'] }, { line: 3, cells: ["d"] }]
 * ```
 */
export function csvRecords(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let blank = true;
  const endRecord = () => {
    cells.push(cell);
    if (!blank) out.push({ line: start, cells });
    cells = [];
    cell = "";
    blank = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell.trim() === "") {
      cell = "";
      quoted = true;
      blank = false;
    } else if (c === ",") {
      cells.push(cell);
      cell = "";
      blank = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else {
      cell += c;
      if (c.trim() !== "") blank = false;
    }
  }
  endRecord();
  return out;
}

/** FILTER_VALIDATE_BOOLEAN: `1`, `true`, `on`, `yes` (any case, trimmed). */
const isTrue = (text: string) => ["1", "true", "on", "yes"].includes(text.trim().toLowerCase());

const splitList = (text: string) => text.split(";").map((s) => s.trim()).filter((s) => s !== "");

/**
 * Reads a users CSV file (UTF-8, BOM allowed). Refuses the whole file, before anything is sent to a
 * site, when it is larger than {@link CSV_MAX_BYTES} (`site_users.csv.too_large`), empty
 * (`empty_file`), has no data (`no_data`), more than {@link CSV_MAX_ROWS} rows (`too_many_rows`) or a
 * row of fewer than ten cells (`invalid_csv_format`, MainWP's message with the line).
 *
 * @example
 * ```ts
 * parseUserCsv(new TextEncoder().encode("a,b"), false); // throws: Invalid CSV format at line 1. …
 * ```
 */
export function parseUserCsv(file: Uint8Array | string, hasHeader: boolean): CsvUserRow[] {
  const size = typeof file === "string" ? new TextEncoder().encode(file).length : file.length;
  if (size > CSV_MAX_BYTES) {
    refuse("too_large", `The CSV file is larger than ${CSV_MAX_BYTES} bytes.`);
  }
  const text = (typeof file === "string" ? file : new TextDecoder().decode(file)).replace(/^\uFEFF/, "");
  if (text === "" || text === "0") refuse("empty_file", "CSV file is empty.");
  const records = csvRecords(text);
  if (records.length === 0) refuse("no_data", "No data found in CSV file.");
  const data = hasHeader ? records.slice(1) : records;
  if (data.length > CSV_MAX_ROWS) {
    refuse("too_many_rows", `The CSV file has more than ${CSV_MAX_ROWS} rows.`);
  }
  return data.map(({ line, cells }) => {
    if (cells.length < CSV_COLUMNS) {
      refuse("invalid_csv_format", `Invalid CSV format at line ${line}. Expected 10 columns.`);
    }
    const row: CsvUserRow = {
      line,
      username: sanitizeTextField(cells[0]),
      email: sanitizeEmail(cells[1]),
      firstName: sanitizeTextField(cells[2]),
      lastName: sanitizeTextField(cells[3]),
      url: cells[4].trim() === "" ? "" : escUrlRaw(cells[4].trim()),
      password: cells[5],
      sendPassword: isTrue(cells[6]),
      role: sanitizeTextField(cells[7].toLowerCase()),
      sites: splitList(sanitizeTextField(cells[8])),
      groups: splitList(sanitizeTextField(cells[9])),
    };
    const long = cells.slice(0, CSV_COLUMNS).findIndex((c, i) => c.length > CELL_MAX[i]);
    if (long === -1) return row;
    // The row fails; what the report shows of it stays short.
    return {
      ...row,
      username: row.username.slice(0, NAME_MAX),
      email: row.email.slice(0, NAME_MAX),
      invalid: `${COLUMN_NAMES[long]} is longer than ${CELL_MAX[long]} characters.`,
    };
  });
}

/**
 * Why a row cannot be imported, MainWP's checks in MainWP's order (`null`: it can).
 *
 * @example
 * ```ts
 * csvRowError({ ...row, username: "" }); // "Username is required."
 * ```
 */
export function csvRowError(row: CsvUserRow): string | null {
  if (row.invalid) return row.invalid;
  if (row.username === "") return "Username is required.";
  if (row.email === "") return "Email is required.";
  if (!isEmail(row.email)) return "Invalid email format.";
  if (row.role !== "" && !isSiteUserRole(row.role)) {
    return `Invalid role. Allowed roles: ${SITE_USER_ROLES.join(", ")}`;
  }
  if (row.sites.length === 0 && row.groups.length === 0) {
    return "Either select_sites or select_groups must be provided.";
  }
  return null;
}
