/**
 * @module
 * RSA PKCS#1 v1.5 SHA-256 signing through the system's OpenSSL (`libcrypto`) over Deno's FFI. Every
 * signed child request needs one RSA-2048 signature; OpenSSL makes it in about 0.25 ms where the
 * runtime's own RSA code (WebCrypto, `node:crypto`) takes 1.3–1.7 ms, which made bulk syncs CPU-bound.
 * The signatures are identical (PKCS#1 v1.5 is deterministic). Signing runs on FFI's worker threads
 * (`nonblocking`), so several sites are signed at once.
 *
 * Optional: without `--allow-ffi`, without libcrypto 3, or with `FLEETPRESS_OPENSSL=0`,
 * {@link nativeSigner} is `null` and callers keep using WebCrypto.
 *
 * @example
 * ```ts
 * const signer = nativeSigner();
 * if (signer) await signer.sign(privateKeyPem, new TextEncoder().encode("stats4242"));
 * ```
 */

const LIBRARIES = ["libcrypto.so.3", "libcrypto.so", "libcrypto.3.dylib"];

const SYMBOLS = {
  BIO_new_mem_buf: { parameters: ["buffer", "i32"], result: "pointer" },
  BIO_free: { parameters: ["pointer"], result: "i32" },
  PEM_read_bio_PrivateKey: { parameters: ["pointer", "pointer", "pointer", "pointer"], result: "pointer" },
  EVP_PKEY_free: { parameters: ["pointer"], result: "void" },
  EVP_MD_CTX_new: { parameters: [], result: "pointer" },
  EVP_MD_CTX_free: { parameters: ["pointer"], result: "void" },
  EVP_sha256: { parameters: [], result: "pointer" },
  EVP_DigestSignInit: { parameters: ["pointer", "pointer", "pointer", "pointer", "pointer"], result: "i32" },
  PEM_read_bio_PUBKEY: { parameters: ["pointer", "pointer", "pointer", "pointer"], result: "pointer" },
  EVP_DigestVerifyInit: {
    parameters: ["pointer", "pointer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  EVP_DigestVerify: { parameters: ["pointer", "buffer", "usize", "buffer", "usize"], result: "i32" },
  EVP_DigestSign: {
    parameters: ["pointer", "buffer", "buffer", "buffer", "usize"],
    result: "i32",
    nonblocking: true,
  },
} as const;

type Lib = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** A parsed key with the signatures in flight on it (freed only when evicted and idle). */
interface KeyEntry {
  pkey: Deno.PointerValue;
  inUse: number;
  evicted: boolean;
}

/** Parsed keys kept at once (an RSA-2048 key is a few KiB in OpenSSL). */
const KEY_CACHE = 8192;

/**
 * Signatures computed at once: one per core. More only queue up as OS threads fighting over the same
 * cores (and with the event loop), so that every signature of a fan-out finishes late instead of the
 * first ones early; in FIFO order the first requests go out while later ones are still being signed.
 */
function signingSlots(): number {
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency || 1));
}

/** Signs (and verifies) with OpenSSL. */
export interface NativeSigner {
  /** The PKCS#1 v1.5 SHA-256 signature of `data` with a PEM (PKCS#8 or PKCS#1) private key. */
  sign(privateKeyPem: string, data: Uint8Array): Promise<Uint8Array>;
  /** Whether `signature` is a PKCS#1 v1.5 SHA-256 signature of `data` by the PEM (SPKI) public key. */
  verify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean;
}

class OpenSslSigner implements NativeSigner {
  #lib: Lib;
  #sha256: Deno.PointerValue;
  #keys = new Map<string, KeyEntry>();
  #slots = signingSlots();
  #waiting: (() => void)[] = [];

  constructor(lib: Lib) {
    this.#lib = lib;
    this.#sha256 = lib.EVP_sha256();
  }

