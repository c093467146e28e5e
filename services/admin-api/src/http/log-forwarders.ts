/** /api/admin/log-forwarders: audit delivery channels; each change republishes the channel list to the config KV. */
import { type AppEnv, readValidatedJson } from "@thinkwatch/http";
import type { Hono } from "hono";
import * as v from "valibot";
import { type ConsoleEnv, requireUser } from "../auth/require-user.js";
import type { AdminDeps } from "../deps.js";

const WebhookSettingsSchema = v.object({
  url: v.pipe(
    v.string("settings.url is required"),
    v.check((u) => /^https?:\/\/\S+$/.test(u), "settings.url must be an http(s) URL"),
  ),
  headers: v.optional(v.record(v.string(), v.string()), {}),
});

const CreateForwarderSchema = v.variant("kind", [
  v.object({
    name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
    kind: v.literal("webhook"),
    settings: WebhookSettingsSchema,
    enabled: v.optional(v.boolean(), true),
  }),
]);

export function registerLogForwarderRoutes(root: Hono<AppEnv>, deps: AdminDeps): void {
  const app = root as unknown as Hono<ConsoleEnv>;
  const admin = requireUser(deps.tokens, "admin");

  app.get("/api/admin/log-forwarders", admin, async (c) => c.json({ forwarders: await deps.channels.list() }));

  app.post("/api/admin/log-forwarders", admin, async (c) => {
    const input = await readValidatedJson(c, CreateForwarderSchema);
    const forwarder = await deps.channels.create(input);
    await deps.channels.publish();
    return c.json({ forwarder }, 201);
  });
}
