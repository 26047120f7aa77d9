// Fleetpress console: fills the server-rendered page from the REST API with the signed-in credential:
// sign-in, the overview, the sites and the updates (jobs and webhooks are in panels.js).
import * as api from "./api.js";
import { $, announce, h, messageOf, note, unavailable } from "./dom.js";
import { follow, initPanels, loadJobs, loadWebhooks, resetJobs } from "./panels.js";

let credential = null;
/** Aborts everything started under the current sign-in (streams, polls). */
let session = new AbortController();
let siteNames = new Map();
let searchTimer;

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
  resetJobs();
  for (const id of ["sites-table", "updates-table", "webhooks-table"]) $(id).tBodies[0].replaceChildren();
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

// ---- wiring ----
function boot() {
  initPanels({ credential: () => credential, signal: () => session.signal, refresh });
  $("signin-form").addEventListener("submit", onSignIn);
  for (const radio of document.querySelectorAll('input[name="kind"]')) {
    radio.addEventListener("change", syncKindFields);
  }
  $("signout").addEventListener("click", signOut);
  $("refresh").addEventListener("click", () => refresh());
  $("sync-all").addEventListener("click", syncAll);
  $("update-all").addEventListener("click", async () => {
    // Every pending update on every site: asked once more, as it cannot be undone from here.
    if (!confirm("Apply every pending update on every site?")) return;
    $("update-all").disabled = true;
    try {
      await runUpdate(null, null, "everything");
    } finally {
      $("update-all").disabled = false;
    }
  });
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
