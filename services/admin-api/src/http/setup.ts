/** /api/setup/*: is ThinkWatch set up yet, and the one-time creation of the super admin (the setup wizard's API). */
import { InitializeRequestSchema } from "@thinkwatch/console-api";
import { readValidatedJson } from "@thinkwatch/http";
import { hashPassword } from "../auth/passwords.js";
import type { AdminDeps } from "../deps.js";
import { publicUser } from "../users/user-store.js";
import type { ConsoleRouter } from "./console-router.js";

export function registerSetupRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/setup/status", "public", async (c) => {
    const initialized = await deps.users.isInitialized();
    return c.json({ initialized, needsSetup: !initialized });
  });

  router.route("POST", "/api/setup/initialize", "public", async (c) => {
    const body = await readValidatedJson(c, InitializeRequestSchema);
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
