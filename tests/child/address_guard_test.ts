import { assertEquals, assertStringIncludes } from "@std/assert";
import { HookRegistry } from "../../hooks/registry.ts";
import { assertSiteAddressAllowed, ChildError, classifyAddress, parseSiteUrl } from "../../child/index.ts";
import { rejectsWith } from "./_fixtures.ts";

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
