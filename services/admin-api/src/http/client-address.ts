/**
 * The client's address as the console sees it. X-Forwarded-For is believed only from the proxies listed in
 * `security.trustedProxies` (addresses or CIDRs): the address is the rightmost entry that is not itself a trusted
 * proxy, so a client cannot forge its way past IP binding or the per-IP lockout by sending the header itself.
 */
import { BlockList, isIP } from "node:net";
import type { SettingsHolder } from "@thinkwatch/bus";
import type { Context } from "hono";

export type ClientAddressResolver = (c: Context) => string | null;

function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

function socketAddress(c: Context): string | null {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const address = incoming?.socket?.remoteAddress;
  return address === undefined ? null : normalize(address);
}

export function buildTrustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.trim().split("/");
    if (address === undefined) continue;
    const family = isIP(address);
    if (family === 0) continue;
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)) list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

export function createClientAddressResolver(settings: SettingsHolder): ClientAddressResolver {
  let source: readonly string[] | null = null;
  let trusted = new BlockList();
  const trustedList = () => {
    const entries = settings.current().security.trustedProxies;
    if (entries !== source) {
      source = entries;
      trusted = buildTrustedProxies(entries);
    }
    return trusted;
  };
  return (c) => {
    const remote = socketAddress(c);
    if (remote === null) return null;
    const list = trustedList();
    if (!isTrusted(list, remote)) return remote;
    const forwarded = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map(normalize)
      .filter((hop) => hop !== "");
    for (let i = forwarded.length - 1; i >= 0; i -= 1) {
      const hop = forwarded[i] as string;
      if (isIP(hop) === 0) return remote;
      if (!isTrusted(list, hop)) return hop;
    }
    return forwarded[0] ?? remote;
  };
}
