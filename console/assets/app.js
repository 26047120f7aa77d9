// Fleetpress console: fills the server-rendered page from the REST API with the signed-in credential.
// Data is written with textContent only (never as HTML), so nothing a site reports can run here.
import * as api from "./api.js";

const $ = (id) => document.getElementById(id);
/** The most job streams open at once (a browser keeps ~6 connections per origin over HTTP/1.1). */
const MAX_STREAMS = 3;
/** Poll interval of a job whose stream is not available, and how many polls at most (about an hour). */
const POLL_MS = 1500;
const MAX_POLLS = 2400;

let credential = null;
/** Aborts everything started under the current sign-in (streams, polls). */
let session = new AbortController();
let siteNames = new Map();
let searchTimer;
/** Jobs being followed: id → {status, item}. */
const jobs = new Map();
let streams = 0;

/** An element with attributes and children (strings become text nodes). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child);
  return el;
}

function announce(text) {
  $("announce").textContent = text;
}

function note(id, text, isError = false) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle("error", isError);
}

const messageOf = (error) => (error instanceof Error ? error.message : String(error));
/** The panel note for a failed load: "not available" for a route this dashboard does not serve. */
const unavailable = (error) =>
  error instanceof api.ApiError && (error.status === 404 || error.status === 401 || error.status === 403)
    ? `Not available${error.status === 404 ? " on this dashboard" : " with this sign-in"}.`
    : `Could not load: ${messageOf(error)}`;

function setSignedIn(on) {
  $("signin").hidden = on;
  for (const id of ["overview", "sites", "updates", "jobs", "webhooks", "nav", "session"]) $(id).hidden = !on;
  $("session-who").textContent = on ? `Signed in: ${credential.who}` : "";
}

// ---- sign-in ----

function syncKindFields() {
  const kind = document.querySelector('input[name="kind"]:checked')?.value ?? "key";
  $("key-fields").hidden = kind !== "key";
  $("app-fields").hidden = kind !== "app";
}

async function onSignIn(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const made = api.credentialFrom(String(data.get("kind")), {
    token: data.get("token"),
    user: data.get("user"),
    password: data.get("password"),
  });
  if (made instanceof Error) return showSignInError(made.message);
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  $("signin-error").textContent = "";
  try {
    await api.verify(made);
  } catch (error) {
    button.disabled = false;
    return showSignInError(`Sign-in failed: ${messageOf(error)}`);
  }
  button.disabled = false;
  // The secrets leave the form once they are stored for this tab.
  $("token").value = "";
  $("password").value = "";
  api.saveCredential(made);
  start(made);
  $("main").focus();
}

function showSignInError(text) {
  $("signin-error").textContent = text;
}

function signOut() {
  session.abort();
  session = new AbortController();
  api.clearCredential();
  credential = null;
  jobs.clear();
  streams = 0;
  for (const id of ["sites-table", "updates-table", "webhooks-table"]) $(id).tBodies[0].replaceChildren();
  $("jobs-list").replaceChildren();
  setSignedIn(false);
  announce("Signed out.");
  $("token").focus();
}

function start(made) {
  credential = made;
  setSignedIn(true);
  announce(`Signed in as ${made.who}.`);
  refresh();
}

// ---- panels ----

async function refresh() {
  await loadSites();
  await Promise.all([loadOverview(), loadUpdates(), loadJobs(), loadWebhooks()]);
}

function fillDl(id, pairs) {
  $(id).replaceChildren(...pairs.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, String(value))]));
}

async function loadOverview() {
  const c = credential;
  try {
    const counts = await api.siteCounts(c);
    fillDl("overview-sites", [["Connected", counts.connected], ["Disconnected", counts.disconnected], [
      "Suspended",
      counts.suspended,
    ]]);
  } catch (error) {
    fillDl("overview-sites", [["Sites", unavailable(error)]]);
  }
  const incidents = $("overview-incidents");
  try {
    incidents.textContent = String(await api.openIncidents(c));
    incidents.className = "figure";
  } catch (error) {
    incidents.textContent = unavailable(error);
    incidents.className = "note";
  }
}

/** The latest sites load: an older answer arriving after a newer one is dropped. */
let sitesLoad = 0;

async function loadSites() {
  clearTimeout(searchTimer);
  const search = $("site-search").value.trim();
  const load = ++sitesLoad;
  note("sites-note", "Loading…");
  try {
    const { sites, total } = await api.listSites(credential, search);
    if (load !== sitesLoad) return;
    if (!search) siteNames = new Map(sites.map((s) => [s.id, s.name || s.url]));
    $("sites-table").tBodies[0].replaceChildren(...sites.map(siteRow));
    const shown = sites.length < total ? `${sites.length} of ${total}` : String(total);
    note("sites-note", total === 0 ? "No sites match." : `${shown} site${total === 1 ? "" : "s"}.`);
  } catch (error) {
    if (load !== sitesLoad) return;
    // The credential no longer works (revoked key, changed password): back to the sign-in form.
    if (error instanceof api.ApiError && error.status === 401) return expire(error);
    note("sites-note", unavailable(error), true);
  }
}

