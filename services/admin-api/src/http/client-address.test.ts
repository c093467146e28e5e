import { staticSettings } from "@thinkwatch/bus";
import { DEFAULT_SETTINGS } from "@thinkwatch/proto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createClientAddressResolver } from "./client-address.js";

/** What the resolver says for a request from `remoteAddress` (as @hono/node-server passes it) with this header. */
async function resolve(
  trustedProxies: string[],
  remoteAddress: string | undefined,
  forwardedFor?: string,
): Promise<string | null> {
  const resolver = createClientAddressResolver(
    staticSettings({ ...DEFAULT_SETTINGS, security: { ...DEFAULT_SETTINGS.security, trustedProxies } }),
  );
  const app = new Hono().get("/", (c) => c.json({ address: resolver(c) }));
  const response = await app.request(
    "/",
    { headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } },
    remoteAddress === undefined ? {} : { incoming: { socket: { remoteAddress } } },
  );
  return ((await response.json()) as { address: string | null }).address;
}

describe("client address", () => {
  it.each([
    ["no trusted proxies: the socket address, X-Forwarded-For ignored", [], "10.0.0.5", "1.2.3.4", "10.0.0.5"],
    ["an IPv4-mapped socket address is shown as IPv4", [], "::ffff:10.0.0.5", undefined, "10.0.0.5"],
    ["a trusted proxy: the client it reports", ["10.0.0.0/8"], "10.0.0.5", "203.0.113.9", "203.0.113.9"],
    [
      "a chain: the rightmost hop that is not a trusted proxy",
      ["10.0.0.0/8"],
      "10.0.0.5",
      "198.51.100.1, 203.0.113.9, 10.0.0.7",
      "203.0.113.9",
    ],
    ["an untrusted peer claiming a trusted address", ["10.0.0.0/8"], "192.0.2.1", "10.0.0.9", "192.0.2.1"],
    ["garbage in the header: the proxy itself", ["10.0.0.5"], "10.0.0.5", "not-an-ip", "10.0.0.5"],
    ["a trusted proxy without the header: the proxy itself", ["10.0.0.5"], "10.0.0.5", undefined, "10.0.0.5"],
    ["IPv6 CIDRs", ["fd00::/8"], "fd00::1", "2001:db8::7", "2001:db8::7"],
    ["malformed trusted entries are ignored", ["nonsense", "10.0.0.0/99"], "10.0.0.5", "203.0.113.9", "10.0.0.5"],
  ])("%s", async (_what, trusted, remote, forwarded, expected) => {
    expect(await resolve(trusted, remote, forwarded)).toBe(expected);
  });

  it("has no address without a socket", async () => {
    expect(await resolve([], undefined, "1.2.3.4")).toBeNull();
  });
});
