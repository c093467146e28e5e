/** The actor of an audit record made while serving a console request: the signed-in user, their address and agent. */
import type { AuditActor } from "@thinkwatch/proto";
import type { Context } from "hono";
import type { ConsoleEnv } from "./console-router.js";

export function clientAddressOf(c: Context): string | null {
  const resolved = (c as Context<ConsoleEnv>).get("clientIp") as string | null | undefined;
  if (resolved !== undefined) return resolved;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

export function requestActor(c: Context<ConsoleEnv>): AuditActor {
  const user = c.get("user") as ConsoleEnv["Variables"]["user"] | undefined;
  return {
    kind: user === undefined ? "anonymous" : "user",
    id: user?.id ?? null,
    name: user?.email ?? null,
    ip: clientAddressOf(c),
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
  };
}
