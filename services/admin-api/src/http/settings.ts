/** /api/admin/settings: read every category; replace one category (validated, audited, pushed to every replica). */
import { readValidatedJson, validate } from "@thinkwatch/http";
import { type SettingsCategory, SettingsCategorySchema, SettingsSchema } from "@thinkwatch/proto";
import type * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";

export function registerSettingsRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/settings", "settings:read", async (c) => c.json({ settings: await deps.settings.all() }));

  router.route("PUT", "/api/admin/settings/:category", "settings:write", async (c) => {
    const category = validate(SettingsCategorySchema, c.req.param("category")) as SettingsCategory;
    const schema = SettingsSchema.entries[category].wrapped as v.GenericSchema;
    const value = await readValidatedJson(c, schema);
    const { before, after } = await deps.settings.setCategory(category, value as never);
    deps.audit.record({
      category: "admin",
      action: "settings.updated",
      actor: requestActor(c),
      target: { kind: "settings", id: category, name: category },
      before: before[category],
      after: after[category],
      requestId: c.get("requestId"),
    });
    return c.json({ settings: after });
  });
}
