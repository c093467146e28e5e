/** /api/auth/login and /api/auth/me. Failed logins take the same time whether or not the email exists. */
import { AppError } from "@thinkwatch/errors";
import { type AppEnv, readValidatedJson } from "@thinkwatch/http";
import type { Hono } from "hono";
import * as v from "valibot";
import { dummyPasswordHash, verifyPassword } from "../auth/passwords.js";
import { type ConsoleEnv, requireUser } from "../auth/require-user.js";
import type { AdminDeps } from "../deps.js";
import { publicUser } from "../users/user-store.js";

const LoginSchema = v.object({
  email: v.pipe(v.string("email is required"), v.trim(), v.toLowerCase()),
  password: v.string("password is required"),
});

export function registerAuthRoutes(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.post("/api/auth/login", async (c) => {
    const body = await readValidatedJson(c, LoginSchema);
    const user = await deps.users.findByEmail(body.email);
    const hash = user?.passwordHash ?? (await dummyPasswordHash());
    const ok = await verifyPassword(hash, body.password);
    if (user === null || !ok || !user.isActive || user.passwordHash === null) {
      throw new AppError("unauthenticated", "wrong email or password");
    }
    const token = await deps.tokens.issue({ id: user.id, email: user.email, role: user.role });
    return c.json({ user: publicUser(user), ...token, tokenType: "Bearer" });
  });

  const me = app as unknown as Hono<ConsoleEnv>;
  me.get("/api/auth/me", requireUser(deps.tokens), async (c) => {
    const user = await deps.users.findById(c.get("user").id);
    if (user === null || !user.isActive) throw new AppError("unauthenticated", "this account no longer exists");
    return c.json({ user: publicUser(user) });
  });
}
