/** /api/keys: create (plaintext shown once), list and revoke virtual keys, through key-service on NATS. */
import { AppError } from "@thinkwatch/errors";
import { type AppEnv, readValidatedJson } from "@thinkwatch/http";
import { KeysCreate, KeysList, KeysRevoke, SurfaceSchema } from "@thinkwatch/proto";
import type { Hono } from "hono";
import * as v from "valibot";
import { type ConsoleEnv, requireUser } from "../auth/require-user.js";
import { roleAtLeast } from "../auth/roles.js";
import type { AdminDeps } from "../deps.js";

const CreateKeySchema = v.object({
  name: v.pipe(v.string("name is required"), v.trim(), v.minLength(1, "name is required"), v.maxLength(200)),
  surfaces: v.optional(v.pipe(v.array(SurfaceSchema), v.minLength(1, "give at least one surface"))),
  allowedModels: v.optional(v.nullable(v.array(v.pipe(v.string(), v.trim(), v.minLength(1))))),
  expiresInDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650))),
  /** Admins may create a key for another user. */
  userId: v.optional(v.pipe(v.string(), v.uuid("userId must be a UUID"))),
});

export function registerKeyRoutes(root: Hono<AppEnv>, deps: AdminDeps): void {
  const app = root as unknown as Hono<ConsoleEnv>;

  app.post("/api/keys", requireUser(deps.tokens, "developer"), async (c) => {
    const input = await readValidatedJson(c, CreateKeySchema);
    const user = c.get("user");
    if (input.userId !== undefined && input.userId !== user.id && !roleAtLeast(user.role, "admin")) {
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

  app.get("/api/keys", requireUser(deps.tokens), async (c) => {
    const user = c.get("user");
    const all = c.req.query("all") === "true" && roleAtLeast(user.role, "admin");
    const listed = await deps.bus.request(KeysList, all ? {} : { userId: user.id });
    return c.json({ keys: listed.keys });
  });

  app.post("/api/keys/:id/revoke", requireUser(deps.tokens, "developer"), async (c) => {
    const user = c.get("user");
    const id = c.req.param("id");
    if (!v.is(v.pipe(v.string(), v.uuid()), id)) throw new AppError("validation_failed", "key id must be a UUID");
    if (!roleAtLeast(user.role, "admin")) {
      const own = await deps.bus.request(KeysList, { userId: user.id });
      if (!own.keys.some((key) => key.id === id)) throw new AppError("not_found", `no API key with id ${id}`);
    }
    const revoked = await deps.bus.request(KeysRevoke, { id });
    return c.json({ key: revoked.key });
  });
}
