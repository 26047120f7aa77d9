import { Buffer } from "node:buffer";
import { assert, assertEquals } from "@std/assert";
import { nativeSigner } from "../../child/openssl.ts";
import { generateSiteKeys } from "../../child/index.ts";
import { signRequest, signRequestAsync, webCryptoSign } from "../../child/keys.ts";

Deno.test("OpenSSL, WebCrypto and node:crypto make the same PKCS#1 v1.5 SHA-256 signature", async () => {
  const keys = await generateSiteKeys();
  const expected = signRequest(keys.privateKeyPem, "stats", "4242");
  const data = new TextEncoder().encode("stats4242");
  assertEquals(Buffer.from(await webCryptoSign(keys.privateKeyPem, data)).toString("base64"), expected);
  assertEquals(await signRequestAsync(keys.privateKeyPem, "stats", "4242"), expected);
  const signer = nativeSigner();
  if (!signer) {
    console.log("libcrypto not available here: the WebCrypto path was used");
    return;
  }
  const signatures = await Promise.all(
    Array.from({ length: 20 }, () => signer.sign(keys.privateKeyPem, data)),
  );
  for (const s of signatures) assertEquals(Buffer.from(s).toString("base64"), expected);
  await signer.sign("-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n", data).then(
    () => assert(false, "a broken key must not sign"),
    (error) => assert(error instanceof Error),
  );
});

Deno.test("OpenSSL verification agrees with node:crypto: good, tampered and foreign signatures", async () => {
  const signer = nativeSigner();
  if (!signer) return;
  const [a, b] = await Promise.all([generateSiteKeys(), generateSiteKeys()]);
  const data = new TextEncoder().encode("stats4242");
  const good = new Uint8Array(Buffer.from(signRequest(a.privateKeyPem, "stats", "4242"), "base64"));
  assert(signer.verify(a.publicKeyPem, data, good));
  assert(!signer.verify(b.publicKeyPem, data, good));
  assert(!signer.verify(a.publicKeyPem, new TextEncoder().encode("stats4243"), good));
  assert(!signer.verify("not a key", data, good));
});
