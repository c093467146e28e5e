/**
 * /api/admin/roles: the five built-in tiers (read-only) and custom roles over the same permission vocabulary, and
 * /api/admin/permissions (the vocabulary itself). Changing or deleting a custom role changes the access of everyone
 * holding it: each holder is broadcast (UsersChanged role_changed) and, when permissions were taken away, signed out.
 */
import { CreateRoleSchema, UpdateRoleSchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import * as v from "valibot";
import { PERMISSIONS, type Permission, PermissionSchema } from "../auth/permissions.js";
import type { AdminDeps } from "../deps.js";
import { assertGrantable } from "../users/user-access-rules.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

const RoleIdParam = v.pipe(v.string(), v.maxLength(100, "role id is too long"), v.regex(/^[a-z0-9_-]+$/, "role id is malformed"));

function knownPermissions(names: readonly string[]): Permission[] {
  const unknown = names.filter((name) => !v.is(PermissionSchema, name));
  if (unknown.length > 0) {
    throw new AppError("validation_failed", `unknown permissions: ${unknown.join(", ")}`, {
      details: { fields: { permissions: `unknown permissions: ${unknown.join(", ")}` } },
    });
  }
  return [...new Set(names as Permission[])];
}

export function registerRoleRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/permissions", "roles:read", (c) => c.json({ permissions: PERMISSIONS }));

  router.route("GET", "/api/admin/roles", "roles:read", async (c) => c.json({ roles: await deps.roles.list() }));

  router.route("GET", "/api/admin/roles/:id", "roles:read", async (c) => {
    const id = validate(RoleIdParam, c.req.param("id"));
    const role = await deps.roles.find(id);
    if (role === null) throw new AppError("not_found", `no role with id ${id}`);
    return c.json({ role });
  });

  router.route("POST", "/api/admin/roles", "roles:write", { body: CreateRoleSchema }, async (c) => {
    const input = await readRouteBody(c, CreateRoleSchema);
    const permissions = knownPermissions(input.permissions);
    assertGrantable(c.get("user"), permissions, "this role");
    const role = await deps.roles.create({ name: input.name, description: input.description, permissions });
    deps.audit.record({
      category: "admin",
      action: "role.created",
      actor: requestActor(c),
      target: { kind: "role", id: role.id, name: role.name },
      after: role,
      requestId: c.get("requestId"),
    });
    return c.json({ role }, 201);
  });

  router.route("PATCH", "/api/admin/roles/:id", "roles:write", { body: UpdateRoleSchema }, async (c) => {
    const id = validate(RoleIdParam, c.req.param("id"));
    const input = await readRouteBody(c, UpdateRoleSchema);
    const permissions = input.permissions === undefined ? undefined : knownPermissions(input.permissions);
    if (permissions !== undefined) assertGrantable(c.get("user"), permissions, "this role");
    const { before, after } = await deps.roles.update(id, {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(permissions === undefined ? {} : { permissions }),
    });
    const narrowed = before.permissions.some((p) => !after.permissions.includes(p));
    for (const userId of await deps.roles.holders(id)) {
      deps.identity.userChanged(userId, "role_changed");
      if (narrowed) await deps.identity.revokeSessions({ userId, reason: "demoted" });
    }
    deps.audit.record({
      category: "admin",
      action: "role.updated",
      actor: requestActor(c),
      target: { kind: "role", id, name: after.name },
      before,
      after,
      requestId: c.get("requestId"),
    });
    return c.json({ role: after });
  });

  router.route("DELETE", "/api/admin/roles/:id", "roles:write", async (c) => {
    const id = validate(RoleIdParam, c.req.param("id"));
    const { role, holders } = await deps.roles.delete(id);
    for (const userId of holders) {
      deps.identity.userChanged(userId, "role_changed");
      await deps.identity.revokeSessions({ userId, reason: "demoted" });
    }
    deps.audit.record({
      category: "admin",
      action: "role.deleted",
      actor: requestActor(c),
      target: { kind: "role", id, name: role.name },
      before: role,
      details: { holders: holders.length },
      requestId: c.get("requestId"),
    });
    return c.body(null, 204);
  });
}
