/**
 * Classifies an IP address for the egress policy: `blocked` ranges are refused always (link-local, where cloud
 * metadata services live, and other addresses no upstream can legitimately have), `private` ranges (loopback, RFC 1918,
 * unique-local, CGNAT) only when the policy says so. IPv4-mapped and NAT64 IPv6 forms are judged as the IPv4 address
 * they carry, so `[::ffff:169.254.169.254]` is link-local too.
 */
import { isIPv4, isIPv6 } from "node:net";

export type AddressClass = "blocked" | "private" | "public";

interface Range {
  bits: bigint;
  prefix: number;
  width: 32 | 128;
  cls: Exclude<AddressClass, "public">;
  label: string;
}

function v4ToBig(address: string): bigint {
  return address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** Expand an IPv6 address (any textual form, with or without a trailing dotted quad) into 128 bits. */
function v6ToBig(address: string): bigint {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const v4 = v4ToBig(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headParts = head === "" ? [] : head.split(":");
  const tailParts = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - headParts.length - tailParts.length;
  const groups = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill("0"), ...tailParts];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

const range = (cidr: string, cls: Range["cls"], label: string): Range => {
  const [address = "", prefix = "0"] = cidr.split("/");
  const width = isIPv4(address) ? 32 : 128;
  return { bits: width === 32 ? v4ToBig(address) : v6ToBig(address), prefix: Number(prefix), width, cls, label };
};

const RANGES: Range[] = [
  range("0.0.0.0/8", "blocked", "the 'this network' range"),
  range("169.254.0.0/16", "blocked", "link-local (cloud metadata)"),
  range("100.100.100.200/32", "blocked", "a cloud metadata address"),
  range("224.0.0.0/4", "blocked", "multicast"),
  range("240.0.0.0/4", "blocked", "a reserved range"),
  range("::/128", "blocked", "the unspecified address"),
  range("fe80::/10", "blocked", "link-local"),
  range("fd00:ec2::254/128", "blocked", "a cloud metadata address"),
  range("ff00::/8", "blocked", "multicast"),
  range("127.0.0.0/8", "private", "loopback"),
  range("10.0.0.0/8", "private", "a private range"),
  range("172.16.0.0/12", "private", "a private range"),
  range("192.168.0.0/16", "private", "a private range"),
  range("100.64.0.0/10", "private", "carrier-grade NAT"),
  range("198.18.0.0/15", "private", "a benchmarking range"),
  range("::1/128", "private", "loopback"),
  range("fc00::/7", "private", "unique-local"),
];

const inRange = (value: bigint, r: Range): boolean => {
  const shift = BigInt(r.width - r.prefix);
  return value >> shift === r.bits >> shift;
};

/** The IPv4 address an IPv6 address carries (IPv4-mapped `::ffff:0:0/96`, IPv4-compatible, NAT64 `64:ff9b::/96`). */
function embeddedV4(value: bigint): bigint | null {
  const high = value >> 32n;
  if (high === 0xffffn || high === 0x64ff9b0000000000000000n || (high === 0n && value > 1n)) return value & 0xffffffffn;
  return null;
}

export interface Classification {
  cls: AddressClass;
  /** Why, for error messages: "link-local (cloud metadata)", "loopback", … */
  label: string;
}

/** Classify an IP literal; null when `address` is not an IP address. */
export function classifyAddress(address: string): Classification | null {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  let value: bigint;
  let width: 32 | 128;
  if (isIPv4(bare)) {
    value = v4ToBig(bare);
    width = 32;
  } else if (isIPv6(bare)) {
    value = v6ToBig(bare);
    width = 128;
    const v4 = embeddedV4(value);
    if (v4 !== null) {
      value = v4;
      width = 32;
    }
  } else {
    return null;
  }
  for (const r of RANGES) {
    if (r.width === width && inRange(value, r)) return { cls: r.cls, label: r.label };
  }
  return { cls: "public", label: "public" };
}
