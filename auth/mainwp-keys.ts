/**
 * @module
 * MainWP's API-key authentication for `/wp-json/mainwp/…` (rest-v2.md §1): HTTPS rule, consumer key and
 * secret by query parameters or HTTP Basic, the `secret==key` Bearer token (or `oauth_mainwp_ck` /
 * `oauth_mainwp_cs`), the method-permission matrix before routing, and the route permission callback.
 *
 * @example
 * ```ts
 * rest.addGuard(mainwpKeyGuard);
 * ```
 */
import { type RestError, restError } from "../rest/errors.ts";
import type { NamespaceGuard, RestRequest } from "../rest/server.ts";
import { type ApiKeyRecord, findApiKey, touchApiKey, verifyConsumerSecret } from "../store/api-keys.ts";
import { type KeyShortfall, keyShortfall } from "./key-permissions.ts";

const authError = (message: string) => restError("mainwp_rest_authentication_error", message, 401);

/** `401` when a route needs a key and none authenticated. */
export const notAuthenticated = (): RestError => authError("You are not authenticated.");

const disabledKey = () =>
  restError("mainwp_rest_authentication_disabled_key", "The REST API Key are disabled.", 401);

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Whether an address is loopback (`127.0.0.0/8`, `::1`). */
export function isLoopback(addr: string | null): boolean {
  return addr !== null && LOOPBACK.test(addr);
}

/**
 * MainWP's "is SSL" test: the request came over HTTPS, from loopback, or through a trusted proxy that
 * says `X-Forwarded-Proto: https`.
 *
 * @example
 * ```ts
 * isSecureRequest(req); // false for plain HTTP from 203.0.113.9
 * ```
 */
export function isSecureRequest(req: RestRequest): boolean {
  if (req.url.protocol === "https:") return true;
  if (req.ctx.config.trustProxy) {
    const proto = req.raw.headers.get("x-forwarded-proto")?.split(",")[0].trim().toLowerCase();
    if (proto === "https") return true;
  }
  return isLoopback(req.peer.remoteAddr);
}

const SHORTFALL_MESSAGES: Record<KeyShortfall, string> = {
  read: "The API key provided does not have read permissions.",
  write: "The API key provided does not have write permissions.",
  delete: "The API key provided does not have delete permissions.",
  method: "Unknown request method.",
};

/**
 * The method-permission matrix of rest-v2.md §1.4 ({@link keyShortfall}, shared with the Abilities API);
 * throws MainWP's 401 for a key that lacks the method.
 *
 * @example
 * ```ts
 * assertKeyAllowsMethod(key, "DELETE");
 * ```
 */
export function assertKeyAllowsMethod(key: ApiKeyRecord, method: string): void {
  const lacking = keyShortfall(key.permissions, method);
  if (lacking) throw authError(SHORTFALL_MESSAGES[lacking]);
}

function str(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

function basicCredentials(req: RestRequest): { key: string; secret: string } | null {
  const key = str(req.query.consumer_key);
  const secret = str(req.query.consumer_secret);
  if (key && secret) return { key, secret };
  const header = req.raw.headers.get("authorization") ?? "";
  if (!/^basic /i.test(header)) return null;
  try {
    const decoded = atob(header.slice(6).trim());
    const colon = decoded.indexOf(":");
    if (colon < 0) return null;
    return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  } catch {
    return null;
  }
}

function bearerCredentials(req: RestRequest): { key: string; secret: string } | null {
  let key = str(req.params.oauth_mainwp_ck);
  let secret = str(req.params.oauth_mainwp_cs);
  const header = req.raw.headers.get("authorization") ?? "";
  if (header.startsWith("Bearer ")) {
    const [secretPart, keyPart] = header.slice(7).trim().split("==");
    if (secretPart) secret = `cs_${secretPart}`;
    if (keyPart) key = `ck_${keyPart}`;
  }
  if (!key && !secret) return null;
  if (!key || !secret) {
    throw restError("mainwp_rest_authentication_missing_parameter", "Invalid OAuth parameter.", 401);
  }
  return { key, secret };
}

async function authenticateKey(req: RestRequest, creds: { key: string; secret: string }): Promise<void> {
  const record = await findApiKey(req.ctx.kv, creds.key);
  if (!record || !record.enabled) throw disabledKey();
  if (!verifyConsumerSecret(record, creds.secret)) throw authError("Consumer secret is invalid.");
  req.auth = { key: record, user: { id: record.user_id } };
}

/** Whether a REST path is MainWP's (key authentication applies), per `mainwp_rest_is_request_to_rest_api`. */
export function isMainwpPath(path: string): boolean {
  return /^\/mainwp(\/|-|$)/i.test(path);
}

/** The guard for MainWP namespaces. */
export const mainwpKeyGuard: NamespaceGuard = {
  covers: isMainwpPath,

  async authenticate(req) {
    if (!isSecureRequest(req)) {
      throw restError(
        "mainwp_rest_authentication_bad_request",
        "Requests to the MainWP REST API must be over HTTPS.",
        400,
      );
    }
    const basic = basicCredentials(req);
    if (basic) return await authenticateKey(req, basic);
    const bearer = bearerCredentials(req);
    if (bearer) await authenticateKey(req, bearer);
  },

  async preDispatch(req) {
    const key = req.auth.key;
    if (!key) return;
    assertKeyAllowsMethod(key, req.permissionMethod);
    const skip = await req.ctx.hooks.applyFilters(
      "mainwp_disable_rest_api_access_log",
      false,
      key.id,
      key.user_id,
    );
    if (!skip) await touchApiKey(req.ctx.kv, key);
  },

  permission(req) {
    if (!req.auth.key) throw notAuthenticated();
    assertKeyAllowsMethod(req.auth.key, req.permissionMethod);
  },
};

/** Whether a REST path is Fleetpress's own namespace (`/fleetpress/…`), which takes the same API keys. */
export function isFleetpressPath(path: string): boolean {
  return /^\/fleetpress(\/|$)/i.test(path);
}

/** The guard for Fleetpress's own namespaces (`fleetpress/v1`): MainWP's key rules, as on `/mainwp/`. */
export const fleetpressKeyGuard: NamespaceGuard = { ...mainwpKeyGuard, covers: isFleetpressPath };
