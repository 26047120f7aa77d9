/**
 * @module
 * Serves the console: `GET /console` (the server-rendered page), its scripts (`/console/app.js` and the
 * modules it imports) and `/console/app.css`, same-origin assets read once from `console/assets/`, all
 * under a strict Content-Security-Policy. The console holds no credential and touches no store: the browser calls the REST
 * API with the credential the user signed in with.
 *
 * @example
 * ```ts
 * registerConsoleRoutes(app);
 * const res = await app.request("/console"); // 200 text/html with Content-Security-Policy
 * ```
 */
import type { Env, Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { consolePage } from "./page.tsx";

/** The console's CSP: everything from this origin only, no inline code, never framed. */
export const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The assets by served name: file under `console/assets/` and content type. */
const ASSETS: Record<string, { file: string; type: string }> = {
  "app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "api.js": { file: "api.js", type: "text/javascript; charset=utf-8" },
  "dom.js": { file: "dom.js", type: "text/javascript; charset=utf-8" },
  "panels.js": { file: "panels.js", type: "text/javascript; charset=utf-8" },
  "app.css": { file: "app.css", type: "text/css; charset=utf-8" },
};

/** Asset texts, read on first use (the files ship with the source). */
const cache = new Map<string, Promise<string>>();

function assetText(name: string): Promise<string> {
  let text = cache.get(name);
  if (!text) {
    text = Deno.readTextFile(new URL(`./assets/${ASSETS[name].file}`, import.meta.url));
    // A failed read is retried on the next request rather than cached.
    text.catch(() => cache.delete(name));
    cache.set(name, text);
  }
  return text;
}

/**
 * Registers `/console` and its assets on the Hono app (before its not-found handler applies).
 *
 * @example
 * ```ts
 * const app = new Hono();
 * registerConsoleRoutes(app);
 * ```
 */
export function registerConsoleRoutes<E extends Env>(app: Hono<E>): void {
  const headers = secureHeaders({
    contentSecurityPolicy: CONSOLE_CSP,
    xFrameOptions: "DENY",
    crossOriginResourcePolicy: false,
  });
  app.use("/console", headers);
  app.use("/console/*", headers);
  app.get("/console", (c) => {
    c.header("Cache-Control", "no-store");
    return c.html(consolePage());
  });
  app.get("/console/", (c) => c.redirect("/console", 301));
  app.get("/console/:asset", async (c) => {
    const name = c.req.param("asset");
    if (!Object.hasOwn(ASSETS, name)) return c.notFound();
    const body = await assetText(name);
    c.header("Content-Type", ASSETS[name].type);
    // Short-lived: a new release's script must reach the page soon.
    c.header("Cache-Control", "public, max-age=300");
    return c.body(body);
  });
}
