/**
 * @module
 * Storing random secrets (API-key secrets, application passwords): a salted HMAC-SHA256, compared in
 * constant time. The secrets carry 120–160 random bits, so a slow password hash would add only latency.
 *
 * @example
 * ```ts
 * const stored = hashNewSecret("cs_…"); // { salt, hash }
 * verifySecret("cs_…", stored); // true
 * ```
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A stored secret. */
export interface StoredSecret {
  salt: string;
  hash: string;
}

function digest(secret: string, salt: string): Buffer {
  return createHmac("sha256", Buffer.from(salt, "hex")).update(secret).digest();
}

/**
 * Hashes a new secret with a fresh random salt.
 *
 * @example
 * ```ts
 * hashNewSecret("s3cret").hash.length; // 64
 * ```
 */
export function hashNewSecret(secret: string): StoredSecret {
  const salt = randomBytes(16).toString("hex");
  return { salt, hash: digest(secret, salt).toString("hex") };
}

/**
 * Whether `secret` matches a stored hash; constant time.
 *
 * @example
 * ```ts
 * verifySecret("s3cret", hashNewSecret("s3cret")); // true
 * ```
 */
export function verifySecret(secret: string, stored: StoredSecret): boolean {
  const expected = Buffer.from(stored.hash, "hex");
  const actual = digest(secret, stored.salt);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