function expire(error) {
  signOut();
  showSignInError(`Signed out: ${messageOf(error)}`);
}

function siteRow(site) {
  const label = site.name || site.url;
  const button = h("button", { type: "button", class: "sync", "aria-label": `Sync ${label}` }, "Sync");
  button.addEventListener("click", () => syncSite(site, button));
  return h(
    "tr",
    { "data-site-id": site.id },
    h("th", { scope: "row" }, h("span", { class: "name" }, label), h("span", { class: "url" }, site.url)),
    h("td", {}, h("span", { class: `badge ${site.status}` }, site.status || "unknown")),
    h("td", { class: "last-sync" }, site.lastSync || "never"),
    h("td", {}, button),
  );
}

async function syncSite(site, button) {
  const label = site.name || site.url;
  button.disabled = true;
  button.textContent = "Syncing…";
  announce(`Syncing ${label}…`);
  try {
    const result = await api.sync(credential, site.id);
    if (result.jobId) {
      announce(`Sync of ${label} queued as job ${result.jobId}.`);
      follow(result.jobId);
    } else {
      // Announced once the panels show the result, so that what is read next is fresh.
      await refresh();
      announce(`Synced ${label}.`);
    }
  } catch (error) {
    announce(`Sync of ${label} failed: ${messageOf(error)}`);
    button.disabled = false;
    button.textContent = "Sync";
  }
}

async function syncAll() {
  const button = $("sync-all");
  button.disabled = true;
  announce("Syncing all sites…");
  try {
    const result = await api.sync(credential, null);
    if (result.jobId) {
      announce(`Sync of all sites queued as job ${result.jobId}.`);
      follow(result.jobId);
    } else {
      await refresh();
      announce("Synced all sites.");
    }
  } catch (error) {
    announce(`Sync failed: ${messageOf(error)}`);
  } finally {
    button.disabled = false;
  }
}

let updatesLoad = 0;

async function loadUpdates() {
  const load = ++updatesLoad;
  note("updates-note", "Loading…");
  try {
    const { updates, summary } = await api.listUpdates(credential, siteNames);
    if (load !== updatesLoad) return;
    fillDl("overview-updates", [["Core", summary.core], ["Plugins", summary.plugin], [
      "Themes",
      summary.theme,
    ], [
      "Translations",
      summary.translation,
    ]]);
    $("updates-table").tBodies[0].replaceChildren(...updates.map(updateRow));
    note("updates-note", updates.length === 0 ? "Everything is up to date." : `${updates.length} pending.`);
  } catch (error) {
    if (load !== updatesLoad) return;
    fillDl("overview-updates", [["Updates", unavailable(error)]]);
    note("updates-note", unavailable(error), true);
  }
}

function updateRow(update) {
  const what = `${update.name} on ${update.siteName}`;
  const button = h("button", { type: "button", "aria-label": `Update ${what}` }, "Update");
  button.addEventListener("click", () => runUpdate(update, button, what));
  return h(
    "tr",
    { "data-site-id": update.siteId, "data-kind": update.kind },
    h("td", {}, update.siteName),
    h("td", {}, update.kind),
    h("th", { scope: "row" }, update.name),
    h("td", {}, update.from && update.to ? `${update.from} → ${update.to}` : update.to || update.from),
    h("td", {}, button),
  );
}

async function runUpdate(update, button, what) {
  if (button) {
    button.disabled = true;
    button.textContent = "Updating…";
  }
  announce(`Updating ${what}…`);
  try {
    const result = await api.applyUpdate(credential, update);
    if (result.jobId) {
      announce(`Updates queued as job ${result.jobId}.`);
      follow(result.jobId);
    } else {
      await refresh();
      announce(`Updated ${what}.`);
    }
  } catch (error) {
    announce(`Update of ${what} failed: ${messageOf(error)}`);
    if (button) {
      button.disabled = false;
      button.textContent = "Update";
    }
  }
}

// ---- jobs ----

async function loadJobs() {
  try {
    const list = await api.listJobs(credential);
    if (list === null) {
      note("jobs-note", "Jobs started here are followed below (the job list needs an API key).");
      return;
    }
    note("jobs-note", list.length === 0 && jobs.size === 0 ? "No jobs." : "");
    for (const status of list.slice().reverse()) {
      showJob(status);
      if (status.status === "queued" || status.status === "running") follow(status.job_id);
    }
  } catch (error) {
    note("jobs-note", unavailable(error), true);
  }
}

/** Shows (or updates) one job's line: its progress bar and counts. */
function showJob(status) {
  const id = String(status.job_id ?? "");
  if (!id) return;
  let entry = jobs.get(id);
  if (!entry) {
    const label = h("span", { class: "job-label", id: `job-${id}-label` });
    const bar = h("progress", { max: "100", value: "0", "aria-labelledby": `job-${id}-label` });
    const text = h("span", { class: "job-text" });
    const item = h("li", { "data-job-id": id }, label, bar, text);
    entry = { item, label, bar, text, following: false };
    jobs.set(id, entry);
    $("jobs-list").prepend(item);
    note("jobs-note", "");
  }
  const progress = Math.max(0, Math.min(100, Number(status.progress) || 0));
  entry.label.textContent = `${status.type ?? "job"} ${id}`;
  entry.bar.value = progress;
  entry.item.dataset.status = String(status.status ?? "");
  const failed = Number(status.failed) > 0 ? `, ${status.failed} failed` : "";
  entry.text.textContent = `${status.status}: ${status.processed ?? 0} of ${
    status.total ?? 0
  } sites${failed}`;
}

