/** /api/admin/log-forwarders: audit delivery channels; each change republishes the channel list to the config KV. */
import { CreateLogForwarderRequestSchema } from "@thinkwatch/console-api";
import { readValidatedJson } from "@thinkwatch/http";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";

export function registerLogForwarderRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/log-forwarders", "log_forwarders:read", async (c) =>
    c.json({ forwarders: await deps.channels.list() }),
  );

  router.route("POST", "/api/admin/log-forwarders", "log_forwarders:write", async (c) => {
    const input = await readValidatedJson(c, CreateLogForwarderRequestSchema);
    const forwarder = await deps.channels.create(input);
    await deps.channels.publish();
    return c.json({ forwarder }, 201);
  });
}
