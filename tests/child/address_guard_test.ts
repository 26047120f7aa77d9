import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { HookRegistry } from "../../hooks/registry.ts";
import {
  assertSiteAddressAllowed,
  checkSiteAddresses,
  ChildError,
  classifyAddress,
  parseSiteUrl,
} from "../../child/index.ts";
import { makeConnector, rejectsWith } from "./_fixtures.ts";
import { CHILD_TEST_CERT, CHILD_TEST_KEY } from "./_tls.ts";

Deno.test("classifyAddress knows loopback, link-local, metadata, private and reserved ranges", () => {
  const cases: [string, string | null][] = [
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["169.254.169.254", "link_local"],
    ["fe80::1", "link_local"],
    ["febf:ffff::1", "link_local"],
    ["::ffff:169.254.169.254", "link_local"],
    ["100.100.100.200", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["fd12:3456::1", "private"],
    ["0.0.0.0", "reserved"],
    ["::", "reserved"],
    ["224.0.0.1", "reserved"],
    ["ff02::1", "reserved"],
    ["203.0.113.7", "public"],
    ["2001:db8::1", "public"],
    ["example.com", null],
    ["1.2.3", null],
  ];
  for (const [address, expected] of cases) assertEquals(classifyAddress(address), expected, address);
});

Deno.test("parseSiteUrl accepts only http(s) URLs without credentials", async () => {
  assertEquals(parseSiteUrl("https://child.example/").href, "https://child.example/");
  for (
    const url of [
      "ftp://child.example/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "not a url",
      "http://u:p@a.example/",
    ]
  ) {
    const error = await rejectsWith(Promise.resolve().then(() => parseSiteUrl(url)), ChildError);
    assertEquals([error.code, error.category], ["URL_NOT_ALLOWED", "address"], url);
  }
});

Deno.test("the guard allows loopback and refuses link-local and metadata addresses", async () => {
  const hooks = new HookRegistry();
  await assertSiteAddressAllowed(new URL("http://127.0.0.1:8080/site-1/"), hooks);
  await assertSiteAddressAllowed(new URL("http://[::1]:8080/"), hooks);
  await assertSiteAddressAllowed(new URL("http://localhost:8080/"), hooks);
  for (
    const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]/",
      "http://metadata.google.internal/",
      "http://2852039166/",
    ]
  ) {
    const error = await rejectsWith(assertSiteAddressAllowed(new URL(url), hooks), ChildError);
    assertEquals(error.code, "URL_NOT_ALLOWED", url);
  }
  const error = await rejectsWith(
    assertSiteAddressAllowed(new URL("http://169.254.169.254/"), hooks),
    ChildError,
  );
  assertStringIncludes(error.message, "link-local");
});

Deno.test("private addresses need allowPrivateAddresses", async () => {
  const hooks = new HookRegistry();
  await rejectsWith(assertSiteAddressAllowed(new URL("http://10.0.0.5/"), hooks), ChildError);
  await assertSiteAddressAllowed(new URL("http://10.0.0.5/"), hooks, { allowPrivateAddresses: true });
});

Deno.test("fleetpress_allow_site_address can overturn the decision", async () => {
  const hooks = new HookRegistry();
  const seen: unknown[] = [];
  hooks.addFilter("fleetpress_allow_site_address", (allowed: boolean, check: { addressClass: string }) => {
    seen.push(check);
    return check.addressClass === "link_local" ? true : check.addressClass === "loopback" ? false : allowed;
  });
  await assertSiteAddressAllowed(new URL("http://169.254.10.10/"), hooks);
  await rejectsWith(assertSiteAddressAllowed(new URL("http://127.0.0.1/"), hooks), ChildError);
  assertEquals(seen[0], {
    url: "http://169.254.10.10/",
    hostname: "169.254.10.10",
    address: "169.254.10.10",
    addressClass: "link_local",
  });
});

