/**
 * /api/admin/users: create (with a password, or as an invitation whose link lets the user set one), list (search,
 * paging; team managers see their teams' members only) and read one user with their roles and teams.
 */
import { CreateUserSchema, UserListQuerySchema, UuidText } from "@thinkwatch/console-api";
import { validate } from "@thinkwatch/http";
import { hashPassword } from "../auth/passwords.js";
import { BUILT_IN_ROLE_PERMISSIONS } from "../auth/permissions.js";
import { teamsWhere } from "../auth/principal.js";
import type { AdminDeps } from "../deps.js";
import { assertGrantable, visibleUser } from "../users/user-access-rules.js";
import { publicUser } from "../users/user-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody, readRouteQuery } from "./route-input.js";

export const UserIdParam = UuidText("user id");

export function registerUserRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("POST", "/api/admin/users", "users:write", { body: CreateUserSchema }, async (c) => {
    const input = await readRouteBody(c, CreateUserSchema);
    const caller = c.get("user");
    assertGrantable(caller, BUILT_IN_ROLE_PERMISSIONS[input.role], `the ${input.role} role`);
    const user = await deps.users.create({
      email: input.email,
      displayName: input.displayName ?? input.email,
      role: input.role,
      passwordHash: input.password === undefined ? null : await hashPassword(input.password),
    });
    let invite: { token: string; url: string; expiresAt: string } | undefined;
    if (input.password === undefined) {
      const expiresAt = deps.clock() + deps.liveSettings.current().auth.inviteTtlHours * 3_600_000;
      const token = await deps.invites.issue(user.id, expiresAt);
      invite = { token, url: `${new URL(c.req.url).origin}/invite#token=${token}`, expiresAt: new Date(expiresAt).toISOString() };
    }
    deps.audit.record({
      category: "admin",
      action: "user.created",
      actor: requestActor(c),
      target: { kind: "user", id: user.id, name: user.email },
      after: publicUser(user),
      details: { invited: invite !== undefined },
      requestId: c.get("requestId"),
    });
    return c.json({ user: publicUser(user), ...(invite === undefined ? {} : { invite }) }, 201);
  });

  router.route("GET", "/api/admin/users", "users:read", { query: UserListQuerySchema }, async (c) => {
    const query = readRouteQuery(c, UserListQuerySchema);
    const { users, total } = await deps.users.list({
      ...(query.search === undefined ? {} : { search: query.search }),
      page: query.page,
      pageSize: query.pageSize,
      teams: teamsWhere(c.get("user"), "users:read"),
    });
    return c.json({ users: users.map(publicUser), total, page: query.page, pageSize: query.pageSize });
  });

  router.route("GET", "/api/admin/users/:id", "users:read", async (c) => {
    const id = validate(UserIdParam, c.req.param("id"));
    const user = await visibleUser(deps, c.get("user"), id);
    const [assignments, access] = await Promise.all([deps.roles.assignments(id), deps.access.user(id)]);
    const teams = [...(access?.teams ?? new Map())]
      .filter(([, grant]) => grant.teamRole !== null)
      .map(([teamId, grant]) => ({ teamId, teamRole: grant.teamRole }));
    return c.json({
      user: publicUser(user),
      roleAssignments: assignments,
      teams,
      permissions: [...(access?.permissions ?? [])].sort(),
    });
  });
}
