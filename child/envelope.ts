/**
 * @module
 * The child's reply envelope (child-protocol.md §B4): `<mainwp>` + base64(JSON) + `</mainwp>` anywhere in
 * the HTTP body (notices or HTML around it are tolerated). {@link parseChildReply} turns a body into the
 * decoded reply object or a {@link ChildError}: no envelope → `NOMAINWP`, a truncated or undecodable
 * envelope → `INVALID_RESPONSE`, a body past the cap → `TOO_LARGE`, and a reply with a string `error` →
 * the child's `error_code` (or `CHILD_ERROR` when it sent none). {@link encodeEnvelope} writes an envelope
 * the way the child does (used by the simulator).
 *
 * @example
 * ```ts
 * const reply = parseChildReply(await response.text(), { status: response.status });
 * reply.wpversion; // "6.5.2"
 * ```
 */
import { Buffer } from "node:buffer";
import { bodyTooLarge, ChildError, IMUNIFY_MESSAGE, NOT_DETECTED_MESSAGE } from "./errors.ts";
import { isPlainObject } from "../lib/objects.ts";

/** A decoded child reply: the JSON object the child wrote. */
export type ChildReply = Record<string, unknown>;

/** Options of {@link parseEnvelope} and {@link parseChildReply}. */
export interface ParseOptions {
  /** HTTP status of the answer, copied into errors. */
  status?: number;
  /** Refuse bodies longer than this many bytes (UTF-8). */
  maxBytes?: number;
}

const ENVELOPE = /<mainwp>([\s\S]*?)<\/mainwp>/;
const OPEN_TAG = "<mainwp>";
const UTF8 = new TextDecoder();

function invalidReply(detail: string, status?: number): ChildError {
  return new ChildError(
    "INVALID_RESPONSE",
    `The child site's reply could not be read: ${detail}.`,
    "invalid_reply",
    {
      status,
    },
  );
}

function notMainwp(body: string, status?: number): ChildError {
  const message = body.includes("wsidchk") ? IMUNIFY_MESSAGE : NOT_DETECTED_MESSAGE;
  return new ChildError("NOMAINWP", message, "not_mainwp", { status });
}

function decodeBase64Json(payload: string, status?: number): unknown {
  let bytes: Uint8Array;
  try {
    // Native decoding: validates the alphabet, skips whitespace, allows missing padding.
    bytes = (Uint8Array as unknown as { fromBase64(text: string): Uint8Array }).fromBase64(payload);
  } catch {
    throw invalidReply("the envelope is not base64", status);
  }
  try {
    return JSON.parse(UTF8.decode(bytes));
  } catch {
    throw invalidReply("the envelope does not hold JSON", status);
  }
}

/**
 * Finds the first `<mainwp>…</mainwp>` in a body and returns its decoded JSON value.
 *
 * @example
 * ```ts
 * parseEnvelope("<p>notice</p><mainwp>eyJhIjoxfQ==</mainwp>"); // { a: 1 }
 * ```
 */
export function parseEnvelope(body: string, options: ParseOptions = {}): unknown {
  const { status, maxBytes } = options;
  if (maxBytes !== undefined && Buffer.byteLength(body, "utf8") > maxBytes) {
    throw bodyTooLarge(maxBytes, status);
  }
  const match = ENVELOPE.exec(body);
  if (match) return decodeBase64Json(match[1], status);
  if (body.includes(OPEN_TAG)) throw invalidReply("the envelope is truncated (no closing </mainwp>)", status);
  throw notMainwp(body, status);
}

/**
 * The {@link ChildError} a decoded reply stands for, or `null` when it is not an error. Only a string
 * `error` is a failure; a structured one (`theme_action` answers `{"error":{"is_activated_theme":…}}`)
 * is data for the caller.
 *
 * @example
 * ```ts
 * childErrorOf({ error: "Bad", error_code: "REG_ERROR7" })?.code; // "REG_ERROR7"
 * ```
 */
export function childErrorOf(reply: unknown, status?: number): ChildError | null {
  if (!isPlainObject(reply) || typeof reply.error !== "string") return null;
  const code = typeof reply.error_code === "string" && reply.error_code !== ""
    ? reply.error_code
    : "CHILD_ERROR";
  return new ChildError(code, reply.error, "child", { status, reply });
}

/**
 * Decodes a child's HTTP body into its reply object; throws a {@link ChildError} for anything else.
 * PHP writes an empty array as `[]`, which is read as `{}`; a list (`get_all_users`, `get_all_posts`) is
 * read as the map PHP holds, keyed `"0"`, `"1"`, … in order.
 *
 * @example
 * ```ts
 * parseChildReply(body, { status: 200, maxBytes: 16 * 1024 * 1024 }).register; // "OK"
 * ```
 */
export function parseChildReply(body: string, options: ParseOptions = {}): ChildReply {
  const value = parseEnvelope(body, options);
  const error = childErrorOf(value, options.status);
  if (error) throw error;
  if (Array.isArray(value)) return { ...value };
  if (!isPlainObject(value)) throw invalidReply("the envelope holds no JSON object", options.status);
  return value;
}

/**
 * Decodes a child's HTTP body into whatever JSON value it holds (a list, a string, an object); a reply
 * with a string `error` throws its {@link ChildError}, anything without an envelope throws too.
 *
 * @example
 * ```ts
 * parseChildValue("<mainwp>W10=</mainwp>"); // []
 * ```
 */
export function parseChildValue(body: string, options: ParseOptions = {}): unknown {
  const value = parseEnvelope(body, options);
  const error = childErrorOf(value, options.status);
  if (error) throw error;
  return value;
}

/**
 * Writes a value as the child does: `<mainwp>` + base64(JSON) + `</mainwp>`.
 *
 * @example
 * ```ts
 * encodeEnvelope({ result: "success" }); // "<mainwp>eyJyZXN1bHQiOiJzdWNjZXNzIn0=</mainwp>"
 * ```
 */
export function encodeEnvelope(value: unknown): string {
  return `<mainwp>${Buffer.from(JSON.stringify(value), "utf8").toString("base64")}</mainwp>`;
}
