import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import { Buffer } from "node:buffer";
import { createPublicKey, verify } from "node:crypto";
import {
  ChildError,
  decryptPrivateKey,
  encryptPrivateKey,
  generateSiteKeys,
  randomNonce,
  signRequest,
  verifySignature,
} from "../../child/index.ts";
import { rejectsWith, testKeys } from "./_fixtures.ts";

const SECRET = "a-long-enough-test-secret-0123456789";

Deno.test("generateSiteKeys makes RSA-2048 PEM pairs (SPKI public, PKCS#8 private)", async () => {
  const keys = await testKeys();
  assertMatch(keys.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n?$/);
  assertMatch(keys.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n?$/);
  const details = createPublicKey(keys.publicKeyPem).asymmetricKeyDetails;
  assertEquals(details?.modulusLength, 2048);
});

Deno.test("each site gets a fresh key pair", async () => {
  const [a, b] = await Promise.all([testKeys(), generateSiteKeys()]);
  assertNotEquals(a.publicKeyPem, b.publicKeyPem);
});

Deno.test("signRequest signs function + nonce with RSASSA-PKCS1-v1_5 / SHA-256", async () => {
  const keys = await testKeys();
  const signature = signRequest(keys.privateKeyPem, "stats", "4242");
  // Independent check with node:crypto, as PHP's openssl_verify(…, OPENSSL_ALGO_SHA256) would.
  const data = Buffer.from("stats4242", "utf8");
  assert(verify("sha256", data, keys.publicKeyPem, Buffer.from(signature, "base64")));
  assert(verifySignature(keys.publicKeyPem, "stats4242", signature));
  assertFalse(verifySignature(keys.publicKeyPem, "stats4243", signature), "other nonce");
  assertFalse(verifySignature(keys.publicKeyPem, "stats4242", signature, 1), "other hash");
  const tampered = Buffer.from(signature, "base64");
  tampered[10] ^= 0xff;
  assertFalse(verifySignature(keys.publicKeyPem, "stats4242", tampered.toString("base64")));
  assertFalse(verifySignature(keys.publicKeyPem, "stats4242", ""));
  assertFalse(verifySignature("not a key", "stats4242", signature));
});

Deno.test("signRequest with an unusable key is a ChildError", async () => {
  const error = await rejectsWith(
    Promise.resolve().then(() => signRequest("garbage", "stats", "1")),
    ChildError,
  );
  assertEquals(error.code, "PRIVKEY_UNUSABLE");
  assertEquals(error.category, "key");
});

Deno.test("randomNonce is an integer 0..9999", () => {
  for (let i = 0; i < 200; i++) {
    const nonce = Number(randomNonce());
    assert(Number.isInteger(nonce) && nonce >= 0 && nonce <= 9999);
  }
});

Deno.test("private keys round-trip through AES-GCM encryption", async () => {
  const { privateKeyPem } = await testKeys();
  const blob = await encryptPrivateKey(privateKeyPem, SECRET);
  assertMatch(blob, /^fpk1\.[A-Za-z0-9+/=]+$/);
  assertFalse(blob.includes("PRIVATE KEY"));
  assertNotEquals(await encryptPrivateKey(privateKeyPem, SECRET), blob, "random salt and IV");
  assertEquals(await decryptPrivateKey(blob, SECRET), privateKeyPem);
});

Deno.test("a wrong secret or a damaged blob cannot decrypt the private key", async () => {
  const { privateKeyPem } = await testKeys();
  const blob = await encryptPrivateKey(privateKeyPem, SECRET);
  const wrong = await rejectsWith(decryptPrivateKey(blob, SECRET + "x"), ChildError);
  assertEquals(wrong.code, "PRIVKEY_UNREADABLE");
  assertStringIncludes(wrong.message, "could not be decrypted");
  const bytes = Buffer.from(blob.slice(5), "base64");
  bytes[bytes.length - 1] ^= 1;
  await rejectsWith(decryptPrivateKey("fpk1." + bytes.toString("base64"), SECRET), ChildError);
  await rejectsWith(decryptPrivateKey("not-a-blob", SECRET), ChildError);
  await rejectsWith(decryptPrivateKey("fpk1.AAAA", SECRET), ChildError);
});

Deno.test("short secrets are refused", async () => {
  await rejectsWith(encryptPrivateKey("pem", "short"), TypeError);
});
