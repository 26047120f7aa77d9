/**
 * The users CSV reader with hostile input: quotes, BOM, CRLF, blank lines, huge rows and files, formula-
 * looking cells, missing columns; and MainWP's per-row checks.
 */
import { assertEquals } from "@std/assert";
import { csvRecords, csvRowError, type CsvUserRow, parseUserCsv } from "../../../core/site-users/csv.ts";
import { OperationFailed } from "../../../core/errors.ts";
import { CSV_MAX_BYTES, CSV_MAX_ROWS } from "../../../lib/limits.ts";
import { isEmail, sanitizeEmail } from "../../../wp/email.ts";

const HEADER =
  "username,email,first_name,last_name,user_url,password,send_password,role,select_sites,select_groups";
const row = (name: string, extra = "") => `${name},${name}@example.com,,,,,0,,shop.example,${extra}`;

/** The operation of the refusal `fn` throws. */
function refusal(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (error) {
    if (error instanceof OperationFailed) return [error.operation, error.message];
    throw error;
  }
  throw new Error("not refused");
}

Deno.test("csvRecords: quoted commas, doubled quotes, line breaks inside quotes, CRLF and blank lines", () => {
  assertEquals(csvRecords('a,"b,""c"""\r\n\r\n"multi\nline",d\n  \nlast'), [
    { line: 1, cells: ["a", 'b,"c"'] },
    { line: 3, cells: ["multi\nline", "d"] },
    { line: 6, cells: ["last"] },
  ]);
  // An unclosed quote runs to the end, as str_getcsv reads it.
  assertEquals(csvRecords('x,"open\nstill'), [{ line: 1, cells: ["x", "open\nstill"] }]);
  // A quote inside an unquoted cell is kept as text.
  assertEquals(csvRecords('ab"c,d'), [{ line: 1, cells: ['ab"c', "d"] }]);
  assertEquals(csvRecords(""), []);
});

Deno.test("parseUserCsv: BOM, header, CRLF, sanitized cells, booleans, roles and lists", () => {
  const csv = `\uFEFF${HEADER}\r\n` +
    `" jane ",JANE@Example.COM,<b>Jane</b>,Doe,example.org/me,p"w,,Editor,a.example; b.example ;,VIP;;Team\r\n` +
    `bob,bob@example.com,,,,,YES,,,Team\r\n`;
  const rows = parseUserCsv(new TextEncoder().encode(csv), true);
  assertEquals(rows[0], {
    line: 2,
    username: "jane",
    email: "JANE@Example.COM",
    firstName: "Jane",
    lastName: "Doe",
    url: "http://example.org/me",
    password: 'p"w',
    sendPassword: false,
    role: "editor",
    sites: ["a.example", "b.example"],
    groups: ["VIP", "Team"],
  });
  assertEquals([rows[1].line, rows[1].sendPassword, rows[1].sites, rows[1].groups], [3, true, [], ["Team"]]);
  // Without a header the first line is data (and its BOM is not part of the username).
  assertEquals(parseUserCsv(`\uFEFF${row("amy")}`, false)[0].username, "amy");
});

Deno.test("parseUserCsv: formula-looking cells stay plain text", () => {
  const [r] = parseUserCsv(`=HYPERLINK("x"),f@example.com,+1+1,-2,,@SUM(A1),0,,s.example,`, false);
  assertEquals([r.username, r.firstName, r.lastName, r.password], [
    '=HYPERLINK("x")',
    "+1+1",
    "-2",
    "@SUM(A1)",
  ]);
});

Deno.test("parseUserCsv refuses whole files: empty, no data, short rows, too many rows, too large", () => {
  assertEquals(refusal(() => parseUserCsv("", true)), ["site_users.csv.empty_file", "CSV file is empty."]);
  assertEquals(refusal(() => parseUserCsv("\n\r\n  \n", true)), [
    "site_users.csv.no_data",
    "No data found in CSV file.",
  ]);
  assertEquals(
    refusal(() => parseUserCsv(`${HEADER}\n${row("a")}\n\n"x,y",z`, true)),
    ["site_users.csv.invalid_csv_format", "Invalid CSV format at line 4. Expected 10 columns."],
  );
  const many = [HEADER, ...Array.from({ length: CSV_MAX_ROWS + 1 }, (_, i) => row(`u${i}`))].join("\n");
  assertEquals(refusal(() => parseUserCsv(many, true))[0], "site_users.csv.too_many_rows");
  assertEquals(
    parseUserCsv(many.split("\n").slice(0, CSV_MAX_ROWS + 1).join("\n"), true).length,
    CSV_MAX_ROWS,
  );
  const big = new Uint8Array(CSV_MAX_BYTES + 1).fill(0x61);
  assertEquals(refusal(() => parseUserCsv(big, false))[0], "site_users.csv.too_large");
  // Only a header: nothing to import, nothing refused.
  assertEquals(parseUserCsv(HEADER, true), []);
});

Deno.test("parseUserCsv: an over-long cell fails its own row, briefly", () => {
  const rows = parseUserCsv(`${row("ok")}\n${"n".repeat(5000)},x@example.com,,,,,0,,s.example,`, false);
  assertEquals(csvRowError(rows[0]), null);
  assertEquals(csvRowError(rows[1]), "username is longer than 255 characters.");
  assertEquals(rows[1].username.length, 255);
  // Extra columns beyond ten are ignored, as in MainWP.
  assertEquals(parseUserCsv(`${row("x")},extra,more`, false)[0].username, "x");
});

Deno.test("csvRowError: MainWP's checks in MainWP's order", () => {
  const base: CsvUserRow = {
    line: 1,
    username: "a",
    email: "a@example.com",
    firstName: "",
    lastName: "",
    url: "",
    password: "",
    sendPassword: false,
    role: "",
    sites: ["s.example"],
    groups: [],
  };
  assertEquals(csvRowError(base), null);
  assertEquals(csvRowError({ ...base, username: "", email: "" }), "Username is required.");
  assertEquals(csvRowError({ ...base, email: "" }), "Email is required.");
  assertEquals(csvRowError({ ...base, email: "a@b" }), "Invalid email format.");
  assertEquals(
    csvRowError({ ...base, role: "root" }),
    "Invalid role. Allowed roles: administrator, subscriber, editor, author, contributor",
  );
  assertEquals(csvRowError({ ...base, sites: [] }), "Either select_sites or select_groups must be provided.");
  assertEquals(csvRowError({ ...base, sites: [], groups: ["VIP"] }), null);
});

Deno.test("isEmail and sanitizeEmail follow WordPress", () => {
  assertEquals(["jane@example.com", "a.b+c@sub.example.org"].map(isEmail), [true, true]);
  assertEquals(
    ["a@b.c", "jane@example", "jane@exa..mple.com", "ja ne@example.com", "@example.com"].map(isEmail),
    [
      false,
      false,
      false,
      false,
      false,
    ],
  );
  assertEquals(sanitizeEmail("  ja<ne>@exam!ple.com "), "jane@example.com");
  assertEquals(sanitizeEmail("no-at-sign"), "");
  assertEquals(sanitizeEmail("x@localhost"), "");
});
