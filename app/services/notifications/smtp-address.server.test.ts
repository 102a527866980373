import { expect, test } from "vitest";
import { parseEnv } from "../../env.server";
import { addressAllowed, classifyAddress, resolveSmtpHost, type AddressClass } from "./smtp-address.server";

const DEFAULT = { allowLoopback: false };
const TESTS = { allowLoopback: true };

test.each<[string, AddressClass]>([
  // IPv4
  ["0.0.0.0", "UNSPECIFIED"],
  ["0.1.2.3", "UNSPECIFIED"],
  ["10.0.0.1", "PRIVATE"],
  ["10.255.255.255", "PRIVATE"],
  ["100.64.0.1", "CGNAT"],
  ["100.127.255.254", "CGNAT"],
  ["100.100.100.200", "METADATA"],
  ["127.0.0.1", "LOOPBACK"],
  ["127.255.0.9", "LOOPBACK"],
  ["169.254.0.1", "LINK_LOCAL"],
  ["169.254.169.254", "METADATA"],
  ["168.63.129.16", "METADATA"],
  ["172.16.0.1", "PRIVATE"],
  ["172.31.255.255", "PRIVATE"],
  ["192.0.0.192", "METADATA"],
  ["192.0.0.8", "RESERVED"],
  ["192.0.2.10", "RESERVED"],
  ["192.168.1.1", "PRIVATE"],
  ["198.18.0.1", "RESERVED"],
  ["198.51.100.7", "RESERVED"],
  ["203.0.113.5", "RESERVED"],
  ["224.0.0.1", "MULTICAST"],
  ["239.255.255.250", "MULTICAST"],
  ["240.0.0.1", "RESERVED"],
  ["255.255.255.255", "RESERVED"],
  ["8.8.8.8", "PUBLIC"],
  ["1.1.1.1", "PUBLIC"],
  ["172.15.255.255", "PUBLIC"],
  ["172.32.0.0", "PUBLIC"],
  ["100.63.255.255", "PUBLIC"],
  ["100.128.0.0", "PUBLIC"],
  ["169.253.255.255", "PUBLIC"],
  ["192.169.0.1", "PUBLIC"],
  ["223.255.255.255", "PUBLIC"],
  // IPv6
  ["::", "UNSPECIFIED"],
  ["::1", "LOOPBACK"],
  ["0:0:0:0:0:0:0:1", "LOOPBACK"],
  ["::ffff:127.0.0.1", "LOOPBACK"],
  ["::ffff:7f00:1", "LOOPBACK"],
  ["::ffff:10.1.2.3", "PRIVATE"],
  ["::ffff:169.254.169.254", "METADATA"],
  ["::ffff:0.0.0.0", "UNSPECIFIED"],
  ["::ffff:8.8.8.8", "PUBLIC"],
  ["64:ff9b::a00:1", "PRIVATE"],
  ["64:ff9b::808:808", "PUBLIC"],
  ["2002:7f00:1::1", "LOOPBACK"],
  ["2002:c0a8:101::1", "PRIVATE"],
  ["2002:808:808::1", "PUBLIC"],
  ["::127.0.0.1", "RESERVED"],
  ["100::1", "RESERVED"],
  ["fc00::1", "UNIQUE_LOCAL"],
  ["fd12:3456:789a::1", "UNIQUE_LOCAL"],
  ["fd00:ec2::254", "METADATA"],
  ["fe80::1", "LINK_LOCAL"],
  ["febf:ffff::1", "LINK_LOCAL"],
  ["fe80::1%eth0", "RESERVED"],
  ["fec0::1", "RESERVED"],
  ["ff02::1", "MULTICAST"],
  ["ff05::2", "MULTICAST"],
  ["2001:db8::1", "RESERVED"],
  ["2001::1", "RESERVED"],
  ["3fff::1", "RESERVED"],
  ["5f00::1", "RESERVED"],
  ["2001:4860:4860::8888", "PUBLIC"],
  ["2606:4700:4700::1111", "PUBLIC"],
  ["2a00:1450:4001:82a::200e", "PUBLIC"],
  // Not an address at all
  ["smtp.example.com", "RESERVED"],
  ["", "RESERVED"],
])("%s is %s", (ip, kind) => {
  expect(classifyAddress(ip)).toBe(kind);
});

