/** /api/setup/*: is ThinkWatch set up yet, and the one-time creation of the super admin (the setup wizard's API). */
import { readValidatedJson } from "@thinkwatch/http";
import * as v from "valibot";
import { hashPassword, PasswordSchema } from "../auth/passwords.js";
import type { AdminDeps } from "../deps.js";
import { publicUser } from "../users/user-store.js";
import type { ConsoleRouter } from "./console-router.js";

const InitializeSchema = v.object({
  admin: v.object({
    email: v.pipe(v.string("email is required"), v.trim(), v.toLowerCase(), v.email("email must be an email address")),
    password: PasswordSchema,
    displayName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
  }),
  siteName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
});

export function registerSetupRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/setup/status", "public", async (c) => {
    const initialized = await deps.users.isInitialized();
    return c.json({ initialized, needsSetup: !initialized });
  });

  router.route("POST", "/api/setup/initialize", "public", async (c) => {
    const body = await readValidatedJson(c, InitializeSchema);
    const passwordHash = await hashPassword(body.admin.password);
    const user = await deps.users.createFirstSuperAdmin({
      email: body.admin.email,
      displayName: body.admin.displayName ?? body.admin.email,
      passwordHash,
    });
    if (body.siteName !== undefined) {
      const { general } = await deps.settings.all();
      await deps.settings.setCategory("general", { ...general, siteName: body.siteName });
    }
    const token = await deps.tokens.issue({ id: user.id, email: user.email, role: user.role });
    return c.json({ user: publicUser(user), ...token, tokenType: "Bearer" }, 201);
  });
}
