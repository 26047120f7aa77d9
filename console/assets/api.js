// Fleetpress console: the REST calls behind the page, for either kind of sign-in.
// An API key (Bearer) uses MainWP's REST API v2 and the jobs' event stream; an application password
// (Basic) uses the WordPress Abilities API, since `/mainwp/v2` reads Basic as a consumer key and secret.
// Every answer is normalised here so that the page code does not care which one it came from.

const STORAGE_KEY = "fleetpress.console.credential";
const V2 = "/wp-json/mainwp/v2";
const ABILITIES = "/wp-json/wp-abilities/v1/abilities";
const WEBHOOKS = "/wp-json/fleetpress/v1/webhooks";
/** The most an event-stream buffer may hold before the stream is given up (a broken server). */
const MAX_EVENT_BUFFER = 1 << 20;

/** A refused or failed REST call: its HTTP status and the WordPress error envelope's code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Base64 of a string's UTF-8 bytes (for HTTP Basic). */
function base64Utf8(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A credential from the sign-in form: `{kind, header, who}`, or an Error naming what is missing. */
export function credentialFrom(kind, fields) {
  if (kind === "key") {
    const token = String(fields.token ?? "").trim();
    if (!/^[^\s=]+==[^\s=]+$/.test(token)) {
      return new Error("Enter the API key's Bearer token (secret==key).");
    }
    return { kind, header: `Bearer ${token}`, who: "API key" };
  }
  const user = String(fields.user ?? "").trim();
  const password = String(fields.password ?? "");
  if (!user || !password || user.includes(":")) {
    return new Error("Enter the user name and application password.");
  }
  return { kind: "app", header: `Basic ${base64Utf8(`${user}:${password}`)}`, who: user };
}

/** The credential kept in this tab's session storage, or null. */
export function loadCredential() {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
    const ok = value && (value.kind === "key" || value.kind === "app") && typeof value.header === "string";
    return ok ? { kind: value.kind, header: value.header, who: String(value.who ?? "") } : null;
  } catch {
    return null;
  }
}

export function saveCredential(credential) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credential));
}

export function clearCredential() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** One REST call with the credential; the parsed JSON answer, or an ApiError. */
async function call(credential, method, path, body, signal) {
  const headers = { Authorization: credential.header, Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
      signal,
    });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new ApiError(0, "network_error", "The dashboard could not be reached.");
  }
  const text = await res.text();
  let data = null;
  try {
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  if (!res.ok) {
    const message = typeof data?.message === "string" ? data.message : `HTTP ${res.status}`;
    throw new ApiError(res.status, typeof data?.code === "string" ? data.code : "http_error", message);
  }
  return data;
}

