/**
 * /api/auth/login and /api/auth/me. Login is guarded by a progressive lockout per account and per client address
 * (429 with Retry-After, checked before the password so a locked account is no oracle), and failed logins take the
 * same time whether or not the email exists.
 */
import { LoginRequestSchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { accountLockKey, addressLockKey } from "../auth/login-lockout.js";
import { dummyPasswordHash, verifyPassword } from "../auth/passwords.js";
import type { AdminDeps } from "../deps.js";
import { publicUser } from "../users/user-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";
import { openSession } from "./session-response.js";

export function registerAuthRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route(
    "POST",
    "/api/auth/login",
    "public",
    async (c) => {
      const body = await readRouteBody(c, LoginRequestSchema);
      const auth = deps.liveSettings.current().auth;
      const now = deps.clock();
      const ip = c.get("clientIp");
      const accountKey = accountLockKey(body.email);
      const addressKey = ip === null ? null : addressLockKey(ip);
      const actor = { ...requestActor(c), name: body.email.slice(0, 320) };

      const [accountLocked, addressLocked] = await Promise.all([
        deps.lockout.lockedFor(accountKey, now),
        addressKey === null ? 0 : deps.lockout.lockedFor(addressKey, now),
      ]);
      const retryAfter = Math.max(accountLocked, addressLocked);
      if (retryAfter > 0) {
        deps.audit.record({
          category: "auth",
          action: "login.locked_out",
          actor,
          outcome: "denied",
          details: { retryAfterSeconds: retryAfter, scope: accountLocked >= addressLocked ? "account" : "ip" },
          requestId: c.get("requestId"),
        });
        c.header("Retry-After", String(retryAfter));
        throw new AppError("rate_limited", `too many failed logins; try again in ${retryAfter} seconds`, {
          details: { retryAfterSeconds: retryAfter },
        });
      }

      const user = await deps.users.findByEmail(body.email);
      const hash = user?.passwordHash ?? (await dummyPasswordHash());
      const ok = await verifyPassword(hash, body.password);
      if (user === null || !ok || !user.isActive || user.passwordHash === null) {
        const policy = { baseSeconds: auth.lockoutBaseSeconds, maxSeconds: auth.lockoutMaxSeconds };
        const [accountLock, addressLock] = await Promise.all([
          deps.lockout.fail(accountKey, { ...policy, threshold: auth.lockoutThreshold }, now),
          addressKey === null ? 0 : deps.lockout.fail(addressKey, { ...policy, threshold: auth.ipLockoutThreshold }, now),
        ]);
        deps.audit.record({
          category: "auth",
          action: "login.failed",
          actor,
          outcome: "failure",
          details: { lockedForSeconds: Math.max(accountLock, addressLock) },
          requestId: c.get("requestId"),
        });
        throw new AppError("unauthenticated", "wrong email or password");
      }
      await deps.lockout.clear(accountKey);
      const opened = await openSession(c, deps, user);
      deps.audit.record({
        category: "auth",
        action: "login.succeeded",
        actor: { ...requestActor(c), kind: "user", id: user.id, name: user.email },
        details: { sessionId: opened.sessionId },
        requestId: c.get("requestId"),
      });
      return c.json(opened);
    },
    { summary: "Sign in with email and password", body: LoginRequestSchema },
  );

  router.route("GET", "/api/auth/me", "authenticated", async (c) => {
    const principal = c.get("user");
    const user = await deps.users.findById(principal.id);
    if (user === null || !user.isActive) throw new AppError("unauthenticated", "this account no longer exists");
    const teams = [...principal.teams].map(([teamId, grant]) => ({
      teamId,
      teamRole: grant.teamRole,
      permissions: [...grant.permissions].sort(),
    }));
    return c.json({
      user: { ...publicUser(user), permissions: [...principal.permissions].sort(), teams, sessionId: principal.sessionId },
    });
  });
}