test.each<[AddressClass, boolean, boolean]>([
  ["PUBLIC", true, true],
  ["LOOPBACK", false, true],
  ["PRIVATE", false, false],
  ["LINK_LOCAL", false, false],
  ["UNIQUE_LOCAL", false, false],
  ["CGNAT", false, false],
  ["MULTICAST", false, false],
  ["UNSPECIFIED", false, false],
  ["METADATA", false, false],
  ["RESERVED", false, false],
])("%s: allowed by default %s, with the tests' loopback switch %s", (kind, byDefault, inTests) => {
  expect(addressAllowed(kind, DEFAULT)).toBe(byDefault);
  expect(addressAllowed(kind, TESTS)).toBe(inTests);
});

test("the switch is off unless set, and production refuses it", () => {
  const base = {
    SHOPIFY_API_KEY: "k",
    SHOPIFY_API_SECRET: "s",
    SHOPIFY_APP_URL: "https://amends.example",
    SCOPES: "read_orders",
  };
  expect(parseEnv(base).AMENDS_SMTP_ALLOW_LOOPBACK).toBe(false);
  expect(parseEnv({ ...base, AMENDS_SMTP_ALLOW_LOOPBACK: "1" }).AMENDS_SMTP_ALLOW_LOOPBACK).toBe(true);
  expect(() => parseEnv({ ...base, NODE_ENV: "production", AMENDS_SMTP_ALLOW_LOOPBACK: "true" })).toThrow(
    /AMENDS_SMTP_ALLOW_LOOPBACK: loopback mail servers are for tests only/,
  );
});

test("a name is checked on what the resolver answers: localhost resolves to loopback and is refused by default", async () => {
  expect(await resolveSmtpHost("localhost", DEFAULT)).toEqual({
    ok: false,
    reason: "ADDRESS_NOT_ALLOWED",
    refused: "LOOPBACK",
  });
  // The same answer, allowed by the tests' switch: the connection goes to the address that was checked,
  // and the name is kept for the certificate check.
  const allowed = await resolveSmtpHost("localhost", TESTS);
  expect(allowed).toMatchObject({ ok: true, target: { servername: "localhost" } });
  if (allowed.ok) expect(classifyAddress(allowed.target.address)).toBe("LOOPBACK");
});

test.each([
  ["127.0.0.1", "LOOPBACK"],
  ["[::1]", "LOOPBACK"],
  // Short and numeric spellings reach the resolver and come back as what they are.
  ["127.1", "LOOPBACK"],
  ["2130706433", "LOOPBACK"],
  ["10.1", "PRIVATE"],
  ["169.254.169.254", "METADATA"],
  ["::ffff:169.254.169.254", "METADATA"],
  ["[fd00:ec2::254]", "METADATA"],
])("%s is refused whatever its spelling, even with the loopback switch unless it is loopback", async (host, kind) => {
  expect(await resolveSmtpHost(host, DEFAULT)).toEqual({ ok: false, reason: "ADDRESS_NOT_ALLOWED", refused: kind });
  if (kind !== "LOOPBACK")
    expect(await resolveSmtpHost(host, TESTS)).toEqual({ ok: false, reason: "ADDRESS_NOT_ALLOWED", refused: kind });
});

test("a public IP literal is allowed and carries no TLS server name", async () => {
  expect(await resolveSmtpHost("8.8.8.8", DEFAULT)).toEqual({
    ok: true,
    target: { address: "8.8.8.8", servername: null },
  });
});

test("a name no resolver knows is NOT_FOUND, not an error", async () => {
  expect(await resolveSmtpHost("no-such-host.invalid", DEFAULT)).toEqual({ ok: false, reason: "NOT_FOUND" });
});
