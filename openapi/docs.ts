/**
 * @module
 * `GET /docs`: the interactive API reference of the generated document, rendered by Scalar
 * (`@scalar/hono-api-reference`). It works offline: the page loads Scalar's standalone bundle from
 * `/docs/scalar.js`, served from the installed `@scalar/api-reference` package (never a CDN), and a
 * strict Content-Security-Policy (per-request script nonce, nothing but this origin) keeps it so.
 *
 * @example
 * ```ts
 * app.route("/docs", docsApp("/wp-json/fleetpress/v1/openapi.json"));
 * ```
 */
import { Hono } from "hono";
import { Scalar } from "@scalar/hono-api-reference";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const BUNDLE_PATH = "/docs/scalar.js";

/** The standalone bundle of the installed `@scalar/api-reference`, read once. */
let bundle: Promise<Uint8Array | null> | null = null;

function loadBundle(): Promise<Uint8Array | null> {
  bundle ??= (async () => {
    try {
      const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
      return await Deno.readFile(join(dirname(entry), "browser", "standalone.js"));
    } catch (error) {
      console.error("[fleetpress] the API reference bundle is not installed:", error);
      return null;
    }
  })();
  return bundle;
}

/** The page's policy: scripts only with this response's nonce, every fetch to this origin only. */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // Scalar injects its stylesheet and inline styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The `/docs` routes: the page and its script bundle.
 *
 * @example
 * ```ts
 * app.route("/docs", docsApp("/wp-json/fleetpress/v1/openapi.json"));
 * ```
 */
export function docsApp(specUrl: string): Hono {
  const docs = new Hono();
  docs.get("/scalar.js", async (c) => {
    const body = await loadBundle();
    if (!body) return c.text("Not found", 404);
    return c.body(body.slice(), 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=86400",
    });
  });
  docs.get("/", async (c, next) => {
    const nonce = crypto.randomUUID().replaceAll("-", "");
    c.header("Content-Security-Policy", contentSecurityPolicy(nonce));
    c.header("Cache-Control", "no-store");
    const render = Scalar({
      url: specUrl,
      cdn: BUNDLE_PATH,
      nonce,
      pageTitle: "Fleetpress API reference",
      withDefaultFonts: false,
      hideClientButton: true,
      telemetry: false,
      // Offline: no hosted AI agent, SDK generator or MCP link (they live on Scalar's servers).
      showDeveloperTools: "never",
      agent: { disabled: true },
      mcp: { disabled: true },
    });
    return await render(c, next);
  });
  return docs;
}
