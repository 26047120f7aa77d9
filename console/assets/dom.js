// Fleetpress console: DOM helpers shared by the page's modules. Data becomes text nodes and attribute
// values only (never HTML), so nothing a site or a webhook reports can run here.
import { ApiError } from "./api.js";

export const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child);
  return el;
}

export function announce(text) {
  $("announce").textContent = text;
}

export function note(id, text, isError = false) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle("error", isError);
}

export const messageOf = (error) => (error instanceof Error ? error.message : String(error));
/** The panel note for a failed load: "not available" for a route this dashboard does not serve. */
export const unavailable = (error) =>
  error instanceof ApiError && (error.status === 404 || error.status === 401 || error.status === 403)
    ? `Not available${error.status === 404 ? " on this dashboard" : " with this sign-in"}.`
    : `Could not load: ${messageOf(error)}`;
