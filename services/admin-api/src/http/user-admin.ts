/**
 * Changing a user: PATCH (display name, built-in role, `active`), DELETE (soft delete), their sessions (list, end
 * all) and a fresh invitation. Whatever narrows a user's access — deactivation, deletion, demotion — ends their
 * sessions and is broadcast (UsersChanged) so every admin-api replica and key-service react at once. The last active
 * Super Admin can never be deactivated, deleted or demoted (the store enforces it under a lock).
 */
import { UpdateUserSchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import { BUILT_IN_ROLE_PERMISSIONS } from "../auth/permissions.js";
import type { AdminDeps } from "../deps.js";
import { assertGrantable, assertManageable } from "../users/user-access-rules.js";
import { publicUser } from "../users/user-store.js";
import { publicSession } from "./auth-profile.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";
import { UserIdParam } from "./users.js";

export function registerUserAdminRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("PATCH", "/api/admin/users/:id", "users:write", { body: UpdateUserSchema }, async (c) => {
    const id = validate(UserIdParam, c.req.param("id"));
    const patch = await readRouteBody(c, UpdateUserSchema);
    const caller = c.get("user");
    await assertManageable(deps, caller, id);
    if (patch.role !== undefined) assertGrantable(caller, BUILT_IN_ROLE_PERMISSIONS[patch.role], `the ${patch.role} role`);
    if (id === caller.id && (patch.active === false || patch.role !== undefined)) {
      throw new AppError("forbidden", "you cannot deactivate yourself or change your own role; ask another administrator");
    }
    const { before, after } = await deps.users.update(id, {
      ...(patch.displayName === undefined ? {} : { displayName: patch.displayName }),
      ...(patch.role === undefined ? {} : { role: patch.role }),
      ...(patch.active === undefined ? {} : { isActive: patch.active }),
    });
    const roleChanged = before.role !== after.role;
    const demoted =
      roleChanged && BUILT_IN_ROLE_PERMISSIONS[before.role].some((p) => !BUILT_IN_ROLE_PERMISSIONS[after.role].includes(p));
    const deactivated = before.isActive && !after.isActive;
    if (deactivated) deps.identity.userChanged(id, "deactivated");
    else if (!before.isActive && after.isActive) deps.identity.userChanged(id, "reactivated");
    if (roleChanged) deps.identity.userChanged(id, "role_changed");
    if (!deactivated && !roleChanged && before.displayName !== after.displayName) deps.identity.userChanged(id, "updated");
    const sessionsEnded =
      deactivated || demoted
        ? await deps.identity.revokeSessions({ userId: id, reason: deactivated ? "deactivated" : "demoted" })
        : [];
    const action = deactivated
      ? "user.deactivated"
      : !before.isActive && after.isActive
        ? "user.reactivated"
        : roleChanged
          ? "user.role_changed"
          : "user.updated";
    deps.audit.record({
      category: "admin",
      action,
      actor: requestActor(c),
      target: { kind: "user", id, name: after.email },
      before: publicUser(before),
      after: publicUser(after),
      details: { sessionsEnded: sessionsEnded.length },
      requestId: c.get("requestId"),
    });
    return c.json({ user: publicUser(after) });
  });

  router.route("DELETE", "/api/admin/users/:id", "users:write", async (c) => {
    const id = validate(UserIdParam, c.req.param("id"));
    const caller = c.get("user");
    if (id === caller.id) throw new AppError("forbidden", "you cannot delete yourself; ask another administrator");
    await assertManageable(deps, caller, id);
    const before = await deps.users.softDelete(id);
    deps.identity.userChanged(id, "deleted");
    const ended = await deps.identity.revokeSessions({ userId: id, reason: "deleted" });
    deps.audit.record({
      category: "admin",
      action: "user.deleted",
      actor: requestActor(c),
      target: { kind: "user", id, name: before.email },
      before: publicUser(before),
      details: { sessionsEnded: ended.length },
      requestId: c.get("requestId"),
    });
    return c.body(null, 204);
  });

  router.route("GET", "/api/admin/users/:id/sessions", "users:write", async (c) => {
    const id = validate(UserIdParam, c.req.param("id"));
    if ((await deps.users.findById(id)) === null) throw new AppError("not_found", `no user with id ${id}`);
    const sessions = await deps.sessions.listLive(id, deps.clock());
    return c.json({ sessions: sessions.map((s) => publicSession(s, c.get("user").sessionId)) });
  });

  router.route("DELETE", "/api/admin/users/:id/sessions", "users:write", async (c) => {
    const id = validate(UserIdParam, c.req.param("id"));
    await assertManageable(deps, c.get("user"), id);
    const ended = await deps.identity.revokeSessions({ userId: id, reason: "admin_revoked" });
    deps.audit.record({
      category: "admin",
      action: "user_sessions.revoked",
      actor: requestActor(c),
      target: { kind: "user", id, name: null },
      details: { sessionsEnded: ended.length },
      requestId: c.get("requestId"),
    });
    return c.json({ sessionsEnded: ended.length });
  });

  router.route("POST", "/api/admin/users/:id/invite", "users:write", async (c) => {
    const id = validate(UserIdParam, c.req.param("id"));
    await assertManageable(deps, c.get("user"), id);
    const user = await deps.users.findById(id);
    if (user === null) throw new AppError("not_found", `no user with id ${id}`);
    const expiresAt = deps.clock() + deps.liveSettings.current().auth.inviteTtlHours * 3_600_000;
    const token = await deps.invites.issue(id, expiresAt);
    deps.audit.record({
      category: "admin",
      action: "user.invited",
      actor: requestActor(c),
      target: { kind: "user", id, name: user.email },
      requestId: c.get("requestId"),
    });
    return c.json(
      {
        invite: {
          token,
          url: `${new URL(c.req.url).origin}/invite#token=${token}`,
          expiresAt: new Date(expiresAt).toISOString(),
        },
      },
      201,
    );
  });
}
