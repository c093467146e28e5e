/** /api/admin/log-forwarders: audit delivery channels; each change republishes the channel list to the config KV. */
import { readValidatedJson } from "@thinkwatch/http";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";

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

export function registerLogForwarderRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/log-forwarders", "log_forwarders:read", async (c) =>
    c.json({ forwarders: await deps.channels.list() }),
  );

  router.route("POST", "/api/admin/log-forwarders", "log_forwarders:write", async (c) => {
    const input = await readValidatedJson(c, CreateForwarderSchema);
    const forwarder = await deps.channels.create(input);
    await deps.channels.publish();
    return c.json({ forwarder }, 201);
  });
}
