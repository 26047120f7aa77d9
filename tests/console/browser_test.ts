/**
 * @module
 * The console in a real browser: Debian's `chromium` driven by `puppeteer-core` against a served app and the
 * child-site simulator. It signs in (an API key; an application password), sees the simulated sites, syncs
 * one site, applies one update, then syncs all sites and applies every update as jobs, each followed until it
 * has completed (over the event stream with a key, by polling with an application password); the page
 * raises no script error and no CSP violation, and fits a phone's width. Skipped (with a message) only when
 * no Chromium binary exists; `.ci/run` installs one. With `FLEETPRESS_SCREENSHOT=<file.png>` it also
 * saves the screenshot shown in README (`docs/console.png`).
 *
 * @example
 * ```sh
 * deno test -A tests/console/browser_test.ts
 * FLEETPRESS_SCREENSHOT=docs/console.png deno test -A tests/console/browser_test.ts
 * ```
 */
import { assert, assertEquals } from "@std/assert";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { startConsoleServer } from "./_server.ts";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

/** The Chromium binary: `CHROMIUM_PATH` when set, else Debian's; null when there is none. */
function chromiumPath(): string | null {
  const configured = Deno.env.get("CHROMIUM_PATH");
  for (const path of configured ? [configured] : CANDIDATES) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not there
    }
  }
  return null;
}

const CHROMIUM = chromiumPath();
if (!CHROMIUM) {
  console.warn(
    "console browser test SKIPPED: no Chromium binary (install Debian's `chromium` package or set CHROMIUM_PATH)",
  );
}
/** Generous bounds for a loaded 2-core machine; they only turn a hang into a failure. */
const WAIT_MS = 90_000;
const SITES = 3;

