/**
 * @module
 * A self-signed certificate for `child.test` (valid until 2126) and its key, for TLS tests that connect
 * to 127.0.0.1 under that name. Test material only.
 *
 * @example
 * ```ts
 * Deno.serve({ hostname: "127.0.0.1", port: 0, cert: CHILD_TEST_CERT, key: CHILD_TEST_KEY }, handler);
 * ```
 */

/** PEM certificate, subjectAltName `DNS:child.test`. */
export const CHILD_TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBmTCCAT6gAwIBAgIUIKFyN4L6NXSW1EYnDHGBwH0NYoswCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKY2hpbGQudGVzdDAgFw0yNjEyMDYwNDMyMTJaGA8yMTI2MTEx
MjA0MzIxMlowFTETMBEGA1UEAwwKY2hpbGQudGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABHUKyGn0hkXFMdsntmQPclpmDWZy6jK9BTmnvQdDrKjywxJw5vaY
3kCKZhcjD574U58E1VP5gNdqILsI3JW2kcujajBoMB0GA1UdDgQWBBSmaQ8V8pd1
0KaU0XEbtdrml5yApTAfBgNVHSMEGDAWgBSmaQ8V8pd10KaU0XEbtdrml5yApTAP
BgNVHRMBAf8EBTADAQH/MBUGA1UdEQQOMAyCCmNoaWxkLnRlc3QwCgYIKoZIzj0E
AwIDSQAwRgIhAN9LQxLA4CZDJoKxxij5Dk+23DalALEZ2J5XuFjG4rgWAiEA1Xh+
qiZAqn3JMuVK2Rhnvh3f5l+gxkXnUvVZM8PlueM=
-----END CERTIFICATE-----
`;

/** Its PEM private key (P-256). */
export const CHILD_TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg9ST0GuUBB1oh+Ftf
gbj1JSFVDouOYmEAM8aAuWaVx5ChRANCAAR1Cshp9IZFxTHbJ7ZkD3JaZg1mcuoy
vQU5p70HQ6yo8sMScOb2mN5AimYXIw+e+FOfBNVT+YDXaiC7CNyVtpHL
-----END PRIVATE KEY-----
`;
