/** /api/setup/*: is ThinkWatch set up yet, and the one-time creation of the super admin (the setup wizard's API). */
import { InitializeRequestSchema } from "@thinkwatch/console-api";
import { hashPassword } from "../auth/passwords.js";
import type { AdminDeps } from "../deps.js";
import { publicUser } from "../users/user-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";
import { openSession } from "./session-response.js";

export function registerSetupRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/setup/status", "public", async (c) => {
    const initialized = await deps.users.isInitialized();
    return c.json({ initialized, needsSetup: !initialized });
  });

  router.route(
    "POST",
    "/api/setup/initialize",
    "public",
    async (c) => {
      const body = await readRouteBody(c, InitializeRequestSchema);
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
      // The routing table says setup is done: from now on ai-proxy is ready only with a usable provider.
      await deps.routing.publish();
      deps.audit.record({
        category: "admin",
        action: "user.created",
        actor: { ...requestActor(c), kind: "user", id: user.id, name: user.email },
        target: { kind: "user", id: user.id, name: user.email },
        after: publicUser(user),
        details: { via: "setup" },
        requestId: c.get("requestId"),
      });
      return c.json(await openSession(c, deps, user), 201);
    },
    { summary: "Create the first super admin", body: InitializeRequestSchema, status: 201 },
  );
}
