/** Who is on the other end of the socket, for audit rows. Forwarded headers are not trusted here. */
import { requestHeader } from "@thinkwatch/http";
import type { Context } from "hono";

export function clientIpOf(c: Context): string | null {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

export function userAgentOf(c: Context): string | null {
  return requestHeader(c, "user-agent") ?? null;
}