/** Follows a job until it ends: over its event stream when a slot is free (API key), else by polling. */
async function follow(jobId) {
  const existing = jobs.get(jobId);
  if (existing?.following) return;
  showJob({ job_id: jobId, status: "queued", progress: 0, processed: 0, total: 0 });
  const entry = jobs.get(jobId);
  entry.following = true;
  const { signal } = session;
  let last = null;
  try {
    if (credential.kind === "key" && streams < MAX_STREAMS) {
      streams++;
      try {
        last = await api.streamJob(credential, jobId, showJob, signal);
      } catch (error) {
        // A broken stream is not the end of the job: polling takes over below.
        if (signal.aborted) throw error;
      } finally {
        streams--;
      }
    }
    for (let i = 0; i < MAX_POLLS && !done(last) && !signal.aborted; i++) {
      if (i > 0 || last) await wait(POLL_MS, signal);
      last = await api.jobStatus(credential, jobId);
      showJob(last);
    }
  } catch (error) {
    if (signal.aborted) return;
    entry.text.textContent = `could not follow: ${messageOf(error)}`;
    return;
  } finally {
    entry.following = false;
  }
  if (done(last)) {
    await refresh();
    announce(`Job ${jobId} ${last.status}.`);
  }
}

const done = (status) => status?.status === "completed" || status?.status === "failed";

function wait(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

// ---- webhooks ----

async function loadWebhooks() {
  note("webhooks-note", "Loading…");
  try {
    const hooks = await api.listWebhooks(credential);
    $("webhooks-table").tBodies[0].replaceChildren(...hooks.flatMap(webhookRows));
    $("webhooks-table").hidden = hooks.length === 0;
    note("webhooks-note", hooks.length === 0 ? "No webhook subscriptions." : "");
  } catch (error) {
    $("webhooks-table").tBodies[0].replaceChildren();
    $("webhooks-table").hidden = true;
    note("webhooks-note", unavailable(error), error?.status !== 404);
  }
}

function webhookRows(hook) {
  const panelId = `deliveries-${hook.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const button = h("button", { type: "button", "aria-expanded": "false", "aria-controls": panelId }, "Show");
  const cell = h("td", { colspan: "4" });
  const detail = h("tr", { id: panelId, hidden: true, class: "deliveries" }, cell);
  button.addEventListener("click", async () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Hide" : "Show";
    detail.hidden = !open;
    if (open) await loadDeliveries(hook, cell);
  });
  return [
    h(
      "tr",
      {},
      h("th", { scope: "row" }, hook.url),
      h("td", {}, hook.events.join(", ")),
      h("td", {}, hook.active ? "yes" : "no"),
      h("td", {}, button),
    ),
    detail,
  ];
}

async function loadDeliveries(hook, cell) {
  cell.replaceChildren(h("p", {}, "Loading…"));
  try {
    const list = await api.listDeliveries(credential, hook.id);
    if (list.length === 0) return cell.replaceChildren(h("p", {}, "No deliveries yet."));
    const rows = list.map((d) =>
      h(
        "tr",
        {},
        h("td", {}, d.time),
        h("td", {}, d.type),
        h("td", {}, d.result),
        h("td", {}, String(d.duration)),
      )
    );
    const head = ["Time", "Event", "Result", "Duration (ms)"].map((t) => h("th", { scope: "col" }, t));
    cell.replaceChildren(
      h(
        "table",
        {},
        h("caption", {}, `Recent deliveries to ${hook.url}`),
        h("thead", {}, h("tr", {}, head)),
        h(
          "tbody",
          {},
          rows,
        ),
      ),
    );
  } catch (error) {
    cell.replaceChildren(h("p", {}, unavailable(error)));
  }
}

// ---- wiring ----
function boot() {
  $("signin-form").addEventListener("submit", onSignIn);
  for (const radio of document.querySelectorAll('input[name="kind"]')) {
    radio.addEventListener("change", syncKindFields);
  }
  $("signout").addEventListener("click", signOut);
  $("refresh").addEventListener("click", () => refresh());
  $("sync-all").addEventListener("click", syncAll);
  $("update-all").addEventListener("click", () => runUpdate(null, null, "everything"));
  $("sites-search").addEventListener("submit", (event) => {
    event.preventDefault();
    loadSites();
  });
  $("site-search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(loadSites, 300);
  });
  syncKindFields();
  const stored = api.loadCredential();
  if (stored) start(stored);
  else setSignedIn(false);
  document.body.dataset.ready = "true";
}

boot();
