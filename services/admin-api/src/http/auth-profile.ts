/**
 * The signed-in user's own account: change password (the current one required, failures count toward the account
 * lockout), list their sessions, end one or all of them, and accept an invitation (set a first password).
 */
import { AcceptInviteSchema, ChangePasswordSchema, SessionIdSchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import { accountLockKey } from "../auth/login-lockout.js";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import type { AdminDeps } from "../deps.js";
import type { SessionState } from "../sessions/session-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";
import { clearRefreshCookie } from "./session-cookie.js";

export function publicSession(session: SessionState, currentId: string | null) {
  return {
    id: session.id,
    ip: session.ip,
    userAgent: session.userAgent,
    createdAt: new Date(session.createdAt).toISOString(),
    lastUsedAt: new Date(session.lastUsedAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    current: session.id === currentId,
  };
}

export function registerAuthProfileRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("POST", "/api/auth/password", "authenticated", { body: ChangePasswordSchema }, async (c) => {
    const body = await readRouteBody(c, ChangePasswordSchema);
    const principal = c.get("user");
    const now = deps.clock();
    const lockKey = accountLockKey(principal.email);
    const locked = await deps.lockout.lockedFor(lockKey, now);
    if (locked > 0) {
      c.header("Retry-After", String(locked));
      throw new AppError("rate_limited", `too many failed attempts; try again in ${locked} seconds`, {
        details: { retryAfterSeconds: locked },
      });
    }
    const user = await deps.users.findById(principal.id);
    if (user === null) throw new AppError("unauthenticated", "this account no longer exists");
    if (user.passwordHash === null || !(await verifyPassword(user.passwordHash, body.currentPassword))) {
      const auth = deps.liveSettings.current().auth;
      await deps.lockout.fail(
        lockKey,
        { threshold: auth.lockoutThreshold, baseSeconds: auth.lockoutBaseSeconds, maxSeconds: auth.lockoutMaxSeconds },
        now,
      );
      deps.audit.record({
        category: "auth",
        action: "password.change_failed",
        actor: requestActor(c),
        outcome: "failure",
        requestId: c.get("requestId"),
      });
      throw new AppError("forbidden", "the current password is wrong");
    }
    await deps.users.setPassword(user.id, await hashPassword(body.newPassword));
    // Whoever else holds a session of this account (perhaps the reason for the change) is signed out.
    const ended = await deps.identity.revokeSessions({
      userId: user.id,
      exceptSessionId: principal.sessionId,
      reason: "password_changed",
    });
    deps.audit.record({
      category: "auth",
      action: "password.changed",
      actor: requestActor(c),
      target: { kind: "user", id: user.id, name: user.email },
      details: { sessionsEnded: ended.length },
      requestId: c.get("requestId"),
    });
    return c.json({ sessionsEnded: ended.length });
  });

  router.route("GET", "/api/auth/sessions", "authenticated", async (c) => {
    const principal = c.get("user");
    const sessions = await deps.sessions.listLive(principal.id, deps.clock());
    return c.json({ sessions: sessions.map((s) => publicSession(s, principal.sessionId)) });
  });

  router.route("DELETE", "/api/auth/sessions", "authenticated", async (c) => {
    const principal = c.get("user");
    const ended = await deps.identity.revokeSessions({ userId: principal.id, reason: "user_revoked_all" });
    clearRefreshCookie(c);
    deps.audit.record({
      category: "auth",
      action: "sessions.revoked",
      actor: requestActor(c),
      target: { kind: "user", id: principal.id, name: principal.email },
      details: { sessionsEnded: ended.length },
      requestId: c.get("requestId"),
    });
    return c.json({ sessionsEnded: ended.length });
  });

  router.route("DELETE", "/api/auth/sessions/:id", "authenticated", async (c) => {
    const principal = c.get("user");
    const id = validate(SessionIdSchema, c.req.param("id"));
    const ended = await deps.identity.revokeSessions({ userId: principal.id, sessionIds: [id], reason: "user_revoked" });
    if (ended.length === 0) throw new AppError("not_found", `you have no live session ${id}`);
    if (id === principal.sessionId) clearRefreshCookie(c);
    deps.audit.record({
      category: "auth",
      action: "session.revoked",
      actor: requestActor(c),
      target: { kind: "session", id, name: null },
      requestId: c.get("requestId"),
    });
    return c.json({ sessionsEnded: 1 });
  });

  router.route("POST", "/api/auth/invite/accept", "public", { body: AcceptInviteSchema }, async (c) => {
    const body = await readRouteBody(c, AcceptInviteSchema);
    const userId = await deps.invites.accept(body.token, await hashPassword(body.password), deps.clock());
    deps.audit.record({
      category: "auth",
      action: "invite.accepted",
      actor: { ...requestActor(c), kind: "user", id: userId },
      target: { kind: "user", id: userId, name: null },
      requestId: c.get("requestId"),
    });
    return c.json({ userId });
  });
}
