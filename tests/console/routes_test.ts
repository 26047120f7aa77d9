/**
 * @module
 * `/console` and its assets over `app.request`: the strict CSP and the other security headers on every
 * console response, the asset types, unknown assets refused, and what the scripts never do (HTML from data,
 * credentials in URLs or lasting storage, EventSource).
 *
 * @example
 * ```sh
 * deno test -A tests/console/routes_test.ts
 * ```
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { testApp } from "../helpers.ts";

/** The served assets and their content types. */
const ASSETS = [
  ["app.js", "text/javascript"],
  ["api.js", "text/javascript"],
  ["dom.js", "text/javascript"],
  ["panels.js", "text/javascript"],
  ["app.css", "text/css"],
] as const;
/** Paths under `/console/` that are no asset. */
const REFUSED = ["/console/nope.js", "/console/page.tsx", "/console/..%2Froutes.ts", "/console/assets"];

/** The directives of a CSP header, by name. */
function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((d) => d.trim()).filter(Boolean).map((d) => {
      const [name, ...values] = d.split(/\s+/);
      return [name, values.join(" ")];
    }),
  );
}

Deno.test("GET /console: the page with a strict CSP, never framed, never cached", async () => {
  const t = await testApp();
  try {
    const res = await t.call("GET", "/console");
    assertEquals(res.status, 200);
    assertMatch(res.headers.get("content-type") ?? "", /^text\/html/);
    assert(res.text.startsWith("<!DOCTYPE html>"));
    const csp = directives(res.headers.get("content-security-policy") ?? "");
    assertEquals(csp.get("default-src"), "'self'");
    assertEquals(csp.get("script-src"), "'self'");
    assertEquals(csp.get("style-src"), "'self'");
    assertEquals(csp.get("connect-src"), "'self'");
    assertEquals(csp.get("frame-ancestors"), "'none'");
    assertEquals(csp.get("object-src"), "'none'");
    assertEquals(csp.get("base-uri"), "'none'");
    assert(![...csp.values()].some((v) => /unsafe-(inline|eval)/.test(v)), [...csp].join("; "));
    assertEquals(res.headers.get("x-frame-options"), "DENY");
    assertEquals(res.headers.get("x-content-type-options"), "nosniff");
    assertEquals(res.headers.get("referrer-policy"), "no-referrer");
    assertEquals(res.headers.get("cache-control"), "no-store");
  } finally {
    await t.close();
  }
});

Deno.test("the assets are served same-origin with their types and the CSP; unknown names are 404", async () => {
  const t = await testApp();
  try {
    for (const [name, type] of ASSETS) {
      const res = await t.call("GET", `/console/${name}`);
      assertEquals(res.status, 200, name);
      assertMatch(res.headers.get("content-type") ?? "", new RegExp(`^${type}`));
      assertMatch(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
      assert(res.text.length > 500, name);
    }
    for (const path of REFUSED) {
      const res = await t.call("GET", path);
      assertEquals(res.status, 404, path);
      assertEquals(res.body.code, "rest_no_route");
    }
  } finally {
    await t.close();
  }
});

Deno.test("the scripts write data as text, keep the credential in session storage and headers only", async () => {
  const read = (name: string) => Deno.readTextFile(new URL(`../../console/assets/${name}`, import.meta.url));
  const scripts = (await Promise.all(["app.js", "api.js", "dom.js", "panels.js"].map(read))).join("\n");
  for (
    const banned of [
      "innerHTML",
      "outerHTML",
      "insertAdjacentHTML",
      "document.write",
      "eval(",
      "localStorage",
    ]
  ) {
    assertEquals(scripts.includes(banned), false, banned);
  }
  // EventSource cannot send an Authorization header; the job stream is read with fetch instead.
  assertEquals(/new EventSource/.test(scripts), false);
  assertMatch(scripts, /sessionStorage\.setItem/);
  // No credential-bearing query parameters.
  assertEquals(/[?&](token|password|consumer_key|consumer_secret|_wpnonce)=/.test(scripts), false);
  assertMatch(scripts, /credentials: "omit"/);
  // No external URL in the assets (the console works offline).
  assertEquals((scripts + await read("app.css")).match(/https?:\/\//g), null);
});

Deno.test("the console answers only GET/HEAD; the REST API is unchanged beside it", async () => {
  const t = await testApp();
  try {
    assertEquals((await t.call("POST", "/console")).status, 404);
    assertEquals((await t.call("HEAD", "/console")).status, 200);
    const slash = await t.call("GET", "/console/");
    assertEquals([slash.status, slash.headers.get("location")], [301, "/console"]);
    const rest = await t.call("GET", "/wp-json/mainwp/v2/sites");
    assertEquals([rest.status, rest.body.code], [401, "mainwp_rest_authentication_error"]);
    assertEquals(rest.headers.get("content-security-policy"), null);
  } finally {
    await t.close();
  }
});