/** The query string of an ability run's input (`input[k]=v`, arrays as `input[k][]=v`). */
function inputQuery(input) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (Array.isArray(value)) { for (const item of value) params.append(`input[${key}][]`, String(item)); }
    else params.append(`input[${key}]`, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Runs an ability: read-only ones with GET, the others with POST `{input}`. */
function run(credential, name, input, method = "POST") {
  const path = `${ABILITIES}/mainwp/${name}/run`;
  return method === "GET"
    ? call(credential, "GET", path + inputQuery(input))
    : call(credential, "POST", path, { input });
}

const v2 = (credential, method, path, body) => call(credential, method, V2 + path, body);

/** Checks that the credential authenticates (one cheap read). */
export async function verify(credential) {
  if (credential.kind === "key") await v2(credential, "GET", "/sites/count");
  else await run(credential, "list-sites-v1", { per_page: 1 }, "GET");
}

const siteOf = (s) => ({
  id: Number(s.id),
  name: String(s.name ?? ""),
  url: String(s.url ?? ""),
  status: String(s.status ?? ""),
  lastSync: String(s.last_sync ?? ""),
});

/** The sites matching `search` (first 100): `{sites, total}`. */
export async function listSites(credential, search) {
  if (credential.kind === "key") {
    const q = new URLSearchParams({ page: "1", per_page: "100", _fields: "id,name,url,status,last_sync" });
    if (search) q.set("search", search);
    const body = await v2(credential, "GET", `/sites?${q}`);
    const data = Array.isArray(body?.data) ? body.data : [];
    return { sites: data.map(siteOf), total: Number(body?.total ?? data.length) };
  }
  const input = { page: 1, per_page: 100 };
  if (search) input.search = search;
  const body = await run(credential, "list-sites-v1", input, "GET");
  const items = Array.isArray(body?.items) ? body.items : [];
  return { sites: items.map(siteOf), total: Number(body?.total ?? items.length) };
}

/** How many sites have each status: `{connected, disconnected, suspended}`. */
export async function siteCounts(credential) {
  const statuses = ["connected", "disconnected", "suspended"];
  const counts = await Promise.all(statuses.map(async (status) => {
    if (credential.kind === "key") {
      return Number((await v2(credential, "GET", `/sites/count?status=${status}`))?.count);
    }
    return Number((await run(credential, "list-sites-v1", { status, per_page: 1 }, "GET"))?.total);
  }));
  return Object.fromEntries(statuses.map((status, i) => [status, counts[i] || 0]));
}

const KINDS = { wp: "core", plugins: "plugin", themes: "theme", translations: "translation" };

/** The update items of `/updates`' per-site map (`{site_id: {wp, plugins, themes, translations}}`). */
function flattenUpdates(data, names) {
  const out = [];
  for (const [siteId, lists] of Object.entries(data ?? {})) {
    const site = { siteId: Number(siteId), siteName: names.get(Number(siteId)) ?? `Site ${siteId}` };
    if (lists?.wp && typeof lists.wp === "object" && !Array.isArray(lists.wp) && lists.wp.new) {
      out.push({
        ...site,
        kind: "core",
        slug: "wordpress",
        name: "WordPress",
        from: lists.wp.current,
        to: lists.wp.new,
      });
    }
    for (const group of ["plugins", "themes", "translations"]) {
      const entries = Array.isArray(lists?.[group])
        ? lists[group].map((item) => [item?.slug ?? item?.name, item])
        : Object.entries(lists?.[group] ?? {});
      for (const [slug, item] of entries) {
        const name = String(item?.Name ?? item?.name ?? slug ?? "");
        // A translation names its language and the version it brings; the others their old and new one.
        const translation = group === "translations";
        out.push({
          ...site,
          kind: KINDS[group],
          slug: String(slug ?? ""),
          name: translation && item?.language ? `${name} (${item.language})` : name,
          from: translation ? "" : String(item?.Version ?? item?.version ?? ""),
          to: String(
            item?.update?.new_version ?? item?.new_version ?? (translation ? item?.version ?? "" : ""),
          ),
        });
      }
    }
  }
  return out;
}

/** Pending updates: `{updates: [{siteId, siteName, kind, slug, name, from, to}], summary: {core, …}}`. */
export async function listUpdates(credential, names) {
  let updates;
  if (credential.kind === "key") {
    updates = flattenUpdates((await v2(credential, "GET", "/updates"))?.data, names);
  } else {
    const body = await run(credential, "list-updates-v1", { per_page: 200 }, "GET");
    updates = (Array.isArray(body?.updates) ? body.updates : []).map((u) => ({
      siteId: Number(u.site_id),
      siteName: String(u.site_name || u.site_url || `Site ${u.site_id}`),
      kind: String(u.type),
      slug: String(u.slug ?? ""),
      name: String(u.name ?? u.slug ?? ""),
      from: String(u.current_version ?? ""),
      to: String(u.new_version ?? ""),
    }));
  }
  const summary = { core: 0, plugin: 0, theme: 0, translation: 0 };
  for (const u of updates) if (Object.hasOwn(summary, u.kind)) summary[u.kind]++;
  return { updates, summary };
}

/** What an action started: `{jobId}` when it was queued as a background job, else `{done: body}`. */
function outcome(body) {
  const jobId = body?.job_id ?? body?.data?.job_id;
  return typeof jobId === "string" && jobId ? { jobId } : { done: body };
}

/** Syncs one site (or every site when `siteId` is null). */
export async function sync(credential, siteId) {
  if (credential.kind === "key") {
    return outcome(await v2(credential, "POST", siteId === null ? "/sites/sync" : `/sites/${siteId}/sync`));
  }
  return outcome(
    await run(credential, "sync-sites-v1", siteId === null ? {} : { site_ids_or_domains: [siteId] }),
  );
}

const GROUPS = { plugin: "plugins", theme: "themes", translation: "translations" };

/** Applies one update item (`update` from {@link listUpdates}), or every pending update when null. */
export async function applyUpdate(credential, update) {
  if (update === null) {
    if (credential.kind === "key") return outcome(await v2(credential, "POST", "/updates/update"));
    return outcome(await run(credential, "run-updates-v1", {}));
  }
  if (credential.kind === "key") {
    const path = update.kind === "core"
      ? `/updates/${update.siteId}/update/wp`
      : `/updates/${update.siteId}/update/${GROUPS[update.kind]}`;
    const body = await v2(
      credential,
      "POST",
      path,
      update.kind === "core" ? undefined : { slug: update.slug },
    );
    if (body?.success === 0) {
      throw new ApiError(200, "update_failed", String(body.message ?? body.error ?? "Failed."));
    }
    return outcome(body);
  }
  if (update.kind === "core") {
    return outcome(await run(credential, "update-site-core-v1", { site_id_or_domain: update.siteId }));
  }
  const body = await run(credential, "run-updates-v1", {
    site_ids_or_domains: [update.siteId],
    types: [GROUPS[update.kind]],
    specific_items: [update.slug],
  });
  const failed = Array.isArray(body?.errors) ? body.errors[0] : null;
  if (failed) {
    throw new ApiError(200, String(failed.code ?? "update_failed"), String(failed.message ?? "Failed."));
  }
  return outcome(body);
}

/** The newest jobs (API key only: the Abilities API lists none), or null when not available. */
export async function listJobs(credential) {
  if (credential.kind !== "key") return null;
  const body = await v2(credential, "GET", "/jobs?per_page=20");
  return Array.isArray(body) ? body : [];
}

/** One job's status (`get-batch-job-status-v1`'s body). */
export function jobStatus(credential, jobId) {
  const id = encodeURIComponent(jobId);
  if (credential.kind === "key") return v2(credential, "GET", `/jobs/${id}`);
  return run(credential, "get-batch-job-status-v1", { job_id: jobId }, "GET");
}

/**
 * Follows a job's server-sent events (`progress`, then `end` or `gone`) over a streaming `fetch`, so the
 * credential travels in the Authorization header (EventSource cannot send one; the URL never carries it).
 * Resolves with the last status when the stream ends.
 */
export async function streamJob(credential, jobId, onStatus, signal) {
  const res = await fetch(`${V2}/jobs/${encodeURIComponent(jobId)}/events`, {
    headers: { Authorization: credential.header, Accept: "text/event-stream" },
    credentials: "omit",
    cache: "no-store",
    signal,
  });
  if (!res.ok || !res.body) throw new ApiError(res.status, "stream_failed", `HTTP ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let last = null;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return last;
      buffer += value.replace(/\r\n?/g, "\n");
      if (buffer.length > MAX_EVENT_BUFFER) throw new ApiError(0, "stream_failed", "Event too large.");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data += line.slice(5).trim();
        }
        if (!data) continue;
        const status = JSON.parse(data);
        if (event === "progress" || event === "end") {
          last = status;
          onStatus(status);
        }
        if (event === "end" || event === "gone") return last;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** The number of monitors that are down (each has an open incident), or an ApiError (404 before #16). */
export async function openIncidents(credential) {
  if (credential.kind !== "key") throw new ApiError(401, "needs_api_key", "Monitors need an API key.");
  const body = await v2(credential, "GET", "/monitors/count?status=down");
  return Number(body?.count ?? 0);
}

/** The list inside an answer that is a list or wraps one (`data`, `items`, `webhooks`, `deliveries`). */
function listIn(body) {
  if (Array.isArray(body)) return body;
  for (const key of ["data", "items", "webhooks", "deliveries"]) {
    if (Array.isArray(body?.[key])) return body[key];
  }
  return [];
}

/** The webhook subscriptions (`GET /fleetpress/v1/webhooks`). */
export async function listWebhooks(credential) {
  return listIn(await call(credential, "GET", WEBHOOKS)).map((w) => ({
    id: String(w.id ?? ""),
    url: String(w.url ?? ""),
    events: Array.isArray(w.events) ? w.events.map(String) : [],
    active: w.active !== false && w.active !== 0,
  }));
}

/** A subscription's recent deliveries (newest first), each shown by its latest attempt. */
export async function listDeliveries(credential, webhookId) {
  const body = await call(credential, "GET", `${WEBHOOKS}/${encodeURIComponent(webhookId)}/deliveries`);
  return listIn(body).slice(0, 20).map((d) => {
    const attempts = Array.isArray(d.attempts) ? d.attempts : [];
    const last = attempts.at(-1);
    const outcome = last ? (last.error ? String(last.error) : String(last.http_status ?? "")) : "";
    return {
      type: String(d.type ?? ""),
      time: String(last?.time ?? d.created ?? ""),
      result: outcome ? `${d.status ?? ""} (${outcome})`.trim() : String(d.status ?? ""),
      duration: last?.duration_ms ?? "",
    };
  });
}
