/**
 * @module
 * Per-site RSA keys as MainWP makes them (child-protocol.md §B2, §B3): a fresh 2048-bit pair per site,
 * the public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`, what `register` sends), the private key as
 * PKCS#8 PEM. Requests are signed by RSASSA-PKCS1-v1_5 over the UTF-8 bytes of `function + nonce`, the
 * hash picked by MainWP's `sign_algo` number (7 = SHA-256, always sent). Private keys are kept at rest
 * encrypted with AES-256-GCM under a key derived (HKDF-SHA-256, random salt) from a secret string.
 *
 * @example
 * ```ts
 * const keys = await generateSiteKeys();
 * const signature = signRequest(keys.privateKeyPem, "stats", "4242");
 * verifySignature(keys.publicKeyPem, "stats4242", signature); // true
 * const stored = await encryptPrivateKey(keys.privateKeyPem, secret);
 * ```
 */
import { nativeSigner } from "./openssl.ts";
import { Buffer } from "node:buffer";
import { createPrivateKey, generateKeyPair, sign, verify } from "node:crypto";
import { ChildError } from "./errors.ts";

/** A site's key pair, both PEM. */
export interface SiteKeyPair {
  /** SPKI PEM, sent to the child as `pubkey`. */
  publicKeyPem: string;
  /** PKCS#8 PEM; store it only encrypted ({@link encryptPrivateKey}). */
  privateKeyPem: string;
}

/** `sign_algo` values (PHP OpenSSL constants) and their hashes. */
export const SIGN_ALGORITHMS: Readonly<Record<number, string>> = Object.freeze({
  1: "sha1",
  6: "sha224",
  7: "sha256",
  8: "sha384",
  9: "sha512",
});

/** The algorithm MainWP uses by default and this connector always sends: SHA-256. */
export const SIGN_ALGO_SHA256 = 7;

/** RSA modulus length, as MainWP's `private_key_bits`. */
export const RSA_BITS = 2048;

function hashOf(algo: number): string {
  const hash = SIGN_ALGORITHMS[algo];
  if (!hash) throw new TypeError(`unsupported sign_algo ${algo}`);
  return hash;
}

/**
 * Generates a fresh RSA-2048 key pair (off the main thread).
 *
 * @example
 * ```ts
 * const { publicKeyPem, privateKeyPem } = await generateSiteKeys();
 * ```
 */
export function generateSiteKeys(): Promise<SiteKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      {
        modulusLength: RSA_BITS,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      },
      (error, publicKeyPem, privateKeyPem) =>
        error ? reject(error) : resolve({ publicKeyPem, privateKeyPem }),
    );
  });
}

/**
 * A request nonce as the Dashboard picks it: a random integer 0–9999, as a string.
 *
 * @example
 * ```ts
 * randomNonce(); // "4242"
 * ```
 */
export function randomNonce(): string {
  return String(crypto.getRandomValues(new Uint32Array(1))[0] % 10000);
}

/** Imported signing keys by PEM, so each site's key is parsed once (bounded; oldest dropped first). */
const signingKeys = new Map<string, Promise<CryptoKey>>();
const SIGNING_KEY_CACHE = 4096;

function signingKey(privateKeyPem: string): Promise<CryptoKey> {
  let key = signingKeys.get(privateKeyPem);
  if (!key) {
    key = (async () => {
      const der = new Uint8Array(createPrivateKey(privateKeyPem).export({ format: "der", type: "pkcs8" }));
      return await crypto.subtle.importKey(
        "pkcs8",
        der,
        { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
        false,
        [
          "sign",
        ],
      );
    })();
    key.catch(() => signingKeys.delete(privateKeyPem));
    if (signingKeys.size >= SIGNING_KEY_CACHE) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(privateKeyPem, key);
  }
  return key;
}

/**
 * Signs `fn + nonce` with SHA-256 (sign_algo 7) off the main thread: through the system's OpenSSL when
 * it can be loaded (child/openssl.ts, about 5× faster), else through WebCrypto with the site's key
 * imported once. Same signature as {@link signRequest}; used on the request path.
 *
 * @example
 * ```ts
 * const mainwpsignature = await signRequestAsync(privateKeyPem, "stats", "4242");
 * ```
 */
export async function signRequestAsync(privateKeyPem: string, fn: string, nonce: string): Promise<string> {
  const data = new TextEncoder().encode(fn + nonce);
  const native = nativeSigner();
  try {
    const signature = native
      ? await native.sign(privateKeyPem, data)
      : new Uint8Array(await webCryptoSign(privateKeyPem, data));
    return Buffer.from(signature).toString("base64");
  } catch (cause) {
    throw new ChildError("PRIVKEY_UNUSABLE", "The site's private key could not be used to sign.", "key", {
      cause,
    });
  }
}

/**
 * The WebCrypto signature (PKCS#1 v1.5, SHA-256) of `data`, the key imported once per PEM: the fallback
 * when OpenSSL cannot be loaded.
 *
 * @example
 * ```ts
 * const signature = await webCryptoSign(privateKeyPem, new TextEncoder().encode("stats4242"));
 * ```
 */
export async function webCryptoSign(
  privateKeyPem: string,
  data: Uint8Array<ArrayBuffer>,
): Promise<ArrayBuffer> {
  return await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await signingKey(privateKeyPem), data);
}

