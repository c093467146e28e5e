/**
 * /api/admin/users/:id/roles: extra roles of a user beyond their built-in tier — a custom or built-in role granted
 * everywhere or within one team. Super Admin is granted only as the tier (PATCH role), so the last-super-admin rule
 * has one place to hold. Removing a role narrows access: the user's sessions end and UsersChanged is broadcast.
 */
import { AssignRoleSchema, UuidText } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import type { AdminDeps } from "../deps.js";
import { assertGrantable, assertManageable } from "../users/user-access-rules.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";
import { UserIdParam } from "./users.js";

export function registerUserRoleRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("POST", "/api/admin/users/:id/roles", "users:write", { body: AssignRoleSchema }, async (c) => {
    const id = validate(UserIdParam, c.req.param("id"));
    const input = await readRouteBody(c, AssignRoleSchema);
    const caller = c.get("user");
    await assertManageable(deps, caller, id);
    if (input.roleId === "super_admin")
      throw new AppError("validation_failed", "Super Admin is given as the user's role, not as an extra role");
    const role = await deps.roles.find(input.roleId);
    if (role === null)
      throw new AppError("validation_failed", `no role with id ${input.roleId}`, {
        details: { fields: { roleId: "unknown role" } },
      });
    assertGrantable(caller, role.permissions, `the ${role.name} role`);
    const teamId = input.teamId ?? null;
    if (teamId !== null && (await deps.teams.find(teamId)) === null)
      throw new AppError("validation_failed", `no team with id ${teamId}`);
    const assignment = await deps.roles.assign({ userId: id, roleId: role.id, teamId });
    deps.identity.userChanged(id, "role_changed");
    deps.audit.record({
      category: "admin",
      action: "role.assigned",
      actor: requestActor(c),
      target: { kind: "user", id, name: null },
      teamId,
      after: assignment,
      requestId: c.get("requestId"),
    });
    return c.json({ assignment }, 201);
  });

  router.route("DELETE", "/api/admin/users/:id/roles/:assignmentId", "users:write", async (c) => {
    const id = validate(UserIdParam, c.req.param("id"));
    const assignmentId = validate(UuidText("assignment id"), c.req.param("assignmentId"));
    await assertManageable(deps, c.get("user"), id);
    const removed = await deps.roles.unassign(id, assignmentId);
    deps.identity.userChanged(id, "role_changed");
    const ended = await deps.identity.revokeSessions({ userId: id, reason: "demoted" });
    deps.audit.record({
      category: "admin",
      action: "role.unassigned",
      actor: requestActor(c),
      target: { kind: "user", id, name: null },
      teamId: removed.teamId,
      before: removed,
      details: { sessionsEnded: ended.length },
      requestId: c.get("requestId"),
    });
    return c.body(null, 204);
  });
}
