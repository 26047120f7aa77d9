/**
 * @module
 * The console page, server-rendered with Hono's JSX: the landmarks, the sign-in form and the empty panels
 * that `/console/app.js` fills from the REST API. No inline script or style, so the page's CSP stays strict.
 *
 * @example
 * ```ts
 * import { consolePage } from "./page.tsx";
 * const html = consolePage().toString(); // "<!DOCTYPE html><html lang=\"en\">…"
 * ```
 */
import type { Child } from "hono/jsx";

/** Where the console's script and style sheet are served (same origin; the CSP allows only `'self'`). */
export const ASSET_PATHS = { script: "/console/app.js", style: "/console/app.css" } as const;

/** A titled panel: a `<section>` labelled by its heading, hidden until the user has signed in. */
function Panel(props: { id: string; title: string; children?: Child }) {
  return (
    <section id={props.id} class="panel" aria-labelledby={`${props.id}-title`} hidden>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A line that a panel fills with "loading", an error or "not available". */
function Note(props: { id: string }) {
  return <p id={props.id} class="note" />;
}

function SignIn() {
  return (
    <section id="signin" class="panel" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      <p>
        Use a MainWP REST API key (Bearer token{" "}
        <code>secret==key</code>) or a WordPress application password. The credential stays in this tab's
        session storage and is sent only in the Authorization header.
      </p>
      <form id="signin-form" autocomplete="off">
        <fieldset>
          <legend>Credential</legend>
          <label class="choice">
            <input type="radio" name="kind" value="key" checked /> API key
          </label>
          <label class="choice">
            <input type="radio" name="kind" value="app" /> Application password
          </label>
        </fieldset>
        <div id="key-fields" class="fields">
          <label for="token">API key (Bearer token)</label>
          <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} />
        </div>
        <div id="app-fields" class="fields" hidden>
          <label for="user">User name</label>
          <input id="user" name="user" type="text" autocomplete="username" spellcheck={false} />
          <label for="password">Application password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" />
        </div>
        <button type="submit">Sign in</button>
        <p id="signin-error" class="error" role="alert" />
      </form>
    </section>
  );
}

function Overview() {
  return (
    <Panel id="overview" title="Fleet overview">
      <div class="cards">
        <div class="card">
          <h3>Sites by status</h3>
          <dl id="overview-sites" />
        </div>
        <div class="card">
          <h3>Pending updates</h3>
          <dl id="overview-updates" />
        </div>
        <div class="card">
          <h3>Open incidents</h3>
          <p id="overview-incidents" class="figure">…</p>
        </div>
      </div>
    </Panel>
  );
}

function Sites() {
  return (
    <Panel id="sites" title="Sites">
      <form id="sites-search" role="search" class="toolbar">
        <label for="site-search">Search sites</label>
        <input id="site-search" name="search" type="search" autocomplete="off" maxlength={200} />
        <button type="submit">Search</button>
        <button type="button" id="sync-all">Sync all sites</button>
      </form>
      <Note id="sites-note" />
      <div class="scroll">
        <table id="sites-table">
          <caption class="visually-hidden">Sites of the fleet</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Status</th>
              <th scope="col">Last sync</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody />
        </table>
      </div>
    </Panel>
  );
}

function Updates() {
  return (
    <Panel id="updates" title="Pending updates">
      <div class="toolbar">
        <button type="button" id="update-all">Update everything</button>
      </div>
      <Note id="updates-note" />
      <div class="scroll">
        <table id="updates-table">
          <caption class="visually-hidden">Updates waiting on the sites</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Kind</th>
              <th scope="col">Item</th>
              <th scope="col">Version</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody />
        </table>
      </div>
    </Panel>
  );
}

function Jobs() {
  return (
    <Panel id="jobs" title="Jobs">
      <Note id="jobs-note" />
      <ul id="jobs-list" class="jobs" aria-live="polite" aria-relevant="additions text" />
    </Panel>
  );
}

function Webhooks() {
  return (
    <Panel id="webhooks" title="Webhooks">
      <Note id="webhooks-note" />
      <div class="scroll">
        <table id="webhooks-table">
          <caption class="visually-hidden">Webhook subscriptions</caption>
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">Events</th>
              <th scope="col">Active</th>
              <th scope="col">Deliveries</th>
            </tr>
          </thead>
          <tbody />
        </table>
      </div>
    </Panel>
  );
}

/** The whole console page (a JSX element; `String(el)` or `c.html(el)` renders it). */
export function ConsolePage() {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>Fleetpress console</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={ASSET_PATHS.style} />
        <script type="module" src={ASSET_PATHS.script} />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <h1>Fleetpress console</h1>
          <div id="session" hidden>
            <span id="session-who" />
            <button type="button" id="refresh">Refresh</button>
            <button type="button" id="signout">Sign out</button>
          </div>
        </header>
        <nav id="nav" aria-label="Sections" hidden>
          <ul>
            <li>
              <a href="#overview">Overview</a>
            </li>
            <li>
              <a href="#sites">Sites</a>
            </li>
            <li>
              <a href="#updates">Updates</a>
            </li>
            <li>
              <a href="#jobs">Jobs</a>
            </li>
            <li>
              <a href="#webhooks">Webhooks</a>
            </li>
          </ul>
        </nav>
        <main id="main" tabindex={-1}>
          <noscript>
            <p class="error">The console needs JavaScript: it reads the fleet from the REST API.</p>
          </noscript>
          <SignIn />
          <Overview />
          <Sites />
          <Updates />
          <Jobs />
          <Webhooks />
        </main>
        <footer class="bottom">
          <p id="announce" role="status" aria-live="polite" class="announce" />
        </footer>
      </body>
    </html>
  );
}

/**
 * The page as an HTML document string.
 *
 * @example
 * ```ts
 * consolePage().startsWith("<!DOCTYPE html>"); // true
 * ```
 */
export function consolePage(): string {
  return `<!DOCTYPE html>${String(<ConsolePage />)}`;
}
