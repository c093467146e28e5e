/**
 * Who is calling the console API and what they may do. The access token only names a user and a session; the
 * user's current state (active, not deleted, roles, teams) and the session's liveness come from the access cache,
 * which every change invalidates at once on every replica — so a deactivated, deleted or demoted user, or a revoked
 * session, loses access on the next request. Routes only ever see a Principal.
 */
import type { SettingsHolder } from "@thinkwatch/bus";
import { AppError } from "@thinkwatch/errors";
import type { Context } from "hono";
import type { AccessCache } from "./access-cache.js";
import type { Clock } from "./clock.js";
import type { Principal } from "./principal.js";
import type { TokenIssuer } from "./tokens.js";

export type { Principal } from "./principal.js";

export interface Authorizer {
  /** The caller of this request, or an `unauthenticated` AppError. `clientIp` is the resolved client address. */
  authenticate(c: Context, clientIp: string | null): Promise<Principal>;
}

export function bearerToken(c: Context): string {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (match?.[1] === undefined) throw new AppError("unauthenticated", "log in first: send Authorization: Bearer <access token>");
  return match[1];
}

export interface SessionAuthorizerOptions {
  tokens: TokenIssuer;
  cache: AccessCache;
  settings: SettingsHolder;
  clock: Clock;
}

export function createSessionAuthorizer(options: SessionAuthorizerOptions): Authorizer {
  const { tokens, cache, settings, clock } = options;
  return {
    async authenticate(c, clientIp) {
      const subject = await tokens.verify(bearerToken(c));
      const [session, user] = await Promise.all([cache.session(subject.sessionId), cache.user(subject.userId)]);
      if (session === null || session.userId !== subject.userId || session.revokedAt !== null || session.expiresAt <= clock()) {
        throw new AppError("unauthenticated", "this session has ended; log in again");
      }
      if (settings.current().auth.sessionIpBinding && session.ip !== null && session.ip !== clientIp) {
        throw new AppError("unauthenticated", "this session belongs to another network address; log in again");
      }
      if (user === null || !user.enabled)
        throw new AppError("unauthenticated", "this account is deactivated or no longer exists");
      return {
        id: user.id,
        email: user.email,
        role: user.role,
        sessionId: session.id,
        permissions: user.permissions,
        teams: user.teams,
      };
    },
  };
}
