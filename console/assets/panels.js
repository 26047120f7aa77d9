// Fleetpress console: the jobs panel (live progress over the jobs' event stream, else polling) and the
// webhooks panel (subscriptions and their recent deliveries; "not available" before the webhooks routes).
import * as api from "./api.js";
import { $, announce, h, messageOf, note, unavailable } from "./dom.js";

/** The most job streams open at once (a browser keeps ~6 connections per origin over HTTP/1.1). */
const MAX_STREAMS = 3;
/** Poll interval of a job whose stream is not available, and how many polls at most (about an hour). */
const POLL_MS = 1500;
const MAX_POLLS = 2400;

/** Jobs shown: id → their line's elements and whether they are being followed. */
const jobs = new Map();
let streams = 0;
/** What the page lends the panels: the credential and sign-in signal of now, and a refresh of every panel. */
let page = { credential: () => null, signal: () => new AbortController().signal, refresh: async () => {} };

/** Connects the panels to the page. */
export function initPanels(env) {
  page = env;
}

/** Forgets every job line (on sign-out; the followers stop with the sign-in's signal). */
export function resetJobs() {
  jobs.clear();
  streams = 0;
  $("jobs-list").replaceChildren();
}

export async function loadJobs() {
  const credential = page.credential();
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
  const type = String(status.type ?? "");
  entry.label.textContent = `${type ? `${type[0].toUpperCase()}${type.slice(1)} job` : "Job"} ${id}`;
  entry.bar.value = progress;
  entry.item.dataset.status = String(status.status ?? "");
  const failed = Number(status.failed) > 0 ? `, ${status.failed} failed` : "";
  entry.text.textContent = `${status.status}: ${status.processed ?? 0} of ${
    status.total ?? 0
  } sites${failed}`;
}

/** Follows a job until it ends: over its event stream when a slot is free (API key), else by polling. */
export async function follow(jobId) {
  const existing = jobs.get(jobId);
  if (existing?.following) return;
  showJob({ job_id: jobId, status: "queued", progress: 0, processed: 0, total: 0 });
  const entry = jobs.get(jobId);
  entry.following = true;
  const signal = page.signal();
  const credential = page.credential();
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
    await page.refresh();
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

export async function loadWebhooks() {
  const credential = page.credential();
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
  const credential = page.credential();
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
