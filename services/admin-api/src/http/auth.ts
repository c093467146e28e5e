/** /api/auth/login and /api/auth/me. Failed logins take the same time whether or not the email exists. */
import { LoginRequestSchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { readValidatedJson } from "@thinkwatch/http";
import { dummyPasswordHash, verifyPassword } from "../auth/passwords.js";
import type { AdminDeps } from "../deps.js";
import { publicUser } from "../users/user-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";

export function registerAuthRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("POST", "/api/auth/login", "public", async (c) => {
    const body = await readValidatedJson(c, LoginRequestSchema);
    const user = await deps.users.findByEmail(body.email);
    const hash = user?.passwordHash ?? (await dummyPasswordHash());
    const ok = await verifyPassword(hash, body.password);
    if (user === null || !ok || !user.isActive || user.passwordHash === null) {
      deps.audit.record({
        category: "auth",
        action: "login.failed",
        actor: { ...requestActor(c), name: body.email.slice(0, 320) },
        outcome: "failure",
        requestId: c.get("requestId"),
      });
      throw new AppError("unauthenticated", "wrong email or password");
    }
    const token = await deps.tokens.issue({ id: user.id, email: user.email, role: user.role });
    deps.audit.record({
      category: "auth",
      action: "login.succeeded",
      actor: { ...requestActor(c), kind: "user", id: user.id, name: user.email },
      requestId: c.get("requestId"),
    });
    return c.json({ user: publicUser(user), ...token, tokenType: "Bearer" });
  });

  router.route("GET", "/api/auth/me", "authenticated", async (c) => {
    const principal = c.get("user");
    const user = await deps.users.findById(principal.id);
    if (user === null || !user.isActive) throw new AppError("unauthenticated", "this account no longer exists");
    return c.json({ user: { ...publicUser(user), permissions: [...principal.permissions].sort() } });
  });
}