Deno.test("IPv6 forms that carry an IPv4 address are classified by that address", () => {
  const cases: [string, string][] = [
    // IPv4-compatible ::a.b.c.d
    ["::169.254.169.254", "link_local"],
    ["::a9fe:a9fe", "link_local"],
    ["::127.0.0.1", "loopback"],
    ["::10.0.0.1", "private"],
    ["::8.8.8.8", "public"],
    // IPv4-mapped ::ffff:a.b.c.d and SIIT ::ffff:0:a.b.c.d
    ["::ffff:10.0.0.1", "private"],
    ["::FFFF:A9FE:A9FE", "link_local"],
    ["::ffff:0:169.254.169.254", "link_local"],
    ["::ffff:0:a9fe:a9fe", "link_local"],
    ["::ffff:0:100.100.100.200", "metadata"],
    ["::ffff:0:8.8.8.8", "public"],
    // NAT64 64:ff9b::/96 and local-use 64:ff9b:1::/48
    ["64:ff9b::169.254.169.254", "link_local"],
    ["64:ff9b::a9fe:a9fe", "link_local"],
    ["64:ff9b::100.100.100.200", "metadata"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::10.1.2.3", "private"],
    ["64:ff9b::8.8.8.8", "public"],
    ["64:ff9b:1::a9fe:a9fe", "link_local"],
    ["64:ff9b:1::8.8.8.8", "public"],
    ["64:ff9b:1:a9fe:a9:fe00::", "link_local"], // the /48 layout (u-octet skipped)
    // 6to4 2002:AABB:CCDD::/48
    ["2002:a9fe:a9fe::1", "link_local"],
    ["2002:a00:1::1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["2002:808:808::1", "public"],
    // Teredo 2001:0::/32, the client address inverted in the last 32 bits
    ["2001:0:4136:e378:8000:63bf:5601:5601", "link_local"],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"],
    ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", "public"],
    // neighbours that carry nothing
    ["2001:db8::a9fe:a9fe", "public"],
    ["fec0::1", "private"],
    ["::1", "loopback"],
    ["::", "reserved"],
  ];
  for (const [address, expected] of cases) assertEquals(classifyAddress(address), expected, address);
});

/** A raw loopback listener that counts (and at once closes) the connections it accepts. */
function countingListener(): { port: number; accepted: () => number; close: () => Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const loop = (async () => {
    try {
      for await (const conn of listener) {
        accepted++;
        conn.close();
      }
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    accepted: () => accepted,
    close: async () => {
      listener.close();
      await loop;
    },
  };
}

Deno.test("a refused address is refused before any connection is made", async () => {
  const listener = countingListener();
  const answers: Record<string, string[]> = {
    "mixed.test": ["127.0.0.1", "169.254.169.254"],
    "mapped.test": ["::ffff:169.254.169.254"],
    "nat64.test": ["64:ff9b::a9fe:a9fe"],
    "garbage.test": ["not-an-address"],
    "nothing.test": [],
    "good.test": ["127.0.0.1"],
  };
  const { connector } = makeConnector({ resolve: (name) => Promise.resolve(answers[name] ?? []) });
  try {
    const port = listener.port;
    for (
      const url of [
        `http://mixed.test:${port}/`,
        `http://mapped.test:${port}/`,
        `http://nat64.test:${port}/`,
        `http://garbage.test:${port}/`,
        `http://[::169.254.169.254]:${port}/`,
        `http://[::ffff:0:a9fe:a9fe]:${port}/`,
        `http://[64:ff9b::a9fe:a9fe]:${port}/`,
        `http://[2002:a9fe:a9fe::1]:${port}/`,
      ]
    ) {
      const error = await rejectsWith(connector.probe(url, { adminUser: "admin" }), ChildError);
      assertEquals(error.code, "URL_NOT_ALLOWED", url);
    }
    const unresolved = await rejectsWith(
      connector.probe(`http://nothing.test:${port}/`, { adminUser: "admin" }),
      ChildError,
    );
    assertEquals(unresolved.message, "HTTP error - Could not resolve host: nothing.test");
    assertEquals(listener.accepted(), 0);
    // The control: an allowed name does reach the listener (which hangs up at once).
    await rejectsWith(connector.probe(`http://good.test:${port}/`, { adminUser: "admin" }), ChildError);
    assertEquals(listener.accepted() > 0, true);
  } finally {
    await listener.close();
  }
});

Deno.test("DNS rebinding: the address checked is the address connected to, with the name's Host header", async () => {
  const hosts: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    hosts.push(request.headers.get("host") ?? "");
    return new Response("ok");
  });
  let lookups = 0;
  // First answer allowed, every later one forbidden: a second lookup before connecting would be caught.
  const resolve = () => Promise.resolve(lookups++ === 0 ? ["127.0.0.1"] : ["169.254.169.254"]);
  const { connector } = makeConnector({ resolve });
  try {
    const url = `http://rebind.test:${server.addr.port}/`;
    const first = await connector.checkSite(url);
    assertEquals([first.online, first.httpCode, lookups], [true, 200, 1]);
    assertEquals(hosts, [`rebind.test:${server.addr.port}`]);
    assertEquals((await rejectsWith(connector.checkSite(url), ChildError)).code, "URL_NOT_ALLOWED");
    assertEquals([hosts.length, lookups], [1, 2]);
    assertEquals((await connector.checkSite(`http://localhost:${server.addr.port}/`)).online, true);
  } finally {
    await server.shutdown();
  }
});

Deno.test("https to a pinned address verifies the certificate against the host name", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert: CHILD_TEST_CERT, key: CHILD_TEST_KEY, onListen() {} },
    (request) => new Response(request.headers.get("host")),
  );
  const resolve = () => Promise.resolve(["127.0.0.1"]);
  const { connector, hooks } = makeConnector({ resolve });
  try {
    const port = server.addr.port;
    const untrusted = await connector.checkSite(`https://child.test:${port}/`);
    assertEquals([untrusted.online, untrusted.httpCode], [false, 0]);
    assertMatch(untrusted.error ?? "", /^HTTP error - SSL certificate problem: /);
    const unverified = await connector.checkSite(`https://other.test:${port}/`, { verifyCertificate: false });
    assertEquals([unverified.online, unverified.httpCode], [true, 200]);
    hooks.addFilter("fleetpress_child_tls_options", () => ({ caCerts: [CHILD_TEST_CERT] }));
    const trusted = await connector.checkSite(`https://child.test:${port}/`, {
      keyword: `child.test:${port}`,
    });
    assertEquals([trusted.online, trusted.httpCode, trusted.keywordFound], [true, 200, true]);
    const otherName = await connector.checkSite(`https://other.test:${port}/`);
    assertEquals(otherName.online, false);
    assertMatch(otherName.error ?? "", /^HTTP error - SSL certificate problem: .*other\.test/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("checkSiteAddresses returns the checked addresses; an allowed metadata name is resolved and judged too", async () => {
  const hooks = new HookRegistry();
  const resolve = (name: string) =>
    Promise.resolve(name === "metadata" ? ["127.0.0.1"] : ["169.254.169.254"]);
  assertEquals(await checkSiteAddresses(new URL("http://127.1:8080/"), hooks), ["127.0.0.1"]);
  assertEquals(await checkSiteAddresses(new URL("http://localhost/"), hooks), ["127.0.0.1", "::1"]);
  hooks.addFilter(
    "fleetpress_allow_site_address",
    (allowed: boolean, check: { addressClass: string }) => check.addressClass === "metadata" || allowed,
  );
  assertEquals(await checkSiteAddresses(new URL("http://metadata/"), hooks, { resolve }), ["127.0.0.1"]);
  const error = await rejectsWith(
    checkSiteAddresses(new URL("http://metadata.google.internal/"), hooks, { resolve }),
    ChildError,
  );
  assertStringIncludes(error.message, "169.254.169.254 is a link-local address");
});
