/**
 * Where the shop's mail server may be: only on the public internet. Whoever edits the SMTP
 * settings chooses a host and a port and can press "Send test"; without this check that is a
 * way to reach the app's own network (databases, cloud metadata, admin ports) from inside.
 *
 * The check runs on the addresses a name resolves to, not on the name, and the connection then
 * goes to the address that was checked (the name is kept only as the TLS server name), so a DNS
 * answer that changes between the check and the connection (rebinding) cannot move it.
 * See docs/decisions/0020-smtp-safety.md.
 */
import { promises as dns } from "node:dns";
import { isIP } from "node:net";

export type AddressClass =
  | "PUBLIC"
  | "LOOPBACK"
  | "PRIVATE"
  | "LINK_LOCAL"
  | "UNIQUE_LOCAL"
  | "CGNAT"
  | "MULTICAST"
  | "UNSPECIFIED"
  | "METADATA"
  | "RESERVED";

type Rule = readonly [network: bigint, prefix: number, kind: AddressClass | "EMBEDDED_V4"];

function ipv4ToBigInt(ip: string): bigint {
  return ip.split(".").reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

/** The 128 bits of an IPv6 address (net.isIP has said it is one; a zone id is refused before). */
function ipv6ToBigInt(ip: string): bigint {
  let text = ip.toLowerCase();
  // A dotted IPv4 tail (::ffff:127.0.0.1) becomes two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = ipv4ToBigInt(tail[1]!);
    text = `${text.slice(0, -tail[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const groups =
    rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const v4 = (cidr: string, kind: AddressClass): Rule => {
  const [ip, prefix] = cidr.split("/");
  return [ipv4ToBigInt(ip!), Number(prefix), kind];
};
const v6 = (cidr: string, kind: Rule[2]): Rule => {
  const [ip, prefix] = cidr.split("/");
  return [ipv6ToBigInt(ip!), Number(prefix), kind];
};

// First match wins: the single metadata addresses come before the ranges that hold them.
const IPV4_RULES: readonly Rule[] = [
  v4("169.254.169.254/32", "METADATA"), // AWS, GCP, Azure, Oracle, DigitalOcean instance metadata
  v4("168.63.129.16/32", "METADATA"), // Azure WireServer (a public address)
  v4("100.100.100.200/32", "METADATA"), // Alibaba Cloud
  v4("192.0.0.192/32", "METADATA"), // Oracle Cloud (legacy)
  v4("0.0.0.0/8", "UNSPECIFIED"),
  v4("10.0.0.0/8", "PRIVATE"),
  v4("100.64.0.0/10", "CGNAT"),
  v4("127.0.0.0/8", "LOOPBACK"),
  v4("169.254.0.0/16", "LINK_LOCAL"),
  v4("172.16.0.0/12", "PRIVATE"),
  v4("192.0.0.0/24", "RESERVED"), // IETF protocol assignments
  v4("192.0.2.0/24", "RESERVED"), // documentation
  v4("192.88.99.0/24", "RESERVED"), // 6to4 relay anycast
  v4("192.168.0.0/16", "PRIVATE"),
  v4("198.18.0.0/15", "RESERVED"), // benchmarking
  v4("198.51.100.0/24", "RESERVED"), // documentation
  v4("203.0.113.0/24", "RESERVED"), // documentation
  v4("224.0.0.0/4", "MULTICAST"),
  v4("240.0.0.0/4", "RESERVED"), // future use and 255.255.255.255 broadcast
];

const IPV6_RULES: readonly Rule[] = [
  v6("::/128", "UNSPECIFIED"),
  v6("::1/128", "LOOPBACK"),
  v6("::ffff:0:0/96", "EMBEDDED_V4"), // IPv4-mapped: the connection goes to the IPv4 address
  v6("64:ff9b::/96", "EMBEDDED_V4"), // NAT64 well-known prefix
  v6("fd00:ec2::254/128", "METADATA"), // AWS instance metadata over IPv6
  v6("fc00::/7", "UNIQUE_LOCAL"),
  v6("fe80::/10", "LINK_LOCAL"),
  v6("fec0::/10", "RESERVED"), // site-local, deprecated
  v6("ff00::/8", "MULTICAST"),
  v6("2001:db8::/32", "RESERVED"), // documentation
  v6("2001::/23", "RESERVED"), // IETF protocol assignments (Teredo, ORCHID, ...)
  v6("2002::/16", "EMBEDDED_V4"), // 6to4: the IPv4 address is bits 16-48
  v6("3fff::/20", "RESERVED"), // documentation
];
const GLOBAL_UNICAST_V6 = v6("2000::/3", "PUBLIC");

const within = (n: bigint, [network, prefix]: Rule, bits: number): boolean =>
  n >> BigInt(bits - prefix) === network >> BigInt(bits - prefix);

function classifyV4(n: bigint): AddressClass {
  const rule = IPV4_RULES.find((r) => within(n, r, 32));
  return (rule?.[2] as AddressClass | undefined) ?? "PUBLIC";
}

/** What kind of address `ip` is (an IPv4 or IPv6 literal); anything else is RESERVED. */
export function classifyAddress(ip: string): AddressClass {
  const family = isIP(ip);
  if (family === 4) return classifyV4(ipv4ToBigInt(ip));
  if (family !== 6 || ip.includes("%")) return "RESERVED"; // a zone id only ever names a local link
  const n = ipv6ToBigInt(ip);
  const rule = IPV6_RULES.find((r) => within(n, r, 128));
  if (rule?.[2] === "EMBEDDED_V4") {
    const embedded = rule[0] >> 112n === 0x2002n ? (n >> 80n) & 0xffffffffn : n & 0xffffffffn;
    return classifyV4(embedded);
  }
  if (rule) return rule[2] as AddressClass;
  // Outside 2000::/3 nothing is reachable on the internet today (IPv4-compatible, discard, SRv6...).
  return within(n, GLOBAL_UNICAST_V6, 128) ? "PUBLIC" : "RESERVED";
}

export interface SmtpAddressPolicy {
  /**
   * Loopback only (127.0.0.0/8, ::1) for the local test mail servers of the tests and the sandbox
   * (AMENDS_SMTP_ALLOW_LOOPBACK, refused in production). Private networks, link-local and
   * metadata addresses are refused even then.
   */
  allowLoopback: boolean;
}

export const addressAllowed = (kind: AddressClass, policy: SmtpAddressPolicy): boolean =>
  kind === "PUBLIC" || (kind === "LOOPBACK" && policy.allowLoopback);

/** Where to connect: the checked address, and the name the certificate must carry (null for an IP literal). */
export interface SmtpTarget {
  address: string;
  servername: string | null;
}

export type SmtpHostResult =
  | { ok: true; target: SmtpTarget }
  | { ok: false; reason: "ADDRESS_NOT_ALLOWED"; refused: AddressClass }
  | { ok: false; reason: "NOT_FOUND" };

const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * Resolve the host once and check every address it gives: one refused address refuses the host
 * (a name that answers both a public and a private address is not trusted with either).
 */
export async function resolveSmtpHost(host: string, policy: SmtpAddressPolicy): Promise<SmtpHostResult> {
  const name = host.trim().replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (isIP(name)) {
    addresses = [name];
  } else {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answers = await Promise.race([
        dns.lookup(name, { all: true, verbatim: true }),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error("lookup timed out")), LOOKUP_TIMEOUT_MS);
        }),
      ]);
      addresses = answers.map((a) => a.address);
    } catch {
      return { ok: false, reason: "NOT_FOUND" };
    } finally {
      clearTimeout(timer);
    }
  }
  if (addresses.length === 0) return { ok: false, reason: "NOT_FOUND" };
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (!addressAllowed(kind, policy)) return { ok: false, reason: "ADDRESS_NOT_ALLOWED", refused: kind };
  }
  return { ok: true, target: { address: addresses[0]!, servername: isIP(name) ? null : name.replace(/\.$/, "") } };
}