/**
 * Signs `fn + nonce` and returns the base64 signature (`mainwpsignature`).
 *
 * @example
 * ```ts
 * const mainwpsignature = signRequest(privateKeyPem, "stats", "4242");
 * ```
 */
export function signRequest(
  privateKeyPem: string,
  fn: string,
  nonce: string,
  algo = SIGN_ALGO_SHA256,
): string {
  const data = Buffer.from(fn + nonce, "utf8");
  try {
    return sign(hashOf(algo), data, privateKeyPem).toString("base64");
  } catch (cause) {
    if (cause instanceof TypeError && cause.message.startsWith("unsupported sign_algo")) throw cause;
    throw new ChildError("PRIVKEY_UNUSABLE", "The site's private key could not be used to sign.", "key", {
      cause,
    });
  }
}

/**
 * Verifies a base64 signature over `data` with a PEM public key (what the child does). Malformed keys or
 * signatures verify as `false`.
 *
 * @example
 * ```ts
 * verifySignature(publicKeyPem, "stats4242", mainwpsignature); // true
 * ```
 */
export function verifySignature(
  publicKeyPem: string,
  data: string,
  signatureBase64: string,
  algo = SIGN_ALGO_SHA256,
): boolean {
  const hash = SIGN_ALGORITHMS[algo];
  if (!hash || signatureBase64 === "") return false;
  const native = algo === SIGN_ALGO_SHA256 ? nativeSigner() : null;
  if (native) {
    const encoder = new TextEncoder();
    return native.verify(
      publicKeyPem,
      encoder.encode(data),
      new Uint8Array(Buffer.from(signatureBase64, "base64")),
    );
  }
  try {
    return verify(hash, Buffer.from(data, "utf8"), publicKeyPem, Buffer.from(signatureBase64, "base64"));
  } catch {
    return false;
  }
}

// Encrypted private key blob: "fpk1." + base64(salt[16] ‖ iv[12] ‖ AES-GCM ciphertext+tag).
const BLOB_PREFIX = "fpk1.";
const SALT_BYTES = 16;
const IV_BYTES = 12;
const HKDF_INFO = new TextEncoder().encode("fleetpress/child-private-key/v1");
const MIN_SECRET_LENGTH = 16;

async function deriveAesKey(secret: string, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`the private-key secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt, info: HKDF_INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

function unreadableKey(cause?: unknown): ChildError {
  return new ChildError(
    "PRIVKEY_UNREADABLE",
    "The site's private key could not be decrypted (wrong secret or damaged data).",
    "key",
    { cause },
  );
}

/**
 * Encrypts a PEM private key for storage; the result is an ASCII string.
 *
 * @example
 * ```ts
 * const blob = await encryptPrivateKey(privateKeyPem, Deno.env.get("FLEETPRESS_SECRET")!);
 * ```
 */
export async function encryptPrivateKey(pem: string, secret: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await deriveAesKey(secret, salt);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(pem)),
  );
  return BLOB_PREFIX + Buffer.concat([salt, iv, sealed]).toString("base64");
}

/**
 * Decrypts a blob from {@link encryptPrivateKey}; a wrong secret or damaged blob throws a
 * {@link ChildError} `PRIVKEY_UNREADABLE`.
 *
 * @example
 * ```ts
 * const privateKeyPem = await decryptPrivateKey(blob, secret);
 * ```
 */
export function decryptPrivateKey(blob: string, secret: string): Promise<string> {
  // The key derivation and decryption cost more than the signature itself: each blob is opened once.
  const cacheKey = `${secret.length}:${secret}\u0000${blob}`;
  let pem = decryptedKeys.get(cacheKey);
  if (!pem) {
    pem = decryptPrivateKeyUncached(blob, secret);
    pem.catch(() => decryptedKeys.delete(cacheKey));
    if (decryptedKeys.size >= DECRYPTED_KEY_CACHE) decryptedKeys.delete(decryptedKeys.keys().next().value!);
    decryptedKeys.set(cacheKey, pem);
  }
  return pem;
}

/** Decrypted private keys by blob (bounded; oldest dropped first), like the imported signing keys. */
const decryptedKeys = new Map<string, Promise<string>>();
const DECRYPTED_KEY_CACHE = 16384;

async function decryptPrivateKeyUncached(blob: string, secret: string): Promise<string> {
  if (!blob.startsWith(BLOB_PREFIX)) throw unreadableKey();
  const bytes = new Uint8Array(Buffer.from(blob.slice(BLOB_PREFIX.length), "base64"));
  if (bytes.length <= SALT_BYTES + IV_BYTES) throw unreadableKey();
  const salt = bytes.slice(0, SALT_BYTES);
  const iv = bytes.slice(SALT_BYTES, SALT_BYTES + IV_BYTES);
  const key = await deriveAesKey(secret, salt);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv },
      key,
      bytes.slice(SALT_BYTES + IV_BYTES),
    );
    return new TextDecoder().decode(plain);
  } catch (cause) {
    throw unreadableKey(cause);
  }
}
