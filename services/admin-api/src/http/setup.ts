/** /api/setup/*: is ThinkWatch set up yet, and the one-time creation of the super admin (the setup wizard's API). */
import { type AppEnv, readValidatedJson } from "@thinkwatch/http";
import type { Hono } from "hono";
import * as v from "valibot";
import { hashPassword, PasswordSchema } from "../auth/passwords.js";
import type { AdminDeps } from "../deps.js";
import { publicUser } from "../users/user-store.js";

const InitializeSchema = v.object({
  admin: v.object({
    email: v.pipe(v.string("email is required"), v.trim(), v.toLowerCase(), v.email("email must be an email address")),
    password: PasswordSchema,
    displayName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
  }),
  siteName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
});

export function registerSetupRoutes(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.get("/api/setup/status", async (c) => {
    const initialized = await deps.users.isInitialized();
    return c.json({ initialized, needsSetup: !initialized });
  });

  app.post("/api/setup/initialize", async (c) => {
    const body = await readValidatedJson(c, InitializeSchema);
    const passwordHash = await hashPassword(body.admin.password);
    const user = await deps.users.createFirstSuperAdmin({
      email: body.admin.email,
      displayName: body.admin.displayName ?? body.admin.email,
      passwordHash,
    });
    if (body.siteName !== undefined) await deps.settings.set("site.name", body.siteName);
    const token = await deps.tokens.issue({ id: user.id, email: user.email, role: user.role });
    return c.json({ user: publicUser(user), ...token, tokenType: "Bearer" }, 201);
  });
}
