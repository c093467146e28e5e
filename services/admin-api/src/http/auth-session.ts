/**
 * /api/auth/refresh and /api/auth/logout. A refresh uses the cookie's token up and hands out the next; a token
 * presented a second time means someone copied it, so the whole session is revoked (and recorded). With
 * auth.sessionIpBinding a session refreshes only from the address it was opened from.
 */
import { AppError } from "@thinkwatch/errors";
import type { AdminDeps } from "../deps.js";
import { publicUser } from "../users/user-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { clearRefreshCookie, refreshCookieOf, setRefreshCookie } from "./session-cookie.js";

export function registerAuthSessionRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("POST", "/api/auth/refresh", "public", async (c) => {
    const refreshToken = refreshCookieOf(c);
    const refused = (message: string): never => {
      clearRefreshCookie(c);
      throw new AppError("unauthenticated", message);
    };
    if (refreshToken === null) return refused("no refresh token; log in again");
    const auth = deps.liveSettings.current().auth;
    const ip = c.get("clientIp");
    const result = await deps.sessions.rotate({
      refreshToken,
      ttlSeconds: auth.refreshTokenTtlSeconds,
      now: deps.clock(),
      ip,
      bindIp: auth.sessionIpBinding,
    });
    if (result.outcome === "invalid") return refused("the refresh token is invalid or expired; log in again");
    const target = { kind: "session", id: result.session.id, name: null };
    if (result.outcome === "reused") {
      await deps.identity.revokeSessions({
        userId: result.session.userId,
        sessionIds: [result.session.id],
        reason: "refresh_token_reused",
      });
      deps.audit.record({
        category: "auth",
        action: "session.refresh_reused",
        actor: { ...requestActor(c), kind: "user", id: result.session.userId },
        target,
        outcome: "denied",
        details: { reason: "a used refresh token was presented again; the session was revoked" },
        requestId: c.get("requestId"),
      });
      return refused("this refresh token was already used; the session has been ended for safety; log in again");
    }
    if (result.outcome === "ip_mismatch") {
      deps.audit.record({
        category: "auth",
        action: "session.ip_mismatch",
        actor: { ...requestActor(c), kind: "user", id: result.session.userId },
        target,
        outcome: "denied",
        details: { sessionIp: result.session.ip },
        requestId: c.get("requestId"),
      });
      return refused("this session belongs to another network address; log in again");
    }
    const user = await deps.users.findById(result.session.userId);
    const access = await deps.access.user(result.session.userId);
    if (user === null || access === null || !access.enabled) {
      await deps.identity.revokeSessions({
        userId: result.session.userId,
        sessionIds: [result.session.id],
        reason: "user_disabled",
      });
      return refused("this account is deactivated or no longer exists");
    }
    setRefreshCookie(c, result.refreshToken, auth.refreshTokenTtlSeconds);
    const token = await deps.tokens.issue({ userId: user.id, sessionId: result.session.id }, auth.accessTokenTtlSeconds);
    return c.json({ user: publicUser(user), ...token, tokenType: "Bearer" as const, sessionId: result.session.id });
  });

  router.route("POST", "/api/auth/logout", "authenticated", async (c) => {
    const principal = c.get("user");
    await deps.identity.revokeSessions({ userId: principal.id, sessionIds: [principal.sessionId], reason: "logout" });
    clearRefreshCookie(c);
    deps.audit.record({
      category: "auth",
      action: "session.logged_out",
      actor: requestActor(c),
      target: { kind: "session", id: principal.sessionId, name: null },
      requestId: c.get("requestId"),
    });
    return c.body(null, 204);
  });
}
