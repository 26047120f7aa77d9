/**
 * @module
 * The console page's server-side rendering (no browser): one document with landmarks, labelled fields,
 * panels hidden until sign-in, a live region, and no inline script, style or event handler (so the
 * strict CSP holds).
 *
 * @example
 * ```sh
 * deno test -A tests/console/page_test.ts
 * ```
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { ASSET_PATHS, consolePage } from "../../console/page.tsx";

const html = consolePage();

/** Every start tag of `name` with its attribute text. */
function tags(name: string): string[] {
  return [...html.matchAll(new RegExp(`<${name}(\\s[^>]*)?>`, "g"))].map((m) => m[1] ?? "");
}

/** An attribute's value in a tag's attribute text, or null. */
function attr(tag: string, name: string): string | null {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`));
  return m ? m[1] : tag.match(new RegExp(`\\s${name}(\\s|$)`)) ? "" : null;
}

Deno.test("the page is one English document with a title, a viewport and the two same-origin assets", () => {
  assert(html.startsWith('<!DOCTYPE html><html lang="en">'), html.slice(0, 40));
  assertMatch(html, /<title>Fleetpress console<\/title>/);
  assertMatch(html, /<meta name="viewport" content="width=device-width, initial-scale=1"\/?>/);
  assertEquals(tags("script").map((t) => [attr(t, "src"), attr(t, "type")]), [[
    ASSET_PATHS.script,
    "module",
  ]]);
  const sheets = tags("link").filter((t) => attr(t, "rel") === "stylesheet").map((t) => attr(t, "href"));
  assertEquals(sheets, [ASSET_PATHS.style]);
  // Nothing from another origin.
  assertEquals(html.match(/(?:src|href)="(?:https?:)?\/\/[^"]*"/g), null);
});

Deno.test("no inline script, style or event handler: the CSP needs no 'unsafe-inline'", () => {
  assertEquals(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g), null);
  assertEquals(html.match(/<script[^>]*>[^<]+<\/script>/g), null);
  assertEquals(html.match(/<style[\s>]/g), null);
  assertEquals(html.match(/\sstyle="/g), null);
  assertEquals(html.match(/\son[a-z]+="/g), null);
  assertEquals(html.match(/="\s*javascript:/gi), null);
});

Deno.test("landmarks: header, navigation, main, footer with a polite live region; a skip link", () => {
  assertEquals(tags("header").length, 1);
  assertEquals(tags("main").map((t) => attr(t, "id")), ["main"]);
  assertEquals(tags("nav").map((t) => attr(t, "aria-label")), ["Sections"]);
  assertEquals(tags("footer").length, 1);
  assertMatch(html, /<a class="skip" href="#main">Skip to content<\/a>/);
  const status = tags("p").find((t) => attr(t, "id") === "announce") ?? "";
  assertEquals([attr(status, "role"), attr(status, "aria-live")], ["status", "polite"]);
  const jobs = tags("ul").find((t) => attr(t, "id") === "jobs-list") ?? "";
  assertEquals(attr(jobs, "aria-live"), "polite");
  assertEquals(tags("h1").length, 1);
});

Deno.test("every field has a label; the secrets are password fields without autofill of the key", () => {
  const inputs = tags("input");
  assert(inputs.length >= 5);
  for (const input of inputs) {
    const type = attr(input, "type");
    if (type === "radio") continue; // wrapped in their <label>
    const id = attr(input, "id");
    assert(id, `an input without id: ${input}`);
    assertMatch(html, new RegExp(`<label for="${id}">`), `no label for #${id}`);
  }
  const byId = (id: string) => inputs.find((t) => attr(t, "id") === id) ?? "";
  assertEquals(attr(byId("token"), "type"), "password");
  assertEquals(attr(byId("token"), "autocomplete"), "off");
  assertEquals(attr(byId("password"), "type"), "password");
  assertEquals(tags("input").filter((t) => attr(t, "name") === "kind").length, 2);
  assertMatch(html, /<form id="sites-search" role="search"/);
});

Deno.test("the panels are sections labelled by their headings, hidden until sign-in (sign-in shown)", () => {
  const sections = tags("section");
  const ids = sections.map((t) => attr(t, "id"));
  assertEquals(ids, ["signin", "overview", "sites", "updates", "jobs", "webhooks"]);
  for (const section of sections) {
    const id = attr(section, "id");
    assertEquals(attr(section, "aria-labelledby"), `${id}-title`);
    assertMatch(html, new RegExp(`<h2 id="${id}-title">`));
    assertEquals(attr(section, "hidden") !== null, id !== "signin", `#${id} hidden`);
  }
  // Data tables have column headers and a caption.
  for (const table of ["sites-table", "updates-table", "webhooks-table"]) {
    const body = html.slice(html.indexOf(`<table id="${table}"`));
    assertMatch(body, /^<table[^>]*><caption[^>]*>[^<]+<\/caption><thead><tr><th scope="col">/);
  }
});