async function launch(): Promise<Browser> {
  return await puppeteer.launch({
    executablePath: CHROMIUM!,
    headless: true,
    timeout: WAIT_MS,
    protocolTimeout: WAIT_MS,
    args: [
      "--no-sandbox", // the tests run as root
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-domain-reliability",
      "--disable-sync",
      "--no-first-run",
      "--no-default-browser-check",
      "--lang=en-US",
      // Nothing beyond loopback: every other host name fails to resolve.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
}

/** Every page error, console error (CSP violations included) and failed request that signals a problem. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error}`));
  page.on("console", (message) => {
    const text = message.text();
    // Failed requests are judged below by their URL (the console message does not name it).
    if (/^Failed to load resource/.test(text)) return;
    if (message.type() === "error" || /content security policy/i.test(text)) problems.push(text);
  });
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    // Monitors and webhooks may not be on this build (404) or not take this credential (401): their
    // panels say "not available".
    const optional = /^\/wp-json\/(mainwp\/v2\/monitors|fleetpress\/v1\/webhooks)/.test(path);
    if (response.status() >= 400 && !(optional && [401, 404].includes(response.status()))) {
      problems.push(`${response.status()} ${path}`);
    }
  });
  return problems;
}

/**
 * Clicks the element `selector` matches, found and clicked in one step in the page (a panel that is
 * re-rendered between a lookup and a click cannot leave the test holding a detached node).
 */
async function press(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector);
  const sel = JSON.stringify(selector);
  await page.waitForFunction(
    `(() => { const el = document.querySelector(${sel}); el?.click(); return !!el; })()`,
  );
}

/** A page expression: the sites table has `n` rows. */
const rows = (n: number) => `document.querySelectorAll("#sites-table tbody tr").length === ${n}`;

/** Text of the element matched by `selector` once `predicate(text)` holds (bounded). */
async function waitForText(page: Page, selector: string, pattern: RegExp): Promise<string> {
  const el = `document.querySelector(${JSON.stringify(selector)})`;
  await page.waitForFunction(`${el} !== null && ${pattern}.test(${el}.textContent)`, { polling: 100 });
  return await page.$eval(selector, (el) => el.textContent ?? "");
}

/** How the scenario signs in. */
type SignIn = { kind: "key"; token: string } | { kind: "app"; login: string; password: string };

/**
 * The scenario: sign in by keyboard, see the sites, search, sync one site, sync all as a job followed to
 * its end, fit a phone, sign out. Returns the paths the page requested.
 */
async function scenario(origin: string, signIn: SignIn, screenshot?: string): Promise<string[]> {
  let browser: Browser | undefined;
  try {
    browser = await launch();
    const page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    await page.setViewport({ width: 1000, height: 900 });
    const problems = watchProblems(page);
    const requested: string[] = [];
    page.on("request", (request) => requested.push(new URL(request.url()).pathname));
    const res = await page.goto(`${origin}/console`, { waitUntil: "load" });
    assertEquals(res?.status(), 200);
    assert(/frame-ancestors 'none'/.test(res?.headers()["content-security-policy"] ?? ""));
    await page.waitForSelector('body[data-ready="true"]');

    // Sign in by keyboard: labelled fields, the form submits with Enter.
    const secret = signIn.kind === "key" ? signIn.token : signIn.password;
    if (signIn.kind === "key") {
      // A refused key: the form says why and nothing is stored.
      await page.type("#token", "cs0000==ck0000");
      await page.keyboard.press("Enter");
      await waitForText(page, "#signin-error", /^Sign-in failed: /);
      assertEquals(await page.evaluate(`sessionStorage.length`), 0);
      assertEquals(problems.splice(0), ["401 /wp-json/mainwp/v2/sites/count"]);
      await page.evaluate(`document.getElementById("token").value = ""`);
      await page.focus("#token");
      await page.keyboard.type(signIn.token);
    } else {
      await page.click('input[name="kind"][value="app"]');
      await page.waitForSelector("#app-fields:not([hidden])");
      await page.focus("#user");
      await page.keyboard.type(signIn.login);
      await page.keyboard.press("Tab");
      await page.keyboard.type(signIn.password);
    }
    await page.keyboard.press("Enter");
    await page.waitForSelector("#sites:not([hidden])");
    for (const field of ["token", "password"]) {
      assertEquals(
        await page.evaluate(`document.getElementById("${field}").value`),
        "",
        "secret left in the form",
      );
    }
    const stored = String(await page.evaluate(`sessionStorage.getItem("fleetpress.console.credential")`));
    assert(stored.includes(`"kind":"${signIn.kind}"`), "the credential is kept in session storage");
    assert(!page.url().includes(secret.split("==")[0]), "the credential is never in the URL");

    // The simulated sites, the overview and the pending updates.
    await page.waitForFunction(rows(SITES));
    const urls = await page.$$eval("#sites-table tbody .url", (els) => els.map((el) => el.textContent));
    assertEquals(urls.length, SITES);
    assert(urls.every((u) => /^http:\/\/127\.0\.0\.1:\d+\/site-\d+\/$/.test(u ?? "")), urls.join(", "));
    await waitForText(page, "#overview-sites", new RegExp(`Connected${SITES}`));
    await waitForText(page, "#updates-note", /\d+ pending\./);
    await waitForText(page, "#overview-incidents", /^(\d+|Not available.*)$/);
    await waitForText(page, "#webhooks-note", /^(No webhook subscriptions\.|Not available.*|)$/);

    // Search narrows the table.
    await page.type("#site-search", "site-2");
    await page.keyboard.press("Enter");
    await page.waitForFunction(rows(1));
    await page.evaluate(`document.getElementById("site-search").value = ""`);
    await press(page, "#sites-search button[type=submit]");
    await page.waitForFunction(rows(SITES));

    // One site's sync runs now and is announced.
    await press(page, '#sites-table tbody tr[data-site-id="1"] button.sync');
    await waitForText(page, "#announce", /^Synced /);

    // One update item is applied and leaves the list.
    const pending = Number(
      (await page.$eval("#updates-note", (el) => el.textContent ?? "")).match(/^\d+/)?.[0],
    );
    const plugin = "#updates-table tbody tr[data-kind='plugin'][data-site-id='1'] button";
    const label = await page.$eval(plugin, (el) => el.getAttribute("aria-label") ?? "");
    await press(page, plugin);
    assertEquals(
      await waitForText(page, "#announce", /^Updated /),
      `Updated ${label.replace(/^Update /, "")}.`,
    );
    await waitForText(page, "#updates-note", new RegExp(`^${pending - 1} pending\\.$`));

    // Syncing every site becomes a job (threshold 1): its line follows it to 100 %.
    await press(page, "#sync-all");
    const line = "#jobs-list li[data-job-id^='sync_']";
    await page.waitForSelector(line);
    await page.waitForSelector(`${line}[data-status="completed"]`);
    const text = await page.$eval(line, (el) => el.textContent ?? "");
    assert(text.includes(`completed: ${SITES} of ${SITES} sites`), text);
    assertEquals(await page.evaluate(`document.querySelector("${line} progress").value`), 100);
    await waitForText(page, "#announce", /^Job sync_\S+ completed\./);
    await page.evaluate(`document.activeElement?.blur()`);
    if (screenshot) await page.screenshot({ path: screenshot as `${string}.png`, fullPage: true });

    // Every pending update, confirmed in the dialog, runs as an update job (threshold 1) to its end.
    page.once("dialog", (dialog) => dialog.accept());
    await press(page, "#update-all");
    const updateLine = "#jobs-list li[data-job-id^='update_']";
    await page.waitForSelector(`${updateLine}[data-status="completed"]`);
    await waitForText(page, "#announce", /^Job update_\S+ completed\./);
    await waitForText(page, "#updates-note", /^Everything is up to date\.$/);

    // A phone's width: nothing wider than the screen.
    await page.setViewport({ width: 375, height: 740, isMobile: true });
    const overflow = Number(await page.evaluate(`document.documentElement.scrollWidth - window.innerWidth`));
    assert(overflow <= 0, `the page is ${overflow}px wider than a phone's screen`);

    // Signing out forgets the credential.
    await press(page, "#signout");
    await page.waitForSelector("#signin:not([hidden])");
    assertEquals(await page.evaluate(`sessionStorage.length`), 0);
    assertEquals(problems, []);
    return requested;
  } finally {
    await browser?.close();
  }
}

Deno.test({
  name: "console with an API key: sites, a sync, a sync job followed over its event stream",
  ignore: CHROMIUM === null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const server = await startConsoleServer(SITES, { latencyMs: 100 });
    try {
      const shot = Deno.env.get("FLEETPRESS_SCREENSHOT");
      const requested = await scenario(server.origin, { kind: "key", token: server.token }, shot);
      assert(
        requested.some((p) => /^\/wp-json\/mainwp\/v2\/jobs\/sync_[^/]+\/events$/.test(p)),
        "no event stream",
      );
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "console with an application password: the same through the Abilities API, the job polled",
  ignore: CHROMIUM === null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const server = await startConsoleServer(SITES, { latencyMs: 100 });
    try {
      const requested = await scenario(server.origin, { kind: "app", ...server.user });
      assert(
        requested.some((p) => p.endsWith("/mainwp/get-batch-job-status-v1/run")),
        "the job was not polled",
      );
      // `/mainwp/v2` reads Basic as a consumer key: the page does not send an application password there.
      assertEquals(requested.filter((p) => p.startsWith("/wp-json/mainwp/v2/")), []);
    } finally {
      await server.close();
    }
  },
});