  #key(pem: string, kind: "private" | "public" = "private"): KeyEntry {
    let entry = this.#keys.get(pem);
    if (entry) return entry;
    const bytes = new TextEncoder().encode(pem);
    const bio = this.#lib.BIO_new_mem_buf(bytes, bytes.length);
    if (bio === null) throw new Error("OpenSSL could not read the key");
    const pkey = kind === "private"
      ? this.#lib.PEM_read_bio_PrivateKey(bio, null, null, null)
      : this.#lib.PEM_read_bio_PUBKEY(bio, null, null, null);
    this.#lib.BIO_free(bio);
    if (pkey === null) throw new Error(`OpenSSL could not parse the ${kind} key`);
    if (this.#keys.size >= KEY_CACHE) {
      const [oldPem, old] = this.#keys.entries().next().value!;
      this.#keys.delete(oldPem);
      old.evicted = true;
      this.#release(old, 0);
    }
    entry = { pkey, inUse: 0, evicted: false };
    this.#keys.set(pem, entry);
    return entry;
  }

  #release(entry: KeyEntry, done: number): void {
    entry.inUse -= done;
    if (entry.evicted && entry.inUse === 0) this.#lib.EVP_PKEY_free(entry.pkey);
  }

  verify(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
    let entry: KeyEntry;
    try {
      entry = this.#key(publicKeyPem, "public");
    } catch {
      return false;
    }
    const ctx = this.#lib.EVP_MD_CTX_new();
    try {
      if (ctx === null) return false;
      if (this.#lib.EVP_DigestVerifyInit(ctx, null, this.#sha256, null, entry.pkey) !== 1) return false;
      const sig = signature as Uint8Array<ArrayBuffer>;
      const tbs = data as Uint8Array<ArrayBuffer>;
      return this.#lib.EVP_DigestVerify(ctx, sig, BigInt(sig.length), tbs, BigInt(tbs.length)) === 1;
    } finally {
      if (ctx !== null) this.#lib.EVP_MD_CTX_free(ctx);
    }
  }

  async sign(privateKeyPem: string, data: Uint8Array): Promise<Uint8Array> {
    if (this.#slots > 0) this.#slots--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await this.#sign(privateKeyPem, data);
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#slots++;
    }
  }

  async #sign(privateKeyPem: string, data: Uint8Array): Promise<Uint8Array> {
    const entry = this.#key(privateKeyPem);
    entry.inUse++;
    const ctx = this.#lib.EVP_MD_CTX_new();
    try {
      if (ctx === null) throw new Error("OpenSSL could not allocate a digest context");
      if (this.#lib.EVP_DigestSignInit(ctx, null, this.#sha256, null, entry.pkey) !== 1) {
        throw new Error("OpenSSL could not start signing");
      }
      const signature = new Uint8Array(1024);
      const length = new BigUint64Array([BigInt(signature.length)]);
      const ok = await this.#lib.EVP_DigestSign(
        ctx,
        signature,
        new Uint8Array(length.buffer),
        data as Uint8Array<ArrayBuffer>,
        BigInt(data.length),
      );
      if (ok !== 1) throw new Error("OpenSSL could not sign");
      return signature.slice(0, Number(length[0]));
    } finally {
      if (ctx !== null) this.#lib.EVP_MD_CTX_free(ctx);
      this.#release(entry, 1);
    }
  }
}

let cached: NativeSigner | null | undefined;

function disabledByEnv(): boolean {
  try {
    return Deno.env.get("FLEETPRESS_OPENSSL") === "0";
  } catch {
    return false; // no env permission: not disabled
  }
}

/**
 * The OpenSSL signer, or `null` when it cannot be used (loaded once).
 *
 * @example
 * ```ts
 * nativeSigner() === null; // true without --allow-ffi
 * ```
 */
export function nativeSigner(): NativeSigner | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (disabledByEnv() || typeof Deno.dlopen !== "function") return cached;
  for (const name of LIBRARIES) {
    try {
      cached = new OpenSslSigner(Deno.dlopen(name, SYMBOLS).symbols);
      break;
    } catch {
      // not permitted, or not this library name: try the next, else WebCrypto
    }
  }
  return cached;
}
