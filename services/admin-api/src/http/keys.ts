/** /api/keys: create (plaintext shown once), list and revoke virtual keys, through key-service on NATS. */
import { CreateKeyRequestSchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { readValidatedJson } from "@thinkwatch/http";
import { KeysCreate, KeysList, KeysRevoke } from "@thinkwatch/proto";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";

export function registerKeyRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("POST", "/api/keys", "api_keys:write", async (c) => {
    const input = await readValidatedJson(c, CreateKeyRequestSchema);
    const user = c.get("user");
    if (input.userId !== undefined && input.userId !== user.id && !user.permissions.has("api_keys:write_all")) {
      throw new AppError("forbidden", "only admins may create keys for other users");
    }
    const created = await deps.bus.request(KeysCreate, {
      userId: input.userId ?? user.id,
      name: input.name,
      ...(input.surfaces === undefined ? {} : { surfaces: input.surfaces }),
      allowedModels: input.allowedModels ?? null,
      expiresAt: input.expiresInDays === undefined ? null : Date.now() + input.expiresInDays * 86_400_000,
    });
    return c.json({ key: created.key, plaintext: created.plaintext }, 201);
  });

  router.route("GET", "/api/keys", "api_keys:read", async (c) => {
    const user = c.get("user");
    const all = c.req.query("all") === "true" && user.permissions.has("api_keys:read_all");
    const listed = await deps.bus.request(KeysList, all ? {} : { userId: user.id });
    return c.json({ keys: listed.keys });
  });

  router.route("POST", "/api/keys/:id/revoke", "api_keys:write", async (c) => {
    const user = c.get("user");
    const id = c.req.param("id");
    if (!v.is(v.pipe(v.string(), v.uuid()), id)) throw new AppError("validation_failed", "key id must be a UUID");
    if (!user.permissions.has("api_keys:write_all")) {
      const own = await deps.bus.request(KeysList, { userId: user.id });
      if (!own.keys.some((key) => key.id === id)) throw new AppError("not_found", `no API key with id ${id}`);
    }
    const revoked = await deps.bus.request(KeysRevoke, { id });
    return c.json({ key: revoked.key });
  });
}
